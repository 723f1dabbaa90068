"""Child processes that end with the build: the language workers and the Pagefind runs; what the
build's processes hold while those run.

Here rather than in the adapter's `workers.py`: the search exporter starts Pagefind with it,
and an exporter may not import the adapter.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
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


def give_back_free_memory() -> None:
    """Before a process waits on a large child (Pagefind): collect garbage, then hand the memory
    the C library keeps free back to the system (glibc's `malloc_trim`; nothing elsewhere).

    Python frees what it no longer uses into its C library, which keeps it for later instead of
    returning it: once every language is built, 15 to 20 MB at 20 missions that the process would
    otherwise hold while Pagefind runs beside it."""
    gc.collect()
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)
