"""Autocomplete: persons, provinces and frequent terms, matched without diacritics."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request

from search.errors import not_one_of
from search.models import MAX_PREFIX, MAX_SUGGESTIONS

from ..params import clean_text, parse_int
from ..render import respond
from ..resources import get_engine

bp = Blueprint("suggest", __name__)

FORMATS = ("json", "opensearch")


@bp.get("/api/suggest")
def suggest() -> Response:
    """``{"query", "suggestions": [{"value", "kind", "count"}]}``.

    ``format=opensearch`` answers the OpenSearch suggestions shape
    ``[query, [values]]`` that browsers ask for from the address bar.
    """
    q = clean_text(request.args.get("q", ""), "q", MAX_PREFIX)
    limit = parse_int(
        request.args.get("limit", ""),
        "limit",
        1,
        MAX_SUGGESTIONS,
        current_app.config["SUGGEST_LIMIT"],
    )
    fmt = request.args.get("format") or "json"
    if fmt not in FORMATS:
        raise not_one_of("format", FORMATS)
    items = get_engine().complete(q, limit=limit) if q else []
    if fmt == "opensearch":
        response = jsonify([q, [item.value for item in items]])
        response.mimetype = "application/x-suggestions+json"
        return response
    return respond("", {"query": q, "suggestions": [item.to_dict() for item in items]}, "json")
