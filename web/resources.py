"""The one Engine of an application, opened on first use and retried until it opens.

The Engine follows reindexing by itself and is thread-safe, so the app keeps
a single instance rather than one per request. When there is no index yet,
``Engine(...)`` raises IndexUnavailable; the request answers 503 and the next
request tries again, so a server started before the first reindex recovers
without a restart.

Engines are shared per index directory within a process: apps built for the
same index (several WSGI mounts, the test suite) use one Engine, which is
thread-safe and follows reindexing, instead of each holding the index open.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, current_app

from search.api import SearchEngine as Engine
from search.api import open_engine as open_backend

EXTENSION = "vnsearch"

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def open_engine(index_dir: str) -> Engine:
    """The process's Engine on ``index_dir``; raises IndexUnavailable while there is none."""
    key = os.path.realpath(index_dir)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _engines[key] = open_backend(index_dir)
        return engine


class EngineHolder:
    """Opens the app's Engine on first use; until then every use retries."""

    def __init__(self, index_dir: str):
        self.index_dir = index_dir
        self._engine: Engine | None = None

    def get(self) -> Engine:
        """The Engine; raises IndexUnavailable while no index can be opened."""
        if self._engine is None:  # racing threads get the same Engine from open_engine
            self._engine = open_engine(self.index_dir)
        return self._engine


def init_app(app: Flask) -> None:
    """Attach an EngineHolder for ``app.config["INDEX"]``."""
    app.extensions[EXTENSION] = EngineHolder(app.config["INDEX"])


def get_engine() -> Engine:
    """The current application's Engine (see EngineHolder.get)."""
    return current_app.extensions[EXTENSION].get()
