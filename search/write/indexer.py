"""The write side: the only module that opens a Whoosh writer.

Analysis (pyvi is the slow part) and segment writing run in ``jobs`` worker
processes, each writing one segment of its own; the parent reads the corpus,
hands out chunks of articles and finally commits every worker's segment, and
any deletions, in one atomic Whoosh TOC write. Nothing becomes visible to
readers before that commit, and a crash before it leaves the index as it was.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import queue
import shutil
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import TOC
from whoosh.writing import NO_MERGE, SegmentWriter

from ..ingest.posts import person_posts
from ..models import Article
from ..processes import cores, die_with
from ..text.analysis import analyze, index_terms
from . import schema as S
from . import stories as ST
from .generations import live_generation, new_generation, publish, remove_stale
from .store import BulkSegmentWriter

# Bump when analysis or the schema changes: every article's hash changes with
# it, so an incremental reindex rewrites them all.
ANALYSIS_VERSION = "3"
CHUNK = 32  # articles per job handed to a worker


@dataclass
class WriteStats:
    added: int = 0
    deleted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)


def content_hash(article: Article) -> str:
    """Hash of everything given for an article, plus the analysis version."""
    given = article.to_dict()
    given.pop("origin", None)
    payload = json.dumps([ANALYSIS_VERSION, given], sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


def _enrich(article: Article) -> Article:
    from ..ingest.extract import enrich

    return enrich(article)


def prepare(article: Article, digest: str, sign: bool = False) -> tuple[dict, dict, tuple]:
    """Stored/facet fields, stream term counts and, with ``sign``, the story signature
    ``(id, date ordinal, MinHash values or None)`` of one article (runs in workers)."""
    article = _enrich(article)
    posts = person_posts(article.roles, article.provinces)
    title_terms = index_terms(analyze(article.title))
    body = analyze(article.body)
    body_terms = index_terms(body)
    streams = {}
    for stream in title_terms:
        streams[S.text_field("t", stream)] = title_terms[stream]
        streams[S.text_field("b", stream)] = body_terms[stream]
    lengths = array("H", (min(65535, sum(streams[f].values())) for f in S.TEXT_FIELDS))
    date = article.date
    fields = {
        S.ID: article.id,
        S.DOC: article.to_dict(),
        S.HASH: digest.encode("ascii"),
        S.DATE: date.toordinal() if date else 0,
        S.LENGTHS: lengths.tobytes(),
        S.PROVINCE: article.provinces or None,
        S.PROVINCE_2025: article.provinces_2025 or None,
        S.PERSON: article.persons or None,
        S.SOURCE: [article.source] if article.source else None,
        S.AUTHOR: [article.author] if article.author else None,
        S.YEAR: [str(date.year)] if date else None,
        S.MONTH: [f"{date:%Y-%m}"] if date else None,
        S.ROLE: [f"{p}{S.ROLE_SEP}{post}" for p, post in posts] or None,
    }
    signed = (article.id, fields[S.DATE], ST.signature(body) if sign else None)
    return {k: v for k, v in fields.items() if v is not None}, streams, signed


def _worker(gen_dir: str, jobs: mp.Queue, results: mp.Queue, parent: int, sign: bool) -> None:
    die_with(parent)  # elsewhere _next_job notices the parent is gone
    ix = whoosh_index.open_dir(gen_dir)
    writer = BulkSegmentWriter(ix, _lk=False)
    while (chunk := _next_job(jobs, parent)) is not None:
        failed, signed = [], []
        for article, digest in chunk:
            try:
                fields, streams, signature = prepare(article, digest, sign)
                writer.add(fields, streams)
                signed.append(signature)
            except Exception as exc:  # one bad article must not stop the run
                failed.append((article.id, f"{type(exc).__name__}: {exc}"))
        results.put(("done", len(chunk) - len(failed), failed, signed))
    # An empty writer has nothing to cancel (Whoosh's cancel fails on it); the
    # parent's commit cleans any file it left.
    segment = writer.finish_segment() if writer.docnum else None
    results.put(("segment", segment, None, None))


def _next_job(jobs: mp.Queue, parent: int):
    while True:
        try:
            return jobs.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


def write_articles(
    gen_dir: Path,
    articles: Iterable[tuple[Article, str]],
    delete_ids: Iterable[str] = (),
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    stories: bool = True,
) -> WriteStats:
    """Add ``(article, hash)`` pairs and delete ids in one atomic commit of ``gen_dir``.

    Updating an article is deleting its id and adding it again. With ``stories``
    the commit also carries the stories (see :mod:`.stories`) brought up to date
    with the same changes; a generation without them gets them from scratch only
    when it is empty (``reindex`` rebuilds in full otherwise).
    """
    jobs = max(1, jobs or cores())
    analyze("Khởi động")  # load pyvi's model once, before forking: workers share it
    ix = whoosh_index.open_dir(str(gen_dir))
    stats = WriteStats()
    ctx = mp.get_context("fork")
    job_q: mp.Queue = ctx.Queue(maxsize=jobs * 4)
    res_q: mp.Queue = ctx.Queue()
    me = os.getpid()
    workers = [
        ctx.Process(target=_worker, args=(str(gen_dir), job_q, res_q, me, stories))
        for _ in range(jobs)
    ]
    segments = []
    parent = None
    signed: list[tuple] = []
    delete_ids = list(delete_ids)

    def handle(msg) -> None:
        kind, value, failed, signatures = msg
        if kind == "done":
            stats.added += value
            stats.failed.extend(failed)
            signed.extend(signatures)
            if progress:
                progress(value + len(failed))
        elif value is not None:
            segments.append(value)

    try:
        for w in workers:
            w.start()
        # Locked after forking: a worker inheriting Whoosh's write lock could
        # hold it past a parent killed by SIGKILL.
        parent = SegmentWriter(ix)  # commits the TOC
        for doc_id in delete_ids:
            stats.deleted += parent.delete_by_term(S.ID, doc_id)
        chunk: list = []
        for pair in articles:
            chunk.append(pair)
            if len(chunk) == CHUNK:
                _put(job_q, chunk, res_q, handle, workers)
                chunk = []
        if chunk:
            _put(job_q, chunk, res_q, handle, workers)
        for _ in workers:
            _put(job_q, None, res_q, handle, workers)
        finished = 0
        while finished < jobs:
            msg = _get(res_q, workers)
            handle(msg)
            finished += msg[0] == "segment"
        for w in workers:
            w.join()
    except BaseException:
        for w in workers:
            if w.is_alive():
                w.kill()
        if parent is not None:
            parent.cancel()
        raise
    if stories:
        _write_stories(gen_dir, ix, parent.generation, delete_ids, signed)
    final = parent._merge_segments(NO_MERGE, False, False) + segments
    parent._close_segment()
    parent._commit_toc(final)
    parent._finish()
    ST.clean(gen_dir, parent.generation)
    return stats


def _write_stories(gen_dir: Path, ix, toc: int, removed: list[str], signed: list) -> None:
    """Bring the committed stories up to date and write them for the coming commit ``toc``."""
    state = ST.load_for(gen_dir, ix.latest_generation()) or ST.Stories()
    state.update(removed, signed)
    state.save(ST.path_for(gen_dir, toc))


def _put(q: mp.Queue, item, res_q: mp.Queue, handle, workers) -> None:
    """Put a job, draining results meanwhile so neither side blocks the other."""
    while True:
        try:
            q.put(item, timeout=0.2)
            return
        except queue.Full:
            _drain(res_q, handle, workers)


def _drain(res_q: mp.Queue, handle, workers) -> None:
    while True:
        try:
            handle(res_q.get_nowait())
        except queue.Empty:
            _check_workers(workers)
            return


def _get(res_q: mp.Queue, workers):
    while True:
        try:
            return res_q.get(timeout=0.5)
        except queue.Empty:
            _check_workers(workers)


def _check_workers(workers) -> None:
    for w in workers:
        if w.exitcode not in (None, 0):
            raise RuntimeError(f"an indexing worker died (exit code {w.exitcode})")


def create_generation(root: Path) -> Path:
    """A new, empty generation directory holding an empty index of the schema."""
    gen = new_generation(root)
    whoosh_index.create_in(str(gen), S.build_schema())
    return gen


def build_index(
    articles: Iterable[Article],
    root: str | Path,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    stories: bool = True,
) -> WriteStats:
    """Build a complete index of ``articles`` beside the live one and swap it in.

    The library form of ``vnsearch reindex --full`` (without reading a corpus
    or taking the reindex lock, which the caller holds).
    """
    root = Path(root)
    remove_stale(root)
    gen = create_generation(root)
    pairs = ((a, content_hash(a)) for a in articles)
    stats = write_articles(gen, pairs, (), jobs, progress, stories)
    publish(root, gen)
    remove_stale(root)
    return stats


def clean_generation(gen: Path) -> list[str]:
    """Remove what a killed writer left inside a generation; describe each leftover.

    That is segments no TOC names, TOC files a commit did not finish and the
    writers' temp directory. Whoosh itself removes the segments at its next
    commit; removing them first keeps them out of the segment count and names
    them in the report. Only call this holding the reindex lock.
    """
    ix = whoosh_index.open_dir(str(gen))
    name = ix.indexname
    toc = TOC._filename(name, ix.latest_generation())
    live = {s.segment_id() for s in ix._segments()}
    segment = TOC._segment_pattern(name)
    orphans: dict[str, list[Path]] = {}
    removed = []
    for p in sorted(gen.iterdir()):
        m = segment.match(p.name)
        if p.is_dir() and p.name == f"{name}.tmp":
            shutil.rmtree(p, ignore_errors=True)
            removed.append(f"{gen.name}/{p.name}: temporary directory")
        elif p.name.startswith(f"_{name}_") and p.name != toc:
            p.unlink(missing_ok=True)
            removed.append(f"{gen.name}/{p.name}: unfinished or replaced table of contents")
        elif m and m.group(1) not in live and p.is_file():
            orphans.setdefault(m.group(1), []).append(p)
    for seg, files in orphans.items():
        for p in files:
            p.unlink(missing_ok=True)
        removed.append(f"{gen.name}/{seg}: unfinished segment ({len(files)} files)")
    return removed + ST.clean(gen, ix.latest_generation())


def has_stories(gen: Path) -> bool:
    """Whether the generation's committed index carries its stories (or is empty)."""
    ix = whoosh_index.open_dir(str(gen))
    return ix.doc_count_all() == 0 or ST.path_for(gen, ix.latest_generation()).exists()


def segment_count(gen: Path) -> int:
    """How many segments the generation's committed index has."""
    return len(whoosh_index.open_dir(str(gen))._segments())


def indexed_hashes(root: Path) -> dict[str, str]:
    """id -> content hash of every live article (for incremental reindexing)."""
    gen = live_generation(root)
    if gen is None:
        return {}
    ix = whoosh_index.open_dir(str(gen))
    out = {}
    with ix.reader() as reader:
        for leaf, _base in reader.leaf_readers():
            if not leaf.doc_count_all():
                continue  # an index of an empty corpus has no columns
            ids = leaf.column_reader(S.ID)
            hashes = leaf.column_reader(S.HASH)
            for docnum in range(leaf.doc_count_all()):
                if not leaf.is_deleted(docnum):
                    out[_text(ids[docnum])] = hashes[docnum].decode("ascii")
    return out


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
