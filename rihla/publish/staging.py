"""Nothing half-published: a build is written beside the site and swapped into place once complete.

MkDocs writes straight into `site_dir`, so a build that stops half-way (bad
records found late, a failed check, a warning in strict mode, a full disk)
would leave a mix of old and new files where the site is served from. Instead,
the first language of a build redirects `site_dir` to a staging folder next to
it (`site.rihla-staging`); when every language, output and check is done, the
finished folder and the old site trade places in one system call
(`renameat2(RENAME_EXCHANGE)`), so that at every instant `site/` is a whole
site, the old one or the new one, whatever is killed when. On failure the
staging folder is deleted and the old site, or none, stays as it was.

Why a directory exchange rather than a symbolic link switched to a new folder:
`site/` stays a real folder, which is what every upload step expects (GitLab
stores a symbolic link in an artifact as a link, not the site behind it; GitHub's
`upload-pages-artifact` and `mkdocs gh-deploy` read the folder as it is), and
nothing outside the build needs to know about the switch. Where the file system
cannot exchange (not Linux, some network file systems), the two renames it
replaces are used, which leave a moment without `site/`.

One build at a time: a build holds a lock on `site.rihla-lock` (beside the
site) from its start to its swap, so concurrent builds into one site never
share the staging folder. A second build stops at once with a message naming
the first one's process, or waits for it when `wait_for_build` (extra.rihla) gives a
number of seconds. The lock is the kernel's (`flock`): a killed build frees it.

Deleting the old site (tens of thousands of files for a large programme) takes
seconds that no one needs to wait for: once the new site is in place, a
detached process deletes the old one, as `git gc --auto` tidies a repository
after the command that needed it has returned. Where no process may be forked
(`mkdocs serve`, see `workers.may_fork`), it is deleted before the build returns. What a killed build
left (its staging folder, its search workspace, old sites not yet deleted) is
deleted by the next build, under the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from rihla.publish.faults import describe_os_error
from rihla.publish.knobs import pause_in_swap
from rihla.publish.workers import may_fork

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

STAGING_SUFFIX = ".rihla-staging"
PREVIOUS_SUFFIX = ".rihla-previous"
"""The old site while two plain renames replace it (file systems that cannot exchange folders)."""
DISCARDED_SUFFIX = ".rihla-discarded"
"""An old site being deleted by a detached process: `site.rihla-discarded-<process id>`; its
work files: `site.rihla-discarded-<process id>-scratch`."""
SCRATCH_SUFFIX = ".rihla-scratch"
"""Work files of a build that are not part of the site (the search index's staged pages, the
folders language workers build into)."""
LOCK_SUFFIX = ".rihla-lock"
WAIT_SETTING, WAIT_VARIABLE = "wait_for_build", "RIHLA_WAIT_FOR_BUILD"
"""Seconds a build waits for another build of the same site to end (default: stop at once): `extra.rihla`'s
setting, and the variable the project's mkdocs.yml reads it from (`!ENV`), named when a build stops."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class WarningCount(logging.Handler):
    """Counts MkDocs warnings: in strict mode MkDocs aborts on them only after `on_post_build`,
    which is too late to decide whether to publish."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _remove_detached(folders: dict[Path, str], serving: bool) -> None:
    """Delete `folders` in one process of its own that outlives this one; here when none may be forked.

    Deleting is slow on some disks (tens of thousands of files: the old site, the search
    index's staged pages), and nothing waits for it. Each folder's label tells apart the folders
    one build hands over (`site.rihla-discarded-<process id><label>`)."""
    present = [path for path in folders if path.is_dir() and not path.is_symlink()]
    if not present or not may_fork(serving):
        for path in folders:
            _remove(path)
        return
    discarded = []
    for path in present:
        target = path.with_name(f"{_site_name(path)}{DISCARDED_SUFFIX}-{os.getpid()}{folders[path]}")
        _remove(target)
        path.rename(target)
        discarded.append(target)
    child = os.fork()
    if child == 0:  # pragma: no cover - the intermediate child, gone at once
        try:
            if os.fork() == 0:  # the grandchild: init adopts it, so no one has to wait for it
                os.setsid()
                # Let go of the build's output, pipes and lock: whoever waits on them sees them end with the build.
                quiet = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(quiet, stream)
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                for target in discarded:
                    shutil.rmtree(target, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _site_name(path: Path) -> str:
    for suffix in (STAGING_SUFFIX, PREVIOUS_SUFFIX, SCRATCH_SUFFIX):
        if path.name.endswith(suffix):
            return path.name.removesuffix(suffix)
    return path.name


def _remove_leftovers(target: Path) -> None:
    """What a killed build left beside the site: its staging and scratch folders, old sites
    a detached process did not get to delete. Called under the lock."""
    for suffix in (STAGING_SUFFIX, SCRATCH_SUFFIX):
        _remove(target.with_name(target.name + suffix))
    previous = target.with_name(target.name + PREVIOUS_SUFFIX)
    if previous.is_dir() and not target.exists():
        previous.rename(target)  # a build killed between the two plain renames: the old site comes back
    for path in target.parent.glob(f"{target.name}{DISCARDED_SUFFIX}-*"):
        shutil.rmtree(path, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux `renameat2(RENAME_EXCHANGE)`); False where the
    system or the file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if sys.platform == "linux" else None
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _pause_for_fault_tests(moment: str) -> None:
    if pause_in_swap(moment):  # the fault tests only (knobs.py)
        print(f"rihla: {moment} the swap", file=sys.stderr, flush=True)
        time.sleep(60)


@dataclass
class SiteLock:
    """The kernel lock that makes builds of one site take turns (released when the process ends)."""

    path: Path
    descriptor: int

    @classmethod
    def acquire(cls, target: Path, wait: float = 0.0) -> SiteLock:
        """Take the lock of `target`'s builds, waiting up to `wait` seconds (`extra.rihla.wait_for_build`);
        raises PluginError when another build keeps it."""
        path = target.with_name(target.name + LOCK_SUFFIX)
        deadline = time.monotonic() + wait
        while True:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
                os.close(descriptor)
                if time.monotonic() >= deadline:
                    raise PluginError(
                        f"{target}: another build (process {holder}) is writing this site; nothing was built "
                        f"and its site is left to it. Build again once it has ended, or set `{WAIT_SETTING}` "
                        f"under extra.rihla in mkdocs.yml ({WAIT_VARIABLE} in the project's) to a number of "
                        "seconds to wait for it"
                    ) from None
                time.sleep(0.2)
                continue
            # The build before may have deleted the lock file between our open and our lock:
            # then the lock we hold is on a file no one else will see. Start again.
            try:
                same = os.fstat(descriptor).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(descriptor)
                continue
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
            return cls(path, descriptor)

    def release(self) -> None:
        if self.descriptor < 0:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # before unlocking, so a waiting build sees its file gone and retries
        os.close(self.descriptor)
        self.descriptor = -1


def _identity(path: Path) -> tuple[int, int] | None:
    """Which folder is at `path` (device and inode), or None when none is."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


@dataclass
class StagedBuild:
    """One build being written into a staging folder, until it is published or discarded."""

    config: MkDocsConfig
    target: Path
    staging: Path
    lock: SiteLock
    previous: tuple[int, int] | None
    """The published site's folder when the build started (None: there was none)."""
    warnings: WarningCount = field(default_factory=WarningCount)
    serving: bool = False
    """True under `mkdocs serve` (from `on_startup`): no process is forked to delete the old site."""

    @property
    def scratch(self) -> Path:
        """A folder for the build's work files, beside the site and on its disk, deleted with the staging folder."""
        return self.target.with_name(self.target.name + SCRATCH_SUFFIX)

    @classmethod
    def begin(cls, config: MkDocsConfig, wait: float = 0.0, serving: bool = False) -> StagedBuild:
        """Take the site's lock (waiting up to `wait` seconds for another build), point the build
        at a fresh staging folder beside `site_dir` and start counting warnings."""
        target = Path(config.site_dir).absolute()
        staging = target.with_name(target.name + STAGING_SUFFIX)
        previous = _identity(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)  # `-d build/site` on a fresh checkout
            lock = SiteLock.acquire(target, wait)
        except OSError as error:
            raise PluginError(f"Rihla: {describe_os_error(error)}; nothing was built, "
                              f"{_kept_message(target, previous)}") from None
        try:
            _remove_leftovers(target)
            previous = _identity(target)
            staging.mkdir()
        except OSError as error:
            lock.release()
            raise PluginError(f"Rihla: {describe_os_error(error)}; nothing was built, "
                              f"{_kept_message(target, previous)}") from None
        config.site_dir = str(staging)
        build = cls(config, target, staging, lock, previous, serving=serving)
        logging.getLogger("mkdocs").addHandler(build.warnings)
        return build

    def publish(self) -> None:
        """Put the finished site in place of the old one; in strict mode with warnings, drop it,
        since MkDocs is about to abort the build."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.config.strict and self.warnings.count:
            self.discard()
            return
        try:
            replaced = self._swap()
        except OSError as error:
            self.discard()
            raise PluginError(f"Rihla: the built site could not be put in place ({describe_os_error(error)}); "
                              f"{_kept_message(self.target, self.previous)}") from None
        self.config.site_dir = str(self.target)
        try:
            old = {replaced: ""} if replaced is not None else {}
            _remove_detached({**old, self.scratch: "-scratch"}, self.serving)
        except OSError as error:  # the new site is published: only tidying failed
            log.info("Rihla: %s (left for the next build to delete)", describe_os_error(error))
        self.lock.release()

    def _swap(self) -> Path | None:
        """Put the staging folder at the site's place; returns where the old site now is, if there was one."""
        if self.previous is None:
            self.staging.rename(self.target)  # nothing there: one rename is atomic
            return None
        _pause_for_fault_tests("before")
        if exchange(self.staging, self.target):
            _pause_for_fault_tests("after")
            return self.staging
        log.info("Rihla: this file system cannot exchange folders; the site is replaced by two renames")
        previous = self.target.with_name(self.target.name + PREVIOUS_SUFFIX)
        _remove(previous)
        self.target.rename(previous)
        try:
            self.staging.rename(self.target)
        except OSError:
            previous.rename(self.target)
            raise
        return previous

    def discard(self) -> str | None:
        """Delete the staging and scratch folders; the published site is left as it was.
        Returns what became of the published site, checked."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        try:
            for folder in (self.staging, self.scratch):
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            self.config.site_dir = str(self.target)
            self.lock.release()
        return _kept_message(self.target, self.previous)


def _kept_message(target: Path, previous: tuple[int, int] | None) -> str:
    """What is at the site's place now, checked against what was there when the build started."""
    now = _identity(target)
    if previous is None:
        return "no site was published" if now is None else f"{target} was written by another process"
    if now == previous:
        return "the previous site was kept"
    return f"the previous site is no longer at {target}; check it"
