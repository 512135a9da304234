"""The điểm báo resource: any search as a Word report or a CSV table, to download.

The search parameters are read by the same :func:`~web.params.configured_request`
as the search page, so limits and 400s are the same; ``group`` (date|source)
and ``limit`` (up to ``EXPORT_LIMIT`` articles) are the report's own.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from jinja2 import pass_context
from jinja2.runtime import Context

from search.report import MIMETYPES, collect, write

from ..params import configured_request, link_args, parse_int
from ..resources import get_engine

bp = Blueprint("export", __name__)


@bp.get("/export.docx", defaults={"fmt": "docx"})
@bp.get("/export.csv", defaults={"fmt": "csv"})
def export(fmt: str) -> Response:
    """The report of the search the parameters describe, as an attachment."""
    config = current_app.config
    req = configured_request(request.args, config)
    most = config["EXPORT_LIMIT"]
    limit = parse_int(request.args.get("limit", ""), "limit", 1, most, most)
    report = collect(
        get_engine(),
        req,
        group=(request.args.get("group") or "date").strip(),
        limit=limit,
        site_name=config["SITE_NAME"],
    )
    response = Response(write(report, fmt), content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{report.file_stem()}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"  # the index changes; a report is made now
    return response


@bp.app_template_global()
@pass_context
def export_url(context: Context, fmt: str, **changes: Any) -> str:
    """A link to the report of the page's search (its page and page size left out)."""
    args = link_args(context["params"], current_app.config["PER_PAGE"], page=None, per_page=None)
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for("export.export", fmt=fmt, **args)
