"""What other sites use: the drop-in widget script and the OpenSearch description."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory

from ..render import respond

bp = Blueprint("intranet", __name__)


@bp.get("/widget.js")
def widget() -> Response:
    """The script that turns ``<div data-vnsearch>`` into a search box with results."""
    response = send_from_directory(
        current_app.static_folder or "static", "widget.js", mimetype="text/javascript", max_age=3600
    )
    return response


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """Lets browsers add the site as a search engine (with address-bar suggestions)."""
    return respond("opensearch.xml", {}, "xml")
