"""Keep-alive connections spread evenly over the worker processes of ``vnsearch serve``.

Every worker accepts on the same listening socket, and the kernel hands a
new connection to whichever worker asks first: sixteen keep-alive clients
arriving at once were seen split 12 to 4, and the worker holding twelve
kept them, with three times the latency of the other, for the whole run.
Here each worker publishes, in memory shared with the others, how many
connections it holds, and stops accepting while another live worker holds
fewer. Two workers never both decline, and a worker that accepts wakes
the others (one pipe each), so one that was declining looks again at once:
a new connection is never refused and never waits for a worker's loop to
time out. A worker whose figure has not been renewed for ``STALE`` seconds
(dead, or restarting) is left out.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any

from waitress import wasyncore

STALE = 5.0  # seconds; waitress's loop renews the figure at least once a second


class Balance:
    """One (connections, renewed at) slot and one wake-up pipe per worker, shared across ``fork``."""

    def __init__(self, workers: int):
        self.workers = workers
        self._slots = multiprocessing.RawArray("d", 2 * workers)  # zeroed: every slot stale
        self._pipes = [os.pipe() for _ in range(workers)]
        for reading, writing in self._pipes:
            os.set_blocking(reading, False)
            os.set_blocking(writing, False)

    def attach(self, server: Any, slot: int) -> None:
        """Make waitress ``server``, running as worker ``slot``, take its share of connections.

        Waitress asks ``server.readable()`` on every turn of its loop whether
        to poll the listening socket: the wrapper records this worker's count
        and answers no while another holds fewer. Each accept wakes the
        other workers' loops through their pipes.
        """
        accepting, accept = server.readable, server.handle_accept
        sockets = server._map  # waitress's socket map: listener, trigger, pipe, connections
        _Wake(self._pipes[slot][0], sockets)

        def readable() -> bool:
            ready = accepting()
            held = len(sockets)
            now = time.monotonic()
            self._slots[2 * slot] = held
            self._slots[2 * slot + 1] = now
            return ready and not self._fewer_elsewhere(slot, held, now)

        def handle_accept() -> None:
            accept()
            for other, (_, writing) in enumerate(self._pipes):
                if other != slot:
                    try:
                        os.write(writing, b".")
                    except BlockingIOError:  # a full pipe will wake it anyway
                        pass

        server.readable = readable
        server.handle_accept = handle_accept

    def _fewer_elsewhere(self, slot: int, held: int, now: float) -> bool:
        for other in range(self.workers):
            if other == slot or now - self._slots[2 * other + 1] > STALE:
                continue
            if self._slots[2 * other] < held:
                return True
        return False


class _Wake(wasyncore.file_dispatcher):
    """The read end of a worker's wake-up pipe in its waitress loop: read and forgotten."""

    def writable(self) -> bool:
        return False

    def handle_read(self) -> None:
        try:
            os.read(self._fileno, 4096)
        except BlockingIOError:
            pass
