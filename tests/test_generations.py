"""search/generations.py: the CURRENT pointer, what a killed run leaves, the reindex lock.

The crash states are made by hand, one per moment a run can die at, so each
is tested deterministically (tests/test_reindex.py kills real runs too).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.errors import ReindexBusy
from search.write.generations import (
    CURRENT,
    LOCK,
    live_generation,
    new_generation,
    publish,
    reindex_lock,
    remove_stale,
)

ROOT = Path(__file__).resolve().parents[1]


def make(root: Path, *names: str, current: str | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        (root / name).mkdir()
        (root / name / "_MAIN_1.toc").write_bytes(b"x")
    if current is not None:
        (root / CURRENT).write_text(current + "\n", encoding="utf-8")


def listing(root: Path) -> set[str]:
    return {p.name for p in root.iterdir()}


# --- the pointer ----------------------------------------------------------------


@pytest.mark.parametrize(
    "current, dirs, live",
    [
        (None, ["g000001"], None),  # never published
        ("g000002", ["g000001", "g000002"], "g000002"),
        ("g000002\n\n", ["g000002"], "g000002"),  # whitespace around the name
        ("g000003", ["g000001"], None),  # names a generation that is gone
        ("../elsewhere", [], None),  # not a generation name at all
        ("", [], None),
    ],
)
def test_live_generation(tmp_path, current, dirs, live):
    make(tmp_path, *dirs)
    if current is not None:
        (tmp_path / CURRENT).write_text(current, encoding="utf-8")
    got = live_generation(tmp_path)
    assert (got.name if got else None) == live


def test_live_generation_of_a_missing_or_odd_root(tmp_path):
    assert live_generation(tmp_path / "absent") is None
    (tmp_path / "file").write_text("x")
    assert live_generation(tmp_path / "file") is None


def test_new_generations_are_numbered_after_every_existing_one(tmp_path):
    make(tmp_path, "g000001", "g000004.tmp", "g000002", current="g000002")
    assert new_generation(tmp_path).name == "g000005.tmp"
    assert new_generation(tmp_path / "fresh").name == "g000001.tmp"


def test_publish_renames_and_points_current_at_it(tmp_path):
    make(tmp_path, "g000001", current="g000001")
    tmp_gen = new_generation(tmp_path)
    final = publish(tmp_path, tmp_gen)
    assert final == tmp_path / "g000002"
    assert live_generation(tmp_path) == final
    assert (tmp_path / CURRENT).read_text(encoding="utf-8") == "g000002\n"
    assert listing(tmp_path) == {CURRENT, "g000001", "g000002"}  # no pointer temp file left


# --- what a killed run leaves ------------------------------------------------------


@pytest.mark.parametrize(
    "moment, dirs, current, removed, kept",
    [
        (
            "killed while building a new generation",
            ["g000001", "g000002.tmp"],
            "g000001",
            ["g000002.tmp"],
            {"g000001"},
        ),
        (
            "killed between renaming the generation and replacing CURRENT",
            ["g000001", "g000002"],
            "g000001",
            ["g000002"],
            {"g000001"},
        ),
        (
            "killed after the swap, before removing old generations",
            ["g000001", "g000002", "g000003"],
            "g000003",
            ["g000001"],
            {"g000002", "g000003"},  # the one just replaced stays for searchers on it
        ),
        (
            "killed during the very first build",
            ["g000001.tmp"],
            None,
            ["g000001.tmp"],
            set(),
        ),
        (
            "killed after the first build's rename, before CURRENT existed",
            ["g000001"],
            None,
            ["g000001"],
            set(),
        ),
        ("nothing to clean", ["g000004", "g000005"], "g000005", [], {"g000004", "g000005"}),
    ],
)
def test_remove_stale(tmp_path, moment, dirs, current, removed, kept):
    make(tmp_path, *dirs, current=current)
    (tmp_path / "notes.txt").write_text("not ours")  # foreign files are left alone
    assert remove_stale(tmp_path) == removed, moment
    assert listing(tmp_path) == kept | {"notes.txt"} | ({CURRENT} if current else set())
    if current:
        assert live_generation(tmp_path).name == current


def test_remove_stale_drops_a_pointer_never_renamed(tmp_path):
    make(tmp_path, "g000001", current="g000001")
    (tmp_path / f".{CURRENT}.12345").write_text("g000002\n")
    remove_stale(tmp_path)
    assert listing(tmp_path) == {CURRENT, "g000001"}
    assert live_generation(tmp_path).name == "g000001"


def test_remove_stale_keep(tmp_path):
    make(tmp_path, "g000001", "g000002", "g000003", "g000004", current="g000004")
    assert remove_stale(tmp_path, keep=0) == ["g000001", "g000002", "g000003"]
    assert remove_stale(tmp_path / "absent") == []


# --- the lock ----------------------------------------------------------------------


def test_a_second_holder_is_refused_with_the_holders_pid(tmp_path):
    with reindex_lock(tmp_path):
        with pytest.raises(ReindexBusy) as busy:
            with reindex_lock(tmp_path):
                pass  # pragma: no cover
        message = str(busy.value)
        assert f"pid {os.getpid()}" in message and str(tmp_path) in message
        assert "\n" not in message
    with reindex_lock(tmp_path):  # released on exit
        pass


def test_the_lock_is_released_by_an_exception(tmp_path):
    with pytest.raises(RuntimeError):
        with reindex_lock(tmp_path):
            raise RuntimeError("boom")
    with reindex_lock(tmp_path):
        pass


def test_a_lock_file_left_by_a_dead_process_does_not_block(tmp_path):
    (tmp_path / LOCK).write_text("999999\n")  # a pid, but no flock behind it
    with reindex_lock(tmp_path):
        assert (tmp_path / LOCK).read_text() == f"{os.getpid()}\n"


def test_a_lock_held_by_a_process_killed_with_sigkill_is_stale(tmp_path):
    code = (
        "import sys, time; from pathlib import Path;"
        "from search.write.generations import reindex_lock\n"
        "with reindex_lock(Path(sys.argv[1])):\n"
        "    print('locked', flush=True); time.sleep(120)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ReindexBusy, match=f"pid {holder.pid}"):
            with reindex_lock(tmp_path):
                pass  # pragma: no cover
    finally:
        holder.kill()
        holder.wait(30)
        holder.stdout.close()
    assert holder.returncode == -signal.SIGKILL
    with reindex_lock(tmp_path):
        pass


def _sleep_after(started, seconds: float) -> None:
    started.set()
    time.sleep(seconds)


def test_a_forked_child_does_not_keep_the_lock(tmp_path):
    """Workers forked under the lock must not hold it once the parent lets go (or dies)."""
    ctx = mp.get_context("fork")
    started = ctx.Event()
    with reindex_lock(tmp_path):
        child = ctx.Process(target=_sleep_after, args=(started, 120))
        child.start()
        assert started.wait(60)  # the child runs: what it inherited is settled
    try:
        with reindex_lock(tmp_path):  # the child is still alive, yet the lock is free
            assert child.is_alive()
    finally:
        child.kill()
        child.join(30)
