"""Vietnamese analysis: syllables, pyvi compound words, folding, with true offsets.

One core, :func:`analyze`, normalizes a text once, splits it the way pyvi
does and asks pyvi's CRF model where the compound words are. Everything else
reads that result:

* the Whoosh analyzers (``VietnameseTokenizer() | LowercaseFilter() | FoldFilter()``)
  used for highlighting and by any code that wants Whoosh tokens, and
* :func:`index_terms`, the indexer's fast path, which counts the same terms
  without building a Token per term.

Token offsets always point into the ORIGINAL text (before NFC and the other
normalizations), so a highlight lands on the word as the article wrote it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from .crf import clear_cache, crf_labels, joins
from .normalize import fold, normalize_with_offsets

__all__ = [
    "Analysis",
    "FoldFilter",
    "STREAMS",
    "VietnameseTokenizer",
    "accented_syllables",
    "accented_words",
    "analyze",
    "analyzer_for",
    "syllable_bigrams",
    "index_terms",
]

# pyvi's own syllable pattern (ViTokenizer.sylabelize), kept identical so its
# CRF model sees the token sequence it was trained on.
_PYVI_PATTERN = re.compile(
    "("
    + "|".join(
        [
            r"[A-ZĐ]+\.",
            r"Tp\.",
            r"Mr\.",
            r"Mrs\.",
            r"Ms\.",
            r"Dr\.",
            r"ThS\.",
            r"==>",
            r"->",
            r"\.\.\.",
            r">>",
            "\n",
            r"\w+://[^\s]+",
            r"([a-zA-Z0-9_.+-]+@([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",
            r"\d+([\.,_]\d+)+",
            r"[^\w\s]",
            r"\w+",
        ]
    )
    + ")"
)
_NUMBER = re.compile(r"\d+(?:[\.,_]\d+)+")
_WORD_RUN = re.compile(r"\w+")
# Codes and numbers that must stay searchable whole: 62-NQ/TU, COVID-19, 19/19.
_CODE = re.compile(r"\w+(?:[-/]\w+)+")
# Punctuation that ends a phrase: no bigram is formed across it. Quotes do
# not: headlines quote for emphasis inside a phrase (10 năm 'lột xác'), and
# straight and curly quotes must agree.
_PHRASE_BREAK = set(".,;:!?()[]{}…\n") | {"...", "==>", "->", ">>"}

SEP = "_"  # joins syllables of a compound word or a bigram: lãnh_đạo


# One pyvi token: (text normalized, start, end in the original text, is_word:
# it holds a letter or digit). A plain tuple: an article has thousands, and
# building named ones took as long as the CRF.
Unit = tuple[str, int, int, bool]


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of :func:`analyze`: pyvi tokens and the compound-word joins."""

    units: tuple[Unit, ...]
    joins: tuple[bool, ...]  # joins[i]: unit i continues the word of unit i-1
    codes: tuple[Unit, ...]  # whole codes such as 62-NQ/TU (digits inside)


# --- the core ---------------------------------------------------------------------


_TOKEN_KINDS: dict[str, bool] = {}


def _is_word(token: str) -> bool:
    """Whether a token holds a letter or digit (not punctuation), cached per token."""
    kind = _TOKEN_KINDS.get(token)
    if kind is None:
        kind = bool(_WORD_RUN.search(token))
        if len(_TOKEN_KINDS) < 500_000:
            _TOKEN_KINDS[token] = kind
    return kind


def analyze(text: str) -> Analysis:
    """Normalize ``text``, split it as pyvi does and find its compound words.

    >>> a = analyze("Lãnh đạo Tỉnh ủy")
    >>> a.units
    (('Lãnh', 0, 4, True), ('đạo', 5, 8, True), ('Tỉnh', 9, 13, True), ('ủy', 14, 16, True))
    >>> a.joins
    (False, True, False, True)
    """
    norm, offsets = normalize_with_offsets(text)
    matches = list(_PYVI_PATTERN.finditer(norm))
    if not matches:
        return Analysis((), (), ())
    words = [m.group(0) for m in matches]
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    if offsets is not None:
        starts = [offsets[i] for i in starts]
        ends = [offsets[i] for i in ends]
    kinds = [_is_word(w) for w in words]
    units = tuple(zip(words, starts, ends, kinds, strict=True))
    glued = joins(words, crf_labels(words))
    glued = [j and kinds[i] and kinds[i - 1] for i, j in enumerate(glued)]
    codes = []
    for m in _CODE.finditer(norm):
        if any(c.isdigit() for c in m.group(0)):
            s, e = (
                (m.start(), m.end()) if offsets is None else (offsets[m.start()], offsets[m.end()])
            )
            codes.append((m.group(0), s, e, True))
    return Analysis(units, tuple(glued), tuple(codes))


def _syllables_of(unit: Unit):
    """The syllables inside one pyvi token: a number stays whole (6,15), TP. gives TP."""
    text, start, end, _ = unit
    if _NUMBER.fullmatch(text) or _WORD_RUN.fullmatch(text):
        yield text, start, end
        return
    if start + len(text) != end:  # NFD input: no exact inner offsets
        for m in _WORD_RUN.finditer(text):
            yield m.group(0), start, end
        return
    for m in _WORD_RUN.finditer(text):
        yield m.group(0), start + m.start(), start + m.end()


def accented_syllables(a: Analysis):
    """(text, start, end) of every syllable, as written (normalized, case kept)."""
    for u in a.units:
        if u[3]:
            yield from _syllables_of(u)


def accented_words(a: Analysis):
    """(text, start, end) of every compound word (lãnh_đạo) and whole code (62-NQ/TU).

    One-syllable words are left to the syllable streams: the word streams
    carry what segmentation adds.
    """
    units, joins = a.units, a.joins
    i, n = 0, len(units)
    while i < n:
        j = i + 1
        while j < n and joins[j]:
            j += 1
        if j - i > 1:
            yield SEP.join(u[0] for u in units[i:j]), units[i][1], units[j - 1][2]
        i = j
    for text, start, end, _ in a.codes:
        yield text, start, end


def syllable_bigrams(a: Analysis):
    """(text, start, end) of adjacent syllable pairs not split by phrase punctuation."""
    prev = None
    for u in a.units:
        if not u[3]:
            if u[0] in _PHRASE_BREAK:
                prev = None
            continue
        for text, start, end in _syllables_of(u):
            if prev is not None:
                yield prev[0] + SEP + text, prev[1], end
            prev = (text, start, end)


# --- Whoosh tokenizer and filters ------------------------------------------------

_UNITS = {"syllable": accented_syllables, "word": accented_words, "bigram": syllable_bigrams}


class VietnameseTokenizer(Tokenizer):
    """Normalizes, segments with pyvi and yields syllables, compound words or bigrams.

    Offsets point into the original text, positions count tokens.

    >>> [t.text for t in VietnameseTokenizer("word")("Lãnh đạo Tỉnh uỷ")]
    ['Lãnh_đạo', 'Tỉnh_ủy']
    """

    def __init__(self, unit: str = "syllable"):
        if unit not in _UNITS:
            raise ValueError(f"unit must be one of {sorted(_UNITS)}, not {unit!r}")
        self.unit = unit

    def __eq__(self, other):
        return type(other) is type(self) and other.unit == self.unit

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        units = _UNITS[self.unit](analyze(value))
        for pos, (text, start, end) in enumerate(units, start_pos):
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class FoldFilter(Filter):
    """Removes diacritics and folds đ to d, keeping offsets and positions.

    >>> from whoosh.analysis import LowercaseFilter
    >>> ana = VietnameseTokenizer() | LowercaseFilter() | FoldFilter()
    >>> [t.text for t in ana("Đại hội Đảng bộ")]
    ['dai', 'hoi', 'dang', 'bo']
    """

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def accented_syllable_analyzer():
    return VietnameseTokenizer("syllable") | LowercaseFilter()


def folded_syllable_analyzer():
    return VietnameseTokenizer("syllable") | LowercaseFilter() | FoldFilter()


def accented_word_analyzer():
    return VietnameseTokenizer("word") | LowercaseFilter()


def folded_word_analyzer():
    return VietnameseTokenizer("word") | LowercaseFilter() | FoldFilter()


def folded_bigram_analyzer():
    return VietnameseTokenizer("bigram") | LowercaseFilter() | FoldFilter()


# The token streams every backend indexes, by name. Whoosh gets the analyzers;
# index_terms() produces the same terms for the indexer's fast path.
STREAMS = {
    "syl": accented_syllable_analyzer,
    "fsyl": folded_syllable_analyzer,
    "word": accented_word_analyzer,
    "fword": folded_word_analyzer,
    "fbi": folded_bigram_analyzer,
}


def analyzer_for(stream: str):
    return STREAMS[stream]()


_SYLLABLE_CACHE: dict[str, tuple[str, ...]] = {}


def clear_caches() -> None:
    """Forget the per-token caches (a benchmark measuring a fresh process)."""
    clear_cache()
    _TOKEN_KINDS.clear()
    _SYLLABLE_CACHE.clear()


def lower_syllables(token: str) -> tuple[str, ...]:
    """The lowercase syllables of a word token (a number stays whole), cached per token."""
    out = _SYLLABLE_CACHE.get(token)
    if out is None:
        out = tuple(s.lower() for s, _, _ in _syllables_of((token, 0, len(token), True)))
        if len(_SYLLABLE_CACHE) < 500_000:
            _SYLLABLE_CACHE[token] = out
    return out


def index_terms(a: Analysis) -> dict[str, Counter]:
    """Term frequencies of every stream in :data:`STREAMS`, without Token objects.

    Equal, term for term, to running the stream's analyzer over the same text
    (a test checks it); one pass over the units, each distinct syllable
    folded once.
    """
    seq: list[str | None] = []  # lowercase syllables; None where a phrase breaks
    for text, _, _, is_word in a.units:
        if not is_word:
            if text in _PHRASE_BREAK:
                seq.append(None)
        else:
            seq.extend(lower_syllables(text))
    syl = Counter(s for s in seq if s is not None)
    folded = {s: fold(s) for s in syl}
    fseq = [folded[s] if s is not None else None for s in seq]
    fbi = Counter(
        f"{x}{SEP}{y}"
        for x, y in zip(fseq, fseq[1:], strict=False)
        if x is not None and y is not None
    )
    word = Counter(t.lower() for t, _, _ in accented_words(a))
    fsyl: Counter = Counter()
    for s, n in syl.items():
        fsyl[folded[s]] += n
    return {"syl": syl, "fsyl": fsyl, "word": word, "fword": _fold_counter(word), "fbi": fbi}


def _fold_counter(counts: Counter) -> Counter:
    out: Counter = Counter()
    for term, n in counts.items():
        out[fold(term)] += n
    return out
