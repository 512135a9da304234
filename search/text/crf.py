"""pyvi's word segmentation CRF, read from its model file and evaluated here.

The labels are CRFsuite's for every token (``tests/test_analysis.py`` checks
them on real articles); :func:`crf_labels` and :func:`joins` are what
:mod:`.analysis` uses.
"""

from __future__ import annotations

import string
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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


def crf_labels(words: list[str]) -> list[str]:
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


def joins(words: list[str], labels: list[str]) -> list[bool]:
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


def clear_cache() -> None:
    """Forget the per-token scores (tests measure cold analysis with it)."""
    _TOKEN_CACHE.clear()
