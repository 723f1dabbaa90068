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

import ctypes
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Optional

from rihla.publish.faults import describe_os_error

WORKERS_VARIABLE = "RIHLA_WORKERS"
"""`1` keeps all work in the build's process (the same pages, more slowly)."""


CHILD_NICENESS = 10
"""How much lower a child's scheduling priority is than the build's (Pagefind, run by a child, inherits it)."""


_VALUE, _FAILED, _FINISHED = "value", "failed", "finished"
"""What the child sends: a value, the failure of its work (then it ends), or that it finished."""


class BackgroundError(Exception):
    """Work in a child process failed: its work raised (`raised`, the message carries the
    child's report), or the child died before it finished (killed, out of memory, crashed)."""

    def __init__(self, message: str, *, raised: bool) -> None:
        super().__init__(message)
        self.raised = raised


def can_fork() -> bool:
    """True when work may run in a forked child: a fork exists, another core does, one thread runs."""
    if os.environ.get(WORKERS_VARIABLE, "").strip() == "1":
        return False
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class ForkedJob:
    """A generator run in a forked child; each value it yields comes back, in order, through a pipe.

    The child streams: a value is sent as soon as it is made (the pipe makes the
    child wait while the build is not ready to take it), so the build can take
    the first result while the child works on the next. The child says when it
    has finished; a child that ends without saying so, or with a status other
    than 0, failed, whatever it sent before (`step` names its work in the message).
    """

    def __init__(
        self, work: Callable[[], Iterator[Any]], step: str = "work in a background process", process_name: str = "rihla"
    ) -> None:
        self.step = step
        read_end, write_end = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, whose coverage is not collected
            os.close(read_end)
            die_with_parent(parent)
            _run_child(work, os.fdopen(write_end, "wb"), process_name)
        os.close(write_end)
        self.pid: Optional[int] = pid
        self.pipe: BinaryIO = os.fdopen(read_end, "rb")

    def _receive(self) -> tuple[bool, Any]:
        """(True, the next value), or (False, None) once the child is done; raises when it failed."""
        try:
            kind, value = pickle.load(self.pipe)
        except (EOFError, pickle.UnpicklingError, ValueError):  # the pipe ended, perhaps mid-value
            status = self.wait()
            raise BackgroundError(f"{self.step}: the background process {_ended(status)} before it finished",
                                  raised=False) from None
        if kind == _VALUE:
            return True, value
        status = self.wait()
        if kind == _FAILED:
            raise BackgroundError(f"{self.step}: {value}", raised=True)
        if status != 0:
            raise BackgroundError(f"{self.step}: the background process {_ended(status)}", raised=False)
        return False, None

    def next(self) -> Any:
        """The next value the child yields; raises `BackgroundError` when the child failed."""
        more, value = self._receive()
        if not more:
            raise BackgroundError(f"{self.step}: the background process ended without its result", raised=False)
        return value

    def results(self) -> list[Any]:
        """Every value still to come, once the child is done."""
        values = []
        more, value = self._receive()
        while more:
            values.append(value)
            more, value = self._receive()
        return values

    def wait(self) -> int:
        """Collect the child; its wait status (0 when it exited normally with 0)."""
        status = 0
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
        self.pipe.close()
        return status

    def cancel(self) -> None:
        """Stop the child (the build failed or was abandoned); its results are dropped."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.wait()


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


_PR_SET_PDEATHSIG, _PR_SET_NAME = 1, 15


def _prctl(option: int, value: Any) -> None:
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def die_with_parent(parent: int) -> None:  # pragma: no cover - child only
    """Be killed when the build's process dies (Linux): a killed build's children stop at once
    instead of writing on into the folders the next build cleans."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


def _name_process(name: str) -> None:  # pragma: no cover - child only
    """Name the child after its work where `ps` and `top` show it (`rihla-search-nl`; Linux keeps 15 bytes)."""
    _prctl(_PR_SET_NAME, name.encode("ascii", "ignore")[:15])


def _run_child(work: Callable[[], Iterator[Any]], pipe: BinaryIO, name: str) -> None:  # pragma: no cover - child only
    """Run `work`, send what it yields, and leave without running the parent's exit handlers."""
    status = 0
    try:
        _name_process(name)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops the build; the child just ends
        # Below the build in priority: MkDocs' own work is the build's critical path, and a child's
        # work only has to be done by the end, so it takes the time the build leaves free.
        os.nice(CHILD_NICENESS)
        for value in work():
            pickle.dump((_VALUE, value), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()
        pickle.dump((_FINISHED, None), pipe)
        pipe.flush()
    except BrokenPipeError:
        status = 1  # the build stopped listening (it failed or was interrupted)
    except BaseException as error:  # noqa: BLE001 - reported to the build, which stops cleanly
        status = 1
        # A full disk or a read-only folder is a message for staff; anything else, a bug, keeps its traceback.
        report = describe_os_error(error) if isinstance(error, OSError) else traceback.format_exc()
        try:
            pickle.dump((_FAILED, report), pipe)
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
