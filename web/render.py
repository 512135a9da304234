"""The last step of every view: one data dict, rendered as JSON or through a template.

Also the template helpers. Engine HTML (snippets, highlighted bodies) is passed
through :func:`only_mark`, which keeps ``<mark>`` and escapes everything else,
so a template never trusts a string it did not escape itself.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    url_for,
)
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from werkzeug.datastructures import iter_multi_items

from search.models import safe_url

from .params import link_args

MIMETYPES = {
    "atom": "application/atom+xml",
    "xml": "application/opensearchdescription+xml",
}
_MARK = re.compile(r"(<mark>|</mark>)")
_QUERY_SAFE = "!$'()*,/:;?@"  # what url_for leaves unescaped in a query string
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def respond(template: str, data: dict[str, Any], fmt: str, status: int = 200) -> Response:
    """JSON of ``data`` for ``fmt == "json"``, else ``template`` rendered from it.

    Templates get the keys of ``data`` and ``fmt`` (to keep links in the same
    format, e.g. inside /embed), nothing else of the view.
    """
    if fmt == "json":
        response = jsonify(data)
    else:
        response = make_response(render_template(template, fmt=fmt, **data))
        if fmt in MIMETYPES:
            response.mimetype = MIMETYPES[fmt]
    response.status_code = status
    return response


def only_mark(value: str | None) -> Markup:
    """Engine HTML made safe: ``<mark>``/``</mark>`` kept, all else escaped once.

    >>> str(only_mark("a &amp; <mark>b</mark><script>"))
    'a &amp; <mark>b</mark>&lt;script&gt;'
    """
    out: list[str] = []
    depth = 0
    for part in _MARK.split(value or ""):
        if part == "<mark>":
            depth += 1
            out.append(part)
        elif part == "</mark>":
            if depth:
                depth -= 1
                out.append(part)
        else:
            # The engine escaped the text already: undo that, then escape it ourselves.
            out.append(str(escape(html.unescape(part))))
    out.append("</mark>" * depth)
    return Markup("".join(out))


def plain_text(value: Any) -> str:
    """Text without markup and without characters XML forbids (for the feed).

    >>> plain_text(Markup("<mark>a</mark> &amp; b\\x00"))
    'a & b'
    """
    text = html.unescape(_MARK.sub("", str(value or "")))
    return _XML_INVALID.sub("", text)


def xml_safe(value: Any) -> str:
    """A string with the characters XML 1.0 forbids removed (then autoescaped)."""
    return _XML_INVALID.sub("", str(value or ""))


def vn_date(value: str | None) -> str:
    """``2020-05-23`` -> ``23/05/2020``, the way Vietnamese readers write dates."""
    if not value or len(value) < 10:
        return value or ""
    return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"


def vn_number(value: float | int) -> str:
    """Thousands with dots, decimals with a comma: ``1234.5`` -> ``1.234,5``."""
    if isinstance(value, float) and not value.is_integer():
        whole, frac = f"{value:,.1f}".split(".")
        return whole.replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


@pass_context
def search_url(
    context: Context, fmt: str | None = None, _external: bool = False, **changes: Any
) -> str:
    """A link to the current search with ``changes`` (see params.link_args).

    The format defaults to the page's own, so links inside /embed stay there.
    """
    fmt = fmt or context.get("fmt") or "html"
    if fmt == "json":
        fmt = "html"
    config = current_app.config
    per_page = config["FEED_SIZE"] if fmt == "atom" else config["PER_PAGE"]
    args = link_args(context["params"], per_page, **changes)
    # A results page has some seventy of these links: the route is built once
    # per request and format, the query string as url_for would write it.
    bases = g.setdefault("search_url_bases", {})
    base = bases.get((fmt, _external))
    if base is None:
        base = bases[(fmt, _external)] = url_for("search.search", fmt=fmt, _external=_external)
    query = "&".join(
        f"{_quoted(k)}={_quoted(str(v))}" for k, v in iter_multi_items(args) if v is not None
    )
    return f"{base}?{query}" if query else base


@lru_cache(maxsize=1 << 12)
def _quoted(value: str) -> str:
    """``value`` as ``urlencode`` writes it: a page's links repeat the same few values."""
    return quote_plus(value, safe=_QUERY_SAFE)


def page_numbers(page: int, last: int, width: int = 2) -> list[int | None]:
    """Page links around ``page``: first, last and a window; None marks a gap.

    >>> page_numbers(6, 20)
    [1, None, 4, 5, 6, 7, 8, None, 20]
    """
    shown = {1, last, *range(max(1, page - width), min(last, page + width) + 1)}
    out: list[int | None] = []
    prev = 0
    for n in sorted(shown):
        if n - prev > 1:
            out.append(None)
        out.append(n)
        prev = n
    return out


def init_app(app: Flask) -> None:
    """Register the template filters and globals."""
    app.jinja_env.filters.update(
        only_mark=only_mark,
        plain_text=plain_text,
        xml_safe=xml_safe,
        safe_url=safe_url,
        vn_date=vn_date,
        vn_number=vn_number,
    )
    app.jinja_env.globals.update(search_url=search_url, page_numbers=page_numbers)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
