"""Person and post resources: ``/persons/<name>``, ``/posts/<post>`` and their JSON.

The name or post as written or folded and hyphenated (``lam-thi-phuong-thanh``);
the engine matches it folded, so case, NFD and tone placement do not matter.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, url_for

from search.api import slug

from ..charts import month_bars, vn_month
from ..render import respond
from ..resources import get_engine

bp = Blueprint("persons", __name__)
MAX_NAME = 300  # characters of a name or post in the path


@bp.app_template_global()
def person_url(name: str) -> str:
    """A person page's URL: the folded, hyphenated name (readable, ASCII)."""
    return url_for("persons.person", fmt="html", name=slug(name) or name)


@bp.app_template_global()
def post_url(post: str) -> str:
    """A post page's URL, folded and hyphenated as the person URLs are."""
    return url_for("persons.post", fmt="html", name=slug(post) or post)


bp.add_app_template_global(month_bars, "month_bars")
bp.add_app_template_filter(vn_month, "vn_month")


@bp.get("/persons/<path:name>", defaults={"fmt": "html"})
@bp.get("/api/persons/<path:name>", defaults={"fmt": "json"})
def person(name: str, fmt: str) -> Response:
    """A person's posts over time, timeline, co-mentioned persons and latest articles."""
    found = get_engine().person(name[:MAX_NAME]) if name.strip() else None
    if found is None:
        abort(404, description="Không tìm thấy nhân vật này trong chỉ mục.")
    return respond("person.html", found.to_dict(), fmt)


@bp.get("/posts/<path:name>", defaults={"fmt": "html"})
@bp.get("/api/posts/<path:name>", defaults={"fmt": "json"})
def post(name: str, fmt: str) -> Response:
    """Who was named with a post over time."""
    found = get_engine().post(name[:MAX_NAME]) if name.strip() else None
    if found is None:
        abort(404, description="Không tìm thấy chức vụ này trong chỉ mục.")
    return respond("post.html", found.to_dict(), fmt)
