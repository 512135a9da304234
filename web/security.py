"""Response headers (CSP, CORS, nosniff...) and mounting under a sub-path.

Pages may not be framed, except ``/embed``, which the configured intranet
origins may frame. The JSON API answers cross-origin requests only from those
origins. Nothing announces the server's software or version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; manifest-src 'self'"
)
EMBED_PATHS = ("/embed",)
API_PREFIX = "/api/"


class SubpathMiddleware:
    """Serve the app under ``prefix`` (e.g. ``/tintuc``) so that every URL carries it.

    Works whether the reverse proxy strips the prefix before forwarding or
    not: a path that still starts with it has it moved to SCRIPT_NAME.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], prefix: str):
        self.app = app
        self.prefix = prefix

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        path = environ.get("PATH_INFO", "")
        script = environ.get("SCRIPT_NAME", "").rstrip("/")
        if path == self.prefix or path.startswith(self.prefix + "/"):
            path = path[len(self.prefix) :]
        if not script.endswith(self.prefix):
            script += self.prefix
        environ["SCRIPT_NAME"] = script
        environ["PATH_INFO"] = path or "/"
        return self.app(environ, start_response)


def frame_ancestors(origins: list[str], embed: bool) -> str:
    """The CSP frame-ancestors source list for a response."""
    if not embed:
        return "'none'"
    if "*" in origins:
        return "*"
    return " ".join(["'self'", *origins])


def cors_origin(origin: str | None, allowed: list[str]) -> str | None:
    """The value for Access-Control-Allow-Origin, or None to refuse."""
    if not origin:
        return None
    if "*" in allowed:
        return "*"
    return origin if origin.lower().rstrip("/") in allowed else None


def add_headers(response: Response) -> Response:
    """after_request: security headers on every response, CORS on the API."""
    origins = current_app.config["ALLOWED_ORIGINS"]
    embed = request.path in EMBED_PATHS
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", f"{CSP}; frame-ancestors {frame_ancestors(origins, embed)}"
    )
    if not embed:
        headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Content-Type-Options"] = "nosniff"
    # Queries are in our URLs: do not hand them to the news sites we link to.
    headers["Referrer-Policy"] = "same-origin"
    headers.pop("Server", None)
    if request.path.startswith(API_PREFIX):
        headers.add("Vary", "Origin")
        allow = cors_origin(request.headers.get("Origin"), origins)
        if allow:
            headers["Access-Control-Allow-Origin"] = allow
            headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            headers["Access-Control-Max-Age"] = "86400"
    return response


def init_app(app: Flask) -> None:
    """Install the header hook, the proxy fix and the sub-path mount."""
    app.after_request(add_headers)
    if app.config["SUBPATH"]:
        app.wsgi_app = SubpathMiddleware(app.wsgi_app, app.config["SUBPATH"])  # type: ignore[method-assign]
    if app.config["TRUSTED_PROXIES"]:  # outermost: X-Forwarded-Prefix may set the sub-path too
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)  # type: ignore[method-assign]
