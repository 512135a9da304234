"""`vnsearch reindex` as a library function: incremental by default, --full swaps atomically.

Incremental: a first pass reads the corpus and compares content hashes with
the index; when nothing changed it stops there. Otherwise a second pass
streams only new and changed articles to the writers, and additions,
updates and deletions land in one Whoosh commit (atomic: readers see all of
it or none). Full: a new generation is built beside the live one and
published by an atomic rename of the CURRENT pointer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..ingest.corpus import ReadReport, read_corpus
from .generations import STATS_FILE, live_generation, publish, reindex_lock, remove_stale
from .indexer import (
    clean_generation,
    content_hash,
    create_generation,
    has_stories,
    indexed_hashes,
    segment_count,
    write_articles,
)

MAX_SEGMENTS = 12  # past this, an incremental run rebuilds in full to keep search fast


@dataclass
class ReindexReport:
    mode: str = "incremental"  # incremental | full
    read: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # one-line reasons, file and line named
    cleaned: list[str] = field(default_factory=list)  # leftovers of killed runs removed
    seconds: float = 0.0
    generation: str | None = None
    finished: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)

    def summary(self) -> str:
        rate = (self.added + self.updated) / self.seconds if self.seconds else 0.0
        head = (
            f"{self.mode}: read {self.read}, added {self.added}, updated {self.updated}, "
            f"deleted {self.deleted}, unchanged {self.unchanged}, skipped {len(self.skipped)}"
        )
        if not self.changed and self.mode == "incremental":
            return f"{head}: nothing changed, index untouched ({self.seconds:.1f} s)"
        return f"{head} in {self.seconds:.1f} s ({rate:.0f} articles/s)"


def reindex(
    corpora: Sequence[str | Path],
    root: str | Path,
    full: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReindexReport:
    """Bring the index at ``root`` in line with ``corpora``. Raises ReindexBusy.

    ``progress(done, total)`` is called as articles are analysed.
    """
    root = Path(root)
    started = time.perf_counter()
    report = ReindexReport(mode="full" if full else "incremental")
    with reindex_lock(root):
        report.cleaned = remove_stale(root)
        live = live_generation(root)
        if live is not None:
            try:
                report.cleaned += clean_generation(live)
            except Exception:
                # A broken live generation: a full run needs nothing of it
                # (it is what the run replaces); an incremental one can't go on.
                if not full:
                    raise
        if (
            live is not None
            and not full
            and (segment_count(live) > MAX_SEGMENTS or not has_stories(live))
        ):
            # Many segments slow every search; an index from before stories
            # has no signatures to update: both are rebuilt once, in full.
            full = True
            report.mode = "full"
        if full or live is None:
            report.mode = "full"
            _full(corpora, root, jobs, progress, report)
        else:
            _incremental(corpora, root, live, jobs, progress, report)
        report.seconds = time.perf_counter() - started
        report.finished = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        if report.changed or report.mode == "full":
            _save_report(root, report)
    return report


def _full(corpora, root: Path, jobs, progress, report: ReindexReport) -> None:
    reading = ReadReport()
    total = [0]
    seen: dict[str, str] = {}
    duplicates: list[str] = []

    def pairs():
        for article in _unique(read_corpus(corpora, reading), seen, duplicates):
            total[0] += 1
            yield article, content_hash(article)

    gen = create_generation(root)
    stats = write_articles(gen, pairs(), (), jobs, _counter(progress, total))
    report.read = reading.read
    report.added = stats.added
    report.skipped = [s.message() for s in reading.skips] + duplicates + _failures(stats.failed)
    report.generation = publish(root, gen).name
    remove_stale(root)


def _incremental(corpora, root: Path, live: Path, jobs, progress, report: ReindexReport) -> None:
    existing = indexed_hashes(root)
    first = ReadReport()
    wanted: dict[str, str] = {}
    duplicates: list[str] = []
    for article in _unique(read_corpus(corpora, first), {}, duplicates):
        wanted[article.id] = content_hash(article)
    report.read = first.read
    report.skipped = [s.message() for s in first.skips] + duplicates
    new = {i for i, h in wanted.items() if i not in existing}
    changed = {i for i, h in wanted.items() if i in existing and existing[i] != h}
    gone = set(existing) - set(wanted)
    report.unchanged = len(wanted) - len(new) - len(changed)
    report.generation = live.name
    if not (new or changed or gone):
        return
    todo = new | changed
    total = [len(todo)]

    def pairs():
        for article in read_corpus(corpora, ReadReport()):
            if article.id in todo:
                todo.discard(article.id)  # a duplicate id later in the corpus is ignored
                yield article, wanted[article.id]

    stats = write_articles(live, pairs(), sorted(changed | gone), jobs, _counter(progress, total))
    failed = {doc_id for doc_id, _ in stats.failed}
    report.added = len(new - failed)
    report.updated = len(changed - failed)
    report.deleted = len(gone)
    report.skipped += _failures(stats.failed)


def _unique(articles, seen: dict[str, str], duplicates: list[str]):
    """The first article of each id; later ones are reported (both modes keep the same one)."""
    for article in articles:
        if article.id in seen:
            duplicates.append(
                f"{article.origin}: skipped, duplicate id {article.id!r}"
                f" (the one in {seen[article.id]} is indexed)"
            )
            continue
        seen[article.id] = article.origin
        yield article


def _counter(progress, total):
    if progress is None:
        return None
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        progress(done[0], total[0])

    return tick


def _failures(failed: list[tuple[str, str]]) -> list[str]:
    return [f"{doc_id}: not indexed: {reason}" for doc_id, reason in failed]


def _save_report(root: Path, report: ReindexReport) -> None:
    data = asdict(report)
    data["skipped"] = len(report.skipped)
    data["cleaned"] = len(report.cleaned)
    tmp = root / f".{STATS_FILE}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(root / STATS_FILE)
