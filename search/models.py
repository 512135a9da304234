"""Plain dataclasses that cross every boundary: corpus -> index -> search -> web/CLI.

Nothing here imports Whoosh or Flask. ``to_dict()`` gives the JSON shapes of
../shared/INTERFACE.md; the HTML templates read only keys those dicts have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from .errors import dates_reversed, not_one_of, out_of_range

SORTS = ("relevance", "newest", "oldest")
# A search parameter as users read it: filter chips on the page, the điểm báo heading.
FILTER_LABELS = {
    "province": "Tỉnh/thành",
    "person": "Nhân vật",
    "source": "Nguồn",
    "year": "Năm",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "story": "Cùng nội dung",
}
# Defaults of the request limits; a caller with its own configuration (the
# web's MAX_PER_PAGE, MAX_PAGE) passes its limits in the request instead.
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_SUGGESTIONS = 20  # autocomplete: suggestions asked at most, characters of a prefix read
MAX_PREFIX = 100
# Field names users type before ":" (folded, lowercase) -> the field searched.
QUERY_FIELDS = {
    "title": "title",
    "person": "person",
    "province": "province",
    "source": "source",
    "tinh": "province",
    "nguoi": "person",
}


def safe_url(value: str | None) -> str | None:
    """The URL if it is http(s) with a host, else None: the only links an article may carry.

    The engine filters every stored URL through it and the templates once more,
    so a ``javascript:`` or ``data:`` URL in a corpus never becomes a link.

    >>> safe_url(" https://baolangson.vn/a.html ")
    'https://baolangson.vn/a.html'
    >>> [safe_url(u) for u in ("javascript:alert(1)", "http://", "//evil.vn/x", "")]
    [None, None, None, None]
    """
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


@dataclass
class Article:
    """One news article, as read from the corpus and enriched by extraction."""

    id: str
    body: str
    title: str = ""
    date: dt.date | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    provinces: list[str] = field(default_factory=list)  # as named at the time
    provinces_2025: list[str] = field(default_factory=list)  # unit after NQ 202/2025
    persons: list[str] = field(default_factory=list)  # canonical full names
    roles: dict[str, str] = field(default_factory=dict)  # person -> role as stated
    date_evidence: str | None = None  # given | timestamp | lead | banner | text
    origin: str = ""  # corpus file the article came from (relative), for deletions

    def to_dict(self, with_body: bool = True) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat() if self.date else None
        if not with_body:
            d.pop("body")
        return d


@dataclass
class Hit:
    """One search result: an article's display fields, its score and snippet."""

    id: str
    title: str
    url: str | None
    date: str | None
    source: str | None
    author: str | None
    provinces: list[str]
    persons: list[str]
    score: float
    snippet: str  # HTML: <mark> around matches, everything else escaped
    provinces_2025: list[str] = field(default_factory=list)
    title_html: str = ""  # title with <mark>, escaped
    story: str | None = None  # shared by syndicated copies of one story; None: not judged
    duplicates: int = 0  # other copies folded into this hit
    duplicate_sources: list[str] = field(default_factory=list)  # their sources, distinct

    def to_dict(self) -> dict:
        # Field by field: dataclasses.asdict deep-copies, a tenth of a search's time.
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "date": self.date,
            "source": self.source,
            "author": self.author,
            "provinces": list(self.provinces),
            "persons": list(self.persons),
            "score": self.score,
            "snippet": self.snippet,
            "provinces_2025": list(self.provinces_2025),
            "title_html": self.title_html,
            "story": self.story,
            "duplicates": self.duplicates,
            "duplicate_sources": list(self.duplicate_sources),
        }


@dataclass
class Story:
    """An article's story: its public id and the other copies, representative first."""

    id: str
    copies: list[Hit]

    def to_dict(self) -> dict:
        return {"story": self.id, "copies": [h.to_dict() for h in self.copies]}


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class SearchRequest:
    """What a user asked for. Built by the CLI and the web from their parameters."""

    q: str = ""
    provinces: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    facet_limit: int = 10
    collapse: bool = True  # syndicated copies shown once, as their best-ranked copy
    story: str | None = None  # only the copies of this story (shown expanded)
    max_per_page: int = MAX_PER_PAGE  # the caller's limits, checked by validate()
    max_page: int = MAX_PAGE

    def validate(self) -> None:
        """Raise BadRequest naming the first parameter out of bounds.

        >>> SearchRequest(per_page=150, max_per_page=200).validate()
        >>> SearchRequest(per_page=150).validate()
        Traceback (most recent call last):
        ...
        search.errors.BadRequest: Tham số per_page phải là số nguyên từ 1 đến 100.
        """
        if self.sort not in SORTS:
            raise not_one_of("sort", SORTS)
        if not 1 <= self.per_page <= self.max_per_page:
            raise out_of_range("per_page", 1, self.max_per_page)
        if not 1 <= self.page <= self.max_page:
            raise out_of_range("page", 1, self.max_page)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise dates_reversed()


@dataclass
class SearchPage:
    """The result object of INTERFACE.md: hits of one page, total, facets, suggestion."""

    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    decoded: str | None = None  # the query as decoded from Telex/VNI, when it was
    total_articles: int | None = None  # articles found, copies included (None: = total)

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "total_articles": self.total if self.total_articles is None else self.total_articles,
            "page": self.page,
            "per_page": self.per_page,
            "took_ms": round(self.took_ms, 2),
            "suggestion": self.suggestion,
            "decoded": self.decoded,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                k: [{"value": v.value, "count": v.count} for v in vs]
                for k, vs in self.facets.items()
            },
        }


@dataclass
class RoleRow:
    """One post a person was named with: when first and last, in how many articles."""

    role: str
    first: str | None  # YYYY-MM-DD, None when no article naming it is dated
    last: str | None
    articles: int


@dataclass
class PersonPage:
    """What the index knows of one person (INTERFACE.md, ``/api/persons/<name>``)."""

    name: str
    articles: int
    first_seen: str | None
    last_seen: str | None
    roles: list[RoleRow]  # in time order
    provinces: list[FacetValue]
    related_persons: list[FacetValue]
    timeline: list[tuple[str, int]]  # (YYYY-MM, articles) in time order
    hits: list[Hit]  # the latest articles

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "articles": self.articles,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "roles": [asdict(r) for r in self.roles],
            "provinces": [{"value": v.value, "count": v.count} for v in self.provinces],
            "related_persons": [{"value": v.value, "count": v.count} for v in self.related_persons],
            "timeline": [{"month": m, "count": c} for m, c in self.timeline],
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass
class Holder:
    """One person named with a post: when first and last, in how many articles."""

    name: str
    first: str | None
    last: str | None
    articles: int


@dataclass
class PostPage:
    """Who was named with one post over time (INTERFACE.md, ``/api/posts/<post>``)."""

    post: str
    holders: list[Holder]  # in time order

    def to_dict(self) -> dict:
        return {"post": self.post, "holders": [asdict(h) for h in self.holders]}


@dataclass
class Suggestion:
    """One autocomplete suggestion: a person, a province or a frequent term."""

    value: str
    kind: str  # person | province | term
    count: int  # articles naming the person or province; documents holding the term

    def to_dict(self) -> dict:
        """``{"value", "kind", "count"}`` as /api/suggest answers it.

        >>> Suggestion("Lạng Sơn", "province", 6).to_dict()
        {'value': 'Lạng Sơn', 'kind': 'province', 'count': 6}
        """
        return {"value": self.value, "kind": self.kind, "count": self.count}


@dataclass
class IndexStats:
    """What ``vnsearch stats`` reports of the live index."""

    articles: int
    generation: str
    segments: int
    size_bytes: int
    last_reindex: dict | None  # the last reindex's report, None before the first
    provinces: dict[str, int]  # articles per province, most first
    provinces_2025: dict[str, int]
    years: dict[str, int]  # articles per year, in time order

    def to_dict(self) -> dict:
        """The JSON of ``vnsearch stats --json``, keys in this order."""
        return {
            "articles": self.articles,
            "generation": self.generation,
            "segments": self.segments,
            "size_bytes": self.size_bytes,
            "last_reindex": self.last_reindex,
            "provinces": dict(self.provinces),
            "provinces_2025": dict(self.provinces_2025),
            "years": dict(self.years),
        }
