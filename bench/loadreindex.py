"""bench/load.py ``--during-reindex``: the load while ``vnsearch reindex --full`` runs.

A one-article marker corpus goes into the rebuild; a :class:`Probe` asks for
the marker every PROBE_EVERY seconds (as an article and as a search), which
shows when the server starts answering from the new generation and that it
never goes back to the old one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from common import REPO
from loadclient import get, run_clients

PROBE_EVERY = 0.2  # seconds between marker probes during a reindex


def stats(cmd: list[str], index: Path) -> dict:
    out = subprocess.run(
        [*cmd, "stats", "--index", str(index), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip()}
    data = json.loads(out.stdout)
    return {"generation": data["generation"], "articles": data["articles"]}


# --- during a reindex ---------------------------------------------------------------------


class Probe(threading.Thread):
    """Asks for the marker article every PROBE_EVERY s: 'old' (absent) or 'new' (there)."""

    def __init__(self, port: int, marker_id: str, token: str, t0: float, timeout: float):
        super().__init__(name="load-probe", daemon=True)
        self.port, self.t0, self.timeout = port, t0, timeout
        self.article_url = "/api/articles/" + quote(marker_id, safe="")
        self.search_url = "/api/search?" + urlencode({"q": token})
        self.stop = threading.Event()
        self.seen: list[tuple[float, str, str]] = []  # (at, by article, by search)

    def state(self) -> tuple[str, str]:
        try:
            status, _ = get(self.port, self.article_url, self.timeout)
            by_article = {200: "new", 404: "old"}.get(status, f"error {status}")
            status, body = get(self.port, self.search_url, self.timeout)
            total = json.loads(body)["total"] if status == 200 else None
            by_search = f"error {status}" if total is None else "new" if total else "old"
        except (OSError, ValueError) as e:
            return f"error {type(e).__name__}", "error"
        return by_article, by_search

    def run(self) -> None:
        for _ in range(int(24 * 3600 / PROBE_EVERY)):
            if self.stop.wait(PROBE_EVERY):
                break
            at = time.perf_counter() - self.t0
            self.seen.append((at, *self.state()))

    def summary(self) -> dict:
        states = [s for _, a, b in self.seen for s in (a, b)]
        new_at = [t for t, a, b in self.seen if "new" in (a, b)]
        old_at = [t for t, a, b in self.seen if "old" in (a, b)]
        return {
            "probes": len(self.seen),
            "errors": sum(s.startswith("error") for s in states),
            "disagreements": sum(a != b for _, a, b in self.seen),
            "first_new_s": min(new_at) if new_at else None,
            "last_old_s": max(old_at) if old_at else None,
            "went_back": bool(new_at and old_at and max(old_at) > min(new_at)),
        }


def make_marker(into: Path) -> tuple[str, str]:
    """A one-article corpus whose id and number exist nowhere else: (id, number)."""
    token = str(time.time_ns())[-12:]
    marker_id = f"bench-load-marker-{token}"
    into.mkdir(parents=True)
    article = {
        "id": marker_id,
        "title": f"Bài đánh dấu của bench/load.py số {token}",
        "body": f"Bài viết này chỉ có trong thế hệ chỉ mục mới. Mã đánh dấu {token}.",
        "date": "2020-01-01",
        "source": "bench",
    }
    (into / "marker.json").write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    return marker_id, token


def during_reindex(cmd, args, port: int, mix: list[tuple], tmp: Path, log) -> tuple[list, dict]:
    """The load while a full reindex runs, and what was seen of the swap."""
    marker_id, token = make_marker(tmp / "marker")
    if get(port, "/api/articles/" + quote(marker_id, safe=""), args.timeout)[0] != 404:
        raise SystemExit(f"the marker {marker_id} is already in the index")
    before = stats(cmd, args.index)
    reindex = [*cmd, "reindex", str(args.during_reindex), str(tmp / "marker")]
    reindex += ["--index", str(args.index), "--full"]
    if args.reindex_jobs:
        reindex += ["--jobs", str(args.reindex_jobs)]
    info: dict = {"command": reindex, "before": before}
    state: dict = {"proc": None, "started": None, "ended": None}

    def until(elapsed: float) -> bool:
        """Start the reindex after the delay; stop the load --after s after it ends."""
        if state["proc"] is None and elapsed >= args.reindex_delay:
            print(f"reindexing under load: {' '.join(reindex)}", file=sys.stderr)
            state["proc"] = subprocess.Popen(
                reindex, stdout=log, stderr=subprocess.STDOUT, cwd=REPO
            )
            state["started"] = elapsed
        proc = state["proc"]
        if proc is not None and state["ended"] is None and proc.poll() is not None:
            state["ended"] = elapsed
        return (
            state["ended"] is not None
            and elapsed >= state["ended"] + args.after
            and elapsed >= args.seconds
        )

    t0 = time.perf_counter()
    probe = Probe(port, marker_id, token, t0, args.timeout)
    probe.start()
    try:
        clients = run_clients(port, mix, args, args.max_seconds, until)
    except BaseException:  # interrupted: the reindex goes with the load
        if state["proc"] is not None and state["proc"].poll() is None:
            state["proc"].kill()
            state["proc"].wait(30)
        raise
    finally:
        probe.stop.set()
    probe.join(args.timeout + 5)
    # run_clients' clock started a moment after t0: shift the probe's times onto it.
    offset = clients[0].t0 - t0 if clients else 0.0
    probe.seen = [(t - offset, a, b) for t, a, b in probe.seen]
    proc = state["proc"]
    if proc is not None and proc.poll() is None:
        proc.kill()  # the load's time bound passed: the reindex is stopped, and said so
        proc.wait(30)
        info["killed_at_time_bound"] = True
    info.update(
        marker_id=marker_id,
        returncode=proc.returncode if proc else None,
        started_s=state["started"],
        ended_s=state["ended"],
        after=stats(cmd, args.index),
        probe=probe.summary(),
    )
    return clients, info
