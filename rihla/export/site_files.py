"""The files of a built site, language by language, and how to tell that one was written again.

The outputs that read the whole site once it is built (the search index, the privacy check,
the offline app's version) read it language by language, each in the process that built
the language (`rihla/publish/workers.py`), and the build's process reads again only the
files that changed since (a later output wrote them), which their stamps tell.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from rihla.site_language import language_dir

BUNDLE_DIR = "pagefind"
"""Folder of a language's search bundle, under the language's root."""

Stamp = tuple[int, int]
"""A file's size and modification time: a file read in a language's process and written again
afterwards (by a later output) has a new stamp. Moving a worker's folder into the site keeps it."""


def file_stamp(path: Path) -> Stamp:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def site_stamps(site_dir: Path) -> dict[str, Stamp]:
    """The stamp of every file of the site, by its path in the site (`nl/index.html`).

    One `stat` per file from `os.scandir`: at 64,000 files, `Path.rglob` with `is_file` and
    `relative_to` took six times as long. A linked folder is not walked (as `rglob` does not);
    a linked file is listed (it is served)."""
    stamps: dict[str, Stamp] = {}
    folders = [(str(site_dir), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    status = entry.stat()
                    stamps[f"{prefix}{entry.name}"] = (status.st_size, status.st_mtime_ns)
    return stamps


def in_path_order(names: Iterable[str]) -> list[str]:
    """Paths in the site sorted as `Path` objects sort (folder by folder): `a/x` before `a-b/x`."""
    return sorted(names, key=lambda name: name.split("/"))


def other_language_roots(languages: Sequence[str], default_language: str, language: str) -> set[str]:
    """Folders under `language`'s root that are other languages' roots: the default language's
    root is the site's, which holds the others (`nl/`, `en/`, `ar/`)."""
    return {code for code in languages if code != language} if language == default_language else set()


def language_files(root: Path, other_roots: set[str], *, with_bundle: bool = False) -> Iterator[Path]:
    """Every file of one language's part of the site, without the other languages' roots under
    it, and without its search bundle unless `with_bundle`."""
    for folder, subfolders, files in os.walk(root):
        if folder == str(root):
            subfolders[:] = [name for name in subfolders
                             if name not in other_roots and (with_bundle or name != BUNDLE_DIR)]
        for name in files:
            yield Path(folder, name)


def files_of_languages(
    site_dir: Path, languages: Sequence[str], all_languages: Sequence[str], default_language: str,
    *, with_bundle: bool = True,
) -> Iterator[tuple[str, Path]]:
    """Every file of `languages` (search bundles included unless not `with_bundle`), with its path
    in the site: the files one process built (a language worker: in its own folder, laid out as the site)."""
    for language in languages:
        root = language_dir(site_dir, language, default_language)
        other_roots = other_language_roots(all_languages, default_language, language)
        for path in language_files(root, other_roots, with_bundle=with_bundle):
            yield path.relative_to(site_dir).as_posix(), path


def bundle_files(site_dir: Path, languages: Sequence[str], default_language: str) -> Iterator[tuple[str, Path]]:
    """Every file of the search bundles of `languages`, with its path in the site."""
    for language in languages:
        for folder, _subfolders, files in os.walk(language_dir(site_dir, language, default_language) / BUNDLE_DIR):
            for name in files:
                path = Path(folder, name)
                yield path.relative_to(site_dir).as_posix(), path
