"""When each visit last changed, so that a calendar app replaces the event it imported before.

Calendar apps keep an imported or subscribed event by its `UID` and replace it
when a newer version arrives: newer means a higher `SEQUENCE`, then a later
`DTSTAMP` / `LAST-MODIFIED`. The build must stay reproducible (the same
records give the same bytes), so none of these come from the clock. They come
from the records' git history:

- a visit's fingerprint is its record as written (values, not layout) with the
  mission's `timezone`, `start` and `end`, which move its event too;
- walking the commits that touched the mission's folder, newest first, the visit
  last changed at the oldest commit of the run that still has today's fingerprint;
  a visit whose fingerprint differs from the last commit (an edit not committed
  yet) changed "at the build": the build date, or the last commit if later;
- `SEQUENCE` is that moment in minutes since 2020-01-01 UTC. A count of changes
  would be smaller in a shallow clone (CI checks out one commit) than in a full
  one, and go backwards between builds; a time only grows. A shallow history, or
  more than `MAX_COMMITS` commits, makes a visit look changed at the oldest commit
  seen: later than the truth, never earlier, so never an older version.

Without git (records outside a repository, git not installed), every visit
"changed" on the build date: the same file for the same records and build date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rihla.model.layout import YAML_SUFFIXES
from rihla.yaml_source import YamlError, read_yaml

log = logging.getLogger(__name__)

EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
MAX_COMMITS = 200
"""Commits of a mission's folder read back at most; older changes count as made at the oldest one read."""
GIT_TIMEOUT = 30
MISSION_FIELDS = ("timezone", "start", "end")
"""Fields of the mission that move its visits' events."""


@dataclass(frozen=True)
class Version:
    """The version of a visit's event: when it last changed, and the sequence number that says so."""

    modified: dt.datetime

    @property
    def sequence(self) -> int:
        return max(0, int((self.modified - EPOCH).total_seconds() // 60))


def _fingerprints(files: dict[str, str]) -> dict[str, str]:
    """Fingerprint of each visit (by id) in the YAML files of one mission folder (name → text)."""
    mission: dict[str, Any] = {}
    visits: dict[str, Any] = {}
    for text in files.values():
        try:
            data, _, _ = read_yaml(text.removeprefix("\ufeff"))
        except YamlError:
            continue
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("mission"), dict):
            mission = {key: data["mission"].get(key) for key in MISSION_FIELDS}
        for visit in data.get("visits") or []:
            if isinstance(visit, dict) and isinstance(visit.get("id"), str):
                visits[visit["id"]] = visit
    return {
        visit_id: hashlib.sha256(json.dumps([visit, mission], sort_keys=True, default=str).encode()).hexdigest()
        for visit_id, visit in visits.items()
    }


class _Git:
    """The few git commands the history needs, run in one folder; None when git cannot answer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def run(self, *arguments: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *arguments], cwd=self.folder, capture_output=True, timeout=GIT_TIMEOUT, check=False
            )
        except (OSError, subprocess.SubprocessError) as error:
            log.debug("git %s: %s", arguments[0], error)
            return None
        return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None

    def commits(self) -> list[tuple[str, dt.datetime]]:
        """Commits that touched the folder, newest first, with their commit times."""
        out = self.run("log", f"-n{MAX_COMMITS}", "--format=%H %ct", "--", ".")
        commits = []
        for line in (out or "").splitlines():
            sha, _, seconds = line.partition(" ")
            commits.append((sha, dt.datetime.fromtimestamp(int(seconds), dt.UTC)))
        return commits

    def files_at(self, commit: str) -> dict[str, str]:
        """The folder's YAML files as they were at `commit`."""
        names = self.run("ls-tree", "--name-only", commit, "--", ".") or ""
        files = {}
        for name in names.splitlines():
            if name.endswith(YAML_SUFFIXES):
                text = self.run("show", f"{commit}:./{name}")
                if text is not None:
                    files[name] = text
        return files


def _working_files(folder: Path) -> dict[str, str]:
    """The folder's YAML files as they are now (the loader has read them already: one unreadable
    now only loses its visits' history)."""
    files = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in YAML_SUFFIXES:
            try:
                files[path.name] = path.read_text(encoding="utf-8", errors="replace")
            except OSError as error:
                log.warning("Rihla calendars: cannot read %s again (%s); its visits count as changed now", path, error)
    return files


def _mission_folders(records_dir: Path) -> Iterator[Path]:
    if records_dir.is_dir():
        yield from sorted(p for p in records_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def visit_versions(records_dir: Path, build_date: dt.date) -> dict[str, Version]:
    """The version of every visit under `records_dir`, by visit id (ids are unique across missions)."""
    at_build = dt.datetime.combine(build_date, dt.time(0), tzinfo=dt.UTC)
    versions: dict[str, Version] = {}
    for folder in _mission_folders(records_dir):
        current = _fingerprints(_working_files(folder))
        git = _Git(folder)
        commits = git.commits() if current else []
        uncommitted = max(at_build, commits[0][1]) if commits else at_build
        changed = dict.fromkeys(current, uncommitted)
        pending = set(current)
        for commit, moment in commits:
            then = _fingerprints(git.files_at(commit))
            for visit_id in list(pending):
                if then.get(visit_id) != current[visit_id]:
                    pending.discard(visit_id)  # it changed after this commit: `changed` holds when
                else:
                    changed[visit_id] = moment
            if not pending:
                break
        versions.update({visit_id: Version(moment) for visit_id, moment in changed.items()})
    return versions
