"""A điểm báo (press-clipping report) as data: the search's articles, numbered and grouped.

:func:`collect` runs a search through the :class:`~search.api.SearchEngine`
interface, up to a bounded number of articles, folds the syndicated copies of
one story into one item, gives each article a summary (its lead, else its best
snippet) and groups the items by day (newest first) or by outlet. The writers
(:mod:`.word`, :mod:`.table`) only lay out what this module decided.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..errors import BadRequest
from ..models import FILTER_LABELS, Hit, SearchRequest
from ..text.normalize import fold

if TYPE_CHECKING:  # the interface only: importing it loads the entry-point machinery
    from ..api import SearchEngine

MAX_ARTICLES = 200  # a report is read by people: more is a data dump, not a điểm báo
SITE_NAME = "Tìm kiếm tin tức"
GROUPS = ("date", "source")
SUMMARY_CHARS = 500  # a lead longer than this is cut at a sentence, else a word
PAGE_SIZE = 100  # articles asked of the engine at a time (its largest page)
NO_DATE = "Không rõ ngày"
NO_SOURCE = "Không rõ nguồn"

_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(?=\s|$)")


@dataclass
class Item:
    """One numbered entry: a story, shown through its best-ranked copy."""

    number: int
    hits: list[Hit]  # the copies the search returned; hits[0] is shown
    outlets: list[str]  # every outlet that ran the story, the shown one first
    summary: str

    @property
    def hit(self) -> Hit:
        return self.hits[0]


@dataclass
class Group:
    label: str
    items: list[Item]


@dataclass
class Report:
    """Everything a writer needs: the heading's facts and the grouped items."""

    site_name: str
    request: SearchRequest
    total: int  # what the search found, of which at most ``limit`` are here
    limit: int
    group: str
    made: dt.date
    groups: list[Group] = field(default_factory=list)
    summaries: dict[str, str] = field(default_factory=dict)  # hit id -> summary

    @property
    def items(self) -> list[Item]:
        return [item for g in self.groups for item in g.items]

    @property
    def hits(self) -> list[Hit]:
        """Every article in the report, in the report's order (the CSV's rows)."""
        return [hit for item in self.items for hit in item.hits]

    def criteria(self) -> list[tuple[str, str]]:
        """The query and filters in words: ``[("Từ khóa", "lãnh đạo tỉnh ủy"), ...]``."""
        req = self.request
        lines = [("Từ khóa", req.q)] if req.q else []
        for param, values in (
            ("province", req.provinces),
            ("person", req.persons),
            ("source", req.sources),
            ("year", [str(y) for y in req.years]),
        ):
            if values:
                lines.append((FILTER_LABELS[param], ", ".join(values)))
        return lines or [("Phạm vi", "tất cả bài viết")]

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        """The days the report covers: the date filter where given, else the articles' span."""
        dates = [dt.date.fromisoformat(h.date) for h in self.hits if h.date]
        first = self.request.date_from or (min(dates) if dates else None)
        last = self.request.date_to or (max(dates) if dates else None)
        return first, last

    def file_stem(self) -> str:
        """An ASCII file name: ``diem-bao-lanh-dao-tinh-uy-2026-12-08``."""
        words = re.sub(r"[^a-z0-9]+", "-", fold(self.request.q).lower()).strip("-")[:60]
        return "-".join(x for x in ("diem-bao", words.rstrip("-"), self.made.isoformat()) if x)


def collect(
    engine: SearchEngine,
    req: SearchRequest,
    *,
    group: str = "date",
    limit: int = MAX_ARTICLES,
    site_name: str = SITE_NAME,
    made: dt.date | None = None,
) -> Report:
    """The report of ``req``'s first ``limit`` articles in its sort order; BadRequest names a bad parameter."""
    if group not in GROUPS:
        raise BadRequest(f"Tham số group phải là một trong: {', '.join(GROUPS)}.")
    if not 1 <= limit <= MAX_ARTICLES:
        raise BadRequest(f"Tham số limit phải là số nguyên từ 1 đến {MAX_ARTICLES}.")
    hits, total = _search(engine, req, limit)
    report = Report(
        site_name=site_name,
        request=req,
        total=total,
        limit=limit,
        group=group,
        made=made or dt.date.today(),
    )
    for hit in hits:
        report.summaries[hit.id] = summary_of(engine, hit)
    items = _fold_stories(hits, report.summaries)
    report.groups = by_source(items) if group == "source" else by_date(items)
    for number, item in enumerate(report.items, start=1):
        item.number = number
    return report


def _search(engine: SearchEngine, req: SearchRequest, limit: int) -> tuple[list[Hit], int]:
    """The first ``limit`` hits of ``req`` (whatever page it was on) and the total."""
    hits: list[Hit] = []
    total = 0
    page = 1
    while len(hits) < limit:
        size = min(PAGE_SIZE, limit)
        result = engine.search(replace(req, page=page, per_page=size))
        total = result.total
        hits.extend(result.hits)
        if len(result.hits) < size:
            break
        page += 1
    return hits[:limit], total


def _fold_stories(hits: list[Hit], summaries: dict[str, str]) -> list[Item]:
    """One item per story (per article when stories are unknown), in the search's order."""
    items: dict[str, Item] = {}
    for hit in hits:
        key = f"story:{hit.story}" if hit.story else f"id:{hit.id}"
        item = items.get(key)
        if item is None:
            item = items[key] = Item(0, [], [], summaries.get(hit.id, ""))
        item.hits.append(hit)
        for outlet in (hit.source, *hit.duplicate_sources):
            if outlet and outlet not in item.outlets:
                item.outlets.append(outlet)
    return list(items.values())


def by_date(items: list[Item]) -> list[Group]:
    """Groups per day, newest first, undated last; inside a day the search's order."""
    days: dict[str | None, list[Item]] = {}
    for item in items:
        days.setdefault(item.hit.date, []).append(item)
    order = sorted((d for d in days if d), reverse=True) + ([None] if None in days else [])
    return [Group(f"Ngày {vn_date(d)}" if d else NO_DATE, days[d]) for d in order]


def by_source(items: list[Item]) -> list[Group]:
    """Groups per outlet (the most items first), inside each the newest first."""
    outlets: dict[str, list[Item]] = {}
    for item in items:
        outlets.setdefault(item.outlets[0] if item.outlets else NO_SOURCE, []).append(item)
    for members in outlets.values():
        members.sort(key=lambda i: i.hit.date or "", reverse=True)  # stable: rank breaks ties
    order = sorted(outlets, key=lambda o: (o == NO_SOURCE, -len(outlets[o]), fold(o).lower()))
    return [Group(o, outlets[o]) for o in order]


def summary_of(engine: SearchEngine, hit: Hit) -> str:
    """The article's lead, else the hit's snippet without its markup."""
    article = engine.article(hit.id)
    lead = lead_of(article.body, hit.title) if article else ""
    return lead or plain(hit.snippet)


def lead_of(body: str, title: str = "", limit: int = SUMMARY_CHARS) -> str:
    """The first real paragraph of ``body``, cut to about ``limit`` characters.

    >>> lead_of("Tin nóng\\n\\nSáng 5/6, Tỉnh ủy họp. Hội nghị bàn ba việc.", "Tin nóng", 25)
    'Sáng 5/6, Tỉnh ủy họp.'
    """
    for para in body.split("\n"):
        para = " ".join(para.split())
        if para and para != title.strip():
            return clean(cut(para, limit))
    return ""


def cut(text: str, limit: int) -> str:
    """``text`` if short, else its sentences that fit, else its words that fit and "…"."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1) if m.end() <= limit]
    if ends and ends[-1] >= limit // 3:
        return text[: ends[-1]]
    head = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return head.rstrip(",;:–- ") + "…"


def plain(snippet: str) -> str:
    """Engine HTML (escaped text with ``<mark>``) as plain text."""
    return clean(html.unescape(snippet.replace("<mark>", "").replace("</mark>", "")))


def clean(text: str | None) -> str:
    """Text without the control characters XML (and so Word) refuses."""
    return _XML_INVALID.sub("", text or "")


def vn_date(value: str | dt.date | None) -> str:
    """``2020-05-23`` -> ``23/05/2020``, the way Vietnamese readers write dates."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return day.strftime("%d/%m/%Y")
