"""Work done beside the build, in a forked copy of the build's process, on another core.

MkDocs builds one language after another on one core. What Rihla adds (the
pages of the languages still to come, a language's search index, the privacy
check of a language already written) does not depend on what MkDocs is doing,
so it runs in a child process meanwhile. A fork, not a new interpreter: the
child starts with the records already loaded and validated and the templates
compiled, and sends back only its results.

Forking is safe only in a process with one thread (a thread holding a lock at
the moment of the fork would leave it locked in the child forever), so under
`mkdocs serve`, whose server and watcher run in threads, everything runs in the
build's own process, as it does on a single core or with `RIHLA_WORKERS=1`.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Optional

WORKERS_VARIABLE = "RIHLA_WORKERS"
"""`1` keeps all work in the build's process (the same pages, more slowly)."""


CHILD_NICENESS = 10
"""How much lower a child's scheduling priority is than the build's (Pagefind, run by a child, inherits it)."""


class BackgroundError(Exception):
    """Work in a child process failed; carries the child's traceback as text."""


def can_fork() -> bool:
    """True when work may run in a forked child: a fork exists, another core does, one thread runs."""
    if os.environ.get(WORKERS_VARIABLE, "").strip() == "1":
        return False
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class ForkedJob:
    """A generator run in a forked child; each value it yields comes back, in order, through a pipe.

    The child streams: a value is sent as soon as it is made (the pipe makes the
    child wait while the build is not ready to take it), so the build can take
    the first result while the child works on the next.
    """

    def __init__(self, work: Callable[[], Iterator[Any]]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, whose coverage is not collected
            os.close(read_end)
            _run_child(work, os.fdopen(write_end, "wb"))
        os.close(write_end)
        self.pid: Optional[int] = pid
        self.pipe: BinaryIO = os.fdopen(read_end, "rb")

    def _receive(self) -> tuple[bool, Any]:
        """(True, the next value), or (False, None) once the child is done; raises when it failed."""
        try:
            ok, value = pickle.load(self.pipe)
        except EOFError:
            return False, None
        if not ok:
            self.wait()
            raise BackgroundError(value)
        return True, value

    def next(self) -> Any:
        """The next value the child yields; raises `BackgroundError` when the child failed."""
        more, value = self._receive()
        if not more:
            self.wait()
            raise BackgroundError("the background process ended without its result")
        return value

    def results(self) -> list[Any]:
        """Every value still to come, once the child is done."""
        values = []
        more, value = self._receive()
        while more:
            values.append(value)
            more, value = self._receive()
        self.wait()
        return values

    def wait(self) -> None:
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None
        self.pipe.close()

    def cancel(self) -> None:
        """Stop the child (the build failed or was abandoned); its results are dropped."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.wait()


def _run_child(work: Callable[[], Iterator[Any]], pipe: BinaryIO) -> None:  # pragma: no cover - child only
    """Run `work`, send what it yields, and leave without running the parent's exit handlers."""
    status = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops the build; the child just ends
        # Below the build in priority: MkDocs' own work is the build's critical path, and a child's
        # work only has to be done by the end, so it takes the time the build leaves free.
        os.nice(CHILD_NICENESS)
        for value in work():
            pickle.dump((True, value), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()
    except BrokenPipeError:
        status = 1  # the build stopped listening (it failed or was interrupted)
    except BaseException:  # noqa: BLE001 - reported to the build, which stops cleanly
        status = 1
        try:
            pickle.dump((False, traceback.format_exc()), pipe)
            pipe.flush()
        except BaseException:  # noqa: BLE001
            pass
    finally:
        try:
            pipe.close()
        except BaseException:  # noqa: BLE001
            pass
        # Not sys.exit: the child must not run the parent's exit handlers (temporary folders,
        # the staged site) nor flush the parent's buffered output a second time.
        os._exit(status)
