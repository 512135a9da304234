""" "Có phải bạn muốn tìm": diacritics restored and typos corrected from the index's
own vocabulary; and autocomplete over persons, provinces and frequent words."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from . import schema as S
from .analysis import SEP
from .normalize import fold, is_folded
from .snapshot import Snapshot

_WORD = re.compile(r"\w+")


def did_you_mean(snap: Snapshot, text: str) -> str | None:
    """The query with diacritics restored and typos corrected, or None if unchanged.

    A run naming a known person or province comes back as written there
    ("lam thi phuong thanh" -> "Lâm Thị Phương Thanh"); other words take
    their most frequent accented form, compound words as a whole.
    """
    words = _WORD.findall(text)
    if not words or not snap.vocabulary_ready.is_set():
        return None
    whole = fold(" ".join(words)).lower()
    for fieldname in (S.PERSON, S.PROVINCE):
        facet = snap.facets[fieldname]
        for value, folded in zip(facet.values, facet.folded, strict=True):
            if folded == whole:
                return None if value == " ".join(words) else value
    vocab = snap.vocabulary
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            chunk = words[i : i + size]
            if len(chunk) < size:
                continue
            if size > 1 and not all(is_folded(w) for w in chunk):
                continue
            key = SEP.join(fold(w).lower() for w in chunk)
            if size == 1 and not is_folded(chunk[0]):
                out.append(chunk[0])
                i += 1
                break
            hit = vocab.get(key)
            if hit:
                out.append(hit[0].replace(SEP, " "))
                i += size
                break
            if size == 1:
                out.append(_correct(snap, key) or chunk[0])
                i += 1
    suggestion = " ".join(out)
    return None if suggestion.lower() == " ".join(words).lower() else suggestion


def _correct(snap: Snapshot, folded: str) -> str | None:
    """Whoosh's spelling correction over the folded syllables, then re-accented."""
    if not folded.isalpha() or len(folded) < 3:
        return None
    corrected = snap.correct("b_fsyl", folded)
    if not corrected:
        return None
    hit = snap.vocabulary.get(corrected)
    return hit[0] if hit else corrected


@lru_cache(maxsize=8)
def _sorted_vocabulary(snap: Snapshot) -> tuple[list[str], list[tuple[str, int]]]:
    keys = sorted(snap.vocabulary)
    return keys, [snap.vocabulary[k] for k in keys]


def complete(snap: Snapshot, prefix: str, limit: int = 8) -> list[dict]:
    """Persons and provinces, then frequent words, whose folded form starts with ``prefix``."""
    p = " ".join(fold(prefix).lower().split())
    if len(p) < 2:
        return []
    out = []
    for kind, fieldname in (("person", S.PERSON), ("province", S.PROVINCE)):
        facet = snap.facets[fieldname]
        if not facet.values:
            continue
        counts = facet.counts(snap.alive)
        for i, folded in enumerate(facet.folded):
            if folded.startswith(p) or f" {p}" in folded:
                out.append({"value": facet.values[i], "kind": kind, "count": int(counts[i])})
    out.sort(key=lambda d: -d["count"])
    out = out[:limit]
    keys, values = _sorted_vocabulary(snap)
    key = p.replace(" ", SEP)
    lo = bisect.bisect_left(keys, key)
    found = []
    for k in range(lo, min(len(keys), lo + 5000)):
        if not keys[k].startswith(key):
            break
        text, df = values[k]
        found.append((df, text.replace(SEP, " ")))
    taken = {d["value"].lower() for d in out}
    for df, text in sorted(found, reverse=True):
        if len(out) >= limit:
            break
        if text not in taken:
            out.append({"value": text, "kind": "term", "count": int(df)})
            taken.add(text)
    return out
