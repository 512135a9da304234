"""``vnsearch serve``: waitress in production, the Flask development server with --debug."""

from __future__ import annotations

import logging
import sys
from typing import Any

from flask import Flask

from . import create_app

# ident=None: no Server header and no name in waitress's own error pages, so
# no software or version is announced.
WAITRESS: dict[str, Any] = {"ident": None}


def create_server(app: Flask, host: str = "127.0.0.1", port: int = 5000) -> Any:
    """The waitress server ``vnsearch serve`` runs (not yet running; ``port=0`` picks one).

    Call ``.run()`` to serve and ``.close()`` to stop; ``.effective_port`` is the port.
    """
    from waitress.server import create_server as waitress_server

    return waitress_server(app, host=host, port=port, **WAITRESS)


def serve(
    index_dir: str | None, host: str = "127.0.0.1", port: int = 5000, debug: bool = False
) -> None:
    """Serve the app on ``host:port`` until interrupted.

    ``index_dir`` overrides the configured index (None keeps the configuration).
    Raises ConfigError for a bad configuration before binding the port.
    """
    overrides = {"INDEX": index_dir} if index_dir else {}
    app = create_app(overrides)
    url = f"http://{host}:{port}{app.config['SUBPATH']}/"
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    logging.basicConfig()  # as waitress.serve does: its warnings reach stderr
    server = create_server(app, host, port)
    print(f"vnsearch: đang phục vụ tại {url} (Ctrl+C để dừng)", file=sys.stderr)
    server.run()
