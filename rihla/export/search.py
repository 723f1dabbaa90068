"""The site search: one Pagefind bundle per language, made while the next language is built.

Pagefind splits an index by `<html lang>`; Rihla goes one step further and gives
each language its own bundle under its own root (`pagefind/`, `nl/pagefind/`,
...). The search script loads the bundle beside the page's language root, so a
search on the Arabic site can only ever return Arabic pages, and a visitor
downloads one language's index only.

What each language's index holds:

- the pages whose article carries the search mark that
  `overrides/partials/rihla/content-before.html` writes (the kind of page, as a
  Pagefind meta and filter), read from Material's article only (the root
  selector), never from the header, menus or footer;
- the page's title weighted above its body (`_weigh_title`), and what the templates mark
  `data-pagefind-ignore` left out: the context repeated on many pages (the mission's title
  on its visits, theme tags, the missions named beside each line of a history);
- one record per lesson and per action (`templates/data/search-record.html`),
  so that a result is the lesson or action itself, linked to its card on the
  lessons or actions page; those two pages are left unmarked.

Pagefind reads folders, so the chosen pages are copied into a staging folder
beside the records (cut down to their `<html>` tag and article, `_article_only`; with a
space between adjacent block elements, see `_separate_blocks`), and Pagefind's command line indexes each language's
folder as soon as the language is written, in the background, while its process builds
the next one (`workers.py`: a language worker indexes its own). A page is staged
when MkDocs hands it over to be written (`stage_page`, from `on_post_page`), so that
28,000 pages are not read back from the disk; a page that did not pass there (a
`--dirty` build leaves the unchanged ones alone) is read from the site.

A large site's index is made in parts (`index_parts`): Pagefind holds the whole index it
makes in memory, about 130 KB a page (945 MB for the 7,118 Arabic pages of 100 missions),
more than the build itself. Each part holds about `search_part_size` pages (chosen by a
digest of the page's path, so the parts are the same whatever the build's workers), has
its own Pagefind run, one after the other (`pagefind_run.py`), and its own bundle in a
folder of the language's (`pagefind/part-2/`); `pagefind/rihla-parts.json` lists them, and the search
script merges them into one search (Pagefind's `mergeIndex`: results ranked together,
filter counts added up). A site of up to `search_part_size` records has one part.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cbor2

from rihla.export.context import ExportContext, ExportError
from rihla.export.pagefind_run import RUN_SEPARATOR
from rihla.export.processes import give_back_free_memory
from rihla.export.search_forms import searchable
from rihla.export.site_files import BUNDLE_DIR, language_files, other_language_roots
from rihla.render.renderer import PageState

ROOT_SELECTOR = "article.md-content__inner"
"""Material's article: what Pagefind reads of a page (the records template uses it too)."""
SEARCH_MARK = 'data-pagefind-filter="kind:'
"""Written by content-before.html on the pages that belong in the search."""
RECORD_KINDS = ("lesson", "action")
"""Records indexed one by one, whose page lists many of them."""
RECORDS_DIR = "_records"
TIME_LIMIT_SETTING = "pagefind_timeout"
TIME_LIMIT_VARIABLE = "RIHLA_PAGEFIND_TIMEOUT"
"""The variable the project's mkdocs.yml reads the limit from (`!ENV`), named in the message when it is reached."""
DEFAULT_TIME_LIMIT = 600.0
"""Seconds: Pagefind indexes the example in under one; a programme of thousands of pages in about a minute."""
PARTS_FILE = "rihla-parts.json"
"""In a language's bundle: the folders of the index's other parts, which the search script merges."""
PART_FILES = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")
"""What the search script reads of a part other than the first: the rest of a bundle (Pagefind's
scripts, styles and WebAssembly) is the first part's."""


def index_parts(records: int, part_size: int) -> int:
    """How many parts a language's index is made in, for a site of `records` records."""
    return max(1, math.ceil(records / part_size))


def part_of(path: str, parts: int) -> int:
    """The part a staged page (its path under the language's staging folder) is indexed in: by a
    digest of its path, so that the parts come out about the same size and a page stays in its
    part whatever the build's workers."""
    if parts == 1:
        return 0
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=4).digest(), "big") % parts


def part_name(part: int) -> str:
    """`part-2`: the folder of a part, in the staging folder and (but the first) in the bundle."""
    return f"part-{part + 1}"


@dataclass(frozen=True)
class LanguageIndex:
    """What is indexed for one language, and where its bundle goes."""

    language: str
    root: Path
    """The language's root in the built site (the site itself for the default language)."""
    staging: Path
    parts: int = 1
    """Parts the index is made in (`index_parts`); with one, the pages are staged in `staging` itself."""

    @property
    def bundle(self) -> Path:
        return self.root / BUNDLE_DIR

    def part_staging(self, part: int) -> Path:
        return self.staging if self.parts == 1 else self.staging / part_name(part)

    def staged_page(self, path: str) -> Path:
        """Where a page (its path under the language's root) is staged."""
        return self.part_staging(part_of(path, self.parts)) / path

    def runs(self) -> list[tuple[Path, Path]]:
        """(staging, bundle) of each part with pages, in order, the first into the language's bundle
        itself and each other into a folder of it; the staging folder alone when nothing is staged."""
        staged = [part for part in range(self.parts) if self.part_staging(part).is_dir()] if self.parts > 1 else []
        if not staged:
            return [(self.staging, self.bundle)]
        return [(self.part_staging(part), self.bundle if number == 0 else self.bundle / part_name(part))
                for number, part in enumerate(staged)]

    def write_parts_list(self) -> None:
        """`rihla-parts.json` in the bundle: the other parts' folders, which the search script merges;
        only what it reads is kept of them."""
        others = [bundle for _staging, bundle in self.runs()[1:]]
        for bundle in others:
            _keep_only(bundle, PART_FILES)
        names = [f"{bundle.relative_to(self.bundle).as_posix()}/" for bundle in others]
        (self.bundle / PARTS_FILE).write_text(json.dumps(names), encoding="utf-8")


def _keep_only(bundle: Path, patterns: tuple[str, ...]) -> None:
    kept = {path for pattern in patterns for path in bundle.glob(pattern)}
    for path in bundle.iterdir():
        if path in kept:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


class SearchIndex:
    """Site output: a Pagefind bundle per language, made by the process that built the language.

    A language's Pagefind starts as soon as its pages are written, in the background
    (`pagefind_run.py`), while its process builds the next language; the process waits for its
    languages' runs once it has built them all (`finish_languages`)."""

    def __init__(self) -> None:
        self._workspace: Path | None = None
        self._in_scratch = False
        """The workspace is in the build's scratch folder, which the build deletes."""
        self._staged: dict[str, set[str]] = {}
        """Pages seen as they were written, by language: their paths under the language's root."""
        self._page_setup: dict[str, tuple[frozenset[str], Callable[[str], str], LanguageIndex]] = {}
        """Per language: the first folders its pages are not staged from, what prepares a page, and
        where pages are staged (its index, whose root is not known yet nor needed)."""
        self._runs: dict[str, PagefindRun] = {}
        """Pagefind runs started and not yet waited for, by language."""
        self._parts: int | None = None
        """Parts each language's index is made in (`index_parts`), known at the first page staged."""

    def _workspace_dir(self, context: ExportContext) -> Path:
        """The folder the languages are staged in: in the build's scratch folder beside the
        site, which the build deletes once it is published, or the next build if this one is
        killed; else a temporary folder."""
        if self._workspace is None:
            scratch = context.scratch_dir
            if scratch is not None:
                scratch.mkdir(exist_ok=True)
            self._workspace = Path(tempfile.mkdtemp(prefix="rihla-search-", dir=scratch))
            self._in_scratch = scratch is not None
        return self._workspace

    def _language_index(self, context: ExportContext, language: str, root: Path) -> LanguageIndex:
        if self._parts is None:
            records = sum(1 for _ in context.knowledge.records())
            self._parts = index_parts(records, context.search_part_size)
        return LanguageIndex(language, root, self._workspace_dir(context) / language, self._parts)

    def _index(self, context: ExportContext, language: str, root: Path) -> LanguageIndex:
        """Stage what `language` indexes (its marked pages, its lessons and actions)."""
        settings = context.settings
        index = self._language_index(context, language, root)
        index.staging.mkdir(exist_ok=True)
        for stale in index.bundle.glob("part-*"):  # a `--dirty` build's site keeps an earlier build's parts
            shutil.rmtree(stale)
        prepare = searchable(context.renderer, language)
        other_roots = other_language_roots(settings.languages, settings.default_language, language)
        _stage_pages(index, other_roots, prepare, self._staged.pop(language, set()))
        _stage_records(context, index, prepare)
        return index

    def stage_page(self, context: ExportContext, language: str, path: str, html: str) -> None:
        """Stage a page of `language` as it is written, `path` under the language's root
        (`organisations/asa/index.html`), if it belongs in the search."""
        if language not in self._page_setup:
            settings = context.settings
            other_roots = other_language_roots(settings.languages, settings.default_language, language)
            self._page_setup[language] = (frozenset({*other_roots, BUNDLE_DIR}), searchable(context.renderer, language),
                                          self._language_index(context, language, Path()))
        left_out, prepare, index = self._page_setup[language]
        if path.split("/", 1)[0] in left_out:
            return  # as `language_files` leaves them out
        self._staged.setdefault(language, set()).add(path)  # seen: not read back, staged or not
        if SEARCH_MARK in html:
            _stage_page(index.staged_page(path), html, prepare)

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        """Stage the rest of `language` (its lessons and actions, its pages not seen as they were
        written) and start its Pagefind, which runs while the next language is built.

        The runs of the languages this process built before have ended by then (a language
        takes longer to build than to index; each is waited for here if not): the outputs after
        this one find their bundles whole (the privacy check reads them while this one runs)."""
        index = self._index(context, language, language_dir)
        self._wait_for_runs(context, tuple(self._runs))
        self._runs[language] = PagefindRun.start(index, context.scratch_dir)

    def finish_languages(self, context: ExportContext, site_dir: Path, languages: tuple[str, ...]) -> None:
        """Wait for the Pagefind runs of `languages`; stop the build if one failed."""
        give_back_free_memory()  # while this process waits for Pagefind
        try:
            self._wait_for_runs(context, languages)
        finally:
            self._release_workspace()

    def _wait_for_runs(self, context: ExportContext, languages: tuple[str, ...]) -> None:
        """Wait for the Pagefind runs of `languages` and put their bundles in order; stop the
        build if one failed (and the other runs with it)."""
        deadline = time.monotonic() + context.pagefind_timeout
        failures, finished = [], []
        for language in languages:
            run = self._runs.pop(language, None)
            if run is None:
                continue
            failure = run.wait(deadline, context.pagefind_timeout)
            if failure is None:
                finished.append(run.index)
            else:
                failures.append(failure)
        if failures:
            self.cancel()
            raise ExportError("\n".join(failures))
        for index in finished:
            for _staging, bundle in index.runs():
                stable_filter_order(bundle)
            index.write_parts_list()

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        """Nothing once every language is in place."""

    def _release_workspace(self) -> None:
        """Done with the staged pages: in the build's scratch folder they are left for the
        build to delete with it, in the background (`staging.py`: tens of thousands of files
        and folders take seconds to delete); elsewhere they are deleted now."""
        if self._in_scratch:
            self._workspace = None
            return
        self.cancel()

    def cancel(self) -> None:
        """Stop the Pagefind runs still going and delete the staged pages (a build that stops
        deletes its scratch folder itself)."""
        runs, self._runs = self._runs, {}
        for run in runs.values():
            run.stop()
        if self._workspace is not None:
            shutil.rmtree(self._workspace, ignore_errors=True)
            self._workspace = None


PAGEFIND_LOCK = "pagefind.lock"
"""In the build's scratch folder, which its language workers share: held while a Pagefind runs."""


@dataclass
class PagefindRun:
    """Pagefind indexing one language, each part of its index in turn, in the background.

    One language at a time in the whole build (`--lock`, with a scratch folder): Pagefind holds the
    whole index it makes in memory (a part of about 1,000 pages: up to 130 MB at L) and keeps a core
    or more busy. The run waits for the lock in its own process, so the build goes on.
    The command line rather than Pagefind's Python API: the API's service can be stopped before it
    has finished writing the bundle, leaving truncated files."""

    index: LanguageIndex
    process: subprocess.Popen[str]

    @classmethod
    def start(cls, index: LanguageIndex, scratch_dir: Path | None) -> PagefindRun:
        lock: list[str] = []
        if scratch_dir is not None:
            scratch_dir.mkdir(exist_ok=True)
            lock = ["--lock", str(scratch_dir / PAGEFIND_LOCK)]
        runs = [argument for arguments in _pagefind_arguments(index) for argument in (RUN_SEPARATOR, *arguments)]
        command = [sys.executable, "-m", "rihla.export.pagefind_run", "--parent", str(os.getpid()), *lock, *runs]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env=_with_rihla_importable())
        return cls(index, process)

    def wait(self, deadline: float, limit: float) -> str | None:
        """Wait until the run ends or `deadline` passes; what went wrong, if anything."""
        try:
            output, _ = self.process.communicate(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            self.stop()
            return (
                f"Rihla: search index ({self.index.language}): Pagefind did not finish within {limit:g} seconds and "
                f"was stopped; set `{TIME_LIMIT_SETTING}` under extra.rihla in mkdocs.yml ({TIME_LIMIT_VARIABLE} in "
                f"the project's) to a larger number of seconds if the site is that large"
            )
        if self.process.returncode != 0 or not (self.index.bundle / "pagefind-entry.json").is_file():
            return (
                f"search index ({self.index.language}): Pagefind failed (is `pagefind[bin]` from requirements.txt "
                f"installed?):\n{output.strip()}"
            )
        return None

    def stop(self) -> None:
        """Kill the run and collect it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


def _with_rihla_importable() -> dict[str, str]:
    """The environment for `python -m rihla.export.pagefind_run`: this process's, with the folder
    Rihla is imported from first on the module path (a project may run MkDocs from anywhere)."""
    package_parent = str(Path(__file__).resolve().parents[2])
    paths = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([package_parent, paths]) if paths else package_parent}


def _stage_pages(index: LanguageIndex, other_roots: set[str], prepare: Callable[[str], str], staged: set[str]) -> None:
    """Copy the marked pages of one language that were not seen as they were written (`staged`)
    into its staging folder, at the same paths."""
    for source in language_files(index.root, other_roots):
        if not source.name.endswith(".html"):
            continue
        path = source.relative_to(index.root).as_posix()
        if path in staged:
            continue
        html = source.read_text(encoding="utf-8", errors="replace")
        if SEARCH_MARK not in html:
            continue
        _stage_page(index.staged_page(path), html, prepare)


def _stage_page(target: Path, html: str, prepare: Callable[[str], str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(prepare(_weigh_title(_separate_blocks(_article_only(html)))), encoding="utf-8")


_HTML_TAG = re.compile(r"<html\b[^>]*>")
_ARTICLE_START = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')
_ARTICLE_END = "</article>"


def _article_only(html: str) -> str:
    """The page cut down to what Pagefind reads of it: its start up to the `<html>` tag (the
    language is read there) and Material's article (`ROOT_SELECTOR`), up to the last
    `</article>` (the home page's cards are articles inside it). The head, header, menus and
    footer, about seven eighths of a page, are neither copied nor parsed again; the cut is
    the page's own text, so the index is the same."""
    opening, start = _HTML_TAG.search(html), _ARTICLE_START.search(html)
    end = html.rfind(_ARTICLE_END)
    if opening is None or start is None or end < start.end():
        return html
    return html[: opening.end()] + html[start.start() : end + len(_ARTICLE_END)]


_BLOCK_END = re.compile(r"(</(?:dt|dd|li|td|th|p|h[1-6]|div|caption|figcaption|summary)>)(?=<)", re.IGNORECASE)


def _separate_blocks(html: str) -> str:
    """A space after each block element that the next tag follows at once.

    Pagefind 1.5.2 joins the text of adjacent block elements: `<dt>City</dt><dd>Brussels</dd>`
    would be indexed as the one word "CityBrussels", and a search for Brussels would miss it.
    """
    return _BLOCK_END.sub(r"\1 ", html)


TITLE = '<h1 id="title"'
"""The heading every generated page opens with (templates/pages/_layout.md)."""
TITLE_WEIGHT = 10
"""Pagefind's highest weight (its default for a heading is 7): a page whose title is the
query ranks above the pages that only mention it."""


def _weigh_title(html: str) -> str:
    """The page's title weighted above its body, in the copy Pagefind reads only."""
    return html.replace(TITLE, f'{TITLE} data-pagefind-weight="{TITLE_WEIGHT}"', 1)


def _stage_records(context: ExportContext, index: LanguageIndex, prepare: Callable[[str], str]) -> None:
    """Write one small HTML document per lesson and action, in the index's language, for Pagefind only."""
    renderer, language = context.renderer, index.language
    template = renderer.environment(language).get_template("data/search-record.html")
    prefix = "" if language == context.settings.default_language else f"{language}/"
    folders: set[Path] = set()
    for kind in RECORD_KINDS:
        for record_id, record in renderer.knowledge.by_kind(kind).items():
            address = renderer.address(kind, record_id, language).removeprefix(prefix)
            html = template.render(kind=kind, record=record, address=address, state=PageState(language))
            target = index.staged_page(f"{RECORDS_DIR}/{kind}-{record_id}.html")
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_text(prepare(html), encoding="utf-8")


def _pagefind_arguments(index: LanguageIndex) -> list[list[str]]:
    """Pagefind's arguments for each part of the index, in the order they run."""
    return [
        ["--quiet", "--site", str(staging), "--output-path", str(bundle), "--root-selector", ROOT_SELECTOR]
        for staging, bundle in index.runs()
    ]


_PAGEFIND_HEADER = b"pagefind_dcd"
"""What Pagefind's index files start with, before their CBOR body (which their names hash)."""


def stable_filter_order(bundle: Path) -> None:
    """The same bundle for the same pages: Pagefind 1.5.2 writes a filter's values (`kind`:
    visit, lesson, …) in the order of a Rust hash map, which changes from one run to the next,
    and with it the filter file's name, the metadata file that names it and the entry file.
    Here the values are sorted, and the files renamed after their new content as Pagefind
    names them (the first hexadecimal digits of the body's SHA-1: 7 for a filter, 10 for the
    metadata). Every other file of the bundle Pagefind already writes the same each time.
    """
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = cbor2.loads(_body(path))
        body = cbor2.dumps([name, sorted(values, key=lambda value: str(value[0]))])
        renamed[path.stem] = _write_named(path, body, 7, ".pf_filter")
    for path in sorted(bundle.glob("pagefind.*.pf_meta")):
        body = _body(path)
        for old, new in renamed.items():
            body = body.replace(old.encode("utf-8"), new.encode("utf-8"))  # same length: CBOR sizes hold
        old_hash = path.name.removeprefix("pagefind.").removesuffix(".pf_meta")
        new_hash = _write_named(path, body, 10, ".pf_meta", prefix="pagefind.")
        entry = bundle / "pagefind-entry.json"
        entry.write_text(entry.read_text(encoding="utf-8").replace(f'"{old_hash}"', f'"{new_hash}"'), encoding="utf-8")


def _body(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_PAGEFIND_HEADER):
        raise ExportError(f"search index: {path} is not a Pagefind {path.suffix} file this version of Rihla knows")
    return data[len(_PAGEFIND_HEADER):]


def _write_named(path: Path, body: bytes, digits: int, suffix: str, prefix: str = "") -> str:
    """Write `body` as Pagefind would, named `<language>_<hash>`; returns that name."""
    stem = path.name.removeprefix(prefix).removesuffix(suffix)
    language = stem.rsplit("_", 1)[0]
    named = f"{language}_{hashlib.sha1(body).hexdigest()[:digits]}"
    target = path.with_name(f"{prefix}{named}{suffix}")
    target.write_bytes(gzip.compress(_PAGEFIND_HEADER + body, mtime=0))
    if target != path:
        path.unlink()
    return named
