"""The ``vnsearch serve`` command, added to the library's command line.

``setup.cfg`` declares :func:`register` under the ``vnsearch.commands``
entry-point group; ``search.cli`` finds it there, so the library never
imports the web.
"""

from __future__ import annotations

import argparse

from search.cli import positive


def register(sub: argparse._SubParsersAction, index_default: str) -> None:
    """Add ``serve`` to the ``vnsearch`` sub-commands."""
    v = sub.add_parser("serve", help="serve the web interface and JSON API")
    v.add_argument("--index", default=index_default)
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=5000)
    v.add_argument(
        "--workers",
        type=positive,
        default=None,
        help="serving processes (default: one per core)",
    )
    v.add_argument("--debug", action="store_true", help="Flask's development server")
    v.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    from .serve import serve as run

    run(args.index, args.host, args.port, args.debug, args.workers)
    return 0
