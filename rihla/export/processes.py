"""Child processes that end with the build: the language workers and the Pagefind runs.

Here rather than in the adapter's `workers.py`: the search exporter starts Pagefind with it,
and an exporter may not import the adapter.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG, PR_SET_NAME = 1, 15
"""Linux `prctl` options: the signal a child gets when its parent dies; the process's name."""


def prctl(option: int, value: int | bytes) -> None:
    """Linux `prctl(option, value)`; nothing elsewhere, nor where the C library lacks it."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(option, value, 0, 0, 0)


def die_with_parent(parent: int) -> None:  # pragma: no cover - child only
    """Be killed when the build's process dies (Linux): a killed build's children stop at once
    instead of writing on into the folders the next build cleans."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
