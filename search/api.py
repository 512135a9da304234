"""The one narrow interface between the library and its users (``web/``, the CLI).

:class:`SearchEngine` is what a backend provides; :func:`open_engine` opens the
backend a deployment names. The Whoosh engine (``search.read.engine.Engine``)
is the one shipped; another (an OpenSearch cluster fed by the same analysis
streams) would register itself under the ``vnsearch.backends`` entry-point
group and be chosen by name, without ``web/`` or the CLI changing.

Only plain dataclasses from :mod:`search.models` cross this interface.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from .errors import VnsearchError
from .models import (
    Article,
    Hit,
    IndexStats,
    PersonPage,
    PostPage,
    SearchPage,
    SearchRequest,
    Story,
    Suggestion,
)
from .text.normalize import slug  # noqa: F401  (the URL form of a person or post, for web/)

DEFAULT_BACKEND = "whoosh"


@runtime_checkable
class SearchEngine(Protocol):
    """What ``web/`` and the CLI may ask of an index. Every method is thread-safe."""

    def search(self, req: SearchRequest) -> SearchPage:
        """One page of hits with total, facets and suggestion; BadRequest names a parameter."""
        ...

    def article(self, doc_id: str) -> Article | None:
        """One article with its full body; None when unknown."""
        ...

    def highlight_body(self, article: Article, q: str) -> str:
        """The article's body as HTML, the query's words in ``<mark>``."""
        ...

    def story(self, doc_id: str) -> Story | None:
        """The article's story and its other copies; None when unknown or not judged."""
        ...

    def related(self, doc_id: str, limit: int = 5) -> list[Hit]:
        """Articles most like this one, itself left out."""
        ...

    def person(self, name: str) -> PersonPage | None:
        """A person's page (name as written or folded and hyphenated); None when unknown."""
        ...

    def post(self, name: str) -> PostPage | None:
        """Who held a post over time (as written or folded and hyphenated); None when unknown."""
        ...

    def complete(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Autocomplete suggestions for a prefix, folded match."""
        ...

    def stats(self) -> IndexStats:
        """Articles, size on disk, last reindex, counts per province and year."""
        ...


def _backend(backend: str):
    found = [e for e in entry_points(group="vnsearch.backends") if e.name == backend]
    if not found:
        raise VnsearchError(f"no search backend named {backend!r} is installed")
    return found[0].load()


def open_engine(index_dir: str | Path, backend: str = DEFAULT_BACKEND) -> SearchEngine:
    """The engine of ``backend`` on ``index_dir``; IndexUnavailable while there is no index."""
    return _backend(backend)(index_dir)


def preload(backend: str = DEFAULT_BACKEND) -> None:
    """Load the backend's code and the analysis models (pyvi's CRF, the lexicons) now.

    A server calls this before forking its workers: the 80 MB they take are
    then shared by every worker (copy-on-write) instead of loaded by each.
    """
    from .text.analysis import analyze

    _backend(backend)
    analyze("Lãnh đạo Tỉnh ủy Lạng Sơn làm việc với Ban Tuyên giáo Trung ương")
