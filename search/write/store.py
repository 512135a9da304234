"""Whoosh storage internals, in one place: bulk segment writing, numpy posting reads.

Whoosh writes and reads postings one Python call per posting (about 5 µs
each when writing). At 35,000 articles x ~1,000 distinct terms that is the
whole reindex budget, and reading a common syllable's 30,000 postings costs
tens of milliseconds. This module keeps Whoosh's on-disk format (W3 codec,
segments, TOC) and replaces only the two loops:

* :class:`BulkSegmentWriter` collects pre-counted terms in flat arrays and
  writes each term's postings a block at a time;
* :func:`read_postings` decodes a term's blocks into numpy arrays.

Blocks hold numpy arrays (see :class:`PostingsWriter`), which Whoosh's own
readers accept as they accept its tuples; indexes with tuple blocks read too.

It depends on private names of whoosh-reloaded 2.7.x (pinned in setup.cfg);
``tests/test_store.py`` checks both directions against Whoosh's own API.
"""

from __future__ import annotations

import weakref
from array import array
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filetables import _lengths as _ROW_LENGTHS
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

# whoosh-reloaded 2.7.5 calls a method that is named set_inlined: without
# this alias, inlining short posting lists (most bigrams occur once) crashes.
if not hasattr(W3TermInfo, "set_inline"):
    W3TermInfo.set_inline = W3TermInfo.set_inlined

INLINE_LIMIT = 8  # posting lists shorter than this live in the term table
BLOCK_LIMIT = 512  # postings per block (Whoosh's default is 128)


class PostingsWriter(W3PostingsWriter):
    """W3 blocks whose ids and weights are numpy arrays, not tuples of numbers.

    Whoosh pickles each block; a tuple of 128 numbers unpickles into 128
    Python objects (a common syllable's 30,000 postings took 7 ms to read),
    a numpy array into one buffer (ids as uint16 deltas where they fit,
    integral weights as uint8). Whoosh's own matchers read both kinds.
    """

    def _mini_ids(self):
        ids = np.frombuffer(self._ids, dtype=np.uint32)
        deltas = ids.copy()
        deltas[1:] -= ids[:-1]
        # uint16 only where every partial sum fits too: Whoosh adds them up as is.
        return deltas.astype(np.uint16) if int(ids[-1]) < 1 << 16 else deltas

    def _mini_weights(self):
        w = np.frombuffer(self._weights, dtype=np.float32)
        low, high = float(w.min()), float(w.max())
        if low == high:
            return None if low == 1.0 else low
        if low >= 0 and high < 256:
            small = w.astype(np.uint8)
            if (small == w).all():
                return small
        return w.copy()


class Codec(W3Codec):
    """W3 with short posting lists inlined, numpy blocks, and no per-block length statistics.

    Block length statistics only serve Whoosh's own BM25 block skipping,
    which the searcher does not use; computing them costs a column read per
    posting.
    """

    length_stats = False

    def __init__(self):
        # zlib level 1: numpy blocks compress nearly as well as at Whoosh's 3, faster.
        super().__init__(blocklimit=BLOCK_LIMIT, compression=1, inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class TermPool:
    """Postings of one segment as flat arrays: term id, docnum, weight per posting.

    Stands in for Whoosh's PostingPool (same ``add``/``cleanup`` interface)
    and adds :meth:`add_counts`, which takes a whole ``{term: count}`` at once.
    """

    def __init__(self):
        self._fields: dict[str, tuple[dict[str, int], array, array, array]] = {}
        self.fieldnames: set[str] = set()

    def _field(self, fieldname: str):
        f = self._fields.get(fieldname)
        if f is None:
            f = self._fields[fieldname] = ({}, array("I"), array("I"), array("f"))
            self.fieldnames.add(fieldname)
        return f

    def add_counts(self, fieldname: str, docnum: int, counts: dict[str, int]) -> None:
        vocab, tids, docs, weights = self._field(fieldname)
        setdefault = vocab.setdefault
        tids.extend([setdefault(t, len(vocab)) for t in counts])
        docs.extend([docnum] * len(counts))
        weights.extend(counts.values())

    def add(self, item) -> None:
        """Whoosh's pool interface: (fieldname, tbytes, docnum, weight, vbytes)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        if vbytes:
            raise ValueError(f"field {fieldname!r}: TermPool stores no posting values")
        vocab, tids, docs, weights = self._field(fieldname)
        term = tbytes.decode("utf-8")
        tids.append(vocab.setdefault(term, len(vocab)))
        docs.append(docnum)
        weights.append(weight)

    def cleanup(self) -> None:
        self._fields.clear()

    def write(self, fieldwriter, schema) -> None:
        """Write every field's terms in byte order, postings in docnum order.

        Each field's pool is released once written, and the sort keeps one
        permutation and 32-bit keys: the peak is a few bytes a posting above
        the pool itself, not five times it (a worker holds millions).
        """
        for fieldname in sorted(self._fields):
            vocab, tids, docs, weights = self._fields.pop(fieldname)
            if not tids:
                continue
            terms = [t.encode("utf-8") for t in vocab]
            del vocab
            order = sorted(range(len(terms)), key=terms.__getitem__)
            rank = np.empty(len(terms), dtype=np.uint32)
            rank[order] = np.arange(len(terms), dtype=np.uint32)
            keys = rank[np.frombuffer(tids, dtype=np.uint32)]
            del tids, rank
            perm = np.argsort(keys, kind="stable")  # docnums stay ascending per term
            keys = keys[perm]
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            del keys
            doc_arr = np.frombuffer(docs, dtype=np.uint32)[perm]
            w_arr = np.frombuffer(weights, dtype=np.float32)[perm]
            del perm, docs, weights
            ends = np.r_[starts[1:], len(doc_arr)]
            maxw = np.maximum.reduceat(w_arr, starts).tolist()
            fieldwriter.start_field(fieldname, schema[fieldname])
            field_key = pack_ushort(fieldwriter._fieldid)
            rows: list[tuple[bytes, bytes]] = []
            for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
                if b - a < INLINE_LIMIT:
                    # Most terms (bigrams above all) occur a few times: their
                    # rows are written here, without Whoosh's per-term objects.
                    ids = doc_arr[a:b].tolist()
                    rows.append((field_key + terms[order[k]], inline_row(ids, w_arr[a:b].tolist())))
                    continue
                add_rows(fieldwriter._tindex, rows)
                rows = []
                fieldwriter.start_term(terms[order[k]])
                _add_postings(fieldwriter._postwriter, doc_arr, w_arr, a, b, maxw[k])
                fieldwriter.finish_term()
            add_rows(fieldwriter._tindex, rows)
            fieldwriter.finish_field()


_TERM_INFO = W3TermInfo._struct


def inline_row(ids: list[int], weights: list[float]) -> bytes:
    """The term table row of an inlined posting list, byte for byte as Whoosh's
    W3FieldWriter writes it (no length statistics, no values)."""
    head = _TERM_INFO.pack(True, sum(weights), len(ids), 0, 0, max(weights), ids[0], ids[-1])
    return head + dumps((tuple(ids), tuple(weights), ()), 2)


def add_rows(tindex, rows: list[tuple[bytes, bytes]]) -> None:
    """``OrderedHashWriter.add`` of many rows, in key order, with one file write.

    The same bytes, hash buckets and key index as one ``add`` per row.
    """
    if not rows:
        return
    pos = tindex.dbfile.tell()
    hashfn, buckets, index = tindex.hashfn, tindex.buckets, tindex.index
    last = tindex.lastkey
    head, parts = _ROW_LENGTHS, []
    for key, value in rows:
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        index.append(pos)
        h = hashfn(key)
        buckets[h & 255].append((h, pos))
        parts += (head.pack(len(key), len(value)), key, value)
        pos += head.size + len(key) + len(value)
        last = key
    tindex.dbfile.write(b"".join(parts))
    tindex.lastkey = last


def _add_postings(
    pw, docs: np.ndarray, weights: np.ndarray, a: int, b: int, maxweight: float
) -> None:
    """Hand postings ``a:b`` (docnums uint32, weights float32) to a W3 postings writer
    a block at a time."""
    limit = pw._blocklimit
    single = b - a <= limit  # one block: its maximum is the term's, already known
    while True:
        end = min(a + limit, b)
        pw._ids = array("I", docs[a:end].tobytes())
        pw._weights = array("f", weights[a:end].tobytes())
        pw._values = []
        pw._minlength = None
        pw._maxlength = 0
        pw._maxweight = maxweight if single else float(weights[a:end].max())
        if end >= b:
            return  # finish_postings writes the last block
        pw._write_block()
        a = end


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter whose stream fields take ``{term: count}`` in bulk.

    Light fields (id, stored document, facets, columns) go through Whoosh's
    ``add_document``; stream fields through :meth:`add`.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, codec=Codec(), compound=False, **kwargs)
        self.pool.cleanup()
        self.pool = TermPool()

    def add(self, fields: dict, streams: dict[str, dict[str, int]]) -> int:
        docnum = self.docnum
        self.add_document(**fields)
        for fieldname, counts in streams.items():
            if counts:
                self.pool.add_counts(fieldname, docnum, counts)
        return docnum

    def _flush_segment(self):
        self.perdocwriter.close()
        self.pool.write(self.fieldwriter, self.schema)
        self.fieldwriter.close()

    def finish_segment(self):
        """Close this writer's segment without committing (the parent commits it)."""
        self._check_state()
        self._finalize_segment()
        segment = self.get_segment()
        # The temp directory is shared by every writer of this index: the
        # parent writer removes it after its commit.
        self.is_closed = True
        return segment


_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
_ALIVE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # segment reader -> mask


def read_postings(reader, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Docnums (int64, ascending) and weights (float32) of a term in one segment.

    ``reader`` is a leaf (one segment) reader. Deleted documents are left
    out, as Whoosh's ``reader.postings`` leaves them out.
    """
    try:
        m = _raw_matcher(reader, fieldname, text.encode("utf-8"))
    except TermNotFound:
        return _EMPTY
    ids, weights = _decode(m)
    if len(ids) and reader.has_deletions():
        keep = _alive(reader)[ids]
        ids, weights = ids[keep], weights[keep]
    return ids, weights


def _raw_matcher(reader, fieldname: str, tbytes: bytes):
    """The term's own matcher, without the FilterMatcher Whoosh wraps it in when
    the segment has deletions (a FilterMatcher gives no access to the blocks)."""
    terms = getattr(reader, "_terms", None)
    if terms is None or fieldname not in reader.schema:
        return reader.postings(fieldname, tbytes)  # an empty index: raises TermNotFound
    return terms.matcher(fieldname, tbytes, reader.schema[fieldname].format)


def _alive(reader) -> np.ndarray:
    """Boolean mask of a segment's live documents, computed once per reader."""
    mask = _ALIVE.get(reader)
    if mask is None:
        mask = np.ones(reader.doc_count_all(), dtype=bool)
        mask[np.fromiter(reader.deleted_docs_set, dtype=np.int64)] = False
        _ALIVE[reader] = mask
    return mask


def _decode(m) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(m, ListMatcher):  # an inlined posting list
        return np.asarray(m._ids, dtype=np.int64), np.asarray(m._weights, dtype=np.float32)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while True:
        if m._data is None:
            m._read_data()
        deltas, ws = m._data[0], m._data[1]
        n = m._blocklength
        # Each block's deltas start again from zero: its first id is absolute.
        ids.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if ws is None:
            weights.append(np.ones(n, dtype=np.float32))
        elif isinstance(ws, float):
            weights.append(np.full(n, ws, dtype=np.float32))
        else:
            weights.append(np.asarray(ws, dtype=np.float32))
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    if len(ids) == 1:
        return ids[0], weights[0]
    return np.concatenate(ids), np.concatenate(weights)


def field_postings(reader, fieldname: str):
    """(term, docnums, weights) of every term of a field in one segment, in term order.

    One sequential pass over the term table: looking each term up by hash
    (what ``read_postings`` does) costs ten times more for a whole field.
    """
    terms = getattr(reader, "_terms", None)
    if terms is None or fieldname not in reader.schema:
        return
    fmt = reader.schema[fieldname].format
    for (name, tbytes), info in terms.items_from(fieldname, b""):
        if name != fieldname:
            return
        m = terms._codec.postings_reader(terms._postfile, info, fmt, term=(name, tbytes))
        ids, weights = _decode(m)
        if len(ids) and reader.has_deletions():
            keep = _alive(reader)[ids]
            ids, weights = ids[keep], weights[keep]
        yield tbytes.decode("utf-8"), ids, weights
