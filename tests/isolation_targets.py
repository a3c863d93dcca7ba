"""Module-level functions for tests/test_isolated.py: what a child process does (pickled by reference)."""

from __future__ import annotations

import os
import time


def answer(n: int) -> int:
    """A plain result."""
    return n * 2


def setting(name: str) -> str | None:
    """An environment variable as the child sees it."""
    return os.environ.get(name)


def allocate(gigabytes: int) -> int:
    """Allocate (and touch) more memory than the limit allows."""
    block = bytearray(gigabytes * 1024**3)
    return len(block)


def native_abort() -> None:
    """End like native code whose allocation failed (Rust aborts the process)."""
    os.abort()


def spin(seconds: float) -> int:
    """Burn CPU time."""
    end, n = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        n += 1
    return n


def sleep(seconds: float) -> None:
    """Take wall time without CPU time."""
    time.sleep(seconds)


def fail() -> None:
    """Raise an ordinary exception."""
    raise ValueError("trasig")


def exit_code(code: int) -> None:
    """End the process at once with an exit code."""
    os._exit(code)
