"""``vnsearch serve --workers N``: the real command, its worker processes and their supervisor."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from polling import wait_for

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes] | None:
    """(status, body), or None while nothing answers on the port."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    except OSError:
        return None
    finally:
        conn.close()


def children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (from /proc)."""
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return set()
    return {int(c) for c in found if alive(int(c))}


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def server(fixture_index, tmp_path):
    """``vnsearch serve --workers 2`` on a free port, answering; its log on failure."""
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNSEARCH_")}
    cmd = [sys.executable, "-m", "search.cli", "serve", "--index", str(fixture_index)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--workers", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        env=env,
    )
    try:
        wait_for(lambda: get(port, "/api/search?q=tinh"), what="the server to answer")
        yield proc, port, log
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(20)
        log.close()


def test_workers_answer_and_search(server):
    proc, port, _ = server
    wait_for(lambda: len(children(proc.pid)) == 2, 30, "two workers")
    for _ in range(20):  # keep-alive off: each request a new connection, any worker
        status, body = get(port, "/api/search?q=dai+hoi+dang+bo")
        assert status == 200
        assert json.loads(body)["total"] > 0


def test_a_killed_worker_is_replaced_and_serving_goes_on(server):
    proc, port, log = server
    first = wait_for(lambda: (c := children(proc.pid)) and len(c) == 2 and c, 30, "two workers")
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    wait_for(
        lambda: len(children(proc.pid)) == 2 and victim not in children(proc.pid),
        30,
        "a new worker in place of the killed one",
    )
    assert get(port, "/api/search?q=tinh")[0] == 200
    log.seek(0)
    assert f"worker {victim} stopped (signal 9); starting another" in log.read()


def test_sigterm_stops_every_worker_and_frees_the_port(server):
    proc, port, _ = server
    workers = wait_for(lambda: (c := children(proc.pid)) and len(c) == 2 and c, 30, "workers")
    proc.terminate()
    assert proc.wait(20) == 0
    wait_for(lambda: not any(alive(w) for w in workers), 20, "the workers to stop")
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))  # free again


def test_workers_stop_when_the_supervisor_is_killed(server):
    proc, _, _ = server
    workers = wait_for(lambda: (c := children(proc.pid)) and len(c) == 2 and c, 30, "workers")
    proc.kill()
    proc.wait(20)
    wait_for(lambda: not any(alive(w) for w in workers), 20, "orphaned workers to stop")


def test_a_port_in_use_is_one_line(fixture_index, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "search.cli", "serve", "--index", str(fixture_index)]
            + ["--port", str(port)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"vnsearch: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def established(pid: int, port: int) -> int:
    """Connections to ``port`` that process ``pid`` holds open (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in inodes
    return held


def test_keep_alive_connections_are_shared_evenly(server):
    proc, port, _ = server
    workers = wait_for(lambda: (c := children(proc.pid)) and len(c) == 2 and c, 30, "workers")
    conns = []
    try:
        for _ in range(8):  # one at a time: each taken by whichever worker accepts first
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/suggest?q=ha")
            assert conn.getresponse().read()
            conns.append(conn)
        assert sorted(established(w, port) for w in workers) == [4, 4]
    finally:
        for conn in conns:
            conn.close()
