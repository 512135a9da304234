"""Every failure becomes a short answer in the request's format, never a traceback.

Formats: ``{"error": ...}`` for the API, a page for HTML and /embed, an Atom
document for the feed. The status says what happened:

- 400 a bad parameter (the message names it), 404 an unknown article or page;
- 503 with Retry-After only while the index is missing or being replaced
  (:class:`~search.errors.IndexUnavailable`): come back later;
- 500 for anything else, which is a bug: logged with its traceback, answered
  with a short message that shows nothing of the code or the paths.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, NotFound

from search.errors import BadRequest, IndexUnavailable

from .render import respond

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không tìm thấy trang bạn yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    500: "Đã xảy ra lỗi trong hệ thống tìm kiếm. Lỗi đã được ghi lại để khắc phục.",
    503: "Hệ thống tìm kiếm tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút.",
}
TITLES = {
    400: "Yêu cầu không hợp lệ",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    500: "Lỗi hệ thống",
    503: "Tạm thời gián đoạn",
}
RETRY_AFTER = "30"
FORMATS = ("json", "embed", "html", "atom")
TEMPLATES = {"html": "error.html", "embed": "error.html", "atom": "error.atom.xml"}


def error_format() -> str:
    """The format the failed request asked for: json, embed, atom or html."""
    fmt = (request.view_args or {}).get("fmt")
    if fmt in FORMATS:
        return fmt
    if request.path.startswith("/api/"):
        return "json"
    return {"/embed": "embed", "/feed.atom": "atom"}.get(request.path, "html")


def error_response(status: int, message: str) -> Response:
    """``{"error": message}``, error.html or error.atom.xml, with the given status."""
    fmt = error_format()
    if fmt == "json":
        response = respond("", {"error": message}, "json", status)
    else:
        data = {
            "error": message,
            "status": status,
            "title": TITLES.get(status, "Lỗi"),
            "updated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        response = respond(TEMPLATES[fmt], data, fmt, status)
    if status == 503:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


def on_bad_request(e: BadRequest) -> Response:
    """400: the library's message already names the parameter."""
    return error_response(400, str(e) or MESSAGES[400])


def on_unavailable(e: IndexUnavailable) -> Response:
    """503 while there is no index; the next request tries to open it again."""
    current_app.logger.warning("index unavailable: %s", e)
    return _answer(503)


def on_http_error(e: HTTPException) -> Response:
    """404, 405 and the like in the format of the request, in Vietnamese."""
    status = e.code or 500
    if status >= 500:
        return on_unexpected(e)
    # Our own 404s carry a Vietnamese description; werkzeug's default is English.
    message = e.description if status == 404 and e.description != NotFound.description else None
    response = error_response(status, message or MESSAGES.get(status, MESSAGES[400]))
    if status == 405 and hasattr(e, "valid_methods") and e.valid_methods:
        response.headers["Allow"] = ", ".join(e.valid_methods)
    return response


def on_unexpected(e: Exception) -> Response:
    """Anything else is a bug: logged with its traceback, answered 500."""
    current_app.logger.error("unexpected error on %s", request.path, exc_info=e)
    return _answer(500)


def _answer(status: int) -> Response:
    """The standard message for ``status``; plain text if even the error page fails."""
    try:
        return error_response(status, MESSAGES[status])
    except Exception:
        current_app.logger.exception("error page failed")
        response = Response(MESSAGES[status], status, mimetype="text/plain")
        if status == 503:
            response.headers["Retry-After"] = RETRY_AFTER
        return response


def init_app(app: Flask) -> None:
    """Register the handlers; the most specific class wins."""
    app.register_error_handler(BadRequest, on_bad_request)
    app.register_error_handler(IndexUnavailable, on_unavailable)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_unexpected)
