"""The Whoosh backend of :class:`search.api.SearchEngine`. Nothing it returns leaks Whoosh.

``web/`` and the CLI reach it only through :func:`search.api.open_engine`. An :class:`Engine` is opened on an index directory and follows reindexing by
itself: every call checks whether a newer generation was published or the live
one committed (two stat calls while the index is quiet, else a file read and a
directory listing), and if so answers from a freshly opened snapshot. Searches under way finish on the snapshot they started with.
Calls are thread-safe.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
import time
from pathlib import Path

import numpy as np

from ..errors import IndexUnavailable
from ..models import (
    MAX_PREFIX,
    MAX_SUGGESTIONS,
    Article,
    FacetValue,
    Hit,
    IndexStats,
    PersonPage,
    PostPage,
    SearchPage,
    SearchRequest,
    Story,
    Suggestion,
    safe_url,
)
from ..text.analysis import analyze
from ..text.normalize import normalize
from ..write.generations import CURRENT, STATS_FILE, live_generation
from . import collapse as C
from .highlight import highlight, snippet
from .marks import NO_TERMS, Terms, compound_test, query_terms
from .people import person_page, post_page
from .query import MAX_CHARS, ParsedQuery, parse_query
from .searcher import Plan, facet_counts, filter_mask, ranked
from .snapshot import Snapshot
from .suggest import complete, did_you_mean

QUIET = 0.05  # seconds: well over the kernel's file-time tick
_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")  # Whoosh's committed table of contents


class Engine:
    def __init__(self, index_dir: str | Path):
        """Open the index at ``index_dir``; raises IndexUnavailable when absent."""
        self.root = Path(index_dir)
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None
        self._key: tuple | None = None
        self._quick: tuple = (None, None)  # (stat key, live key) while nothing changes
        self.snapshot()
        analyze("Khởi động")  # load pyvi's model now, not inside the first search

    # --- following the live generation ---------------------------------------

    def _live_key(self) -> tuple[Path, tuple]:
        """(live generation, what identifies its committed state); raises IndexUnavailable.

        Two stat calls answer while nothing changed: CURRENT (replaced, never
        rewritten, on a swap) and the generation's directory (a commit renames
        a table of contents into it). Their times are the kernel's coarse clock,
        so a state is only trusted once it is QUIET seconds old: a change in
        the same tick as the last one seen cannot hide behind an equal time.
        """
        seen = self._quick[1]
        quick = self._stat_key(seen[0]) if seen is not None else None
        if quick is not None and quick == self._quick[0]:
            return seen
        live = self._read_live_key()
        self._quick = (None, live)  # the next call stats this generation's directory
        if quick is not None and live[0] == seen[0] and time.time() - max(quick[1:]) / 1e9 > QUIET:
            self._quick = (quick, live)
        return live

    def _stat_key(self, gen_dir: Path) -> tuple | None:
        """Inodes, size and times of CURRENT and of ``gen_dir``; None if either is gone."""
        try:
            current = os.stat(self.root / CURRENT)
            gen = os.stat(gen_dir)
        except OSError:
            return None
        return (
            (current.st_ino, current.st_size, gen.st_ino),
            current.st_mtime_ns,
            current.st_ctime_ns,
            gen.st_mtime_ns,
            gen.st_ctime_ns,
        )

    def _read_live_key(self) -> tuple[Path, tuple]:
        try:
            gen = live_generation(self.root)
        except OSError as exc:  # CURRENT unreadable (permissions, I/O)
            return self._unreadable(exc)
        if gen is None:
            raise IndexUnavailable(f"no index at {self.root}: run `vnsearch reindex` first")
        try:
            names = os.listdir(gen)
        except OSError as exc:
            return self._unreadable(exc)
        # The newest committed table of contents: files a running reindex
        # writes beside it change nothing until its commit renames a new one in.
        tocs = [(int(m.group(1)), name) for name in names if (m := _TOC.match(name))]
        if not tocs:
            return gen, (gen.name, -1, 0)
        number, name = max(tocs)
        try:  # a rebuilt index may reuse the name and number: the file itself differs
            st = os.stat(gen / name)
        except OSError:
            return gen, (gen.name, number, 0)
        return gen, (gen.name, number, st.st_ino, st.st_mtime_ns)

    def _unreadable(self, exc: OSError) -> tuple[Path, tuple]:
        """The open generation's key while one is open: what is open stays readable."""
        snap, key = self._snap, self._key
        if snap is None or key is None:
            raise IndexUnavailable(f"index at {self.root} cannot be read: {exc}") from None
        return snap.gen_dir, key

    def snapshot(self) -> Snapshot:
        """The snapshot of the live generation, reopened when it changed.

        A request that finds a new generation published opens it; requests
        arriving meanwhile wait for it (a second or two), so no answer after
        the swap comes from the old index, whichever worker process gives it.
        If the new generation cannot be opened, answers go on from the open one.
        """
        gen, key = self._live_key()
        snap = self._snap
        if snap is not None and key == self._key:
            return snap
        with self._lock:
            if self._snap is None or key != self._key:
                try:
                    self._snap = Snapshot(gen)
                except Exception as exc:  # a generation half-deleted, unreadable disk
                    if self._snap is None:
                        reason = str(exc) or type(exc).__name__
                        raise IndexUnavailable(
                            f"index at {gen} cannot be opened: {reason}"
                        ) from None
                    return self._snap  # go on with the open one until the new one opens
                self._key = key
            return self._snap

    # --- search ------------------------------------------------------------------

    def search(self, req: SearchRequest) -> SearchPage:
        """Ranked, filtered, faceted, snippeted page of results. Raises BadRequest."""
        started = time.perf_counter()
        req.validate()
        snap = self.snapshot()
        parsed = parse_query(req.q)
        plan = Plan(snap, parsed) if (parsed.groups or parsed.excluded) else None
        mask = filter_mask(snap, req)
        if plan is not None:
            mask &= plan.match
        story_index = C.stories(snap)
        if req.story:
            mask &= story_index.story_mask(req.story)
        shown, folded = mask, None
        if req.collapse and not req.story:  # a story asked for is shown copy by copy
            shown, folded = C.collapse(story_index, mask, lambda: _order(snap, plan, req.sort))
        total = int(shown.sum())
        start = (req.page - 1) * req.per_page
        docs = (
            ranked(snap, plan, shown, req.sort, start + req.per_page)[start:]
            if start < total
            else []
        )
        suggestion = _suggestion(snap, req.q, parsed)
        terms = _terms(snap, parsed, suggestion)
        hits = [
            self._hit(snap, int(d), float(plan.scores[d]) if plan else 0.0, terms) for d in docs
        ]
        for hit, d in zip(hits, docs, strict=True):
            hit.story = story_index.key(int(d))
            if folded is not None and story_index.multi[d]:
                copies = folded.copies(int(story_index.rep[d]))
                hit.duplicates = len(copies)
                hit.duplicate_sources = C.sources(snap, copies)
        facets = {
            key: [FacetValue(v, c) for v, c in values]
            for key, values in facet_counts(snap, mask, req.facet_limit).items()
        }
        return SearchPage(
            query=req.q,
            total=total,
            page=req.page,
            per_page=req.per_page,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            facets=facets,
            suggestion=suggestion,
            decoded=parsed.decoded,
            total_articles=int(mask.sum()),
        )

    def _hit(self, snap: Snapshot, docnum: int, score: float, terms: Terms) -> Hit:
        doc = snap.stored(docnum)
        return Hit(
            id=doc["id"],
            title=doc["title"],
            url=safe_url(doc.get("url")),
            date=doc.get("date"),
            source=doc.get("source"),
            author=doc.get("author"),
            provinces=doc.get("provinces") or [],
            persons=doc.get("persons") or [],
            score=round(score, 3),
            snippet=snippet(doc["body"], terms),
            provinces_2025=doc.get("provinces_2025") or [],
            title_html=highlight(doc["title"], terms),
        )

    # --- articles ------------------------------------------------------------------

    def article(self, doc_id: str) -> Article | None:
        """One article with its full body; None when unknown."""
        snap = self.snapshot()
        docnum = snap.id_to_doc.get(doc_id)
        if docnum is None:
            return None
        doc = dict(snap.stored(docnum))
        doc["date"] = dt.date.fromisoformat(doc["date"]) if doc.get("date") else None
        doc["url"] = safe_url(doc.get("url"))
        known = Article.__dataclass_fields__
        return Article(**{k: v for k, v in doc.items() if k in known})

    def highlight_body(self, article: Article, q: str) -> str:
        """The article's full body as HTML with the query's words in <mark>."""
        return highlight(article.body, self.query_terms(q))

    def query_terms(self, q: str) -> Terms:
        """What ``q`` marks: the same Terms its search page's snippets and titles use."""
        snap = self.snapshot()
        parsed = parse_query(q)
        return _terms(snap, parsed, _suggestion(snap, q, parsed))

    def story(self, doc_id: str) -> Story | None:
        """The article's story and its other copies (representative first, at most 50)."""
        snap = self.snapshot()
        docnum = snap.id_to_doc.get(doc_id)
        if docnum is None:
            return None
        index = C.stories(snap)
        key = index.key(docnum)
        if key is None:
            return None
        members = index.members(docnum)
        others = members[members != docnum][: C.MAX_COPIES]
        none = Terms(frozenset())
        copies = [self._hit(snap, int(d), 0.0, none) for d in others]
        for hit in copies:
            hit.story = key
        return Story(key, copies)

    def related(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Articles most like this one: its title's words, ranked, OR'ed, itself left out."""
        snap = self.snapshot()
        docnum = snap.id_to_doc.get(doc_id)
        if docnum is None:
            return []
        docs, scores = snap.cached(
            ("related", docnum, limit), lambda: _related(snap, docnum, limit)
        )
        return [
            self._hit(snap, int(d), float(score), NO_TERMS)
            for d, score in zip(docs, scores, strict=True)
        ]

    # --- persons and posts ------------------------------------------------------------

    def person(self, name: str) -> PersonPage | None:
        """A person's posts over time, timeline, co-mentioned persons, latest articles."""
        snap = self.snapshot()
        return person_page(snap, name[:200], lambda d: self._hit(snap, d, 0.0, NO_TERMS))

    def post(self, name: str) -> PostPage | None:
        """Who was named with a post, in time order; None when no article names it."""
        return post_page(self.snapshot(), name[:300])

    # --- suggestions and statistics ---------------------------------------------------

    def complete(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Autocomplete: persons, provinces, then terms, folded match."""
        return complete(self.snapshot(), prefix[:MAX_PREFIX], max(1, min(limit, MAX_SUGGESTIONS)))

    def stats(self) -> IndexStats:
        """Articles, size on disk, last reindex, counts per province and year."""
        snap = self.snapshot()
        size = sum(f.stat().st_size for f in snap.gen_dir.iterdir() if f.is_file())
        try:
            last = json.loads((self.root / STATS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = None
        counts = facet_counts(snap, snap.alive, limit=100)
        return IndexStats(
            articles=snap.count,
            generation=snap.gen_dir.name,
            segments=len(snap.leaves),
            size_bytes=size,
            last_reindex=last,
            provinces=dict(counts["province"]),
            provinces_2025=dict(counts["province_2025"]),
            years=dict(sorted(counts["year"])),
        )


def _related(snap: Snapshot, docnum: int, limit: int):
    """(docnums, scores) of the articles most like ``docnum``, for the generation's cache."""
    plan = Plan(snap, parse_query(snap.stored(docnum)["title"]), min_words=2)
    mask = plan.match.copy()
    mask[docnum] = False
    docs = ranked(snap, plan, mask, "relevance", limit)
    return docs, plan.scores[docs]


def _order(snap: Snapshot, plan: Plan | None, sort: str) -> tuple[np.ndarray, np.ndarray]:
    """(primary, secondary) sort keys, ascending, of every document: the order of ``ranked``."""
    dates = snap.dates.astype(np.int64)
    docnums = np.arange(snap.n)
    if sort == "relevance" and plan is not None and not plan.filters_only:
        return -plan.scores, -dates
    if sort == "oldest":
        return np.where(dates == 0, np.iinfo(np.int64).max, dates), docnums
    return -dates, docnums


def _suggestion(snap: Snapshot, q: str, parsed: ParsedQuery) -> str | None:
    """The query with diacritics restored ("Có phải bạn muốn tìm"), None if unchanged.

    Restored in the query as typed, so its quotes, fields and - survive.
    """
    if not parsed.text:
        return None
    typed = parsed.decoded or normalize(q[: MAX_CHARS * 4])[:MAX_CHARS]
    return did_you_mean(snap, typed)


def _terms(snap: Snapshot, parsed: ParsedQuery, suggestion: str | None) -> Terms:
    """The one place a query's highlight terms are built (snippets, titles, article page)."""
    compound = None
    if snap.vocabulary_ready.is_set():  # one test per snapshot: it remembers its answers
        compound = snap.__dict__.get("_compound_test")
        if compound is None:
            compound = snap.__dict__.setdefault("_compound_test", compound_test(snap.vocabulary))
    return query_terms(parsed, suggestion, compound)
