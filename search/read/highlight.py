"""Snippets and highlights on the ORIGINAL text: <mark> around matches, the rest escaped.

Matching is on folded syllables, so a folded or Telex query marks the
accented words as the article wrote them ("lanh dao" marks "lãnh đạo"),
NFD text included.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..text.normalize import accent_classes, fold, normalize_with_offsets, positions_stable

_SYLLABLE = re.compile(r"\w+")
_SENTENCE_START = re.compile(r"(?<=[.!?…\n])\s+")


@dataclass(frozen=True)
class Terms:
    """What to mark: folded lowercase syllables, and folded prefixes (from prefix*)."""

    words: frozenset[str]
    prefixes: tuple[str, ...] = ()
    pairs: frozenset[tuple[str, str]] = frozenset()  # adjacent query words: phrases

    def matches(self, folded: str) -> bool:
        return folded in self.words or folded.startswith(self.prefixes or ("\0",))

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes)


def match_spans(text: str, terms: Terms) -> list[tuple[int, int, str]]:
    """(start, end, folded) of every matching syllable, offsets into ``text``."""
    if not terms or not text:
        return []
    patterns = _plain_patterns(terms)
    if patterns is not None and positions_stable(text):
        folded = _fold_bytes(text)
        if folded is not None:
            return _scan(text, folded, patterns)
    norm, offsets = normalize_with_offsets(text)
    spans = []
    for m in _SYLLABLE.finditer(norm):
        folded = _folded(m.group(0))
        if terms.matches(folded):
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
def _plain_patterns(terms: Terms) -> tuple[tuple[re.Pattern, str | None], ...] | None:
    """One bytes pattern a word or prefix, each opening with its literal, and the
    word it finds (None for a prefix); None if a term is not plain ASCII
    letters and digits.

    ``(?<![…].{n})`` after an n-letter literal checks that the letter before it
    is no word character: a lookbehind first would cost the literal scan.
    """
    items = [(w, b"(?![%s])" % _WORD_BYTE, w) for w in terms.words]  # the whole word
    items += [(p, b"[%s]*" % _WORD_BYTE, None) for p in terms.prefixes]  # to the word's end
    out = []
    for term, tail, word in items:
        if not _SYLLABLE.fullmatch(term):
            continue  # "1.100": no syllable holds a dot, on either path
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
    """The passage of about ``width`` characters with the most distinct matches, marked.

    The passage holding the query's words side by side (its phrases) wins,
    then the one with the most distinct words, then the earlier one. Without any match, the text's opening.
    """
    spans = match_spans(text, terms)
    if not spans:
        return _cut(text, 0, width)
    best, best_phrase = _best_window(text, spans, terms.pairs, width)
    # Anchor the passage at its first phrase: a window opening with scattered
    # words would otherwise push the phrase past the cut ("Lâm Thị Phương …").
    first = spans[best][0] if best_phrase is None else spans[best_phrase][0]
    # Start at the sentence holding the first match when it is near enough.
    start = max(0, first - 60)
    sentence_starts = [m.end() for m in _SENTENCE_START.finditer(text, start, first)]
    if sentence_starts:
        start = sentence_starts[-1]
    elif start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    return _cut(text, start, width, spans)


def _best_window(text: str, spans: list, pairs: frozenset, width: int) -> tuple[int, int | None]:
    """(first span of the best window of ``width`` characters, its first phrase span or None).

    Windows are ranked by phrases joined in them (adjacent spans forming a
    query pair with nothing but " ,-" between), then distinct words, then
    spans, the earliest winning ties. One pass: prefix sums of the joined
    pairs and a sliding count of words, so a body where a common word
    matches hundreds of times costs no more than linear time.
    """
    n = len(spans)
    joined = [
        (a[2], b[2]) in pairs and not text[a[1] : b[0]].strip(" ,-")
        for a, b in zip(spans, spans[1:], strict=False)
    ]
    before = [0]  # before[k]: joined pairs among the first k
    for flag in joined:
        before.append(before[-1] + flag)
    next_joined = [n] * n  # next_joined[k]: the first joined pair at k or after
    for k in range(n - 2, -1, -1):
        next_joined[k] = k if joined[k] else next_joined[k + 1]
    words: dict[str, int] = {}
    lo = hi = j = 0  # words counts spans[lo:hi]
    best, best_key, best_phrase = 0, None, None
    for i in range(n):
        while j < n and spans[j][1] - spans[i][0] <= width:
            j += 1
        end = max(i, j)  # the window is spans[i:end]
        while hi < end:
            w = spans[hi][2]
            words[w] = words.get(w, 0) + 1
            hi += 1
        while lo < i:
            w = spans[lo][2]
            if words[w] == 1:
                del words[w]
            else:
                words[w] -= 1
            lo += 1
        pairs_in = before[end - 1] - before[i] if end - i >= 2 else 0
        key = (pairs_in, len(words), end - i)
        if best_key is None or key > best_key:
            best, best_key = i, key
            best_phrase = next_joined[i] if pairs_in else None
    return best, best_phrase


def _cut(text: str, start: int, width: int, spans=()) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    body = mark(text, list(spans), start, end).replace("\n", " ")
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + body.strip() + suffix
