"""One index generation opened for searching: Whoosh reader plus numpy arrays.

Opening reads, once per generation, what every query needs per document:
alive mask, ids, dates, stream lengths, and facet (document, value) pairs.
Posting lists are decoded into numpy on demand; what queries derive from
them (BM25 columns) is kept in a bounded LRU, so common syllables cost one
decode per generation, not one per query. Decoded stored documents are
kept in a smaller one.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections import OrderedDict
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from ..processes import cores
from ..text.normalize import fold
from ..write import schema as S
from ..write.store import field_postings, read_postings

# Caches are sized from the corpus and the memory at hand (issue 14), per process.
# A BM25 column costs bytes in proportion to the corpus (a common term's is a
# whole array), so the same working set of terms needs a cache that grows with
# it: 256 MB held the load bench's at 35,439 articles, about 7.5 KB a document.
# Decoded stored documents (as Solr's documentCache): a page of hits, its
# related articles and the newest articles of a feed come back again and again;
# reading one is a file read, zlib and an unpickle. 8,192 of the development
# corpus's documents (7.7 KB each, 63 MB) held bench/load.py's mix, which reads
# 3,293 a pass; 2,048 gained nothing. A quarter of the corpus keeps that ratio.
# Both stay within a share of physical memory: one serving worker per core,
# its caches at most an eighth of its share.
CACHE_BYTES_PER_DOC = 7_500
MIN_CACHE_BYTES = 64 << 20
DOC_CACHE = 8192  # documents at the least (the development corpus's figure)
DOC_BYTES = 8 << 10  # a decoded stored document, about
MEMORY_SHARE = 8  # caches take at most 1/MEMORY_SHARE of a worker's share of memory
FALLBACK_MEMORY = 4 << 30  # where the system does not say (Windows)


def physical_memory() -> int:
    """Bytes of physical memory, or FALLBACK_MEMORY where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return FALLBACK_MEMORY


def cache_sizes(n: int, memory: int | None = None, workers: int | None = None) -> tuple[int, int]:
    """(bytes of BM25 columns, number of stored documents) one process keeps for ``n`` documents.

    >>> cache_sizes(35_439, memory=24 << 30, workers=2)
    (265792500, 8859)
    >>> cache_sizes(350_000, memory=8 << 30, workers=4)[0] >> 20  # bounded by the memory
    256
    """
    memory = physical_memory() if memory is None else memory
    budget = memory // (workers or cores()) // MEMORY_SHARE
    columns = max(MIN_CACHE_BYTES, min(n * CACHE_BYTES_PER_DOC, budget))
    docs = max(DOC_CACHE, min(n // 4, max(0, budget - columns) // DOC_BYTES))
    return columns, docs


class Facet:
    """Values of one facet field and its (document, value index) pairs.

    The pairs are in value order (``docs``/``vals``: filtering by a value)
    and again in document order (``pair_docs``/``by_doc``/``starts``:
    counting the values of a few documents without reading every pair, and
    of many by reading the match mask in order).
    """

    def __init__(self, values: list[str], docs: np.ndarray, vals: np.ndarray, n: int):
        self.values = values
        self.docs = docs
        self.vals = vals
        self.index = {v: i for i, v in enumerate(values)}
        self.folded = [fold(v).lower() for v in values]
        order = np.argsort(docs, kind="stable")
        self.by_doc = vals[order]
        self.starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=n), out=self.starts[1:])
        # Few values with many documents each (provinces, years): one sum per value.
        few = len(values) and len(docs) > 32 * len(values)
        self.value_starts = np.searchsorted(vals, np.arange(len(values))) if few else None
        # Else (persons) the pairs' documents ascending: a large match's mask is
        # then read front to back, not at random (1.3-1.5x at 106k, issue 17).
        self.pair_docs = None if few else docs[order]

    def counts(self, mask: np.ndarray, selected: np.ndarray | None = None) -> np.ndarray:
        """Documents of each value among ``mask`` (``selected``: its docnums, if at hand)."""
        if selected is not None and len(selected) * 8 < len(self.docs):
            starts = self.starts[selected]
            sizes = self.starts[selected + 1] - starts
            total = int(sizes.sum())
            offsets = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
            picked = self.by_doc[np.arange(total) + offsets]
            return np.bincount(picked, minlength=len(self.values))
        if self.value_starts is not None:  # every value has a document: no empty group
            return np.add.reduceat(mask[self.docs], self.value_starts, dtype=np.int64)
        return np.bincount(self.by_doc[mask[self.pair_docs]], minlength=len(self.values))

    def docs_with(self, value_ids: list[int], n: int) -> np.ndarray:
        """Boolean mask of documents having any of the given values."""
        out = np.zeros(n, dtype=bool)
        if value_ids:
            out[self.docs[np.isin(self.vals, value_ids)]] = True
        return out


def _size(arrays: tuple) -> int:
    """Bytes of a cached tuple: its arrays, and a little for the entry itself."""
    return 256 + sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))


class Snapshot:
    """A pinned, read-only view of one generation (thread-safe for reading)."""

    def __init__(self, gen_dir: Path):
        self.gen_dir = gen_dir
        self.ix = whoosh_index.open_dir(str(gen_dir))
        self.reader = self.ix.reader()
        # The Engine drops a snapshot it replaced without closing it (a search
        # may still be reading it): its files close when the last user lets go.
        self._close = weakref.finalize(self, self.reader.close)
        self.leaves = list(self.reader.leaf_readers())
        self.n = self.reader.doc_count_all()
        self.cache_bytes, self.doc_cache = cache_sizes(self.n)
        self._lock = threading.Lock()  # the postings cache
        # Whoosh's matchers seek on shared file objects: one reader access at a time.
        self._io = threading.RLock()
        self.vocabulary_ready = threading.Event()
        self._vocabulary: dict[str, tuple[str, int]] = {}
        self._cache: OrderedDict[tuple, tuple] = OrderedDict()  # of arrays (or None): see cached
        self._cached_bytes = 0
        self._docs: OrderedDict[int, dict] = OrderedDict()  # docnum -> stored document
        self._load_columns()
        self.facets = {name: self.load_facet(name) for name in S.FACET_FIELDS}
        threading.Thread(
            target=self._build_vocabulary, name="vnsearch-vocabulary", daemon=True
        ).start()

    def close(self) -> None:
        self._close()

    def _load_columns(self) -> None:
        n = self.n
        self.alive = np.ones(n, dtype=bool)
        self.ids: list[str] = [""] * n
        self.dates = np.zeros(n, dtype=np.int32)
        self.lengths = np.zeros((n, len(S.TEXT_FIELDS)), dtype=np.float32)
        for leaf, base in self.leaves:
            count = leaf.doc_count_all()
            if not count:
                continue  # an index of an empty corpus has no columns to read
            if leaf.has_deletions():
                for d in range(count):
                    if leaf.is_deleted(d):
                        self.alive[base + d] = False
            ids = leaf.column_reader(S.ID)
            self.ids[base : base + count] = [
                v.decode("utf-8") if isinstance(v, bytes) else v for v in ids
            ]
            self.dates[base : base + count] = list(leaf.column_reader(S.DATE))
            raw = b"".join(leaf.column_reader(S.LENGTHS))
            self.lengths[base : base + count] = np.frombuffer(raw, dtype=np.uint16).reshape(
                count, len(S.TEXT_FIELDS)
            )
        self.count = int(self.alive.sum())
        alive_lengths = self.lengths[self.alive]
        self.avg_lengths = (
            np.maximum(alive_lengths.mean(axis=0), 1.0)
            if len(alive_lengths)
            else np.ones(len(S.TEXT_FIELDS), dtype=np.float32)
        )
        self.id_to_doc = {doc_id: d for d, doc_id in enumerate(self.ids) if self.alive[d]}

    def load_facet(self, fieldname: str) -> Facet:
        """A keyword field's values per document, read from every segment (not cached here)."""
        parts: dict[str, list[np.ndarray]] = {}
        with self._io:
            for leaf, base in self.leaves:
                for term, ids, _ in field_postings(leaf, fieldname):
                    if len(ids):
                        parts.setdefault(term, []).append(ids + base)
        if not parts:
            return Facet([], np.empty(0, np.int64), np.empty(0, np.int64), self.n)
        values = sorted(parts, key=lambda t: t.encode("utf-8"))  # the lexicon's order
        docs = [np.concatenate(parts[v]) for v in values]
        vals = [np.full(len(d), i, dtype=np.int64) for i, d in enumerate(docs)]
        return Facet(values, np.concatenate(docs), np.concatenate(vals), self.n)

    def postings(self, fieldname: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of a term over every segment, docnums global."""
        with self._io:
            parts = [(read_postings(leaf, fieldname, term), base) for leaf, base in self.leaves]
        parts = [(ids + base, w) for (ids, w), base in parts if len(ids)]
        if not parts:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def cached(self, key: tuple, compute):
        """``compute()`` (a tuple of arrays), kept in the bounded LRU under ``key``.

        What a query derives from a posting list (its BM25 column, say) is
        computed once per generation, not once per query.
        """
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        result = compute()
        with self._lock:
            self._cache[key] = result
            self._cached_bytes += _size(result)
            while self._cached_bytes > self.cache_bytes and self._cache:
                _, old = self._cache.popitem(last=False)
                self._cached_bytes -= _size(old)
        return result

    def expand_prefix(self, fieldname: str, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` most frequent terms of a field starting with ``prefix``."""
        found = []
        with self._io:
            terms = self.reader.expand_prefix(fieldname, prefix.encode("utf-8"))
            for i, term in enumerate(terms):
                if i >= 2000:  # a bound on the scan for very short prefixes
                    break
                found.append((self.reader.doc_frequency(fieldname, term), term.decode("utf-8")))
        found.sort(reverse=True)
        return [t for _, t in found[:limit]]

    def stored(self, docnum: int) -> dict:
        """The stored document: shared with later callers, so read it, never change it."""
        with self._lock:
            doc = self._docs.get(docnum)
            if doc is not None:
                self._docs.move_to_end(docnum)
                return doc
        with self._io:
            doc = self.reader.stored_fields(docnum)[S.DOC]
        with self._lock:
            self._docs[docnum] = doc
            if len(self._docs) > self.doc_cache:
                self._docs.popitem(last=False)
        return doc

    @property
    def vocabulary(self) -> dict[str, tuple[str, int]]:
        """Folded term -> (most frequent accented form, its document frequency).

        Built in a background thread when the snapshot opens (a few seconds on
        a large index); empty until then, so suggestions simply wait for it.
        """
        return self._vocabulary

    def _build_vocabulary(self) -> None:
        best: dict[str, tuple[str, int]] = {}
        counts: dict[tuple[str, str], int] = {}  # (field, term): documents, all segments
        try:
            with self.ix.reader() as reader:  # its own file handles: no lock needed
                # Segment by segment, each read in term order: a MultiReader looks
                # every term up in every segment, five times slower.
                for leaf, _ in reader.leaf_readers():
                    for fieldname in ("b_syl", "t_syl", "b_word", "t_word"):
                        for term, info in leaf.iter_field(fieldname):
                            text = term.decode("utf-8") if isinstance(term, bytes) else term
                            key = (fieldname, text)
                            counts[key] = counts.get(key, 0) + info.doc_frequency()
        except Exception as exc:  # the generation deleted or unreadable under the thread
            # Suggestions go on without frequent words; nobody waits for a thread that died.
            logging.getLogger(__name__).warning("vocabulary of %s not built: %s", self.gen_dir, exc)
            self.vocabulary_ready.set()
            return
        for (_, text), df in counts.items():
            key = fold(text)
            cur = best.get(key)
            if cur is None or df > cur[1]:
                best[key] = (text, df)
        self._vocabulary = best
        self.vocabulary_ready.set()
