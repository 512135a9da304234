"""Every failure becomes a JSON error (API) or a friendly page (HTML), never a traceback.

400 for a bad parameter (the message names it), 404 for an unknown article
or page, 503 while the index cannot be opened. Anything unexpected is logged
with its traceback and answered 503 as well: the user sees "try again", not a
500 page, and the log has what a developer needs.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, NotFound

from search.errors import BadRequest, IndexUnavailable

from .render import respond

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    404: "Không tìm thấy trang bạn yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    503: "Hệ thống tìm kiếm tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút.",
}
TITLES = {
    400: "Yêu cầu không hợp lệ",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    503: "Tạm thời gián đoạn",
}
RETRY_AFTER = "30"


def error_format() -> str:
    """The format the failed request asked for: json, embed or html."""
    fmt = (request.view_args or {}).get("fmt")
    if fmt in ("json", "embed", "html"):
        return fmt
    if request.path.startswith("/api/"):
        return "json"
    return "embed" if request.path == "/embed" else "html"


def error_response(status: int, message: str) -> Response:
    """``{"error": message}`` or error.html, with the given status."""
    fmt = error_format()
    if fmt == "json":
        response = respond("", {"error": message}, "json", status)
    else:
        data = {"error": message, "status": status, "title": TITLES.get(status, "Lỗi")}
        response = respond("error.html", data, fmt, status)
    if status == 503:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


def on_bad_request(e: BadRequest) -> Response:
    """400: the library's message already names the parameter."""
    return error_response(400, str(e) or MESSAGES[400])


def on_unavailable(e: IndexUnavailable) -> Response:
    """503 while there is no index; the next request tries to open it again."""
    current_app.logger.warning("index unavailable: %s", e)
    return error_response(503, MESSAGES[503])


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
    """Anything else: logged with its traceback, answered 503 "try again"."""
    current_app.logger.exception("unexpected error on %s", request.path)
    try:
        return error_response(503, MESSAGES[503])
    except Exception:  # even the error page failed: answer in plain text
        current_app.logger.exception("error page failed")
        response = Response(MESSAGES[503], 503, mimetype="text/plain")
        response.headers["Retry-After"] = RETRY_AFTER
        return response


def init_app(app: Flask) -> None:
    """Register the handlers; the most specific class wins."""
    app.register_error_handler(BadRequest, on_bad_request)
    app.register_error_handler(IndexUnavailable, on_unavailable)
    app.register_error_handler(HTTPException, on_http_error)
    app.register_error_handler(Exception, on_unexpected)
