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
import string
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

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


@dataclass(frozen=True, slots=True)
class Unit:
    """One pyvi token: its normalized text and its span in the original text."""

    text: str
    start: int
    end: int
    is_word: bool


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of :func:`analyze`: pyvi tokens and the compound-word joins."""

    units: tuple[Unit, ...]
    joins: tuple[bool, ...]  # joins[i]: unit i continues the word of unit i-1
    codes: tuple[Unit, ...]  # whole codes such as 62-NQ/TU (digits inside)


# --- pyvi's CRF, with its features built faster -----------------------------------


@lru_cache(maxsize=1)
def _pyvi():
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer.model.tagger_, ViTokenizer.bi_grams, ViTokenizer.tri_grams


_FEATURE_CACHE: dict[str, tuple[list[str], list[str], list[str], str]] = {}


def _token_features(word: str) -> tuple[list[str], list[str], list[str], str]:
    """pyvi's features of one token: as itself, as left and as right neighbour."""
    cached = _FEATURE_CACHE.get(word)
    if cached is not None:
        return cached
    low = word.lower()
    title, upper = word.istitle(), word.isupper()
    own = ["bias", "word.lower():" + low]
    left = ["-1:word.lower():" + low]
    right = ["+1:word.lower():" + low]
    if upper:
        own.append("word.isupper()")
        left.append("-1:word.isupper()")
        right.append("+1:word.isupper()")
    if title:
        own.append("word.istitle()")
        left.append("-1:word.istitle()")
        right.append("+1:word.istitle()")
    if word.isdigit():
        own.append("word.isdigit()")
    cached = (own, left, right, low)
    if len(_FEATURE_CACHE) < 500_000:
        _FEATURE_CACHE[word] = cached
    return cached


def _crf_labels(words: list[str]) -> list[str]:
    """pyvi's labels (B_W/I_W) for a token sequence.

    Builds exactly the features of ``ViTokenizer.word2features``, as lists of
    feature strings (a false boolean feature has weight 0, so it is left out)
    assembled from per-token parts cached across calls: a few times faster
    than pyvi's dicts. A test checks equality with pyvi on real articles.
    """
    tagger, bi_grams, tri_grams = _pyvi()
    n = len(words)
    feats = [_token_features(w) for w in words]
    low = [f[3] for f in feats]
    pairs = [
        f"{a} {b}" in bi_grams for a, b in zip(low, low[1:], strict=False)
    ]  # pairs[i]: (i, i+1)
    triples = [f"{a} {b} {c}" in tri_grams for a, b, c in zip(low, low[1:], low[2:], strict=False)]
    items = []
    for i in range(n):
        f = feats[i][0]
        if i > 0:
            f = f + feats[i - 1][1]
            if pairs[i - 1]:
                f.append("-1:word.bi_gram()")
            if i > 1 and triples[i - 2]:
                f.append("-2:word.tri_gram()")
        if i < n - 1:
            f = f + feats[i + 1][2]
            if pairs[i]:
                f.append("+1:word.bi_gram()")
            if i < n - 2 and triples[i]:
                f.append("+2:word.tri_gram()")
        items.append(f)
    return tagger.tag(items)


def _joins(words: list[str], labels: list[str]) -> list[bool]:
    """pyvi's rule for gluing a syllable to the previous one (ViTokenizer.tokenize)."""
    punct = string.punctuation
    out = [False]
    for i in range(1, len(words)):
        cur, prev = words[i], words[i - 1]
        out.append(
            labels[i] == "I_W"
            and cur not in punct
            and prev not in punct
            and not cur[0].isdigit()
            and not prev[0].isdigit()
            and not (cur[0].istitle() and not prev[0].istitle())
        )
    return out


# --- the core ---------------------------------------------------------------------


def analyze(text: str) -> Analysis:
    """Normalize ``text``, split it as pyvi does and find its compound words.

    >>> a = analyze("Lãnh đạo Tỉnh ủy")
    >>> [(u.text, u.start, u.end) for u in a.units]
    [('Lãnh', 0, 4), ('đạo', 5, 8), ('Tỉnh', 9, 13), ('ủy', 14, 16)]
    >>> a.joins
    (False, True, False, True)
    """
    norm, offsets = normalize_with_offsets(text)
    matches = list(_PYVI_PATTERN.finditer(norm))
    if offsets is None:
        spans = [(m.start(), m.end()) for m in matches]
    else:
        spans = [(offsets[m.start()], offsets[m.end()]) for m in matches]
    words = [m.group(0) for m in matches]
    units = tuple(
        Unit(w, s, e, bool(_WORD_RUN.search(w))) for w, (s, e) in zip(words, spans, strict=True)
    )
    if not words:
        return Analysis((), (), ())
    joins = _joins(words, _crf_labels(words))
    joins = [j and units[i].is_word and units[i - 1].is_word for i, j in enumerate(joins)]
    codes = []
    for m in _CODE.finditer(norm):
        if any(c.isdigit() for c in m.group(0)):
            s, e = (
                (m.start(), m.end()) if offsets is None else (offsets[m.start()], offsets[m.end()])
            )
            codes.append(Unit(m.group(0), s, e, True))
    return Analysis(units, tuple(joins), tuple(codes))


def _syllables_of(unit: Unit):
    """The syllables inside one pyvi token: a number stays whole (6,15), TP. gives TP."""
    if _NUMBER.fullmatch(unit.text) or _WORD_RUN.fullmatch(unit.text):
        yield unit.text, unit.start, unit.end
        return
    if unit.start + len(unit.text) != unit.end:  # NFD input: no exact inner offsets
        for m in _WORD_RUN.finditer(unit.text):
            yield m.group(0), unit.start, unit.end
        return
    for m in _WORD_RUN.finditer(unit.text):
        yield m.group(0), unit.start + m.start(), unit.start + m.end()


def accented_syllables(a: Analysis):
    """(text, start, end) of every syllable, as written (normalized, case kept)."""
    for u in a.units:
        if u.is_word:
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
            yield SEP.join(u.text for u in units[i:j]), units[i].start, units[j - 1].end
        i = j
    for c in a.codes:
        yield c.text, c.start, c.end


def syllable_bigrams(a: Analysis):
    """(text, start, end) of adjacent syllable pairs not split by phrase punctuation."""
    prev = None
    for u in a.units:
        if not u.is_word:
            if u.text in _PHRASE_BREAK:
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


def index_terms(a: Analysis) -> dict[str, Counter]:
    """Term frequencies of every stream in :data:`STREAMS`, without Token objects.

    Equal, term for term, to running the stream's analyzer over the same text
    (a test checks it); one pass over the units, each distinct syllable
    folded once.
    """
    seq: list[str | None] = []  # lowercase syllables; None where a phrase breaks
    for u in a.units:
        text = u.text
        if not u.is_word:
            if text in _PHRASE_BREAK:
                seq.append(None)
        elif _NUMBER.fullmatch(text) or _WORD_RUN.fullmatch(text):
            seq.append(text.lower())
        else:
            seq.extend(m.group(0).lower() for m in _WORD_RUN.finditer(text))
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
