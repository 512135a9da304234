"""Load on the real server: concurrent clients against ``vnsearch serve`` (issue 7).

Starts ``vnsearch serve --index INDEX`` (waitress) on a free port of
127.0.0.1 and drives it from ``--clients`` concurrent keep-alive HTTP
connections for ``--seconds``, after ``--warmup`` untimed seconds. The
requests are a seeded mix drawn from the corpus: the query mix of latency.py
(accented, folded, Telex, dropped-word and body runs, person names, common
words; some with a province or year facet the index offers, some on page 2 or
3), a share sorted by date, as JSON, as the HTML page and as the Atom feed;
autocompletion prefixes; article pages. Every answer is checked: status 200,
JSON that parses, no ``Server`` header; anything else, a timeout or a broken
connection is an error. Figures: requests/s, p50/p95/p99/max latency and
errors, in all and per kind of request. Targets: 0 errors, p95 < 100 ms.

``--during-reindex CORPUS`` runs the same load while
``vnsearch reindex CORPUS MARKER --index INDEX --full`` rebuilds the index
under the server. MARKER is a one-article corpus made for the run, with an id
and a number found nowhere else; a probe asks for it every 0.2 s (as an
article and as a search), which shows when the server starts answering from
the new generation and that it never goes back to the old one.
``vnsearch stats --json`` gives the generation before and after. The load
goes on until the reindex has ended and ``--after`` more seconds have passed
(at most ``--max-seconds``). The index is changed by this: point it at a copy.

    .venv/bin/python bench/load.py --index /tmp/load-index
    .venv/bin/python bench/load.py --index /tmp/load-index --during-reindex CORPUS_DIR
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlencode

from common import (
    OUT_DIR,
    REPO,
    add_common_args,
    corpus_or_exit,
    load_records,
    markdown_table,
    percentile,
    write_json,
)
from latency import query_mix
from queries import folded, words
from reindex import vnsearch_command

HOST = "127.0.0.1"  # never anything else: this is a load generator
TARGET_P95_MS = 100
KINDS = ("search", "page", "feed", "suggest", "article")
WEIGHTS = (0.60, 0.12, 0.05, 0.13, 0.10)
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a bound on every client loop besides the clock
PROBE_EVERY = 0.2  # seconds between marker probes during a reindex
ERRORS_KEPT = 20
WARM_IN_A_ROW = 30  # answers with did-you-mean in a row before measuring


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--index", type=Path, default=REPO / "index", help="vnsearch index (default index/)"
    )
    parser.add_argument("--seconds", type=float, default=60, help="measured load (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument(
        "--workers", type=int, help="`vnsearch serve --workers` (default: serve's, one per core)"
    )
    parser.add_argument("--warmup", type=float, default=5, help="untimed load first (default 5)")
    parser.add_argument(
        "--queries", type=int, default=400, help="size of the query set (default 400)"
    )
    parser.add_argument(
        "--articles", type=int, default=5000, help="queries drawn from the first N (default 5000)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the request mix (default 7)")
    parser.add_argument("--timeout", type=float, default=30, help="per request, s (default 30)")
    parser.add_argument(
        "--during-reindex",
        type=Path,
        metavar="CORPUS",
        help="run `vnsearch reindex CORPUS --full` on the index under the load",
    )
    parser.add_argument(
        "--reindex-jobs", type=int, help="--jobs of that reindex (default: its own)"
    )
    parser.add_argument(
        "--reindex-delay", type=float, default=5, help="load before the reindex starts, s"
    )
    parser.add_argument(
        "--after", type=float, default=5, help="load after the reindex ended, s (default 5)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=1800, help="bound on a load during reindex, s"
    )
    args = parser.parse_args(argv)
    if args.json_out is None:
        name = "load-reindex.json" if args.during_reindex else "load.json"
        args.json_out = OUT_DIR / name
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")
    return args


# --- the request mix ------------------------------------------------------------------


def request_mix(records: Sequence[dict], size: int, seed: int, offers: dict) -> list[tuple]:
    """``(kind, url)`` pairs, seeded; facet values and article ids are ones the index has."""
    rng = random.Random(seed)
    mix = query_mix(records, size, seed)
    prefixes = sorted({w[: rng.randint(2, 6)] for m in mix for w in words(folded(m["q"]))})
    out = []
    for i in range(size * 3):
        kind = rng.choices(KINDS, WEIGHTS)[0]
        m = mix[i % len(mix)]
        if kind == "suggest":
            out.append((kind, "/api/suggest?" + urlencode({"q": rng.choice(prefixes)})))
            continue
        if kind == "article":
            out.append((kind, "/api/articles/" + quote(rng.choice(offers["ids"]), safe="")))
            continue
        params: list[tuple[str, object]] = [("q", m["q"])]
        if m["filter"] == "province" and offers["province"]:
            params.append(("province", rng.choice(offers["province"])))
        elif m["filter"] == "year" and offers["year"]:
            params.append(("year", rng.choice(offers["year"])))
        if m["page"] > 1 and kind != "feed":
            params.append(("page", m["page"]))
        if kind == "search" and rng.random() < 0.15:
            params.append(("sort", rng.choice(("newest", "oldest"))))
        path = {"search": "/api/search", "page": "/search", "feed": "/feed.atom"}[kind]
        out.append((kind, path + "?" + urlencode(params)))
    return out


def index_offers(port: int, timeout: float) -> dict:
    """Province and year values and article ids, asked of the server itself."""
    offers: dict[str, list] = {"province": [], "year": [], "ids": []}
    for q in ("tinh", "đảng", "kinh tế", "ha noi", "quốc hội"):
        _, body = get(port, "/api/search?" + urlencode({"q": q, "per_page": 100}), timeout)
        data = json.loads(body)
        offers["ids"] += [h["id"] for h in data["hits"]]
        for key in ("province", "year"):
            offers[key] += [f["value"] for f in data["facets"].get(key, [])]
    for key in offers:
        offers[key] = sorted(set(offers[key]))
    if not offers["ids"]:
        raise SystemExit("the index answers no common word: is it empty?")
    return offers


# --- one HTTP exchange ----------------------------------------------------------------


def get(port: int, url: str, timeout: float) -> tuple[int, bytes]:
    """(status, body) of ``GET url`` on a connection of its own."""
    status, _, body = exchange(port, url, timeout)
    return status, body


def exchange(port: int, url: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of ``GET url`` on a connection of its own."""
    conn = Connection(port, timeout)
    try:
        return conn.get(url)
    finally:
        conn.close()


class Client(threading.Thread):
    """One keep-alive connection sending its share of the mix until told to stop."""

    def __init__(self, n: int, port: int, mix: list[tuple], t0: float, args, stop: threading.Event):
        super().__init__(name=f"load-client-{n}", daemon=True)
        self.port, self.mix, self.t0, self.stop = port, mix, t0, stop
        self.timeout = args.timeout
        self.next = n * len(mix) // args.clients  # clients start at different places
        self.lenient_404 = args.during_reindex is not None
        self.samples: list[tuple[float, str, float, bool]] = []  # (start, kind, seconds, ok)
        self.errors: list[dict] = []
        self.banners: Counter = Counter()  # Server header values seen
        self.gone = 0  # articles of the old generation missing from the new one

    def run(self) -> None:
        conn = None
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if self.stop.is_set():
                break
            kind, url = self.mix[self.next % len(self.mix)]
            self.next += 1
            started = time.perf_counter()
            status: int | str
            try:
                if conn is None:
                    conn = Connection(self.port, self.timeout)
                status, headers, body = conn.get(url)
                if "server" in headers:
                    self.banners[headers["server"]] += 1
                if headers.get("connection", "").lower() == "close":
                    conn.close()
                    conn = None
                ok = status == 200 and valid(kind, body)
                if status == 404 and kind == "article" and self.lenient_404:
                    ok, self.gone = True, self.gone + 1
            except (OSError, ValueError) as e:
                status, ok = type(e).__name__, False
                if conn is not None:
                    conn.close()
                conn = None
            seconds = time.perf_counter() - started
            self.samples.append((started - self.t0, kind, seconds, ok))
            if not ok and len(self.errors) < ERRORS_KEPT:
                self.errors.append({"at_s": started - self.t0, "url": url, "status": status})
        if conn is not None:
            conn.close()


class Connection:
    """One keep-alive HTTP/1.1 connection that reads only the status line, headers and body.

    http.client parses every answer's headers with the email package: at 200
    answers a second that was a tenth of the machine the server is measured
    on. Waitress sends every answer of this app with a Content-Length; one
    without it (or a malformed one) is a ValueError, counted as an error.
    """

    def __init__(self, port: int, timeout: float):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def get(self, url: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lowercase names, body) of ``GET url``."""
        self.sock.sendall(f"GET {url} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode("ascii"))
        while (end := self.pending.find(b"\r\n\r\n")) < 0:
            self._receive()
        lines = self.pending[:end].decode("latin-1").split("\r\n")
        self.pending = self.pending[end + 4 :]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"]) if "content-length" in headers else -1
        if length < 0:
            raise ValueError("an answer without Content-Length")
        while len(self.pending) < length:
            self._receive()
        body, self.pending = self.pending[:length], self.pending[length:]
        return status, headers, body

    def _receive(self) -> None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.pending += chunk

    def close(self) -> None:
        self.sock.close()


def valid(kind: str, body: bytes) -> bool:
    """The answer is what the kind promises: JSON that parses, a page, a feed."""
    if kind in ("search", "suggest", "article"):
        try:
            json.loads(body)
        except ValueError:
            return False
        return True
    if kind == "feed":
        return body.lstrip().startswith(b"<?xml")
    return b"</html>" in body


def run_clients(port: int, mix: list[tuple], args, seconds: float, until=None) -> list[Client]:
    """Start the clients, stop them after ``seconds`` (or when ``until()`` says so)."""
    stop = threading.Event()
    t0 = time.perf_counter()
    clients = [Client(n, port, mix, t0, args, stop) for n in range(args.clients)]
    for c in clients:
        c.start()
    deadline = t0 + (args.max_seconds if until else seconds)
    while time.perf_counter() < deadline:
        if until is not None and until(time.perf_counter() - t0):
            break
        time.sleep(0.05)
    stop.set()
    for c in clients:
        c.join(args.timeout + 5)
    return clients


# --- the server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(
    cmd: list[str], index: Path, port: int, log, workers: int | None = None
) -> subprocess.Popen:
    """``vnsearch serve`` on ``port``, once it answers; exits with its log if it does not."""
    serve = [*cmd, "serve", "--index", str(index), "--host", HOST, "--port", str(port)]
    if workers:
        serve += ["--workers", str(workers)]
    proc = subprocess.Popen(serve, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"vnsearch serve exited ({proc.returncode}); see {log.name}")
        try:
            if get(port, "/", 2)[0] == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("vnsearch serve did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def warm(port: int, timeout: float) -> dict:
    """Open the index, wait for its vocabulary in every worker; the headers of one answer.

    The vocabulary (did-you-mean, word completions) is built in the background
    once the index opens, tens of seconds on a large index; "lanh dao" gets its
    suggestion "lãnh đạo" only then, and word completions too: until every
    worker has it, the load would measure answers without them.
    """
    _, headers, _ = exchange(port, "/api/search?q=tinh", max(timeout, 120))
    # Every worker process opens its own index and builds its own vocabulary;
    # each request is a new connection, taken by whichever worker is free, so
    # WARM_IN_A_ROW answers in a row with the suggestion mean all are ready.
    deadline = time.monotonic() + 300
    in_a_row = 0
    while time.monotonic() < deadline:
        _, body = get(port, "/api/search?q=lanh+dao", timeout)
        in_a_row = in_a_row + 1 if json.loads(body)["suggestion"] else 0
        if in_a_row >= WARM_IN_A_ROW:
            return headers
        time.sleep(0.05 if in_a_row else 1)
    print("note: no did-you-mean after 300 s; measuring anyway", file=sys.stderr)
    return headers


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


# --- figures ------------------------------------------------------------------------------


def summarize(samples: list[tuple], seconds: float) -> dict:
    ms = [s[2] * 1000 for s in samples]
    if not ms:
        return {"n": 0, "rps": 0.0, "errors": 0}
    return {
        "n": len(ms),
        "rps": len(ms) / seconds if seconds else 0.0,
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms),
        "errors": sum(not s[3] for s in samples),
    }


def measure(clients: list[Client], phases: dict[str, tuple[float, float]]) -> dict:
    samples = sorted(s for c in clients for s in c.samples)
    out: dict[str, dict] = {}
    for phase, (start, end) in phases.items():
        chosen = [s for s in samples if start <= s[0] < end]
        span = max(1e-9, min(end, samples[-1][0] if samples else 0) - max(start, 0))
        out[phase] = {"all": summarize(chosen, span)}
        for kind in KINDS:
            out[phase][kind] = summarize([s for s in chosen if s[1] == kind], span)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM ends the run like Ctrl+C: the finally blocks stop the server and any reindex.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    corpus = corpus_or_exit(args.corpus)
    if args.during_reindex is not None and not args.during_reindex.exists():
        print(f"corpus to reindex not found: {args.during_reindex}; nothing to measure")
        return 0
    if not (args.index / "CURRENT").is_file():
        print(f"no index at {args.index}; build one with `vnsearch reindex --index {args.index}`")
        return 0
    cmd = vnsearch_command()
    if cmd is None:
        print("the vnsearch CLI does not exist yet; nothing to measure")
        return 0
    records = load_records(corpus, args.articles)
    tmp = Path(tempfile.mkdtemp(prefix="vnsearch-load-"))
    try:
        clients, phases, mix, headers, info = run_load(cmd, args, records, tmp)
    except BaseException:
        print(f"stopped; the server's and the reindex's logs are in {tmp}", file=sys.stderr)
        raise
    figures = measure(clients, phases)
    report(args, len(records), mix, clients, figures, headers, info)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def run_load(cmd: list[str], args, records: list[dict], tmp: Path):
    """Serve, warm up, load (during a reindex if asked); the server is stopped in any case."""
    port = free_port()
    info = None
    with (tmp / "server.log").open("w") as log:
        server = start_server(cmd, args.index, port, log, args.workers)
        try:
            print(f"serving {args.index} on {HOST}:{port}; warming up ...", file=sys.stderr)
            headers = warm(port, args.timeout)
            mix = request_mix(records, args.queries, args.seed, index_offers(port, args.timeout))
            run_clients(port, mix, args, args.warmup)
            print(f"{args.clients} clients, {len(mix)} requests in the mix ...", file=sys.stderr)
            if args.during_reindex is None:
                clients = run_clients(port, mix, args, args.seconds)
                phases = {"all": (0.0, args.seconds)}
            else:
                with (tmp / "reindex.log").open("w") as rlog:
                    clients, info = during_reindex(cmd, args, port, mix, tmp, rlog)
                info["log_tail"] = (tmp / "reindex.log").read_text().strip().splitlines()[-3:]
                phases = reindex_phases(clients, info)
        finally:
            stop_server(server)
    return clients, phases, mix, headers, info


def reindex_phases(clients: list[Client], info: dict) -> dict[str, tuple[float, float]]:
    end = max((s[0] for c in clients for s in c.samples), default=0.0) + 1
    started = info["started_s"] or 0.0
    swapped = info["probe"]["first_new_s"]
    ended = info["ended_s"] or end
    phases = {"all": (0.0, end), "before the reindex": (0.0, started)}
    if swapped is not None:
        phases["reindexing, old generation"] = (started, swapped)
        phases["new generation"] = (swapped, end)
    else:
        phases["reindexing"] = (started, ended)
    return phases


def report(args, n_records, mix, clients, figures, headers, info) -> None:
    banners = sum((c.banners for c in clients), Counter())
    errors = [e for c in clients for e in c.errors][:ERRORS_KEPT]
    gone = sum(c.gone for c in clients)
    what = f"during `vnsearch reindex --full` of {args.during_reindex}" if info else ""
    print(
        f"\nLoad on `vnsearch serve` (waitress, {args.workers or 'one per core'} workers) "
        f"over {args.index}, {args.clients} clients, "
        f"keep-alive, {len(mix)} requests in the mix (queries from {n_records:,} articles) "
        f"{what}\n"
    )
    rows = []
    for phase, kinds in figures.items():
        for kind, s in kinds.items():
            if not s["n"] or (kind != "all" and len(figures) > 1 and phase != "all"):
                continue
            rows.append(
                [
                    phase,
                    kind,
                    s["n"],
                    s["rps"],
                    s["p50_ms"],
                    s["p95_ms"],
                    s["p99_ms"],
                    s["max_ms"],
                    s["errors"],
                ]
            )
    headers_row = ["phase", "requests", "n", "req/s", "p50 (ms)", "p95 (ms)", "p99 (ms)"]
    print(markdown_table([*headers_row, "max (ms)", "errors"], rows))
    total = figures["all"]["all"]
    ok_errors = total["errors"] == 0
    ok_p95 = total.get("p95_ms", 0) < TARGET_P95_MS
    print(
        f"\n{total['errors']} errors (target 0: {'met' if ok_errors else 'MISSED'}); "
        f"p95 {total.get('p95_ms', 0):.1f} ms (target < {TARGET_P95_MS} ms: "
        f"{'met' if ok_p95 else 'MISSED'})."
    )
    print(
        f"Server header: {'absent from every answer' if not banners else dict(banners)}; "
        f"X-Content-Type-Options: {headers.get('x-content-type-options')}; "
        f"CSP: {'present' if 'content-security-policy' in headers else 'ABSENT'}."
    )
    for e in errors[:5]:
        print(f"  error at {e['at_s']:.1f} s: {e['status']} {e['url'][:100]}")
    if info:
        report_reindex(info, gone)
    write_json(
        args.json_out,
        {
            "benchmark": "load",
            "index": str(args.index),
            "clients": args.clients,
            "seconds": args.seconds,
            "seed": args.seed,
            "mix": {k: sum(1 for m in mix if m[0] == k) for k in KINDS},
            "figures": figures,
            "server_headers": {"banners": dict(banners), "first_answer": headers},
            "errors": errors,
            "reindex": info,
            "articles_gone_after_swap": gone,
        },
    )


def report_reindex(info: dict, gone: int) -> None:
    p = info["probe"]
    before, after = info["before"], info["after"]
    ok = (
        info["returncode"] == 0
        and p["first_new_s"] is not None
        and not p["went_back"]
        and p["errors"] == 0
        and before.get("generation") != after.get("generation")
    )
    ended = info["ended_s"]
    print(
        f"\nReindex: exit {info['returncode']}, ran {info['started_s']:.1f}-"
        f"{ended if ended is not None else float('nan'):.1f} s of the load; generation "
        f"{before.get('generation')} ({before.get('articles')} articles) -> "
        f"{after.get('generation')} ({after.get('articles')} articles)."
    )
    first = p["first_new_s"]
    print(
        f"Marker probes: {p['probes']}, {p['errors']} failed, {p['disagreements']} where "
        "article and search disagreed; old generation last answered at "
        f"{p['last_old_s'] or 0:.1f} s, new first at "
        f"{first if first is not None else float('nan'):.1f} s; "
        f"{'went back to the old one' if p['went_back'] else 'never went back'}."
    )
    if gone:
        print(f"{gone} article requests found an article the new corpus does not hold (404).")
    print(f"Swap seen and consistent: {'yes' if ok else 'NO'}.")


if __name__ == "__main__":
    sys.exit(main())
