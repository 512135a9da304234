"""``vnsearch serve``: waitress in production, the Flask development server with --debug.

A search is Python work under one GIL, so one process serves at most one
core. ``--workers N`` (default: one per core) binds the port once, loads the
code and the analysis models (shared by the workers, copy-on-write) and forks N
waitress processes that accept on it, each with its own Engine, holding
even shares of the keep-alive connections (:mod:`web.balance`); the parent
only supervises: it restarts a worker that dies and stops them all on
SIGTERM or Ctrl+C. Every worker follows reindexing by itself.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import threading
import time
from typing import Any

from flask import Flask

from search.api import preload
from search.processes import cores, die_with

from . import create_app
from .balance import Balance
from .resources import EXTENSION

# ident=None: no Server header and no name in waitress's own error pages, so
# no software or version is announced. One thread a worker, not waitress's
# four: a search holds the GIL, so a second thread only contends for it (16
# clients on 2 workers: 138 req/s, p95 186 ms with two threads; 178 req/s,
# p95 144 ms with one). Its I/O thread still reads and writes meanwhile.
WAITRESS: dict[str, Any] = {"ident": None, "threads": 1}
RESTART_LIMIT = 5  # worker deaths within RESTART_WINDOW seconds before giving up
RESTART_WINDOW = 30.0


def create_server(app: Flask, host: str = "127.0.0.1", port: int = 5000, **options: Any) -> Any:
    """The waitress server ``vnsearch serve`` runs (not yet running; ``port=0`` picks one).

    ``options`` go to waitress (``sockets=[...]`` to serve a socket bound
    elsewhere). Call ``.run()`` to serve and ``.close()`` to stop;
    ``.effective_port`` is the port.
    """
    from waitress.server import create_server as waitress_server

    if "sockets" in options:
        return waitress_server(app, **WAITRESS, **options)
    return waitress_server(app, host=host, port=port, **WAITRESS, **options)


def serve(
    index_dir: str | None,
    host: str = "127.0.0.1",
    port: int = 5000,
    debug: bool = False,
    workers: int | None = None,
) -> None:
    """Serve the app on ``host:port`` until interrupted.

    ``index_dir`` overrides the configured index (None keeps the configuration).
    Raises ConfigError for a bad configuration and OSError for a port that
    cannot be bound, before anything is served.
    """
    overrides = {"INDEX": index_dir} if index_dir else {}
    app = create_app(overrides)  # the configuration is checked here, once
    url = f"http://{host}:{port}{app.config['SUBPATH']}/"
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    logging.basicConfig()  # as waitress.serve does: its warnings reach stderr
    workers = workers or cores()
    sock = _bind(host, port)
    print(
        f"vnsearch: đang phục vụ tại {url} ({workers} tiến trình; Ctrl+C để dừng)",
        file=sys.stderr,
    )
    if workers == 1:
        _run_worker(app, sock)
        return
    # Fork after the code and the analysis models are loaded, and keep the
    # collector off those objects, so every worker shares their pages.
    preload()
    gc.freeze()
    balance = Balance(workers)
    Supervisor(lambda slot: _run_worker(app, sock, balance, slot), workers).run()


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket every worker accepts on (IPv6 literal hosts included)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _run_worker(
    app: Flask, sock: socket.socket, balance: Balance | None = None, slot: int = 0
) -> None:
    """Serve ``sock`` in this process until stopped; the index opens in the background.

    With ``balance``, this is worker ``slot`` of the Supervisor, sharing the
    connections evenly with the others.
    """
    if balance is not None:
        parent = os.getppid()
        if not die_with(parent):  # no kernel help: watch for the supervisor's end
            threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    holder = app.extensions[EXTENSION]
    threading.Thread(target=_open_quietly, args=(holder,), daemon=True).start()
    server = create_server(app, sockets=[sock])
    if balance is not None:
        balance.attach(server, slot)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _open_quietly(holder) -> None:
    """Open the Engine before the first request asks; without an index, requests retry."""
    try:
        holder.get()
    except Exception:  # no index yet: the first request answers 503 and tries again
        pass


def _exit_with_parent(parent: int) -> None:
    """A worker whose supervisor is gone (SIGKILL) stops instead of holding the port."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


class Supervisor:
    """Forks ``count`` workers running ``target(slot)``; restarts the ones that die; stops them all.

    Slots are 0 to ``count - 1``; a worker started in place of a dead one gets its slot.
    """

    def __init__(self, target, count: int):
        self.target = target
        self.count = count
        self.children: dict[int, int] = {}  # pid -> slot
        self.stopping = False
        self.deaths: list[float] = []

    def run(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._stop)
        try:
            for slot in range(self.count):
                self._spawn(slot)
            while self.children:
                try:
                    pid, status = os.wait()
                except ChildProcessError:
                    break
                except InterruptedError:
                    continue
                slot = self.children.pop(pid, None)
                if not self.stopping and slot is not None:
                    self._died(pid, status, slot)
        finally:
            self._stop_children()

    def _spawn(self, slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            for sig in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            code = 0
            try:
                self.target(slot)
            except BaseException as exc:  # anything: a worker must never return into the loop
                if not isinstance(exc, KeyboardInterrupt | SystemExit):
                    print(f"vnsearch: worker {os.getpid()} failed: {exc}", file=sys.stderr)
                    code = 1
            finally:
                os._exit(code)
        self.children[pid] = slot

    def _died(self, pid: int, status: int, slot: int) -> None:
        how = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit {os.WEXITSTATUS(status)}"
        )
        now = time.monotonic()
        self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW] + [now]
        if len(self.deaths) > RESTART_LIMIT:
            print(
                f"vnsearch: worker {pid} stopped ({how}); {len(self.deaths)} in "
                f"{RESTART_WINDOW:.0f} s, giving up",
                file=sys.stderr,
            )
            self.stopping = True
            self._stop_children()
            raise SystemExit(1)
        print(f"vnsearch: worker {pid} stopped ({how}); starting another", file=sys.stderr)
        time.sleep(0.5)
        self._spawn(slot)

    def _stop(self, signum, frame) -> None:
        self.stopping = True
        self._stop_children()

    def _stop_children(self) -> None:
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                self.children.pop(pid, None)
