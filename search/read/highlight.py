"""Snippets and highlights on the ORIGINAL text: <mark> around the query's words.

Two steps. Finding: every syllable that folds like a query syllable, so a
folded or Telex query finds the accented words as the article wrote them
("lanh dao" finds "lãnh đạo"), NFD text included. Choosing (issue 20): of
those, the words the query means (see :mod:`.marks`), not every syllable
that folds alike. For each query word only its best occurrences in the text
are marked, best meaning, in order:

1. inside a longer run of adjacent query words ("Bí thư Tỉnh ủy" for "bi thu
   tinh uy": the phrase, not "Bí thư" alone elsewhere);
2. a whole word: a compound whole ("Đại hội"), or a one-syllable query word
   standing as a word of its own in the text (not "hội" of "xã hội", by the
   index's vocabulary);
3. else any syllable of it (the text holds no better match);

and at each level the forms the query means ("Lâm", restored, before
"làm"; typed diacritics exactly) before other forms.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import numpy as np

from ..text.normalize import (
    accent_classes,
    fold,
    normalize,
    normalize_with_offsets,
    positions_stable,
)
from .marks import Slot, Terms

_SYLLABLE = re.compile(r"\w+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+")  # a number stays whole, as the index has it
_NUMBER = re.compile(r"\d+(?:[.,]\d+)+")
_SENTENCE_START = re.compile(r"(?<=[.!?…\n])\s+")
_WORD_AT = re.compile(r"\w+")


def match_spans(text: str, terms: Terms) -> list[tuple[int, int, str]]:
    """(start, end, folded) of every syllable to mark, offsets into ``text``."""
    found = find_spans(text, terms)
    return _chosen(text, found, terms) if terms.runs and found else found


def find_spans(text: str, terms: Terms) -> list[tuple[int, int, str]]:
    """(start, end, folded) of every syllable folding like a query syllable."""
    if not terms or not text:
        return []
    patterns = _plain_patterns(terms.words, terms.prefixes)
    if patterns is not None and positions_stable(text):
        folded = _fold_bytes(text)
        if folded is not None:
            return _scan(text, folded, patterns)
    norm, offsets = normalize_with_offsets(text)
    spans = []
    for m in _TOKEN.finditer(norm):
        folded = _folded(m.group(0))
        if folded in terms.words or (terms.prefixes and folded.startswith(terms.prefixes)):
            s, e = m.start(), m.end()
            if offsets is not None:
                s, e = offsets[s], offsets[e]
            spans.append((s, e, folded))
    return spans


# --- the fast path: text folded to one byte a character --------------------------------
#
# Most of a page's snippet cost is finding the query's words in ten bodies.
# A regex of accent classes ("[tTţ…]h[aáà…]nh") tries every word starting
# with any of the query's first letters. Folded to bytes instead (one per
# character, same offsets), each word is a literal ("thanh"), which the regex
# engine finds by a plain substring scan: 42 against 71 us a text on the
# load mix (1.7x), the same spans.

_WORD_BYTE = b"a-zA-Z0-9"  # the folded bytes of word characters (A: any other)
_PLAIN_TERM = re.compile(r"[a-z0-9]+")
_ASTRAL = 0xFF  # a UTF-16 surrogate: positions would shift, use the slow path


@lru_cache(maxsize=1)
def _fold_table() -> np.ndarray:
    """Byte of every BMP character: its folded lowercase letter, an ASCII digit,
    ``A`` for any other word character (``\\w``), a space for the rest."""
    table = bytearray(b" " * 0x10000)
    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isalnum() or ch == "_":  # what the regex engine calls \\w
            table[cp] = ord("A")
    for digit in "0123456789":
        table[ord(digit)] = ord(digit)
    for letter, chars in accent_classes().items():
        for ch in chars:
            table[ord(ch)] = ord(letter)
    table[0xD800:0xE000] = bytes([_ASTRAL]) * 0x800
    return np.frombuffer(bytes(table), dtype=np.uint8)


def _fold_bytes(text: str) -> bytes | None:
    """``text`` folded one byte a character (see _fold_table); None outside the BMP."""
    codes = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
    folded = _fold_table().take(codes).tobytes()
    return None if _ASTRAL in folded else folded


@lru_cache(maxsize=4096)  # the load mix alone has 400 queries
def _plain_patterns(
    words: frozenset[str], prefixes: tuple[str, ...]
) -> tuple[tuple[re.Pattern, str | None], ...] | None:
    """One bytes pattern a word or prefix, each opening with its literal, and the
    word it finds (None for a prefix); None if a term is not plain ASCII
    letters and digits.

    ``(?<![…].{n})`` after an n-letter literal checks that the letter before it
    is no word character: a lookbehind first would cost the literal scan. A
    number (6,5) is its digits with any separator, checked on the text by _scan.
    """
    items = [(w, b"(?![%s])" % _WORD_BYTE, w) for w in words]  # the whole word
    items += [(p, b"[%s]*" % _WORD_BYTE, None) for p in prefixes]  # to the word's end
    out = []
    for term, tail, word in items:
        if _NUMBER.fullmatch(term):
            digits = re.split(r"[.,]", term)
            head = b".".join(d.encode("ascii") for d in digits)
            head += b"(?<![%s].{%d})" % (_WORD_BYTE, len(term))
            out.append((re.compile(head + tail, re.DOTALL), word))
            continue
        if not _SYLLABLE.fullmatch(term):
            continue  # "1.100" as a syllable: none holds a dot, on either path
        if not _PLAIN_TERM.fullmatch(term):
            return None
        head = term.encode("ascii") + b"(?<![%s].{%d})" % (_WORD_BYTE, len(term))
        out.append((re.compile(head + tail, re.DOTALL), word))
    return tuple(out)


def _scan(text: str, folded: bytes, patterns) -> list[tuple[int, int, str]]:
    found: dict[int, tuple[int, str | None]] = {}
    for pattern, word in patterns:
        for m in pattern.finditer(folded):
            found[m.start()] = (m.end(), word)  # a word and a prefix of it: the same span
    spans = []
    for s in sorted(found):
        e, word = found[s]
        if text[e - 1].isdigit() and text[e : e + 1] in ".," and text[e + 1 : e + 2].isdigit():
            continue  # 6 of 6,5: the index holds the number whole
        if text[s].isdigit() and s > 1 and text[s - 1] in ".," and text[s - 2].isdigit():
            continue
        if word is not None and not word.isalnum() and text[s:e] != word:
            continue  # 6,5 is not 6.5
        spans.append((s, e, word or _folded(text[s:e])))
    return spans


@lru_cache(maxsize=1 << 16)
def _folded(syllable: str) -> str:
    """Folded lowercase form of a matched syllable (a page matches the same few many times)."""
    return fold(syllable).lower()


# --- choosing the words the query means ---------------------------------------------


def _chosen(text: str, spans: list, terms: Terms) -> list[tuple[int, int, str]]:
    """The spans to mark: each query word's best occurrences (see the module docstring).

    Left to right, the longest run of whole query words starting at a span
    that the text holds side by side (spaces only between) is one
    occurrence; a span starting none is part of a word, level 0.
    """
    runs = terms.runs
    starts, partial, singles, prefixed = _query_index(runs)
    n = len(spans)
    found = []  # [level, exact, words, first span, span count, lone]
    i = 0
    while i < n:
        s0, e0, fi = spans[i]
        if i + 1 == n or not _joined(text, e0, spans[i + 1][0]):
            # Alone in the text (most spans): a one-syllable query word or a piece of one.
            slot = singles.get(fi)
            if slot is not None:
                exact = slot.form is None or _form(text[s0:e0]) == slot.form
                found.append([1, exact, frozenset((slot.word,)), i, 1, True])
            elif fi in starts or prefixed:
                found.append(_longest(text, spans, i, runs, starts, partial, prefixed))
            else:
                found.append([0, True, partial[fi], i, 1, False])
            i += 1
            continue
        occ = _longest(text, spans, i, runs, starts, partial, prefixed)
        found.append(occ)
        i += occ[4]
    best = _best(found)
    if terms.compound is not None:
        # A lone syllable that would be marked: a word of its own, or part of another?
        # Asked only of those, again when a demotion lets others be marked.
        checked: set[int] = set()
        demoted = True
        while demoted:
            demoted = False
            for k, occ in enumerate(found):
                if occ[5] and occ[0] == 1 and k not in checked:
                    if any(best[w] == (1, occ[1]) for w in occ[2]):
                        checked.add(k)
                        s, e, _ = spans[occ[3]]
                        if not _stands_alone(text, s, e, terms.compound):
                            occ[0], demoted = 0, True
            if demoted:
                best = _best(found)
    out = []
    for level, exact, words, first, count, _ in found:
        if any(best[w] == (level, exact) for w in words):
            out.extend(spans[first : first + count])
    return out


def _longest(text, spans, i, runs, starts, partial, prefixed) -> list:
    """The occurrence starting at span ``i``: the longest run of whole query words there."""
    n, fi = len(spans), spans[i][2]
    top = None
    cands = starts.get(fi, ())
    if prefixed:
        cands += tuple((r, j) for r, j in prefixed if fi.startswith(runs[r][j].folded))
    for r, j in cands:
        slots = runs[r]
        k, last = 0, -1
        while i + k < n and j + k < len(slots):
            slot, f = slots[j + k], spans[i + k][2]
            if not (f.startswith(slot.folded) if slot.prefix else f == slot.folded):
                break
            if k and not _joined(text, spans[i + k - 1][1], spans[i + k][0]):
                break
            if slot.end:
                last = k
            k += 1
        if last >= 0 and (top is None or last + 1 > top[0]):
            top = (last + 1, slots[j : j + last + 1])
    if top is None:  # a syllable of a query word, not the word
        words = partial.get(fi) or frozenset(
            runs[r][j].word for r, j in prefixed if fi.startswith(runs[r][j].folded)
        )
        return [0, True, words, i, 1, False]
    length, covered = top
    exact = True
    for (s, e, _), slot in zip(spans[i : i + length], covered, strict=True):
        if slot.form is not None and _form(text[s:e]) != slot.form:
            exact = False
            break
    words = frozenset(slot.word for slot in covered)
    return [len(words), exact, words, i, length, length == 1]


def _best(found: list) -> dict[int, tuple[int, bool]]:
    best: dict[int, tuple[int, bool]] = {}
    for level, exact, words, *_ in found:
        for w in words:
            if best.get(w, (-1, False)) < (level, exact):
                best[w] = (level, exact)
    return best


@lru_cache(maxsize=4096)
def _query_index(runs: tuple[tuple[Slot, ...], ...]) -> tuple[dict, dict, dict, tuple]:
    """What _chosen looks up a span by, built once per query:

    * folded -> ((run, slot), ...) where a query word starts with it;
    * folded -> the query words holding it (for a piece of a word);
    * folded -> the slot of the one-syllable query word it is, if any;
    * (run, slot) of every prefix.
    """
    starts: dict[str, list[tuple[int, int]]] = {}
    partial: dict[str, set[int]] = {}
    singles: dict[str, Slot] = {}
    prefixed = []
    for r, slots in enumerate(runs):
        for j, slot in enumerate(slots):
            if slot.prefix:
                prefixed.append((r, j))
                continue
            partial.setdefault(slot.folded, set()).add(slot.word)
            if slot.start:
                starts.setdefault(slot.folded, []).append((r, j))
                if slot.end:
                    singles.setdefault(slot.folded, slot)
    return (
        {k: tuple(v) for k, v in starts.items()},
        {k: frozenset(v) for k, v in partial.items()},
        singles,
        tuple(prefixed),
    )


def _joined(text: str, end: int, start: int) -> bool:
    """Two syllables side by side: only spaces between them, within one line."""
    gap = text[end:start]
    return gap == " " or (gap.isspace() and "\n" not in gap)


def _stands_alone(text: str, s: int, e: int, compound) -> bool:
    """Whether text[s:e] is a word of its own: no compound with the syllable before or after.

    The neighbours are read by hand: a regex searching back from ``s`` costs
    more than the rest of the choice.
    """
    here = None
    if s > 1 and text[s - 1] == " ":
        k = text.rfind(" ", max(0, s - 12), s - 1)
        before = text[k + 1 : s - 1] if k != -1 else ""
        if before.isalnum():
            here = _form(text[s:e])
            if compound(_form(before), here):
                return False
    if text[e : e + 1] == " ":
        after = _WORD_AT.match(text, e + 1)
        if after:
            return not compound(here or _form(text[s:e]), _form(after.group(0)))
    return True


@lru_cache(maxsize=1 << 16)
def _form(syllable: str) -> str:
    """The lowercase accented form of a syllable of the text, tones canonical."""
    return normalize(syllable).lower()


def mark(
    text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None
) -> str:
    """HTML of ``text[start:end]`` with spans marked; adjacent marks merge ("lãnh đạo")."""
    end = len(text) if end is None else end
    out, pos = [], start
    merged: list[list[int]] = []
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        if merged and text[merged[-1][1] : s].strip() == "":
            merged[-1][1] = e
        else:
            merged.append([s, e])
    for s, e in merged:
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: Terms) -> str:
    """The whole text as HTML with every match marked."""
    return mark(text, match_spans(text, terms))


def snippet(text: str, terms: Terms, width: int = 200) -> str:
    """The passage of about ``width`` characters with the most marked syllables, marked.

    Only the query's words count (see match_spans), so a passage with the
    phrase beats one with scattered syllables; ties go to the earlier one.
    Without any match, the text's opening.
    """
    spans = match_spans(text, terms)
    if not spans:
        return _cut(text, 0, width)
    first = spans[_best_window(spans, width)][0]
    # Start at the sentence holding the first match when it is near enough.
    start = max(0, first - 60)
    sentence_starts = [m.end() for m in _SENTENCE_START.finditer(text, start, first)]
    if sentence_starts:
        start = sentence_starts[-1]
    elif start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    return _cut(text, start, width, spans)


def _best_window(spans: list, width: int) -> int:
    """The first span of the window of ``width`` characters holding the most spans
    (the earliest on a tie), in one sliding pass."""
    best, most, j = 0, 0, 0
    for i in range(len(spans)):
        while j < len(spans) and spans[j][1] - spans[i][0] <= width:
            j += 1
        if j - i > most:
            best, most = i, j - i
    return best


def _cut(text: str, start: int, width: int, spans=()) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    body = mark(text, list(spans), start, end).replace("\n", " ")
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + body.strip() + suffix
