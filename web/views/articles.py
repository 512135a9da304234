"""The article resource: one view for the article page and ``/api/articles/<id>``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request

from search.models import Article

from ..params import MAX_QUERY, clean_text
from ..render import only_mark, respond
from ..resources import get_engine

bp = Blueprint("articles", __name__)

RELATED = 5
# The fields of a hit (INTERFACE.md), in that order, then the article's own.
FIELDS = ("id", "title", "url", "date", "source", "author", "provinces", "persons")


@bp.get("/articles/<path:doc_id>", defaults={"fmt": "html"})
@bp.get("/api/articles/<path:doc_id>", defaults={"fmt": "json"})
def article(doc_id: str, fmt: str) -> Response:
    """One article, its body highlighted for ``?q=``, and articles like it."""
    q = clean_text(request.args.get("q", ""), "q", MAX_QUERY)
    engine = get_engine()
    found = engine.article(doc_id, q)
    if found is None:
        abort(404, description="Không tìm thấy bài viết này. Có thể bài đã bị gỡ khỏi chỉ mục.")
    data = article_dict(found)
    data["query"] = q
    data["body_html"] = str(only_mark(engine.highlight_body(found, q)))
    data["related"] = [hit.to_dict() for hit in engine.related(found.id, limit=RELATED)]
    return respond("article.html", data, fmt)


def article_dict(found: Article) -> dict[str, Any]:
    """The article object of INTERFACE.md: a hit's fields plus ``body``."""
    full = found.to_dict()
    data = {key: full[key] for key in FIELDS}
    data["provinces_2025"] = full["provinces_2025"]
    data["roles"] = full["roles"]
    data["body"] = full["body"]
    return data
