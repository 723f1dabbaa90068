"""Nothing half-published: a build is written beside the site and moved into place once complete.

MkDocs writes straight into `site_dir`, so a build that stops half-way (bad
records found late, a failed check, a warning in strict mode) would leave a mix
of old and new files where the site is served from. Instead, the first language
of a build redirects `site_dir` to a staging folder next to it
(`site.rihla-staging`); when every language, output and check is done, the
finished folder takes the place of the old site (two renames on the same
file system). On failure the staging folder is deleted and the old site, or
none, stays as it was.

Deleting the old site (tens of thousands of files for a large programme) takes
seconds that no one needs to wait for: once the new site is in place, a
detached process deletes the old one, as `git gc --auto` tidies a repository
after the command that needed it has returned. Where no process may be forked
(`mkdocs serve`), it is deleted before the build returns.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from rihla.publish.forked import can_fork

STAGING_SUFFIX = ".rihla-staging"
PREVIOUS_SUFFIX = ".rihla-previous"
DISCARDED_SUFFIX = ".rihla-discarded"
"""An old site being deleted by a detached process: `site.rihla-discarded-<process id>`."""


class _WarningCount(logging.Handler):
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


def _remove_detached(path: Path) -> None:
    """Delete `path` in a process of its own that outlives this one; here when none may be forked."""
    if not path.is_dir() or path.is_symlink() or not can_fork():
        _remove(path)
        return
    discarded = path.with_name(f"{path.name.removesuffix(PREVIOUS_SUFFIX)}{DISCARDED_SUFFIX}-{os.getpid()}")
    _remove(discarded)
    path.rename(discarded)
    child = os.fork()
    if child == 0:  # pragma: no cover - the intermediate child, gone at once
        try:
            if os.fork() == 0:  # the grandchild: init adopts it, so no one has to wait for it
                os.setsid()
                # Let go of the build's output and pipes: whoever reads them sees them end with the build.
                quiet = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(quiet, stream)
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                shutil.rmtree(discarded, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _remove_discarded(target: Path) -> None:
    """Old sites a detached process did not get to delete (the machine stopped), if any."""
    for path in target.parent.glob(f"{target.name}{DISCARDED_SUFFIX}-*"):
        shutil.rmtree(path, ignore_errors=True)


@dataclass
class StagedBuild:
    """One build being written into a staging folder, until it is published or discarded."""

    config: MkDocsConfig
    target: Path
    staging: Path
    warnings: _WarningCount = field(default_factory=_WarningCount)

    @classmethod
    def begin(cls, config: MkDocsConfig) -> "StagedBuild":
        """Point the build at a fresh staging folder beside `site_dir` and start counting warnings."""
        target = Path(config.site_dir)
        staging = target.with_name(target.name + STAGING_SUFFIX)
        _remove(staging)  # left by a build that was killed
        _remove_discarded(target)
        config.site_dir = str(staging)
        build = cls(config, target, staging)
        logging.getLogger("mkdocs").addHandler(build.warnings)
        return build

    def publish(self) -> None:
        """Put the finished site in place of the old one; in strict mode with warnings, drop it,
        since MkDocs is about to abort the build."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.config.strict and self.warnings.count:
            self.discard()
            return
        previous = self.target.with_name(self.target.name + PREVIOUS_SUFFIX)
        try:
            _remove(previous)
            if self.target.exists() or self.target.is_symlink():
                self.target.rename(previous)
            self.staging.rename(self.target)
        except OSError as error:
            if previous.exists() and not self.target.exists():
                previous.rename(self.target)
            self.discard()
            raise PluginError(f"{self.target}: the built site could not be put in place ({error.strerror}); "
                              "the previous site was kept") from None
        self.config.site_dir = str(self.target)
        _remove_detached(previous)

    def discard(self) -> None:
        """Delete the staging folder; the published site is left as it was."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        _remove(self.staging)
        self.config.site_dir = str(self.target)
