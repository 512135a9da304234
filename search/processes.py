"""Worker processes, for the indexer and the server alike: how many, and their end."""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def die_with(parent: int) -> bool:
    """Have the kernel kill this process when ``parent`` dies (Linux), even by SIGKILL.

    An orphaned worker would otherwise go on holding what its parent gave it
    (a dead run's files, a listening port). Exits at once if the parent is
    already gone. Returns False where the kernel cannot do it: the caller
    then has to watch ``os.getppid()`` itself.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):
        done = False
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)
    return done
