"""When each line of a record file last changed, from git: a translation is *outdated* when
its source text changed after it was written.

Lunaria (the translation tracker of Astro's docs) judges whole files by their last
commit; records hold many texts per file, so Rihla asks `git blame` for the time of
each line and compares the lines of the source text with the lines of the
translation. Without git (or for a file git does not know) nothing is outdated:
the report only says what git can prove.
"""

from __future__ import annotations

import logging
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Optional

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


_UNCOMMITTED = "0" * 40


def _git(folder: Path, *arguments: str) -> Optional[str]:
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


@lru_cache(maxsize=None)
def _commit_order(folder: str) -> dict[str, int]:
    """Each commit of the history with its rank, older commits lower. Ranks rather than times:
    commits made within the same second (a script, a test) are still told apart."""
    listed = _git(Path(folder), "rev-list", "--topo-order", "HEAD")
    shas = listed.split() if listed else []
    return {sha: len(shas) - index for index, sha in enumerate(shas)}


@lru_cache(maxsize=None)
def _line_ranks(path: str, _stamp: tuple[float, int]) -> Optional[tuple[int, ...]]:
    file = Path(path)
    blamed = _git(file.parent, "blame", "--line-porcelain", "--", file.name)
    if blamed is None:
        return None
    order = _commit_order(str(file.parent))
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


def line_times(path: Path) -> Optional[tuple[int, ...]]:
    """For each line of `path`, when it last changed, as a rank in the history (higher is
    newer; lines not yet committed are the newest). None when git cannot tell."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _line_ranks(str(path.resolve()), (stat.st_mtime, stat.st_size))


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


def changed_at(times: tuple[int, ...], lines: range) -> int:
    """When the latest of `lines` changed."""
    return max((times[number - 1] for number in lines if number - 1 < len(times)), default=0)
