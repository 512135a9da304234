"""Full and no-op reindex of the corpus: vnsearch's CLI against plain Whoosh (issue 4).

Three runs, each a separate process measured the same way (wall time, peak
memory of its whole process tree, index size on disk):

1. ``vnsearch reindex CORPUS_DIR --index TMP --full [--jobs N]``, the corpus
   dir holding a symlink to the corpus (or, with ``--articles``, a gzipped
   copy of its first N lines);
2. the same command without ``--full`` on the unchanged corpus: an
   incremental run that should find nothing to do;
3. plain Whoosh (``StandardAnalyzer`` on title and body, one writer, the
   same articles), for the ratio.

Peak memory is polled from /proc every ``--poll`` seconds over the process and
all its descendants: RSS summed (pages shared by forked workers count once per
process, so this overstates) and PSS summed (shared pages split, the fairer
total). Reading PSS costs the kernel a walk of each process's page tables,
a fifth of a core at 0.1 s, taken from the run it measures: hence 0.5 s.
``/usr/bin/time``'s maximum RSS of the single largest process is shown too
when that program exists.

    .venv/bin/python bench/reindex.py --jobs 2            # the whole corpus
    .venv/bin/python bench/reindex.py --articles 2000     # a quick look
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import (
    REPO,
    add_common_args,
    corpus_or_exit,
    dir_size,
    iter_records,
    markdown_table,
    proc_stats,
    ratio,
    work_dir,
    write_json,
)

GNU_TIME = Path("/usr/bin/time")
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--articles", type=int, default=None, help="first N articles (default: all)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="vnsearch --jobs (default 2)")
    parser.add_argument(
        "--poll", type=float, default=0.5, help="memory poll interval, s (default 0.5)"
    )
    parser.add_argument("--skip-baseline", action="store_true", help="do not build plain Whoosh")
    parser.add_argument("--skip-vnsearch", action="store_true", help="do not run vnsearch")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (indexes, logs)")
    # Internal: the baseline's own process, so it is measured like vnsearch's.
    parser.add_argument(
        "--whoosh-worker", nargs=3, metavar=("CORPUS", "INDEX", "N"), help=argparse.SUPPRESS
    )
    return parser.parse_args(argv)


# --- measuring a process tree -----------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for pid, fields in proc_stats():
        tree.setdefault(int(fields[1]), []).append(pid)
    return tree


def _tree_memory(root: int, skip_root: bool = False) -> tuple[int, int]:
    """(RSS, PSS) in bytes, summed over ``root`` (unless skipped) and its descendants."""
    tree = _children()
    pids, rss, pss = (list(tree.get(root, ())) if skip_root else [root]), 0, 0
    while pids:
        pid = pids.pop()
        pids.extend(tree.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm") as f:
                rss += int(f.read().split()[1]) * PAGE
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue  # the process ended between the listing and the read
    return rss, pss


def run_measured(cmd: list[str], log: Path, poll: float) -> dict:
    """Run ``cmd`` to its end: wall time, peak tree RSS/PSS, return code."""
    time_file = log.with_suffix(".time")
    wrapped = GNU_TIME.exists()
    if wrapped:
        cmd = [str(GNU_TIME), "-f", "%M", "-o", str(time_file), *cmd]
    peak = {"rss": 0, "pss": 0}
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                rss, pss = _tree_memory(proc.pid, skip_root=wrapped)  # not time itself
                peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
                done.wait(poll)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        returncode = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        watcher.join()
    result = {
        "cmd": cmd,
        "returncode": returncode,
        "wall_s": wall,
        "peak_tree_rss_mb": peak["rss"] / MB,
        "peak_tree_pss_mb": peak["pss"] / MB,
        "max_process_rss_mb": None,
    }
    if time_file.exists():
        last = time_file.read_text().strip().splitlines()[-1:]
        if last and last[0].isdigit():
            result["max_process_rss_mb"] = int(last[0]) / 1024
    tail = log.read_text(errors="replace").strip().splitlines()[-5:]
    result["log_tail"] = tail
    if returncode != 0:
        print(f"FAILED ({returncode}): {' '.join(cmd)}\n  " + "\n  ".join(tail), file=sys.stderr)
    return result


# --- the systems -----------------------------------------------------------------------


def vnsearch_command() -> list[str] | None:
    """How to call the vnsearch CLI here, or None when it does not exist yet."""
    script = Path(sys.executable).with_name("vnsearch")
    try:
        import search.cli  # noqa: F401
    except ImportError:
        return None
    return [str(script)] if script.exists() else [sys.executable, "-m", "search.cli"]


def supports_jobs(cmd: list[str]) -> bool:
    out = subprocess.run([*cmd, "reindex", "--help"], capture_output=True, text=True, cwd=REPO)
    return "--jobs" in out.stdout


def prepare_corpus(corpus: Path, articles: int | None, into: Path) -> tuple[Path, int]:
    """A corpus dir with the first ``articles`` of ``corpus`` (a symlink when all); its count."""
    into.mkdir()
    target = into / corpus.name
    if articles is None:
        target.symlink_to(corpus.resolve())
        return into, sum(1 for _ in iter_records(corpus))
    n = 0
    with (
        gzip.open(corpus, "rt", encoding="utf-8") as src,
        gzip.open(target, "wt", encoding="utf-8") as dst,
    ):
        for n, line in enumerate(src, 1):
            dst.write(line)
            if n == articles:
                break
    return into, n


def whoosh_worker(corpus: str, index_dir: str, n: str) -> None:
    from baselines import build_whoosh

    build_whoosh(iter_records(Path(corpus), int(n)), Path(index_dir))


# --- the run ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.whoosh_worker:
        whoosh_worker(*args.whoosh_worker)
        return 0
    corpus = corpus_or_exit(args.corpus)
    with work_dir("vnsearch-reindex-", args.keep) as tmp:
        corpus_dir, n = prepare_corpus(corpus, args.articles, tmp / "corpus")
        print(f"{n:,} articles in {corpus_dir}", file=sys.stderr)
        runs: dict[str, dict] = {}
        notes: list[str] = []

        cmd = None if args.skip_vnsearch else vnsearch_command()
        if cmd is None and not args.skip_vnsearch:
            notes.append("vnsearch: skipped, the CLI (search.cli) does not exist yet")
        if cmd is not None:
            index = tmp / "vnsearch-index"
            full = [*cmd, "reindex", str(corpus_dir), "--index", str(index), "--full"]
            if supports_jobs(cmd):
                full += ["--jobs", str(args.jobs)]
            else:
                notes.append(
                    f"vnsearch reindex has no --jobs option: ran with its default, not {args.jobs}"
                )
            print("vnsearch full reindex ...", file=sys.stderr)
            runs["vnsearch full"] = run_measured(full, tmp / "vnsearch-full.log", args.poll)
            runs["vnsearch full"]["index_mb"] = dir_size(index) / MB if index.exists() else None
            if runs["vnsearch full"]["returncode"] != 0:
                cmd = None  # nothing to re-run on
        if cmd is not None:
            print("vnsearch unchanged re-run ...", file=sys.stderr)
            again = [c for c in full if c != "--full"]
            runs["vnsearch no-op"] = run_measured(again, tmp / "vnsearch-again.log", args.poll)
            runs["vnsearch no-op"]["index_mb"] = dir_size(index) / MB if index.exists() else None

        if not args.skip_baseline:
            print("plain Whoosh ...", file=sys.stderr)
            index = tmp / "whoosh-index"
            worker = [sys.executable, str(Path(__file__).resolve()), "--whoosh-worker"]
            worker += [str(next(corpus_dir.iterdir())), str(index), str(n)]
            runs["plain Whoosh"] = run_measured(worker, tmp / "whoosh.log", args.poll)
            runs["plain Whoosh"]["index_mb"] = dir_size(index) / MB if index.exists() else None

        report(args, n, runs, notes)
    return 0


def report(args, n: int, runs: dict[str, dict], notes: list[str]) -> None:
    print(
        f"\nReindex of {n:,} articles of baomoi.jsonl.gz, vnsearch --jobs {args.jobs}, "
        f"{os.cpu_count()} CPUs.\n"
    )
    rows = []
    for name, r in runs.items():
        failed = r["returncode"] != 0
        rows.append(
            [
                name + (" (FAILED)" if failed else ""),
                r["wall_s"],
                None if failed else n / r["wall_s"],
                r["peak_tree_rss_mb"],
                r["peak_tree_pss_mb"],
                r["max_process_rss_mb"],
                r["index_mb"],
            ]
        )
    headers = ["run", "wall (s)", "articles/s", "peak RSS, tree (MB)", "peak PSS, tree (MB)"]
    headers += ["max RSS, one process (MB)", "index (MB)"]
    print(markdown_table(headers, rows))
    base, full = runs.get("plain Whoosh"), runs.get("vnsearch full")
    ratios = {}
    if base and full and base["returncode"] == 0 and full["returncode"] == 0:
        ratios = {
            "wall": ratio(full["wall_s"], base["wall_s"]),
            "peak_pss": ratio(full["peak_tree_pss_mb"], base["peak_tree_pss_mb"]),
            "index_size": ratio(full["index_mb"] or 0, base["index_mb"] or 0),
        }
        print(
            f"\nvnsearch / plain Whoosh: wall time {ratios['wall']:.2f}x, "
            f"peak PSS {ratios['peak_pss']:.2f}x, index size {ratios['index_size']:.2f}x"
        )
    noop = runs.get("vnsearch no-op")
    if noop and noop["log_tail"]:
        print(f"\nThe unchanged re-run said: {noop['log_tail'][-1]}")
    for note in notes:
        print(f"\n{note}")
    write_json(
        args.json_out,
        {
            "benchmark": "reindex",
            "articles": n,
            "jobs": args.jobs,
            "runs": runs,
            "ratios": ratios,
            "notes": notes,
        },
    )


if __name__ == "__main__":
    sys.exit(main())
