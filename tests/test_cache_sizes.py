"""Snapshot caches are sized from the corpus and the memory at hand (issue 14)."""

import pytest

from search.read.snapshot import DOC_CACHE, MIN_CACHE_BYTES, cache_sizes

GB = 1 << 30


@pytest.mark.parametrize(
    ("n", "memory", "workers", "columns", "docs"),
    [
        # The development corpus on this machine: the 256 MB and 8,192 documents measured.
        (35_439, 24 * GB, 2, 35_439 * 7_500, 35_439 // 4),
        # Three times the corpus: three times the columns, a quarter of it in documents.
        (106_317, 24 * GB, 2, 106_317 * 7_500, 106_317 // 4),
        # Ten times: the columns stop at an eighth of a worker's share of memory.
        (350_000, 24 * GB, 2, 24 * GB // 2 // 8, DOC_CACHE),
        # A small host, four workers: the memory decides.
        (350_000, 8 * GB, 4, 256 << 20, DOC_CACHE),
        # A tiny index keeps the floors.
        (50, 24 * GB, 2, MIN_CACHE_BYTES, DOC_CACHE),
        # A tiny host: never below the floors either.
        (350_000, 1 * GB, 8, MIN_CACHE_BYTES, DOC_CACHE),
    ],
)
def test_cache_sizes(n, memory, workers, columns, docs):
    assert cache_sizes(n, memory, workers) == (columns, docs)


def test_more_memory_or_fewer_workers_never_shrinks_the_caches():
    for n in (1_000, 35_439, 106_317, 350_000):
        small = cache_sizes(n, 4 * GB, 4)
        assert cache_sizes(n, 16 * GB, 4) >= small
        assert cache_sizes(n, 4 * GB, 1) >= small
