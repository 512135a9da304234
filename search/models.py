"""Plain dataclasses that cross every boundary: corpus -> index -> search -> web/CLI.

Nothing here imports Whoosh or Flask. ``to_dict()`` gives the JSON shapes of
../shared/INTERFACE.md; the HTML templates read only keys those dicts have.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

SORTS = ("relevance", "newest", "oldest")
FACETS = ("province", "person", "year")


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
