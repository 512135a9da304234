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
import struct
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


# --- pyvi's CRF, evaluated here ----------------------------------------------------
#
# pyvi labels each token B_W (starts a word) or I_W (continues one) with a
# linear-chain CRF whose features are the token, its neighbours and whether
# they form a known bigram or trigram. CRFsuite's tagger costs a Python list of
# feature strings per token and a string lookup per feature. Every feature's
# weight is fixed by the model, so each token's contribution as itself, as a
# left and as a right neighbour is two numbers, cached per token, and the
# Viterbi decoding over two labels is a short loop: the same labels (a test
# checks them against CRFsuite on real articles) for a fraction of the time.


@lru_cache(maxsize=1)
def _pyvi():
    from pyvi.ViTokenizer import ViTokenizer

    return ViTokenizer.model, ViTokenizer.bi_grams, ViTokenizer.tri_grams


@dataclass(frozen=True)
class _Crf:
    """pyvi's model as numbers: (B_W, I_W) weights per attribute, and the transitions."""

    weights: dict[str, tuple[float, float]]
    trans: tuple[tuple[float, float], tuple[float, float]]  # trans[from][to], 0 = B_W


@lru_cache(maxsize=1)
def _crf() -> _Crf:
    """Read pyvi's CRFsuite model file (crf1d: a FEAT chunk and two CQDB string tables)."""
    model = _pyvi()[0]
    data = Path(model.modelfile.name).read_bytes()
    head = struct.unpack_from("<4sI4sIIIIIIIII", data, 0)
    if head[0] != b"lCRF" or head[2] != b"FOMC":
        raise ValueError("pyvi's model is not a CRFsuite crf1d model")
    off_features, off_labels, off_attrs = head[7], head[8], head[9]
    labels, attrs = _cqdb_strings(data, off_labels), _cqdb_strings(data, off_attrs)
    if labels != ["B_W", "I_W"]:
        raise ValueError(f"pyvi's model has labels {labels}, not B_W and I_W")
    chunk, _, count = struct.unpack_from("<4sII", data, off_features)
    if chunk != b"FEAT":
        raise ValueError("pyvi's model has no feature chunk")
    weights: dict[str, list[float]] = {}
    trans = [[0.0, 0.0], [0.0, 0.0]]
    for kind, src, dst, w in struct.iter_unpack("<IIId", data[off_features + 12 :][: 20 * count]):
        if kind == 0:  # state feature: attribute -> label
            weights.setdefault(attrs[src], [0.0, 0.0])[dst] += w
        else:  # transition: label -> label
            trans[src][dst] += w
    return _Crf(
        {a: (b, i) for a, (b, i) in weights.items()},
        ((trans[0][0], trans[0][1]), (trans[1][0], trans[1][1])),
    )


def _cqdb_strings(data: bytes, off: int) -> list[str]:
    """The strings of a CQDB table, by id (its backward array: id -> record)."""
    chunk, _, _, _, count, bwd = struct.unpack_from("<4sIIIII", data, off)
    if chunk != b"CQDB":
        raise ValueError("pyvi's model has a damaged string table")
    out = []
    for (record,) in struct.iter_unpack("<I", data[off + bwd : off + bwd + 4 * count]):
        _, size = struct.unpack_from("<II", data, off + record)
        out.append(data[off + record + 8 : off + record + 7 + size].decode("utf-8"))
    return out


_TOKEN_CACHE: dict[str, tuple[float, float, float, float, float, float, str]] = {}


def _token_scores(word: str) -> tuple[float, float, float, float, float, float, str]:
    """A token's (B_W, I_W) scores as itself, as left and as right neighbour; its lowercase.

    The features are pyvi's ``word2features``: the lowercase form, istitle,
    isupper and (for the token itself) isdigit and the bias.
    """
    cached = _TOKEN_CACHE.get(word)
    if cached is not None:
        return cached
    w = _crf().weights
    low = word.lower()
    flags = []
    if word.isupper():
        flags.append("word.isupper()")
    if word.istitle():
        flags.append("word.istitle()")
    own = ["bias", "word.lower():" + low, *flags] + (["word.isdigit()"] if word.isdigit() else [])
    own_b = own_i = left_b = left_i = right_b = right_i = 0.0
    for name in own:
        b, i = w.get(name, (0.0, 0.0))
        own_b, own_i = own_b + b, own_i + i
    for name in ["word.lower():" + low, *flags]:
        b, i = w.get("-1:" + name, (0.0, 0.0))
        left_b, left_i = left_b + b, left_i + i
        b, i = w.get("+1:" + name, (0.0, 0.0))
        right_b, right_i = right_b + b, right_i + i
    cached = (own_b, own_i, left_b, left_i, right_b, right_i, low)
    if len(_TOKEN_CACHE) < 500_000:
        _TOKEN_CACHE[word] = cached
    return cached


def _crf_labels(words: list[str]) -> list[str]:
    """pyvi's labels (B_W/I_W) for a token sequence: CRFsuite's Viterbi decoding.

    Ties go as in CRFsuite: to the earlier label (B_W).
    """
    crf = _crf()
    _, bi_grams, tri_grams = _pyvi()
    w = crf.weights
    bi_left, bi_right = (
        w.get("-1:word.bi_gram()", (0.0, 0.0)),
        w.get("+1:word.bi_gram()", (0.0, 0.0)),
    )
    tri_left = w.get("-2:word.tri_gram()", (0.0, 0.0))
    tri_right = w.get("+2:word.tri_gram()", (0.0, 0.0))
    (bb, bi), (ib, ii) = crf.trans
    n = len(words)
    tok = [_token_scores(x) for x in words]
    low = [t[6] for t in tok]
    pairs = [f"{a} {b}" in bi_grams for a, b in zip(low, low[1:], strict=False)]
    triples = [f"{a} {b} {c}" in tri_grams for a, b, c in zip(low, low[1:], low[2:], strict=False)]
    back: list[tuple[int, int]] = []
    score_b = score_i = 0.0
    for t in range(n):
        sb, si = tok[t][0], tok[t][1]
        if t > 0:
            sb, si = sb + tok[t - 1][2], si + tok[t - 1][3]
            if pairs[t - 1]:
                sb, si = sb + bi_left[0], si + bi_left[1]
            if t > 1 and triples[t - 2]:
                sb, si = sb + tri_left[0], si + tri_left[1]
        if t < n - 1:
            sb, si = sb + tok[t + 1][4], si + tok[t + 1][5]
            if pairs[t]:
                sb, si = sb + bi_right[0], si + bi_right[1]
            if t < n - 2 and triples[t]:
                sb, si = sb + tri_right[0], si + tri_right[1]
        if t == 0:
            score_b, score_i = sb, si
            continue
        to_b_from_b, to_b_from_i = score_b + bb, score_i + ib
        to_i_from_b, to_i_from_i = score_b + bi, score_i + ii
        from_b = 1 if to_b_from_b < to_b_from_i else 0
        from_i = 1 if to_i_from_b < to_i_from_i else 0
        score_b = (to_b_from_i if from_b else to_b_from_b) + sb
        score_i = (to_i_from_i if from_i else to_i_from_b) + si
        back.append((from_b, from_i))
    label = 1 if score_b < score_i else 0
    out = [label]
    for from_b, from_i in reversed(back):
        label = from_i if label else from_b
        out.append(label)
    return ["I_W" if x else "B_W" for x in reversed(out)]


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
    joins = _joins(words, _crf_labels(words))
    joins = [j and kinds[i] and kinds[i - 1] for i, j in enumerate(joins)]
    codes = []
    for m in _CODE.finditer(norm):
        if any(c.isdigit() for c in m.group(0)):
            s, e = (
                (m.start(), m.end()) if offsets is None else (offsets[m.start()], offsets[m.end()])
            )
            codes.append((m.group(0), s, e, True))
    return Analysis(units, tuple(joins), tuple(codes))


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
    _TOKEN_CACHE.clear()
    _TOKEN_KINDS.clear()
    _SYLLABLE_CACHE.clear()


def _lower_syllables(token: str) -> tuple[str, ...]:
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
            seq.extend(_lower_syllables(text))
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
