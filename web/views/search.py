"""The search resource: one view for the page, the JSON API, /embed and the Atom feed."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, request

from search.models import SearchPage, SearchRequest

from ..params import configured_request, echo
from ..render import respond
from ..resources import get_engine

bp = Blueprint("search", __name__)

TEMPLATES = {
    "html": "search.html",
    "embed": "embed.html",
    "atom": "feed.atom.xml",
    "json": "",
}


@bp.get("/feed.atom", defaults={"fmt": "atom"})
@bp.get("/embed", defaults={"fmt": "embed"})
@bp.get("/api/search", defaults={"fmt": "json"})
@bp.get("/search", defaults={"fmt": "html"})
def search(fmt: str) -> Response:
    """Search results as a page, JSON (INTERFACE.md), a framable page or a feed."""
    config = current_app.config
    req = configured_request(
        request.args, config, per_page=config["FEED_SIZE"] if fmt == "atom" else None
    )
    if fmt == "atom":
        req.sort = "newest"  # a feed is a topic followed over time
    if fmt in ("html", "embed") and is_blank(req):
        page = blank_page(req)  # the home page asks nothing of the index
    else:
        page = get_engine().search(req)
    data = page.to_dict()
    data["params"] = echo(req)
    if fmt == "atom":
        data["updated"] = feed_updated(data["hits"])
    return respond(TEMPLATES[fmt], data, fmt)


# The home page is the same view; its own endpoint keeps / from redirecting to /search.
bp.add_url_rule("/", endpoint="home", view_func=search, defaults={"fmt": "html"})


def is_blank(req: SearchRequest) -> bool:
    """Nothing asked: no words and no filter."""
    return not (
        req.q
        or req.provinces
        or req.persons
        or req.sources
        or req.years
        or req.date_from
        or req.date_to
        or req.story
    )


def blank_page(req: SearchRequest) -> SearchPage:
    """The result object of a search not yet made: same shape, nothing found."""
    return SearchPage(
        query="", total=0, page=1, per_page=req.per_page, took_ms=0.0, hits=[], facets={}
    )


def feed_updated(hits: list[dict]) -> str:
    """Atom ``updated``: the newest hit's date, else now."""
    dates = [h["date"] for h in hits if h.get("date")]
    if dates:
        return max(dates) + "T00:00:00Z"
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
