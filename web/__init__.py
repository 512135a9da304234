"""The Flask application users see and intranets embed, built on search.api only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import errors, render, resources, security, views
from .config import load_config


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults < ``$VNSEARCH_CONFIG`` file < ``VNSEARCH_*`` < ``test_config``.

    Raises ConfigError (one line, naming the setting) for a bad configuration.
    The index is opened on the first request that needs it, not here, so the
    server starts even before the first reindex.
    """
    app = Flask(__name__)
    app.config.update(load_config(test_config))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Vietnamese stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep INTERFACE.md's order
    resources.init_app(app)
    render.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    return app
