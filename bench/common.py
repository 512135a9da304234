"""What every benchmark script shares: the corpus, timing, statistics, tables, JSON.

The scripts in bench/ are run by hand (``.venv/bin/python bench/<name>.py``);
their figures go into the README. None of this is imported by the library or
the tests' assertions: timings are never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # so "import search" works without an installed package

DEFAULT_CORPUS = REPO.parent / "shared/corpus/baomoi.jsonl.gz"
OUT_DIR = REPO / "bench" / "out"  # gitignored


# --- the corpus ---------------------------------------------------------------------


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """``--corpus`` and ``--json-out``, the options every script has."""
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"the news corpus, JSON lines, gzipped (default: {DEFAULT_CORPUS})",
    )
    parser.add_argument("--json-out", type=Path, help="also write the figures to this JSON file")


def corpus_or_exit(path: Path) -> Path:
    """``path`` when it exists; otherwise say so and exit 0 (nothing to measure is no failure)."""
    if not path.is_file():
        print(f"corpus not found: {path}; nothing to measure (give one with --corpus)")
        sys.exit(0)
    return path


def iter_records(path: Path, limit: int | None = None) -> Iterator[dict]:
    """The article objects of a .jsonl(.gz) file, in file order, at most ``limit``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            if line.strip():
                obj = json.loads(line)
                obj.setdefault("title", "")
                obj["title"] = obj["title"] or ""
                yield obj


def load_records(path: Path, limit: int | None = None) -> list[dict]:
    """The first ``limit`` article objects of the corpus (all when None)."""
    return list(iter_records(path, limit))


def to_article(obj: dict):
    """A ``search.models.Article`` from one corpus object, as the brief fixes it."""
    from search.models import Article

    return Article(id=obj["id"], title=obj["title"], body=obj["body"], source=obj.get("source"))


def text_bytes(records: Sequence[dict]) -> int:
    """UTF-8 size of titles and bodies: the denominator of every throughput."""
    return sum(len(r["title"].encode()) + len(r["body"].encode()) for r in records)


# --- timing and statistics ------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call, on the monotonic high-resolution clock."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: a value that was actually observed.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
    10
    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)
    5
    """
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50, p95, max and mean in milliseconds, and the count."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms),
        "mean_ms": statistics.fmean(ms),
    }


def ratio(a: float, b: float) -> float:
    """a / b, or NaN when b is zero."""
    return a / b if b else math.nan


def dir_size(path: Path) -> int:
    """Bytes of all files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- output ----------------------------------------------------------------------------


def fmt(value: Any, digits: int = 2) -> str:
    """A table cell: floats rounded, thousands separated, missing as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub markdown table; the first column left-aligned, the others right.

    >>> print(markdown_table(["form", "MRR"], [["folded", 0.5]]))
    | form | MRR |
    |:--|--:|
    | folded | 0.50 |
    """
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join([":--"] + ["--:"] * (len(headers) - 1)) + "|")
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """Where the figures were measured, for the README and the JSON."""
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def write_json(path: Path | None, data: dict) -> None:
    """Write ``data`` (plus the machine description) when a path was given."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine(), **data}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path}")


def proc_stats():
    """(pid, fields of /proc/PID/stat after the command name) of every process.

    The command name may hold spaces and parentheses: the fields follow the
    last ")". Field 0 is the state, 1 the parent pid, 2 the process group.
    """
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue  # the process ended between the listing and the read
        yield int(entry.name), stat[stat.rindex(b")") + 2 :].split()


@contextmanager
def work_dir(prefix: str, keep: bool):
    """A temp directory for one benchmark run: removed at the end unless ``keep``."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield tmp
    finally:
        if keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
