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
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

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
from loadclient import (
    ERRORS_KEPT,
    HOST,
    KINDS,
    Client,
    exchange,
    get,
    index_offers,
    request_mix,
    run_clients,
)
from loadreindex import during_reindex
from reindex import vnsearch_command

TARGET_P95_MS = 100
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
