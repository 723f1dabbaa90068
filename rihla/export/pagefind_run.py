"""The Pagefind runs of one language's index, started in the background by the search index (`search.py`).

    python -m rihla.export.pagefind_run --parent PID [--lock FILE] -- PAGEFIND-ARGUMENTS [-- PAGEFIND-ARGUMENTS ...]

A language's index is made while the build renders its next language: the build
starts this program and goes on. It asks to be killed with the build's process
(`--parent`), waits for the build's Pagefind lock (`--lock`: only one Pagefind
language's runs at a time in the whole build, for its memory), then runs
Pagefind (`python -m pagefind`) once per part of the index, one after the other
(`run_all`), and ends with the first that fails. An index of one part
becomes that Pagefind (by `exec`: the same process, which keeps the lock until it
ends, whatever way). Waiting here, in a process of its own, the build's process
never waits for the lock itself.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import subprocess
import sys

from rihla.export.processes import PR_SET_PDEATHSIG, die_with_parent, prctl

RUN_SEPARATOR = "--"
"""Before each run's arguments (Pagefind's arguments never hold it alone: its paths are absolute)."""
PAGEFIND = [sys.executable, "-m", "pagefind"]


def take_pagefind_lock(path: str) -> int:
    """Wait until no other process of the build holds the Pagefind lock at `path`, then hold it
    through the returned descriptor: until it is closed, or its holder (and what it `exec`s) ends,
    whatever way, when the kernel lets go of it."""
    lock = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def runs_of(arguments: list[str]) -> list[list[str]]:
    """Each run's arguments, from the arguments after the options (each run's after a separator)."""
    runs: list[list[str]] = []
    for argument in arguments:
        if argument == RUN_SEPARATOR or not runs:
            runs.append([])
            if argument == RUN_SEPARATOR:
                continue
        runs[-1].append(argument)
    return [run for run in runs if run]


def _die_with_this_process() -> None:  # pragma: no cover - runs in the child, before Pagefind starts
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_all(runs: list[list[str]]) -> int:
    """Run Pagefind with each run's arguments, one after the other; 0, or the exit status of the
    first that failed.

    One at a time although Pagefind keeps little more than one core busy (1.1 to 1.3 measured on
    a part of L): two at once made L with 2 workers slower (a median of 122.2 s against 116.5 s,
    in two benches of the same day on 2 cores), taking a core from the build's processes while
    the languages are built, for twice a part's memory."""
    for arguments in runs:
        sys.stdout.flush()
        # Killed with this process (which the build kills to stop its runs).
        returncode = subprocess.call([*PAGEFIND, *arguments], preexec_fn=_die_with_this_process)
        if returncode != 0:
            return returncode
    return 0


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - runs as its own process
    parser = argparse.ArgumentParser(prog="python -m rihla.export.pagefind_run")
    parser.add_argument("--parent", type=int, required=True, help="the build's process: this one dies with it")
    parser.add_argument("--lock", help="a file to hold locked while Pagefind runs")
    parser.add_argument("pagefind", nargs=argparse.REMAINDER, help="each run's Pagefind arguments, after --")
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    if args.lock:
        os.set_inheritable(take_pagefind_lock(args.lock), True)  # held by Pagefind, released when it ends
    runs = runs_of(args.pagefind)
    if len(runs) > 1:
        sys.exit(run_all(runs))
    sys.stdout.flush()
    os.execv(sys.executable, [*PAGEFIND, *runs[0]])


if __name__ == "__main__":  # pragma: no cover
    main()
