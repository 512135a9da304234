"""Facet counts are exact on every path: a few matches, many values, few values (issue 17)."""

import numpy as np
import pytest

from search.read.snapshot import Facet

PERSONS = ["Lê Minh Hưng", "Nguyễn Phú Trọng", "Phạm Minh Chính", "Tô Lâm", "Võ Văn Thưởng"]
PROVINCES = ["Hà Nội", "Nghệ An", "Thừa Thiên Huế"]


def facet(values: list[str], n: int, seed: int) -> tuple[Facet, list[set[int]]]:
    """A facet over ``n`` documents, each holding 0-3 values, pairs in value order as
    Snapshot.load_facet gives them; and each document's values, to count by hand."""
    rng = np.random.default_rng(seed)
    held = [set(rng.choice(len(values), rng.integers(0, 4), replace=False)) for _ in range(n)]
    docs = [
        np.array([d for d in range(n) if v in held[d]], dtype=np.int64) for v in range(len(values))
    ]
    vals = [np.full(len(d), v, dtype=np.int64) for v, d in enumerate(docs)]
    return Facet(values, np.concatenate(docs), np.concatenate(vals), n), held


def by_hand(held: list[set[int]], mask: np.ndarray, values: int) -> list[int]:
    return [sum(1 for d in np.flatnonzero(mask) if v in held[d]) for v in range(values)]


@pytest.mark.parametrize(
    ("values", "n", "share", "path"),
    [
        (PERSONS, 40, 0.9, "many values, a large match: pairs in document order"),
        (PERSONS, 40, 0.05, "a few matches: their own pairs"),
        (PROVINCES, 400, 0.5, "few values, many documents: one sum a value"),
        (PERSONS, 40, 0.0, "no match"),
    ],
)
def test_counts_are_the_documents_of_each_value_in_the_mask(values, n, share, path):
    f, held = facet(values, n, seed=17)
    mask = np.random.default_rng(5).random(n) < share
    assert (f.value_starts is not None) == (path.startswith("few values"))
    expected = by_hand(held, mask, len(values))
    assert f.counts(mask).tolist() == expected
    assert f.counts(mask, np.flatnonzero(mask)).tolist() == expected


def test_an_empty_facet_counts_nothing():
    f = Facet([], np.empty(0, np.int64), np.empty(0, np.int64), 10)
    assert f.counts(np.ones(10, dtype=bool)).tolist() == []
