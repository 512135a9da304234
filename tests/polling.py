"""Waiting in tests for something another process does: poll, never a fixed sleep."""

from __future__ import annotations

import time


def wait_for(condition, timeout: float = 120.0, what: str = "a condition"):
    """Poll until ``condition()`` is truthy: robust however loaded the machine is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
