"""The index directory: generations, the CURRENT pointer and the reindex lock.

    index/
      CURRENT          name of the live generation, replaced atomically
      g000007/         a complete Whoosh index (the live one)
      g000008.tmp/     a full reindex being built; renamed when complete
      .reindex.lock    flock'ed by the running reindex; holds its pid
      last_reindex.json  the last reindex's report, which `vnsearch stats` shows

A full reindex builds a new generation beside the live one and publishes it
by replacing CURRENT (write a temp file, fsync, ``os.replace``): readers see
the old index until that instant and the new one after it. A reindex killed
at any point leaves CURRENT pointing at a complete generation; the next run
removes the leftovers. The lock is an ``flock``, released by the kernel when
its holder dies, so a lock left by a killed run is never mistaken for a live
one.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ReindexBusy

CURRENT = "CURRENT"
LOCK = ".reindex.lock"
STATS_FILE = "last_reindex.json"
_GEN = re.compile(r"^g(\d{6})(\.tmp)?$")


def live_generation(root: Path) -> Path | None:
    """The live generation's directory, or None when there is no index."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = root / name
    return gen if _GEN.match(name) and gen.is_dir() else None


def new_generation(root: Path) -> Path:
    """Create an empty directory for the next generation, named ``gNNNNNN.tmp``."""
    root.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in root.iterdir() if (m := _GEN.match(p.name))]
    gen = root / f"g{max(numbers, default=0) + 1:06d}.tmp"
    gen.mkdir()
    return gen


def publish(root: Path, tmp_gen: Path) -> Path:
    """Rename a finished ``.tmp`` generation and make it live, atomically."""
    final = tmp_gen.with_name(tmp_gen.name.removesuffix(".tmp"))
    os.replace(tmp_gen, final)
    _fsync_dir(root)
    pointer = root / f".{CURRENT}.{os.getpid()}"
    with open(pointer, "w", encoding="utf-8") as f:
        f.write(final.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer, root / CURRENT)
    _fsync_dir(root)
    return final


def remove_stale(root: Path, keep: int = 1) -> list[str]:
    """Delete unfinished generations and all but ``keep`` old ones; return their names.

    The generation just replaced is kept (``keep=1``) so that a searcher
    that opened it a moment before the swap can finish reading it.
    """
    live = live_generation(root)
    if not root.is_dir():
        return []
    removed = []
    old = []
    for p in sorted(root.iterdir()):
        m = _GEN.match(p.name)
        if not m or p == live:
            if p.name.startswith(f".{CURRENT}."):
                p.unlink(missing_ok=True)  # a pointer a killed run never renamed
                removed.append(p.name)
            continue
        if m.group(2) or live is None or p.name > live.name:
            removed.append(p.name)
            shutil.rmtree(p, ignore_errors=True)
        else:
            old.append(p)
    for p in old[: max(0, len(old) - keep)]:
        removed.append(p.name)
        shutil.rmtree(p, ignore_errors=True)
    return removed


_held: set[int] = set()  # descriptors of reindex locks this process holds


def _forget_locks_in_child() -> None:
    # A forked worker shares the parent's lock (an flock belongs to the open
    # file, not the process): closing its copy lets the lock die with the
    # parent even if a worker outlives it.
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def reindex_lock(root: Path) -> Iterator[None]:
    """Hold the reindex lock; raise ReindexBusy naming the holder's pid."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    _held.add(fd)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise ReindexBusy(
                f"another reindex is running on {root} (pid {holder}); try again when it ends"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # closing releases the flock


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
