"""How cost grows with the corpus: 35k, 106k and 350k articles on one machine (issue 17).

One command, in steps that each keep their figures in ``WORK/results.json``
(a step already measured is not run again unless named with ``--redo``), so a
run interrupted by the machine's other work resumes where it stopped:

* ``build``: grow the corpus to each size (``bench/grow.py``, seeded), then a
  full reindex measured as ``bench/reindex.py`` measures it (wall time, peak
  PSS of the process tree), and the index's size;
* ``add``: an incremental reindex adding 1,000 more grown articles to the
  largest index (wall time, peak PSS);
* ``serve``: ``bench/serving.py`` on each index (memory, first answer, latency,
  known-item MRR, load at 16 clients);
* ``table``: the growth ratios, as markdown for the README.

    .venv/bin/python bench/growth.py --work /tmp/growth                      # 35k, 106k, 350k
    .venv/bin/python bench/growth.py --work /tmp/g --sizes 2000,6000 --steps build,serve,table
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from common import add_common_args, corpus_or_exit, dir_size, iter_records, markdown_table
from grow import grow, write
from queries import KnownItem, generate
from reindex import MB, run_measured, vnsearch_command
from serving import Titles, measure

DEFAULT_SIZES = (35439, 106317, 350000)
ADDED = 1000
SWAPPED = 10  # articles of the incremental reindex under a running server
KNOWN_ITEMS = 100  # target articles of the known-item queries (4 title forms each)
STEPS = ("build", "add", "serve", "table")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument("--work", type=Path, required=True, help="corpora, indexes, results")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated corpus sizes (default: %(default)s)",
    )
    parser.add_argument("--steps", default=",".join(STEPS), help="default: %(default)s")
    parser.add_argument("--redo", action="store_true", help="measure again what was measured")
    parser.add_argument("--jobs", type=int, default=2, help="reindex --jobs (default 2)")
    parser.add_argument(
        "--base", type=int, help="grow from the first N real articles only (default: all)"
    )
    parser.add_argument("--seed", type=int, default=17, help="the grower's seed (default 17)")
    parser.add_argument("--poll", type=float, default=1.0, help="memory poll interval, s")
    parser.add_argument("--load-seconds", type=float, default=30, help="load.py --seconds")
    parser.add_argument(
        "--code", type=Path, help="serve the search/ and web/ packages of this tree (a baseline)"
    )
    parser.add_argument("--label", default="", help="suffix of the serve step's name (a variant)")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.steps = args.steps.split(",")
    return args


class Results:
    """``WORK/results.json``: figures by size and step, written after every step."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = json.loads(path.read_text()) if path.exists() else {}

    def get(self, size: int, step: str) -> dict | None:
        return self.data.get(str(size), {}).get(step)

    def put(self, size: int, step: str, figures: dict) -> None:
        figures["load_avg_1m_at_end"] = load_average()
        self.data.setdefault(str(size), {})[step] = figures
        self.path.write_text(json.dumps(self.data, ensure_ascii=False, indent=2) + "\n")


def load_average() -> float | None:
    """The machine's 1-minute load average: how much the figures shared the cores."""
    try:
        return os.getloadavg()[0]
    except OSError:  # not on every system
        return None


def index_dir(work: Path, size: int) -> Path:
    return work / f"index-{size}"


def build(args, records: list[dict], size: int, results: Results) -> None:
    """Grow the corpus to ``size`` and reindex it from scratch, measured."""
    corpus = args.work / f"corpus-{size}"
    corpus.mkdir(parents=True, exist_ok=True)
    path = corpus / "grown.jsonl.gz"
    if not path.exists():
        write(path, grow(records, size, args.seed))
    cmd = [*vnsearch_command(), "reindex", str(corpus), "--index", str(index_dir(args.work, size))]
    cmd += ["--full", "--jobs", str(args.jobs)]
    print(f"{size:,}: full reindex ...", file=sys.stderr, flush=True)
    run = run_measured(cmd, args.work / f"reindex-{size}.log", args.poll)
    run["index_mb"] = dir_size(index_dir(args.work, size)) / MB
    results.put(size, "build", run)
    print(f"{size:,}: {run['wall_s']:.0f} s, peak PSS {run['peak_tree_pss_mb']:,.0f} MB")


def add(args, records: list[dict], size: int, results: Results) -> None:
    """Add ``ADDED`` more grown articles to the index of ``size``: an incremental reindex."""
    extra = args.work / f"corpus-{size}" / "added.jsonl.gz"
    if not extra.exists():
        made = grow(records, size + ADDED, args.seed)
        write(extra, (a for n, a in enumerate(made) if n >= size))
    cmd = [*vnsearch_command(), "reindex", str(extra.parent), "--index"]
    cmd += [str(index_dir(args.work, size)), "--jobs", str(args.jobs)]
    print(f"{size:,}: adding {ADDED:,} ...", file=sys.stderr, flush=True)
    run = run_measured(cmd, args.work / f"add-{size}.log", args.poll)
    results.put(size, "add", run)
    print(f"{size:,}: added {ADDED:,} in {run['wall_s']:.1f} s")


def known_items(args, records: list[dict]) -> list[KnownItem]:
    """The known-item queries, drawn once from the real articles and kept in WORK."""
    path = args.work / "known-items.json"
    if not path.exists():
        items = generate(records[: args.sizes[0]], KNOWN_ITEMS, args.seed)
        path.write_text(json.dumps([it.to_dict() for it in items], ensure_ascii=False))
    return [
        KnownItem(**{**d, "answers": tuple(d["answers"])}) for d in json.loads(path.read_text())
    ]


def serve(args, records: list[dict], size: int, results: Results) -> None:
    """Serving figures (bench/serving.py) and load.py at 16 clients on the index of ``size``."""
    corpus = args.work / f"corpus-{size}"
    titles = Titles(
        [(a["id"], a["title"]) for p in sorted(corpus.glob("*.jsonl.gz")) for a in iter_records(p)]
    )
    swap_with = None
    if size == args.sizes[-1] and not args.code:
        path = corpus / f"swap{args.label}.jsonl.gz"
        if not path.exists():
            made = grow(records, size + ADDED + SWAPPED * (1 + len(args.label)), args.seed)
            write(
                path,
                (a for n, a in enumerate(made) if n >= size + ADDED + SWAPPED * len(args.label)),
            )
        marker = list(iter_records(path))[-1]
        swap_with = (corpus, index_dir(args.work, size), marker)
    print(f"{size:,}: serving ...", file=sys.stderr, flush=True)
    log = args.work / f"serve-{size}{args.label}.log"
    figures = measure(
        vnsearch_command(),
        index_dir(args.work, size),
        records[: args.sizes[0]],
        known_items(args, records),
        titles,
        log,
        args.seed,
        swap_with,
    )
    print(f"{size:,}: load at 16 clients ...", file=sys.stderr, flush=True)
    out = args.work / f"load-{size}{args.label}.json"
    load = [sys.executable, str(Path(__file__).with_name("load.py")), "--index"]
    load += [
        str(index_dir(args.work, size)),
        "--seconds",
        str(args.load_seconds),
        "--json-out",
        str(out),
    ]
    if args.load_seconds > 0:
        subprocess.run(load, cwd=Path(__file__).parent, capture_output=True, check=False)
    if out.exists():
        figures["load"] = json.loads(out.read_text())["figures"]["all"]["all"]
    results.put(size, "serve" + args.label, figures)
    lat = figures["latency"]["warm"]
    print(f"{size:,}: warm p95 {lat['p95_ms']:.1f} ms, MRR {figures['mrr']['all_title_forms']:.3f}")


ROWS = (  # (label, step, path into its figures, digits)
    ("full reindex, 2 jobs (s)", "build", ("wall_s",), 0),
    ("reindex peak PSS, tree (MB)", "build", ("peak_tree_pss_mb",), 0),
    ("index on disk (MB)", "build", ("index_mb",), 0),
    (f"add {ADDED:,} articles, incremental (s)", "add", ("wall_s",), 1),
    ("first answer after start (s)", "serve", ("first_answer_s",), 1),
    ("first answer after a swap (s)", "serve", ("swap", "first_new_answer_after_end_s"), 1),
    ("serving PSS, all processes (MB)", "serve", ("memory_after_mrr", "total_pss_mb"), 0),
    ("serving PSS, largest worker (MB)", "serve", ("memory_after_mrr", "workers_pss_mb"), 0),
    ("cold p50 / p95 / p99 (ms)", "serve", ("latency", "cold"), 1),
    ("warm p50 / p95 / p99 (ms)", "serve", ("latency", "warm"), 1),
    ("known-item MRR@10, title forms", "serve", ("mrr", "all_title_forms"), 3),
    ("16 clients: req/s", "serve", ("load", "rps"), 0),
    ("16 clients: p95 (ms)", "serve", ("load", "p95_ms"), 0),
    ("load average, 1 min, after the reindex", "build", ("load_avg_1m_at_end",), 1),
    ("load average, 1 min, after serving", "serve", ("load_avg_1m_at_end",), 1),
)


def _figure(results: Results, size: int, step: str, path: tuple):
    value = results.get(size, step)
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, list):  # the workers: the largest
        return max(value) if value else None
    return value


def _cell(value, digits: int) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return " / ".join(f"{value[k]:,.{digits}f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
    return f"{value:,.{digits}f}"


def table(results: Results, sizes: list[int], label: str = "") -> str:
    """The growth table: each size's figure and its ratio to the first size's."""
    headers = ["", *(f"{s:,}" for s in sizes), *(f"{s / sizes[0]:.1f}x size" for s in sizes[1:])]
    rows = []
    for name, step, path, digits in ROWS:
        step = step + label if step == "serve" else step
        values = [_figure(results, s, step, path) for s in sizes]
        base = values[0]
        if isinstance(base, dict):  # latency: the ratio of the p95
            base, growth = base["p95_ms"], [v and v["p95_ms"] for v in values[1:]]
        else:
            growth = values[1:]
        ratios = [f"{v / base:.2f}x" if v is not None and base else "–" for v in growth]
        rows.append([name, *(_cell(v, digits) for v in values), *ratios])
    return markdown_table(headers, rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.code:  # the servers started below import this tree's packages first
        os.environ["PYTHONPATH"] = str(args.code.resolve())
    results = Results(args.work / "results.json")
    records = list(iter_records(corpus_or_exit(args.corpus), args.base))
    for step in args.steps:
        sizes = args.sizes[-1:] if step == "add" else args.sizes
        for size in sizes:
            name = step + args.label if step == "serve" else step
            if step == "table" or (results.get(size, name) and not args.redo):
                continue
            {"build": build, "add": add, "serve": serve}[step](args, records, size, results)
    if "table" in args.steps:
        print(table(results, args.sizes, args.label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
