"""SIGKILL of ``vnsearch reindex`` at random moments: the index survives every one (issue 7).

Two corpora are made from the first ``--articles`` of the news corpus: A,
and B, which drops A's last tenth, changes the body of its first twentieth
and adds as many new articles, so that A and B answer a fixed query list
differently. The index starts as A. Each of ``--kills`` rounds (seeded)
starts a reindex towards the other corpus, full and incremental in turn,
and SIGKILLs its main process at a random moment of a run's measured
duration. Then:

* the index must answer every query of the list (totals and result ids of
  the asked page) exactly as before the kill, from a freshly opened Engine
  and from one that stayed open through it (a running server); or, if the
  kill came after the swap, exactly as the completed reindex does;
* worker processes that outlived the main one by a second are counted;
* the next reindex, same mode and corpus, started with any such survivors
  still there, must complete (exit 0) and leave no unfinished generation
  behind; survivors are killed after it.

    .venv/bin/python bench/faults.py                  # 2,000 articles, 10 kills
    .venv/bin/python bench/faults.py --kills 4 --articles 500
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from common import (
    OUT_DIR,
    REPO,
    add_common_args,
    corpus_or_exit,
    dir_size,
    load_records,
    markdown_table,
    proc_stats,
    work_dir,
    write_json,
)
from latency import query_mix, vnsearch_requests
from reindex import _children, vnsearch_command

MB = 1024 * 1024
MODES = ("full", "incremental")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_args(parser)
    parser.add_argument(
        "--articles", type=int, default=2000, help="size of corpus A (default 2000)"
    )
    parser.add_argument("--kills", type=int, default=10, help="rounds (default 10)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the moments (default 7)")
    parser.add_argument("--jobs", type=int, default=2, help="vnsearch reindex --jobs (default 2)")
    parser.add_argument(
        "--queries", type=int, default=40, help="size of the fixed query list (default 40)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="bound on one reindex, s (default 900)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (index, logs)")
    args = parser.parse_args(argv)
    if args.json_out is None:
        args.json_out = OUT_DIR / "faults.json"
    if args.articles < 50 or args.kills < 1:
        parser.error("--articles must be at least 50 and --kills at least 1")
    return args


# --- corpora and answers ----------------------------------------------------------------


def write_corpus(records: list[dict], into: Path) -> Path:
    into.mkdir(parents=True)
    with gzip.open(into / "articles.jsonl.gz", "wt", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return into


def corpora(records: list[dict], n: int, tmp: Path) -> dict[str, Path]:
    """A: the first ``n``; B: A's first 90 %, 5 % of them changed, plus 10 % new ones."""
    a = records[:n]
    changed = [
        {**r, "body": r["body"] + " Bài viết đã được cập nhật thêm thông tin mới."}
        for r in a[: n // 20]
    ]
    b = changed + a[n // 20 : n - n // 10] + records[n : n + n // 10]
    return {"A": write_corpus(a, tmp / "corpus-A"), "B": write_corpus(b, tmp / "corpus-B")}


def answers(engine, requests) -> list[tuple[int, tuple[str, ...]]]:
    """(total, ids of the asked page) for every request of the fixed list."""
    out = []
    for req in requests:
        page = engine.search(req)
        out.append((page.total, tuple(h.id for h in page.hits)))
    return out


def same(a: list, b: list) -> int:
    return sum(x == y for x, y in zip(a, b, strict=True))


# --- processes ----------------------------------------------------------------------------


def reindex_command(cmd: list[str], corpus: Path, index: Path, mode: str, jobs: int) -> list[str]:
    out = [*cmd, "reindex", str(corpus), "--index", str(index), "--jobs", str(jobs)]
    return out + (["--full"] if mode == "full" else [])


def run(command: list[str], log: Path, timeout: float) -> tuple[int, float]:
    """(exit status, seconds) of a run to its end; killed (status -9) past ``timeout``."""
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True
        )
        try:
            proc.wait(timeout)
        except BaseException:  # past the timeout, or this script interrupted
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: only what it started
            proc.wait()
            if not isinstance(sys.exc_info()[1], subprocess.TimeoutExpired):
                raise
        return proc.returncode, time.perf_counter() - started


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2 :].split()[0] != b"Z"


def kill_at(command: list[str], log: Path, at: float) -> dict:
    """Start ``command``, SIGKILL its main process ``at`` s later; what was left running."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True
        )
        started = time.perf_counter()
        try:
            proc.wait(at)
            return {"killed": False, "returncode": proc.returncode, "survivors": 0}
        except subprocess.TimeoutExpired:
            pass
        except BaseException:  # this script interrupted: the run goes with it
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        workers = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        killed_at = time.perf_counter() - started
        proc.wait()
    time.sleep(1.0)  # a worker that notices its parent's death has a second to go
    return {
        "killed": True,
        "at_s": killed_at,
        "workers": len(workers),
        "survivors": sum(alive(p) for p in workers),
        "pids": workers,
        "group": proc.pid,
    }


def reap(group: int | None) -> None:
    """SIGKILL what is left of a killed run's session (it started the session: by its id)."""
    if group is None:
        return
    try:
        os.killpg(group, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and in_group(group):
        time.sleep(0.1)


def in_group(group: int) -> list[int]:
    """Live (not zombie) processes of process group ``group``."""
    found = []
    for pid, fields in proc_stats():
        if fields[0] != b"Z" and int(fields[2]) == group:
            found.append(pid)
    return found


def last_line(log: Path) -> str:
    lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
    return lines[-1][:60] if lines else "(nothing yet)"


def leftovers(index: Path) -> list[str]:
    """Entries a finished run would not leave: unfinished generations, stray pointers."""
    return sorted(
        p.name for p in index.iterdir() if p.name.endswith(".tmp") or p.name.startswith(".CURR")
    )


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.is_dir() and p.name.startswith("g"))


# --- the run ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # SIGTERM ends the run like Ctrl+C: the running reindex is killed, the temp dir removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    corpus = corpus_or_exit(args.corpus)
    cmd = vnsearch_command()
    if cmd is None:
        print("the vnsearch CLI does not exist yet; nothing to measure")
        return 0
    from search.read.engine import Engine
    from search.write.generations import live_generation

    records = load_records(corpus, args.articles + args.articles // 10)
    if len(records) < args.articles + args.articles // 10:
        print(f"the corpus has only {len(records)} articles; asked for more")
        return 0
    rng = random.Random(args.seed)
    with work_dir("vnsearch-faults-", args.keep) as tmp:
        corpus_dirs = corpora(records, args.articles, tmp)
        index = tmp / "index"
        logs = tmp / "logs"
        logs.mkdir()
        print(f"corpora A and B of {args.articles:,} articles in {tmp}", file=sys.stderr)

        durations: dict[str, float] = {}
        command = reindex_command(cmd, corpus_dirs["A"], index, "full", args.jobs)
        rc, durations["full"] = run(command, logs / "setup-full.log", args.timeout)
        if rc != 0:
            raise SystemExit(
                f"the first reindex failed ({rc}): {last_line(logs / 'setup-full.log')}"
            )
        live = Engine(index)  # stays open through every kill, as a server would
        requests = vnsearch_requests(
            live, query_mix(records[: args.articles], args.queries, args.seed), rng
        )
        requests = [replace(r, per_page=20) for r in requests]
        expected = {"A": answers(live, requests)}

        scratch = tmp / "scratch"
        shutil.copytree(index, scratch)
        command = reindex_command(cmd, corpus_dirs["B"], scratch, "incremental", args.jobs)
        rc, durations["incremental"] = run(command, logs / "setup-incremental.log", args.timeout)
        if rc != 0:
            raise SystemExit(f"an incremental reindex failed ({rc})")
        expected["B"] = answers(Engine(scratch), requests)
        shutil.rmtree(scratch)
        differ = len(requests) - same(expected["A"], expected["B"])
        print(
            f"full run {durations['full']:.1f} s, incremental {durations['incremental']:.1f} s; "
            f"{differ} of {len(requests)} queries answer differently on A and B",
            file=sys.stderr,
        )

        state, rounds = "A", []
        for i in range(args.kills):
            mode = MODES[i % 2]
            target = "B" if state == "A" else "A"
            before = answers(Engine(index), requests)
            at = rng.uniform(0.05, 1.0) * durations[mode]
            command = reindex_command(cmd, corpus_dirs[target], index, mode, args.jobs)
            log = logs / f"kill-{i + 1}.log"
            print(f"round {i + 1}: {mode} {state}->{target}, kill at {at:.1f} s", file=sys.stderr)
            killed = kill_at(command, log, at)
            left = leftovers(index)
            gen = live_generation(index)
            after_fresh = answers(Engine(index), requests) if gen else None
            after_live = answers(live, requests) if gen else None
            # The next run starts with any survivors still there, as it would in real life.
            rc, seconds = run(command, logs / f"next-{i + 1}.log", args.timeout)
            killed["survivors_after_next"] = sum(alive(p) for p in killed.pop("pids", []))
            reap(killed.pop("group", None))
            done = answers(Engine(index), requests) if rc == 0 else None
            if after_fresh is not None and after_fresh == before and after_live == before:
                verdict = "previous"
            elif after_fresh is not None and after_fresh == done and after_live == done:
                verdict = "new (swapped before the kill)"
            else:
                verdict = "BROKEN"
            cleaned = sum(
                "cleaned up" in ln
                for ln in (logs / f"next-{i + 1}.log").read_text(errors="replace").splitlines()
            )
            rounds.append(
                {
                    "round": i + 1,
                    "mode": mode,
                    "from": state,
                    "to": target,
                    "planned_s": at,
                    "duration_s": durations[mode],
                    **killed,
                    "log_at_kill": last_line(log),
                    "left_behind": left,
                    "answers": verdict,
                    "same_as_before": same(after_fresh, before) if after_fresh else 0,
                    "queries": len(requests),
                    "next_returncode": rc,
                    "next_seconds": seconds,
                    "next_cleaned": cleaned,
                    "next_left_behind": leftovers(index),
                    "generations_after": generations(index),
                    "index_mb": dir_size(index) / MB,
                    "as_expected_after": done == expected[target] if mode == "full" else None,
                }
            )
            if rc == 0:
                state = target
                durations[mode] = seconds
        report(args, differ, len(requests), durations, rounds)
    return 0


def report(args, differ: int, n_queries: int, durations: dict, rounds: list[dict]) -> None:
    print(
        f"\nSIGKILL of `vnsearch reindex --jobs {args.jobs}` (main process) at {len(rounds)} "
        f"random moments (seed {args.seed}); corpora of {args.articles:,} articles; "
        f"{n_queries} fixed queries, {differ} of which answer differently on A and B.\n"
    )
    rows = []
    for r in rounds:
        kill = f"{r['at_s']:.1f} s" if r["killed"] else "ended first"
        rows.append(
            [
                r["round"],
                f"{r['mode']} {r['from']}→{r['to']}",
                kill,
                f"{100 * r.get('at_s', r['duration_s']) / r['duration_s']:.0f} %",
                r["log_at_kill"],
                ", ".join(r["left_behind"]) or "–",
                f"{r['survivors']}/{r.get('workers', 0)}",
                f"{r['answers']} ({r['same_as_before']}/{r['queries']})",
                f"exit {r['next_returncode']}, {r['next_seconds']:.1f} s",
                r["next_cleaned"],
                r["index_mb"],
            ]
        )
    headers = ["#", "reindex", "killed at", "of a run", "its last line", "left behind"]
    headers += ["workers alive after", "answers after the kill (same/all)", "next reindex"]
    headers += ["cleaned", "index (MB)"]
    print(markdown_table(headers, rows))
    intact = sum(r["answers"] != "BROKEN" for r in rounds)
    completed = sum(r["next_returncode"] == 0 and not r["next_left_behind"] for r in rounds)
    orphans = sum(r["survivors"] for r in rounds)
    print(
        f"\n{intact}/{len(rounds)} kills left an index answering as before (or as the "
        f"completed run); {completed}/{len(rounds)} next reindexes completed with nothing "
        f"left behind; {orphans} worker processes outlived a killed main process by 1 s."
    )
    write_json(
        args.json_out,
        {
            "benchmark": "faults",
            "articles": args.articles,
            "jobs": args.jobs,
            "seed": args.seed,
            "queries": n_queries,
            "queries_differing_between_corpora": differ,
            "durations_s": durations,
            "rounds": rounds,
        },
    )


if __name__ == "__main__":
    sys.exit(main())
