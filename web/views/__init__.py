"""One blueprint per concern; each view builds one data dict and renders it last."""

from __future__ import annotations

from flask import Flask

from . import articles, export, intranet, persons, search, suggest


def init_app(app: Flask) -> None:
    """Register the URL converters, then every blueprint."""
    app.url_map.converters.update(articles.CONVERTERS)
    for module in (search, articles, persons, suggest, intranet, export):
        app.register_blueprint(module.bp)
