"""URL parameters <-> SearchRequest, for every resource that searches.

``request_from_args`` is the only place that reads search parameters; a bad
one raises :class:`BadRequest` naming it. ``echo`` turns the request back into
parameter form, which the page shows (filter chips, form values) and which
``link_args`` edits to make facet, chip, sort and page links.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from search.errors import BadRequest, dates_reversed, not_one_of, out_of_range
from search.models import FILTER_LABELS, SORTS, SearchRequest

from .config import DEFAULTS

MAX_QUERY = 500  # characters; longer is a paste accident or an attack
MAX_VALUES = 20  # per repeated filter parameter
MAX_VALUE = 200  # characters per filter value
MULTI = {"province": "provinces", "person": "persons", "source": "sources", "year": "years"}
MAX_STORY = 64  # characters of a story id (they are 12)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def configured_request(args: Any, config: Mapping, per_page: int | None = None) -> SearchRequest:
    """:func:`request_from_args` with the app's page sizes and limits (``config``)."""
    return request_from_args(
        args,
        per_page=per_page or config["PER_PAGE"],
        max_per_page=config["MAX_PER_PAGE"],
        max_page=config["MAX_PAGE"],
    )


def request_from_args(
    args: Any,
    *,
    per_page: int = DEFAULTS["PER_PAGE"],
    max_per_page: int = DEFAULTS["MAX_PER_PAGE"],
    max_page: int = DEFAULTS["MAX_PAGE"],
) -> SearchRequest:
    """Read ``q province* person* source* year* from to sort page per_page collapse story``.

    ``args`` is a werkzeug MultiDict (``request.args``) or anything with
    ``get`` and ``getlist``. Empty values count as absent, as HTML forms send
    every field.
    """
    q = clean_text(args.get("q", ""), "q", MAX_QUERY)
    req = SearchRequest(q=q, per_page=per_page, max_per_page=max_per_page, max_page=max_page)
    for param, attr in MULTI.items():
        values = _many(args.getlist(param), param)
        if param == "year":
            values = [_year(v) for v in values]
        setattr(req, attr, values)
    req.date_from = _date(args.get("from", ""), "from")
    req.date_to = _date(args.get("to", ""), "to")
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise dates_reversed()
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise not_one_of("sort", SORTS)
    req.sort = sort
    req.page = parse_int(args.get("page", ""), "page", 1, max_page, 1)
    req.per_page = parse_int(args.get("per_page", ""), "per_page", 1, max_per_page, per_page)
    req.collapse = bool(parse_int(args.get("collapse", ""), "collapse", 0, 1, 1))
    req.story = clean_text(args.get("story", ""), "story", MAX_STORY) or None
    return req


def echo(req: SearchRequest) -> dict[str, Any]:
    """The request in URL-parameter form, plus the active filters as chips."""
    params: dict[str, Any] = {
        "q": req.q,
        "province": list(req.provinces),
        "person": list(req.persons),
        "source": list(req.sources),
        "year": [str(y) for y in req.years],
        "from": req.date_from.isoformat() if req.date_from else "",
        "to": req.date_to.isoformat() if req.date_to else "",
        "sort": req.sort,
        "page": req.page,
        "per_page": req.per_page,
        "collapse": int(req.collapse),
        "story": req.story or "",
    }
    filters = []
    for param in ("province", "person", "source", "year", "from", "to", "story"):
        values = params[param] if param in MULTI else [params[param]] if params[param] else []
        for value in values:
            filters.append({"param": param, "value": value, "label": FILTER_LABELS[param]})
    params["filters"] = filters
    return params


def link_args(
    state: Mapping[str, Any],
    default_per_page: int = 10,
    add: tuple[str, str] | None = None,
    remove: tuple[str, str] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """URL arguments for ``url_for``: ``state`` edited, defaults left out.

    Any change other than ``page`` itself goes back to page 1, since the old
    page number means nothing for a different result set.
    """
    args: dict[str, Any] = {}
    for key in ("q", *MULTI, "from", "to", "story", "sort", "page", "per_page", "collapse"):
        value = state.get(key)
        args[key] = list(value) if isinstance(value, list | tuple) else value
    if add or remove or set(changes) - {"page"}:
        args["page"] = 1
    if add and add[1] not in args[add[0]]:
        args[add[0]].append(add[1])
    if remove:
        param, value = remove
        if param in MULTI:
            args[param] = [v for v in args[param] if v != value]
        else:
            args[param] = ""
    args.update(changes)
    # Keep URLs short and canonical: nothing that equals its default.
    defaults = {"sort": "relevance", "page": 1, "per_page": default_per_page, "collapse": 1}
    return {
        k: v
        for k, v in args.items()
        if v not in ("", None, []) and not (k in defaults and v == defaults[k])
    }


def clean_text(value: str, name: str, limit: int) -> str:
    """A free-text value: control characters dropped, whitespace collapsed."""
    value = " ".join(_CONTROL.sub(" ", value or "").split())
    if len(value) > limit:
        raise BadRequest(f"Tham số {name} quá dài (tối đa {limit} ký tự).")
    return value


def _many(values: list[str], name: str) -> list[str]:
    out: list[str] = []
    for raw in values:
        value = clean_text(raw, name, MAX_VALUE)
        if value and value not in out:
            out.append(value)
    if len(out) > MAX_VALUES:
        raise BadRequest(f"Tham số {name} lặp lại quá nhiều lần (tối đa {MAX_VALUES}).")
    return out


def parse_int(raw: str, name: str, low: int, high: int, default: int) -> int:
    raw = (raw or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise out_of_range(name, low, high)
    return int(raw)


def _year(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise BadRequest("Tham số year phải là năm có bốn chữ số, ví dụ 2020.")
    return int(raw)


def _date(raw: str, name: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        if not _DATE.match(raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(
            f"Tham số {name} phải là ngày dạng YYYY-MM-DD, ví dụ 2020-05-23."
        ) from None
