"""One Pagefind run, started in the background by the search index (`search.py`).

    python -m rihla.export.pagefind_run --parent PID [--lock FILE] -- PAGEFIND-ARGUMENTS

A language's index is made while the build renders its next language: the build
starts this program and goes on. It asks to be killed with the build's process
(`--parent`), waits for the build's Pagefind lock (`--lock`: only one Pagefind
runs at a time in the whole build, for its memory), then becomes Pagefind
(`python -m pagefind`, by `exec`: the same process, which keeps the lock until
it ends, whatever way). Waiting here, in a process of its own, the build's
process never waits for the lock itself.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys

from rihla.export.processes import die_with_parent


def take_pagefind_lock(path: str) -> int:
    """Wait until no other process of the build holds the Pagefind lock at `path`, then hold it
    through the returned descriptor: until it is closed, or its holder (and what it `exec`s) ends,
    whatever way, when the kernel lets go of it."""
    lock = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    return lock


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - runs as its own process
    parser = argparse.ArgumentParser(prog="python -m rihla.export.pagefind_run")
    parser.add_argument("--parent", type=int, required=True, help="the build's process: this one dies with it")
    parser.add_argument("--lock", help="a file to hold locked while Pagefind runs")
    parser.add_argument("pagefind", nargs=argparse.REMAINDER, help="Pagefind's arguments, after --")
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    if args.lock:
        os.set_inheritable(take_pagefind_lock(args.lock), True)  # held by Pagefind, released when it ends
    arguments = args.pagefind[1:] if args.pagefind[:1] == ["--"] else args.pagefind
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", "pagefind", *arguments])


if __name__ == "__main__":  # pragma: no cover
    main()
