"""When each line of a record file last changed, from git: a translation is *outdated* when
its source text changed after it was written.

Lunaria (the translation tracker of Astro's docs) judges whole files by their last
commit; records hold many texts per file, so Rihla asks `git blame` which commit last
changed each line and compares the lines of the source text with the lines of the
translation. Without git (or for a file git does not know) nothing is outdated:
the report only says what git can prove.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


_UNCOMMITTED = "0" * 40


def _git(folder: Path, *arguments: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *arguments], cwd=folder, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.debug("git %s in %s: %s", arguments[0], folder, error)
        return None
    if result.returncode != 0:
        log.debug("git %s in %s: %s", arguments[0], folder, result.stderr.strip())
        return None
    return result.stdout


class LineHistory:
    """When each line of the record files last changed, as a rank in the git history (higher is
    newer; lines not yet committed are the newest). Ranks rather than times: commits made within
    the same second (a script, a test) are still told apart. One object per look at the records:
    each file is blamed once, and a later look sees later commits; or one object kept across
    looks (the preview's), `refresh`ed before each: only the files saved since are blamed again."""

    def __init__(self) -> None:
        self._orders: dict[Path, dict[str, int]] = {}
        self._ranks: dict[Path, tuple[tuple[int, int], tuple[int, ...] | None]] = {}
        """Ranks by file, with the file's size and time when it was blamed: a file saved since is blamed again."""
        self._head: str | None = None
        self._this_look: dict[Path, tuple[int, ...] | None] = {}
        """Ranks by the path as asked for, until the next `refresh`: a file is looked at once per look."""

    def refresh(self, folder: Path) -> None:
        """Before another look at the records under `folder`: forget everything when a commit was made
        since the last look (every rank may move); files saved since are blamed again anyway."""
        self._this_look = {}
        head = _git(folder, "rev-parse", "HEAD")
        if head != self._head:
            self._orders, self._ranks, self._head = {}, {}, head

    def _commit_order(self, folder: Path) -> dict[str, int]:
        if folder not in self._orders:
            listed = _git(folder, "rev-list", "--topo-order", "HEAD")
            shas = listed.split() if listed else []
            self._orders[folder] = {sha: len(shas) - index for index, sha in enumerate(shas)}
        return self._orders[folder]

    def line_ranks(self, path: Path) -> tuple[int, ...] | None:
        """The rank of each line of `path`; None when git cannot tell."""
        if path in self._this_look:
            return self._this_look[path]
        asked, path = path, path.resolve()
        try:
            status = path.stat()
            stamp = (status.st_size, status.st_mtime_ns)
        except OSError:
            stamp = (-1, -1)
        if path not in self._ranks or self._ranks[path][0] != stamp:
            self._ranks[path] = (stamp, self._blame(path))
        self._this_look[asked] = self._ranks[path][1]
        return self._this_look[asked]

    def _blame(self, path: Path) -> tuple[int, ...] | None:
        blamed = _git(path.parent, "blame", "--line-porcelain", "--", path.name)
        if blamed is None:
            return None
        order = self._commit_order(path.parent)
        newest = len(order) + 1  # a line changed since the last commit is newer than every commit
        ranks: list[int] = []
        expect_header = True
        for line in blamed.splitlines():
            if expect_header:
                sha = line.split(" ", 1)[0]
                ranks.append(newest if sha == _UNCOMMITTED else order.get(sha, 0))
                expect_header = False
            elif line.startswith("\t"):
                expect_header = True
        return tuple(ranks)


def value_lines(lines: list[str], key_line: int) -> range:
    """The lines (1-based) a YAML value starting on `key_line` spans: that line and the
    following ones indented deeper than it (a folded or literal text), blank ones inside."""
    first = lines[key_line - 1]
    indent = len(first) - len(first.lstrip(" -"))
    end = key_line
    for number in range(key_line + 1, len(lines) + 1):
        text = lines[number - 1]
        if not text.strip():
            continue
        if len(text) - len(text.lstrip(" ")) <= indent:
            break
        end = number
    return range(key_line, end + 1)


def changed_at(ranks: tuple[int, ...], lines: range) -> int:
    """When the latest of `lines` changed."""
    return max((ranks[number - 1] for number in lines if number - 1 < len(ranks)), default=0)
