"""``vnsearch serve``: waitress in production, the Flask development server with --debug."""

from __future__ import annotations

import sys

from . import create_app


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
    import waitress

    print(f"vnsearch: đang phục vụ tại {url} (Ctrl+C để dừng)", file=sys.stderr)
    # ident=None: no Server header, so no software or version is announced.
    waitress.serve(app, host=host, port=port, ident=None)
