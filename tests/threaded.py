"""A waitress server in a thread of the test process, stopped without racing its loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def running(server: Any) -> Iterator[Any]:
    """Run ``server`` (a waitress server) in a thread; stop it inside its own loop.

    ``server.close()`` from another thread closes sockets the loop is waiting
    on in ``select`` (EBADF in the server thread, reported by pytest in some
    later test) and leaves open connections to a trigger already closed. So:
    the task threads finish first, then the loop itself closes every
    connection and the server, and, with nothing left to watch, returns.
    """
    thread = threading.Thread(target=server.run, name="waitress-test-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.task_dispatcher.shutdown()

        def close_all() -> None:
            for channel in list(server._map.values()):
                if channel is not server and channel is not server.trigger:
                    channel.close()
            server.close()  # the trigger too

        server.trigger.pull_trigger(close_all)
        thread.join(10)
