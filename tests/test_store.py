"""search/store.py against Whoosh's own API: what the bulk writer writes, what
read_postings (one term) and field_postings (a whole field) read.

Three kinds of index, all through the production write path:

* synthetic term lists of chosen lengths (around the inline limit and the
  W3 block limit), written once by :class:`BulkSegmentWriter` and once by
  Whoosh's own ``SegmentWriter``, which must agree posting for posting and
  block for block;
* real articles: the session fixture index, and one of enough articles
  that common syllables span several blocks;
* segments with deletions (an incremental reindex), where Whoosh wraps
  postings in a filter.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.matching import ListMatcher
from whoosh.writing import SegmentWriter

from search.read.snapshot import Snapshot
from search.write import schema as S
from search.write.generations import live_generation
from search.write.reindex import reindex
from search.write.store import INLINE_LIMIT, BulkSegmentWriter, Codec, field_postings, read_postings

BLOCK = Codec()._blocklimit  # postings per block in the W3 format (128)
FIELD = "b_fsyl"
DOCS = 3 * BLOCK + 20
SEEDS = Path(__file__).resolve().parents[1] / "corpus"  # the five sample articles

# term -> (docnums holding it, its count in each): lengths around the inline
# limit and the block limit, and the three ways W3 minifies a block's weights
# (all 1, all equal, varied).
TERMS: dict[str, tuple[list[int], list[int]]] = {
    "one": ([5], [1]),
    "inline_max": (list(range(0, 3 * (INLINE_LIMIT - 1), 3)), [2] * (INLINE_LIMIT - 1)),
    "inline_limit": (list(range(1, 2 * INLINE_LIMIT, 2)), [i % 3 + 1 for i in range(INLINE_LIMIT)]),
    "block": (list(range(BLOCK)), [1] * BLOCK),
    "block_plus_one": (list(range(1, BLOCK + 2)), [1 + i % 4 for i in range(BLOCK + 1)]),
    "two_blocks": (list(range(2 * BLOCK)), [3] * (2 * BLOCK)),
    "every_doc": (list(range(DOCS)), [1 + (i * 7) % 11 for i in range(DOCS)]),
    "every_third": (list(range(2, DOCS, 3)), [1 + i % 2 for i in range(len(range(2, DOCS, 3)))]),
    # the largest weight in one block only: each block's maximum must be its own
    "peak_at_end": (list(range(2 * BLOCK + 5)), [1] * (2 * BLOCK + 4) + [9]),
    "peak_at_start": (list(range(2 * BLOCK + 5)), [9] + [1] * (2 * BLOCK + 4)),
}


def whoosh_postings(leaf, fieldname: str, term: str) -> tuple[list[int], list[float]]:
    """Postings through Whoosh's public matcher API (deleted documents left out)."""
    m = leaf.postings(fieldname, term.encode("utf-8"))
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


def whoosh_blocks(leaf, fieldname: str, term: str) -> list[tuple[int, int, float]]:
    """(first id, last id, max weight) of every block, or [] for an inlined list."""
    m = leaf.postings(fieldname, term.encode("utf-8"))
    if isinstance(m, ListMatcher):
        return []
    blocks = []
    while m.is_active():
        blocks.append((m.block_min_id(), m.block_max_id(), m.block_max_weight()))
        m.skip_to(m.block_max_id() + 1)
    return blocks


def term_stats(leaf, fieldname: str, term: str) -> tuple:
    info = leaf.term_info(fieldname, term.encode("utf-8"))
    return (
        leaf.doc_frequency(fieldname, term),
        leaf.frequency(fieldname, term),
        info.max_weight(),
        info.min_id(),
        info.max_id(),
    )


def assert_field_agrees(leaf, fieldname: str) -> None:
    """field_postings (one pass over a field) gives what read_postings gives term by term."""
    got = [(t, ids.tolist(), ws.tolist()) for t, ids, ws in field_postings(leaf, fieldname)]
    want = []
    for term in all_terms(leaf, fieldname):
        ids, ws = read_postings(leaf, fieldname, term)
        want.append((term, ids.tolist(), ws.tolist()))
    assert got == want, fieldname


def assert_agrees(leaf, fieldname: str, term: str) -> None:
    ids, weights = read_postings(leaf, fieldname, term)
    want_ids, want_weights = whoosh_postings(leaf, fieldname, term)
    assert ids.dtype == np.int64 and weights.dtype == np.float32
    assert ids.tolist() == want_ids, (fieldname, term)
    assert weights.tolist() == pytest.approx(want_weights), (fieldname, term)


def all_terms(leaf, fieldname: str) -> list[str]:
    return [t.decode("utf-8") for t in leaf.lexicon(fieldname)]


def leaf_of(ix):
    reader = ix.reader()
    leaves = list(reader.leaf_readers())
    assert len(leaves) == 1, "these tests write one segment"
    return reader, leaves[0][0]


# --- synthetic postings: bulk writer vs Whoosh's writer ---------------------------


def _documents():
    """(light fields, {field: {term: count}}) per docnum, from TERMS."""
    streams: list[dict[str, int]] = [{} for _ in range(DOCS)]
    for term, (docs, weights) in TERMS.items():
        for d, w in zip(docs, weights, strict=True):
            streams[d][term] = w
    for d in range(DOCS):
        yield {S.ID: f"d{d}", S.DOC: {"id": f"d{d}"}}, {FIELD: streams[d]}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """The TERMS written twice: by BulkSegmentWriter and by Whoosh's SegmentWriter."""
    bulk_dir = tmp_path_factory.mktemp("bulk")
    plain_dir = tmp_path_factory.mktemp("plain")
    bulk_ix = whoosh_index.create_in(str(bulk_dir), S.build_schema())
    plain_ix = whoosh_index.create_in(str(plain_dir), S.build_schema())
    bulk = BulkSegmentWriter(bulk_ix)
    plain = SegmentWriter(plain_ix, codec=Codec(), compound=False)
    for fields, streams in _documents():
        bulk.add(fields, streams)
        plain.add_document(**fields, **{f: c for f, c in streams.items() if c})
    bulk.commit()
    plain.commit()
    bulk_reader, bulk_leaf = leaf_of(bulk_ix)
    plain_reader, plain_leaf = leaf_of(plain_ix)
    yield bulk_leaf, plain_leaf, bulk_dir
    bulk_reader.close()
    plain_reader.close()


def test_the_table_covers_inline_and_multi_block_lists(synthetic):
    bulk, _, _ = synthetic
    inlined = {t for t in TERMS if not whoosh_blocks(bulk, FIELD, t)}
    multi = {t for t in TERMS if len(whoosh_blocks(bulk, FIELD, t)) > 1}
    assert inlined == {"one", "inline_max"}
    assert multi == {"block_plus_one", "two_blocks", "every_doc", "every_third"} | {
        "peak_at_end",
        "peak_at_start",
    }
    assert len(whoosh_blocks(bulk, FIELD, "block")) == 1
    assert len(whoosh_blocks(bulk, FIELD, "every_doc")) == -(-DOCS // BLOCK)


def test_bulk_writer_writes_what_whoosh_writes(synthetic):
    bulk, plain, _ = synthetic
    assert all_terms(bulk, FIELD) == all_terms(plain, FIELD) == sorted(TERMS)
    assert bulk.doc_count_all() == plain.doc_count_all() == DOCS
    assert_field_agrees(bulk, FIELD)
    for term in TERMS:
        assert whoosh_postings(bulk, FIELD, term) == whoosh_postings(plain, FIELD, term), term
        assert term_stats(bulk, FIELD, term) == term_stats(plain, FIELD, term), term
        assert whoosh_blocks(bulk, FIELD, term) == whoosh_blocks(plain, FIELD, term), term


@pytest.mark.parametrize("term", sorted(TERMS))
def test_postings_are_the_table(synthetic, term):
    bulk, plain, _ = synthetic
    docs, weights = TERMS[term]
    for leaf in (bulk, plain):
        ids, ws = read_postings(leaf, FIELD, term)
        assert ids.tolist() == docs
        assert ws.tolist() == weights
        assert leaf.doc_frequency(FIELD, term) == len(docs)
        assert leaf.frequency(FIELD, term) == pytest.approx(sum(weights))
        assert leaf.term_info(FIELD, term.encode()).max_weight() == max(weights)


def test_unknown_terms_and_fields_read_empty(synthetic):
    bulk, _, _ = synthetic
    for fieldname, term in ((FIELD, "absent"), (FIELD, ""), ("b_syl", "one"), ("nofield", "x")):
        ids, weights = read_postings(bulk, fieldname, term)
        assert (len(ids), len(weights)) == (0, 0)
        assert ids.dtype == np.int64 and weights.dtype == np.float32


def test_deleted_documents_are_left_out_like_whoosh_does(synthetic, tmp_path):
    """A segment with deletions: Whoosh filters its postings; read_postings must too."""
    _, _, bulk_dir = synthetic
    gen = tmp_path / "ix"
    shutil.copytree(bulk_dir, gen)  # the module's index stays as it is
    ix = whoosh_index.open_dir(str(gen))
    deleted = [0, 1, 5, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 4, DOCS - 1]
    writer = SegmentWriter(ix)
    for d in deleted:
        writer.delete_by_term(S.ID, f"d{d}")
    writer.commit(merge=False)
    reader, leaf = leaf_of(ix)
    try:
        assert leaf.has_deletions()
        for term, (docs, _) in TERMS.items():
            assert_agrees(leaf, FIELD, term)
            assert read_postings(leaf, FIELD, term)[0].tolist() == [
                d for d in docs if d not in deleted
            ]
        assert read_postings(leaf, FIELD, "one")[0].tolist() == []  # its only document went
        assert_field_agrees(leaf, FIELD)
    finally:
        reader.close()


# --- real articles --------------------------------------------------------------


def test_every_term_of_the_fixture_index_agrees(fixture_index):
    ix = whoosh_index.open_dir(str(live_generation(fixture_index)))
    with ix.reader() as reader:
        checked = 0
        for leaf, _ in reader.leaf_readers():
            for fieldname in S.TEXT_FIELDS + S.FACET_FIELDS:
                for term in all_terms(leaf, fieldname):
                    assert_agrees(leaf, fieldname, term)
                    checked += 1
                assert_field_agrees(leaf, fieldname)
    assert checked > 2000


def _paragraphs() -> list[str]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]
    return [x for x in lines if len(x) > 120]


@pytest.fixture(scope="module")
def real_multi_block(tmp_path_factory):
    """(index, its corpus): one segment of real text, more articles than a block holds."""
    paragraphs = _paragraphs()
    corpus = tmp_path_factory.mktemp("many") / "many.jsonl"
    n = BLOCK + 40
    with corpus.open("w", encoding="utf-8") as f:
        for k in range(n):
            body = (
                paragraphs[k % len(paragraphs)] + "\n" + paragraphs[(k * 5 + 1) % len(paragraphs)]
            )
            article = {"id": f"m{k}", "title": f"Tin {k}", "body": body}
            f.write(json.dumps(article, ensure_ascii=False) + "\n")
    root = tmp_path_factory.mktemp("many-index")
    report = reindex([corpus], root, full=True, jobs=1)  # one worker: one segment
    assert report.added == n, report.skipped
    return root, corpus


def test_real_multi_block_lists_agree(real_multi_block):
    root, _ = real_multi_block
    ix = whoosh_index.open_dir(str(live_generation(root)))
    reader, leaf = leaf_of(ix)
    try:
        multi = [t for t in all_terms(leaf, FIELD) if leaf.doc_frequency(FIELD, t) > BLOCK]
        assert multi, "common syllables should span more than one block"
        for term in multi:
            assert len(whoosh_blocks(leaf, FIELD, term)) > 1
        for fieldname in S.TEXT_FIELDS:
            for term in all_terms(leaf, fieldname):
                assert_agrees(leaf, fieldname, term)
    finally:
        reader.close()


def test_postings_agree_after_an_incremental_update(real_multi_block, tmp_path):
    """Deleted and re-added articles: several segments, some with deletions."""
    built, built_from = real_multi_block
    root = tmp_path / "index"
    shutil.copytree(built, root)
    corpus = tmp_path / "corpus.jsonl"
    articles = [json.loads(x) for x in built_from.read_text(encoding="utf-8").splitlines()]
    for a in articles[:20]:
        a["body"] += " Đàn hươu sao về rừng."
    corpus.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles[:-10]), encoding="utf-8"
    )
    report = reindex([corpus], root, jobs=2)
    assert (report.updated, report.deleted) == (20, 10)
    gen = live_generation(root)
    ix = whoosh_index.open_dir(str(gen))
    with ix.reader() as reader:
        leaves = list(reader.leaf_readers())
        assert len(leaves) > 1 and leaves[0][0].has_deletions()
        for leaf, _ in leaves:
            for fieldname in S.TEXT_FIELDS + S.FACET_FIELDS:
                for term in all_terms(leaf, fieldname):
                    assert_agrees(leaf, fieldname, term)
                assert_field_agrees(leaf, fieldname)
    snap = Snapshot(gen)  # the read side on top: every article once, none deleted
    try:
        ids, _ = snap.postings("b_fsyl", "huou")
        assert sorted(snap.ids[d] for d in ids) == sorted(f"m{k}" for k in range(20))
        assert snap.count == len(articles) - 10
    finally:
        snap.vocabulary_ready.wait(30)  # its thread reads the index too
        snap.close()


def test_stored_documents_come_back_as_written_from_a_bounded_cache(fixture_index, monkeypatch):
    """Snapshot.stored keeps decoded documents (at most doc_cache): the same ones Whoosh reads."""
    from search.read import snapshot

    monkeypatch.setattr(snapshot, "cache_sizes", lambda n: (snapshot.MIN_CACHE_BYTES, 3))
    snap = Snapshot(live_generation(fixture_index))
    try:
        written = [snap.reader.stored_fields(d)[S.DOC] for d in range(snap.n)]
        assert snap.n > 3
        for _ in range(2):  # read, then read again once most have been evicted
            assert [snap.stored(d) for d in range(snap.n)] == written
            assert len(snap._docs) == 3
        assert snap.stored(snap.n - 1) is snap.stored(snap.n - 1)
    finally:
        snap.vocabulary_ready.wait(30)
        snap.close()


INLINE_ROWS = [
    ([0], [1.0]),
    ([7], [3.0]),
    ([0, 1, 2], [1.0, 2.0, 1.0]),
    ([5, 900, 70_000, 4_000_000], [1.0, 1.0, 1.0, 12.0]),
    (list(range(INLINE_LIMIT - 1)), [0.5 * (i + 1) for i in range(INLINE_LIMIT - 1)]),
]


@pytest.mark.parametrize(("ids", "weights"), INLINE_ROWS)
def test_inline_row_is_the_row_whoosh_writes(ids, weights):
    """The bulk writer's own term rows equal W3TermInfo's, byte for byte."""
    from whoosh.codec.whoosh3 import W3TermInfo

    from search.write.store import inline_row

    pw = Codec().postings_writer(None)
    pw._ids, pw._weights, pw._values = ids, weights, []
    pw._minlength, pw._maxlength, pw._maxweight = None, 0, max(weights)
    info = W3TermInfo()
    info.add_block(pw)
    info.set_inline(pw._ids, pw._weights, pw._values)
    assert inline_row(ids, weights) == info.to_bytes()


def test_add_rows_writes_what_add_writes(tmp_path):
    """store.add_rows (many rows at once) writes the bytes of one add per row."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    from search.write.store import add_rows

    rows = [(f"k{i:05d}".encode(), f"value {i}".encode() * (i % 7)) for i in range(3000)]
    storage = FileStorage(str(tmp_path))
    one = OrderedHashWriter(storage.create_file("one"))
    for key, value in rows:
        one.add(key, value)
    one.close()
    bulk = OrderedHashWriter(storage.create_file("bulk"))
    bulk.add(*rows[0])  # rows may follow rows added one by one
    add_rows(bulk, rows[1:1000])
    add_rows(bulk, [])
    add_rows(bulk, rows[1000:])
    bulk.close()
    assert (tmp_path / "bulk").read_bytes() == (tmp_path / "one").read_bytes()
    reader = OrderedHashReader.open(storage, "bulk")
    try:
        assert reader[b"k01234"] == rows[1234][1]
        assert list(reader.keys_from(b"k02998")) == [b"k02998", b"k02999"]
    finally:
        reader.close()
    bad = OrderedHashWriter(storage.create_file("bad"))
    with pytest.raises(ValueError, match="Keys must increase"):
        add_rows(bad, [(b"b", b""), (b"a", b"")])
    bad.dbfile.close()
