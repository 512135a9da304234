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
    normalize_with_offsets,
    positions_stable,
)
from .marks import Terms, choose

_SYLLABLE = re.compile(r"\w+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+")  # a number stays whole, as the index has it
_NUMBER = re.compile(r"\d+(?:[.,]\d+)+")
_SENTENCE_START = re.compile(r"(?<=[.!?…\n])\s+")


def match_spans(text: str, terms: Terms) -> list[tuple[int, int, str]]:
    """(start, end, folded) of every syllable to mark, offsets into ``text``."""
    found = find_spans(text, terms)
    return choose(text, found, terms) if terms.runs and found else found


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
