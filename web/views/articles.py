"""The article resource: one view for the article page and ``/api/articles/<id>``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request
from werkzeug.routing import PathConverter

from search.models import Article

from ..params import MAX_QUERY, clean_text
from ..render import only_mark, respond
from ..resources import get_engine

bp = Blueprint("articles", __name__)

RELATED = 5
# The fields of a hit (INTERFACE.md), in that order, then the article's own.
FIELDS = ("id", "title", "url", "date", "source", "author", "provinces", "persons")


class ArticleId(PathConverter):
    """Any id the corpus gave, as url_for wrote it: slashes (leading, doubled) and newlines too.

    Werkzeug's ``path`` refuses a leading slash and stops at a newline, and the
    default slash merging redirects ``a//b`` to ``a/b``, so such articles had
    links that answered 404 or led elsewhere. The id is only ever a key of the
    index's id table, never a file name.
    """

    regex = "(?s:.+)"
    part_isolating = False


CONVERTERS = {"article_id": ArticleId}


@bp.get("/articles/<article_id:doc_id>", defaults={"fmt": "html"}, merge_slashes=False)
@bp.get("/api/articles/<article_id:doc_id>", defaults={"fmt": "json"}, merge_slashes=False)
def article(doc_id: str, fmt: str) -> Response:
    """One article, its body highlighted for ``?q=``, and articles like it."""
    q = clean_text(request.args.get("q", ""), "q", MAX_QUERY)
    engine = get_engine()
    found = engine.article(doc_id)
    if found is None:
        abort(404, description="Không tìm thấy bài viết này. Có thể bài đã bị gỡ khỏi chỉ mục.")
    data = article_dict(found)
    data["query"] = q
    data["body_html"] = str(only_mark(engine.highlight_body(found, q)))
    data["related"] = [hit.to_dict() for hit in engine.related(found.id, limit=RELATED)]
    story = engine.story(found.id)
    data["story"] = story.id if story else None
    data["duplicates"] = len(story.copies) if story else 0
    data["copies"] = [hit.to_dict() for hit in story.copies] if story else []
    return respond("article.html", data, fmt)


def article_dict(found: Article) -> dict[str, Any]:
    """The article object of INTERFACE.md: a hit's fields plus ``body``."""
    full = found.to_dict()
    data = {key: full[key] for key in FIELDS}
    data["provinces_2025"] = full["provinces_2025"]
    data["roles"] = full["roles"]
    data["body"] = full["body"]
    return data
