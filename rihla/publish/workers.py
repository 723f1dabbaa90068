"""Language workers: one process per group of languages, forked at the start of a full build.

MkDocs, with mkdocs-static-i18n, builds the site's languages one after another
in one process, on one core. A full build instead splits the languages into as
many groups as it has workers (`extra.rihla.workers` in mkdocs.yml, or
`RIHLA_WORKERS`, which wins; by default the cores this process may run on). The
build's own process keeps the first group (the default language's); for each
other group it forks a child at Rihla's `on_config`, once the records are loaded
and validated, so that every child starts with them in memory (shared with the
parent, copy-on-write) and carries on with the very same `mkdocs build` for its
own languages, into a folder of its own (`part_dir`): MkDocs cleans the site
folder when a build starts. A child does all the work of its languages (pages,
feeds, data, calendars, search index, PDFs, the privacy check of what it wrote),
then sends its report and ends; the build's process moves the children's
language folders into the staged site and writes what belongs to the whole
site (`publisher.py`).

A child that fails reports why and ends with status 1, without running the
parent's exit handlers (the staged site and its lock belong to the parent); a
child that ends without its report (killed, out of memory) fails the build too,
and so do the warnings a child counted in strict mode. A child dies with the
build's process (Linux), so a killed build leaves no one writing.

Forking is safe only where `fork` is the platform's way (Linux: macOS's system
libraries are not fork-safe, and Python itself stopped forking there) and in a
process with one thread: a thread holding a lock at the moment of the fork
would leave it locked in the child forever. `mkdocs serve` runs its server and
watcher in threads, and knows it is serving from `on_startup`: there, as with
one worker or a `--dirty` build, every language is built in the build's process,
to the same site.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

from mkdocs.exceptions import Abort, PluginError

from rihla.export.processes import PR_SET_NAME, die_with_parent, prctl
from rihla.publish.faults import describe_os_error

LANGUAGE_WEIGHTS = {"ar": 1.3}
"""How much longer a language takes to build than a Latin-script one (Arabic: shaping marks,
number and date forms, right-to-left copies of the styles), to balance the groups."""

_FINISHED, _FAILED = "finished", "failed"


def cores_available() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def worker_count(option: Any) -> int:
    """The number of language workers from `extra.rihla.workers` (`RIHLA_WORKERS` through `!ENV`
    in mkdocs.yml); empty: the cores available. Raises ValueError saying what to write."""
    if option is None or option == "":
        return cores_available()
    try:
        count = int(str(option).strip())
    except ValueError:
        count = 0
    if count < 1 or isinstance(option, bool):
        raise ValueError(f"expected a whole number of workers (1 or more) but received {option!r}")
    return count


def may_fork(serving: bool = False) -> bool:
    """True where a child process may be forked: Linux, not `mkdocs serve`, one thread running."""
    return sys.platform == "linux" and not serving and threading.active_count() == 1


def language_groups(languages: Sequence[str], count: int) -> list[tuple[str, ...]]:
    """The languages in at most `count` groups of about the same work, each in the order its
    process builds them: the first group holds the first language (the default one, built by
    the build's own process), and builds it first.

    The heaviest languages go first to the lightest group; at a tie, to a child's group:
    the build's process has the whole site's outputs to write after its own languages.
    A language worker starts with its heaviest language, then builds the others in the site's
    order (as mkdocs-static-i18n does): the search index of a group's last language is made once
    the group has nothing else to build, so a light one should come last; and the heaviest index
    (Arabic: its words in all their forms) is made early, while the processes hold less memory.
    """
    count = max(1, min(count, len(languages)))
    loads = [0.0] * count
    members: list[list[str]] = [[] for _ in range(count)]
    if not languages:
        return []
    first, *others = languages
    members[0].append(first)
    loads[0] += LANGUAGE_WEIGHTS.get(first, 1.0)
    for language in sorted(others, key=lambda code: -LANGUAGE_WEIGHTS.get(code, 1.0)):
        lightest = min(range(count), key=lambda index: (loads[index], -index))
        members[lightest].append(language)
        loads[lightest] += LANGUAGE_WEIGHTS.get(language, 1.0)
    order = {code: position for position, code in enumerate(languages)}

    def heaviest_first(group: list[str]) -> tuple[str, ...]:
        in_site_order = sorted(group, key=order.__getitem__)
        heaviest = max(in_site_order, key=lambda code: LANGUAGE_WEIGHTS.get(code, 1.0))  # the first at a tie
        return (heaviest, *(code for code in in_site_order if code != heaviest))

    own, *children = [group for group in members if group]
    by_site_order = sorted(children, key=lambda group: min(map(order.__getitem__, group)))
    return [tuple(sorted(own, key=order.__getitem__)), *map(heaviest_first, by_site_order)]


class WorkersFailed(PluginError):
    """One or more language workers failed; the build stops (`Publisher.abandon` says what
    became of the published site)."""


class WorkerFailed(Exception):
    """A language worker failed: its build raised (the message carries its report), or it
    ended before it finished (killed, out of memory, crashed)."""


@dataclass
class WorkerReport:
    """What a child sends back once its languages are built."""

    warnings: int = 0
    """Warnings MkDocs logged in the child: in strict mode they fail the whole build."""
    shared: dict[str, Any] = field(default_factory=dict)
    """Results of site outputs that the build's process completes, by output name."""
    profile: dict[str, Any] = field(default_factory=dict)


@dataclass
class Worker:
    """The build's view of one child: its process, the pipe it reports through, its languages and folder."""

    pid: int | None
    pipe: BinaryIO
    languages: tuple[str, ...]
    part_dir: Path

    @property
    def step(self) -> str:
        return f"language worker ({', '.join(self.languages)})"

    def report(self) -> WorkerReport:
        """Wait for the child's report; raises `WorkerFailed` when it failed or ended without one."""
        try:
            kind, value = pickle.load(self.pipe)
        except (EOFError, pickle.UnpicklingError, ValueError, OSError):  # the pipe ended, perhaps mid-report
            status = self.wait()
            raise WorkerFailed(f"{self.step}: the process {_ended(status)} before it finished") from None
        status = self.wait()
        if kind == _FAILED:
            raise WorkerFailed(f"{self.step}: {value}")
        if status != 0:
            raise WorkerFailed(f"{self.step}: the process {_ended(status)}")
        report: WorkerReport = value
        return report

    def wait(self) -> int:
        """Collect the child (its resources then count in the build's own); its wait status."""
        status = 0
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
        self.pipe.close()
        return status

    def cancel(self) -> None:
        """Stop the child (the build failed or was interrupted); what it wrote is dropped with the scratch folder."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.wait()


class LanguageWorkers:
    """The one scheduler of work beside the build: forks the language workers, and, in a child,
    reports to the build's process."""

    def __init__(self) -> None:
        self.children: list[Worker] = []
        """In the build's process: the children still to be collected."""
        self._report_pipe: BinaryIO | None = None
        """In a child: where it reports."""
        self.part_dir: Path | None = None
        """In a child: the folder it builds its languages into."""

    @property
    def is_child(self) -> bool:
        return self._report_pipe is not None

    def fork(self, groups: Sequence[tuple[str, ...]], parts: Path) -> tuple[str, ...]:
        """Fork a child per group after the first, each building into `parts/<n>`; returns the
        group of the process that returns (the first one in the build's process)."""
        parent = os.getpid()
        if len(groups) > 1:
            # What is loaded by now (the records, the modules) is shared with the children until one
            # of them writes to it: frozen, the collector never writes to it (its bookkeeping sits
            # in each object), in the children nor here. Garbage is collected first: frozen, it would stay.
            gc.collect()
            gc.freeze()
        for number, group in enumerate(groups[1:], start=1):
            part_dir = parts / f"{number}-{'-'.join(group)}"
            read_end, write_end = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, whose coverage is not collected
                os.close(read_end)
                self._become_child(parent, os.fdopen(write_end, "wb"), part_dir, group)
                return group
            os.close(write_end)
            self.children.append(Worker(pid, os.fdopen(read_end, "rb"), group, part_dir))
        return tuple(groups[0]) if groups else ()

    def _become_child(  # pragma: no cover
        self, parent: int, pipe: BinaryIO, part_dir: Path, group: tuple[str, ...]
    ) -> None:
        for sibling in self.children:
            sibling.pipe.close()
        self.children = []
        die_with_parent(parent)
        prctl(PR_SET_NAME, f"rihla-{'-'.join(group)}".encode("ascii", "ignore")[:15])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops the build; the child just ends
        # Exit handlers run last registered first: should the child ever leave MkDocs' call by
        # another way than `finished` or `failed`, it ends here, before any handler of the
        # parent (temporary folders, the staged site) runs in it.
        atexit.register(os._exit, 1)
        self._report_pipe = pipe
        self.part_dir = part_dir
        part_dir.mkdir(parents=True)

    def finished(self, report: WorkerReport) -> NoReturn:  # pragma: no cover - child only
        """Send the report and end the child with status 0."""
        self._send(_FINISHED, report, status=0)

    def failed(self, error: BaseException) -> NoReturn:  # pragma: no cover - child only
        """Send what went wrong and end the child with status 1."""
        self._send(_FAILED, describe_failure(error), status=1)

    def _send(self, kind: str, value: Any, status: int) -> NoReturn:  # pragma: no cover - child only
        try:
            if self._report_pipe is not None:
                pickle.dump((kind, value), self._report_pipe, protocol=pickle.HIGHEST_PROTOCOL)
                self._report_pipe.close()
        except BaseException:  # noqa: BLE001 - the build's process sees the pipe end without a report
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            # Not sys.exit: the child must not run the parent's exit handlers nor flush its buffers again.
            os._exit(status)

    def collect(self) -> list[tuple[Worker, WorkerReport]]:
        """Every child's report, once each has ended; raises PluginError naming each that failed."""
        children, self.children = self.children, []
        reports, failures = [], []
        for child in children:
            try:
                reports.append((child, child.report()))
            except WorkerFailed as error:
                failures.append(f"Rihla: {error}")
        _thaw(children)
        if failures:
            raise WorkersFailed("\n".join(failures))
        return reports

    def cancel(self) -> None:
        """Stop every child still running."""
        children, self.children = self.children, []
        for child in children:
            child.cancel()
        _thaw(children)


def _thaw(children: Sequence[Worker]) -> None:
    """Once the children have ended, what `fork` froze is collected again as garbage when it
    becomes garbage: a process that builds again (tests, Python driving MkDocs) would keep it forever."""
    if children:
        gc.unfreeze()


def describe_failure(error: BaseException) -> str:
    """One line: MkDocs' and Rihla's messages as they are, an operating-system error with its
    path, anything else (a bug) with its type and where it was raised."""
    if isinstance(error, (PluginError, Abort)):  # Abort: a strict build's warnings, counted by MkDocs
        return str(error).strip()
    if isinstance(error, OSError):
        return describe_os_error(error)
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    message = " ".join(str(error).split())
    return f"{type(error).__name__}: {message}{where}"


def _ended(status: int) -> str:
    """How a child ended, from its wait status: `was killed (SIGKILL)`, `exited with status 1`."""
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed ({name})"
    if code > 0:
        return f"exited with status {code}"
    return "closed its pipe"


def move_into_site(part_dir: Path, site_dir: Path, languages: Sequence[str]) -> None:
    """Move what a language worker built into the site, by renames (the same disk, no copies):
    its language folders, and any other file the site does not have yet.

    What every language's build writes at the site's root (the theme's assets, the files of
    `docs/`) the build's process wrote already, the same; what differs from one language's
    build to the next (`sitemap.xml`, `404.html`) site outputs write once all are built.
    """
    for language in languages:
        _move(part_dir / language, site_dir / language)
    for folder, _subfolders, files in os.walk(part_dir):
        for name in files:
            source = Path(folder, name)
            target = site_dir / source.relative_to(part_dir)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.rename(source, target)


def _move(source: Path, target: Path) -> None:
    """`source` to `target`: one rename, or, where `target` is already a folder, file by file."""
    if not source.exists():
        return
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)
        return
    if source.is_dir() and target.is_dir():
        for child in sorted(source.iterdir()):
            _move(child, target / child.name)
        return
    os.replace(source, target)
