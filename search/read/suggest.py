""" "Có phải bạn muốn tìm": diacritics restored and typos corrected from the index's
own vocabulary; and autocomplete over persons, provinces and frequent words."""

from __future__ import annotations

import bisect
import re
from itertools import islice, product

import numpy as np
from whoosh.spelling import Corrector

from ..models import Suggestion
from ..text.analysis import SEP
from ..text.normalize import fold, is_folded
from ..write import schema as S
from .query import FIELDS
from .snapshot import Snapshot

_WORD = re.compile(r"[^\W_]+")
_CODE = re.compile(r"[^\W_]+(?:[-/][^\W_]+)+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
MAX_VARIANTS = 4  # spellings tried per unknown word when looking for a name
MAX_NAME_COMBOS = 64


def did_you_mean(snap: Snapshot, text: str) -> str | None:
    """The query with diacritics restored and typos corrected, or None if unchanged.

    ``text`` is the query as typed (after Telex/VNI decoding); words are
    replaced where they stand, so quotes, ``-``, ``OR``, ``field:`` names and
    codes (62-NQ/TU, UBND) are kept. A known person or province comes back as
    written there ("lam thi phuong thanh" -> "Lâm Thị Phương Thanh", also with
    a typo or inside a longer query); other words take their most frequent
    accented form, compound words as a whole.
    """
    if not snap.vocabulary_ready.is_set():
        return None
    out: list[str] = []
    pos = 0
    for chunk in _chunks(text):
        out.append(text[pos : chunk[0].start()])
        out.append(_restore(snap, [m.group(0) for m in chunk]))
        pos = chunk[-1].end()
    out.append(text[pos:])
    suggestion = "".join(out)
    return None if suggestion.lower() == text.lower() else suggestion


def _chunks(text: str) -> list[list[re.Match]]:
    """Runs of restorable words separated only by spaces."""
    codes = [m.span() for m in _CODE.finditer(text) if any(c.isdigit() for c in m.group(0))]
    chunks: list[list[re.Match]] = []
    cur: list[re.Match] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        keep = (
            word == "OR"
            or (len(word) > 1 and word.isupper())  # UBND, HĐND
            or any(a <= m.start() < b for a, b in codes)  # 62-NQ/TU, COVID-19
            or (text.startswith(":", m.end()) and fold(word).lower() in FIELDS)
        )
        if keep or (cur and text[cur[-1].end() : m.start()].strip()):
            if cur:
                chunks.append(cur)
            cur = []
        if not keep:
            cur.append(m)
    if cur:
        chunks.append(cur)
    return chunks


def _restore(snap: Snapshot, words: list[str]) -> str:
    """One run of words, restored: names first, then compounds, then syllables."""
    vocab = snap.vocabulary
    names = _names(snap)
    folded = [fold(w).lower() for w in words]
    variants = [_variants(vocab, f) for f in folded]  # for recognising a misspelt name
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            if i + size > len(words):
                continue
            combos = islice(product(*variants[i : i + size]), MAX_NAME_COMBOS)
            name = next((names[k] for k in map(" ".join, combos) if k in names), None)
            if name and size > 1:
                out.append(name)
                i += size
                break
            chunk = words[i : i + size]
            if size > 1 and not all(is_folded(w) for w in chunk):
                continue
            if size == 1 and not is_folded(chunk[0]):
                out.append(chunk[0])
                i += 1
                break
            hit = vocab.get(SEP.join(folded[i : i + size]))
            if hit:
                out.append(_cased(chunk, hit[0].replace(SEP, " ")))
                i += size
                break
            if size == 1:
                out.append(_cased(chunk, _correct(snap, folded[i]) or chunk[0]))
                i += 1
    return " ".join(out)


def _cased(typed: list[str], restored: str) -> str:
    """``restored`` with the capitals of the words as typed (Lanh dao -> Lãnh đạo)."""
    parts = restored.split(" ")
    if len(parts) != len(typed):
        return restored
    return " ".join(
        p[:1].upper() + p[1:] if t[:1].isupper() else p for t, p in zip(typed, parts, strict=True)
    )


def _kept(snap: Snapshot, key, build):
    """``build()``, made once per snapshot and kept on it.

    Kept on the snapshot, so it goes when the snapshot goes (a module-level
    cache would keep replaced snapshots, and their files, alive).
    """
    kept = snap.__dict__.setdefault("_suggest", {})
    if key not in kept:
        kept[key] = build()
    return kept[key]


def _names(snap: Snapshot) -> dict[str, str]:
    """Folded person and province names -> as written (persons win a tie)."""

    def build() -> dict[str, str]:
        out: dict[str, str] = {}
        for fieldname in (S.PROVINCE, S.PERSON):
            facet = snap.facets[fieldname]
            out.update(zip(facet.folded, facet.values, strict=True))
        return out

    return _kept(snap, "names", build)


def _variants(vocab: dict, folded: str) -> list[str]:
    """``folded``, and if the index lacks it, its known words one edit away, frequent first."""
    if folded in vocab or not folded.isalpha() or len(folded) < 3:
        return [folded]
    known = sorted((e for e in one_edit(folded) if e in vocab), key=lambda e: -vocab[e][1])
    return [folded, *known[:MAX_VARIANTS]]


def one_edit(word: str, keep: int = 0) -> set[str]:
    """Every string one Damerau edit from ``word`` (delete, swap, replace, insert a-z),
    its first ``keep`` letters untouched."""
    head, word = word[:keep], word[keep:]
    halves = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in halves if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in halves if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in halves if b for c in _LETTERS}
    edits |= {a + c + b for a, b in halves for c in _LETTERS}
    return {head + e for e in edits}


class VocabularyCorrector(Corrector):
    """Whoosh's spelling correction over the snapshot's folded vocabulary.

    Whoosh's ReaderCorrector computes the edit distance to every term sharing
    the first letter (about 200 ms a word on 35,000 articles); this one looks
    up the few hundred strings one edit away. Same ranking: nearer first, then
    more frequent.
    """

    def __init__(self, vocabulary: dict[str, tuple[str, int]]):
        self.vocabulary = vocabulary

    def _suggestions(self, text, maxdist, prefix):
        seen, frontier = {text}, {text}
        for dist in range(1, maxdist + 1):
            frontier = {e for w in frontier for e in one_edit(w, prefix)} - seen
            seen |= frontier
            for cand in frontier:
                hit = self.vocabulary.get(cand)
                if hit and cand.isalpha():
                    yield 0 - (dist + 0.5 / max(hit[1], 1)), cand


def _correct_folded(snap: Snapshot, folded: str) -> str | None:
    if not folded.isalpha() or len(folded) < 3:
        return None
    found = VocabularyCorrector(snap.vocabulary).suggest(folded, limit=1, maxdist=1, prefix=1)
    return found[0] if found else None


def _correct(snap: Snapshot, folded: str) -> str | None:
    """The folded word's spelling correction, then re-accented."""
    corrected = _correct_folded(snap, folded)
    if not corrected:
        return None
    hit = snap.vocabulary.get(corrected)
    return hit[0] if hit else corrected


def _sorted_vocabulary(snap: Snapshot) -> tuple[list[str], list[tuple[str, int]], np.ndarray]:
    """The vocabulary in folded order (keys, (form, df) and the dfs alone), kept once complete.

    Until the background build is done the (empty or partial) vocabulary is
    not kept, so completions appear as soon as it is ready.
    """

    def build() -> tuple[list[str], list[tuple[str, int]], np.ndarray]:
        vocabulary = snap.vocabulary
        keys = sorted(vocabulary)
        values = [vocabulary[k] for k in keys]
        return keys, values, np.array([df for _, df in values], dtype=np.int64)

    if not snap.vocabulary_ready.is_set():
        return build()
    return _kept(snap, "vocabulary", build)


def _name_starts(snap: Snapshot, fieldname: str):
    """A facet's values, their counts, and every word start of their folded forms, sorted.

    "lam thi phuong thanh" is found from "lam", "thi phuong" or "thanh": one
    bisection per prefix, not a scan of every name. Kept on the snapshot.
    """

    def build():
        facet = snap.facets[fieldname]
        counts = [int(c) for c in facet.counts(snap.alive)] if facet.values else []
        pairs = sorted(
            (folded[start:], i)
            for i, folded in enumerate(facet.folded)
            for start in [0] + [j + 1 for j, c in enumerate(folded) if c == " "]
        )
        owners = np.array([i for _, i in pairs], dtype=np.int64)
        return facet.values, np.array(counts, dtype=np.int64), [s for s, _ in pairs], owners

    return _kept(snap, ("name starts", fieldname), build)


def complete(snap: Snapshot, prefix: str, limit: int = 8) -> list[Suggestion]:
    """Persons and provinces, then frequent words, whose folded form starts with ``prefix``.

    Names by count (ties: persons first, then lexicon order), then words by
    document frequency. A two-letter prefix starts thousands of names and
    words: only the few that can be shown are ever sorted.
    """
    p = " ".join(fold(prefix).lower().split())
    if len(p) < 2:
        return []
    out: list[Suggestion] = []
    for kind, fieldname in (("person", S.PERSON), ("province", S.PROVINCE)):
        values, counts, starts, owners = _name_starts(snap, fieldname)
        lo, hi = _prefix_range(starts, p)
        found = np.unique(owners[lo:hi])
        top = found[np.lexsort((found, -counts[found]))][:limit]
        out += [Suggestion(values[i], kind, int(counts[i])) for i in top]
    out.sort(key=lambda d: -d.count)
    out = out[:limit]
    keys, forms, dfs = _sorted_vocabulary(snap)
    lo, hi = _prefix_range(keys, p.replace(" ", SEP))
    hi = min(hi, lo + 5000)  # a bound on the words looked at
    taken = {d.value.lower() for d in out}
    wanted = limit - len(out) + len(taken)  # at most this many are shown or skipped as taken
    ks = np.arange(lo, hi)
    if len(ks) > wanted > 0:
        floor = np.partition(dfs[lo:hi], len(ks) - wanted)[len(ks) - wanted]
        ks = ks[dfs[lo:hi] >= floor]
    found = [(forms[k][1], forms[k][0].replace(SEP, " ")) for k in ks]
    for df, text in sorted(found, reverse=True):
        if len(out) >= limit:
            break
        if text not in taken:
            out.append(Suggestion(text, "term", int(df)))
            taken.add(text)
    return out


def _prefix_range(ordered: list[str], prefix: str) -> tuple[int, int]:
    """The slice of the sorted list ``ordered`` whose items start with ``prefix``."""
    lo = bisect.bisect_left(ordered, prefix)
    return lo, bisect.bisect_left(ordered, prefix + "\U0010ffff", lo)
