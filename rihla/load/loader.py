"""Find the YAML files of `missions/`, read them and validate every record.

Layout:

- `missions/*.yml` hold records shared by all missions (`themes`, `cities`,
  `organisations`, `people`);
- each folder `missions/<name>/` is one mission: a `mission:` record and the
  mission's `visits`, `lessons` and `actions` (shared sections are allowed too).

Plain strings in a mission's folder are in the mission's `language`; elsewhere
in the site's default language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from rihla.diagnostics import Diagnostic
from rihla.load.messages import clean_location, explain, field_label, suggestion
from rihla.model import layout
from rihla.model.layout import ALL_SECTIONS, MISSION_KEY, MISSION_SECTIONS, SHARED_SECTIONS
from rihla.model.records import Mission, Record
from rihla.model.text import LANGUAGES, SOURCE_LANGUAGE_KEY
from rihla.yaml_source import ParsedFiles, Path, Position, SourceMap, YamlError, read_yaml

MAX_FILE_BYTES = 16 * 1024 * 1024
"""A records file larger than this is refused before it is read (the largest file of a programme
of 2,000 organisations is about 3 MB); reading a bigger one would hold it all in memory."""


@dataclass(frozen=True)
class Origin:
    """Where a record was written: its file, its path inside the document, and the marks."""

    path: str
    prefix: Path
    source: SourceMap

    def at(self, field: Path = (), *, key: bool = False) -> Position:
        """Position of a field of the record (its key when `key` is true)."""
        full = (*self.prefix, *field)
        return self.source.key(full) if key else self.source.value(full)

    def diagnostic(self, field: Path, message: str, *, key: bool = False) -> Diagnostic:
        """A diagnostic about a field of this record."""
        position = self.at(field, key=key)
        return Diagnostic(self.path, position.line, position.column, field_label((*self.prefix, *field)), message)


@dataclass(frozen=True)
class LoadedRecord:
    """A validated record, where it was written, and the mission whose folder holds it."""

    record: Record
    origin: Origin
    mission: str | None


@dataclass
class LoadResult:
    """Everything read from `missions/`: the records and every problem found."""

    records: list[LoadedRecord]
    diagnostics: list[Diagnostic]
    unreadable: list[str] = field(default_factory=list)
    """Files that could not be parsed at all: references into them cannot be checked."""
    reported_paths: set[tuple[str, Path]] = field(default_factory=set)
    """(file, path) of values the YAML reader already complained about."""
    invalid_ids: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of records that failed validation: references to them are not reported again."""
    parsed: ParsedFiles | None = None
    """Files parsed by an earlier load of the same records, if kept (the preview's)."""


def display_path(path: FsPath) -> str:
    """A path as staff see it: relative to the working directory when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else FsPath(relative).as_posix()


def _yaml_files(folder: FsPath) -> list[FsPath]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in layout.YAML_SUFFIXES)


def _outside(path: FsPath, root: FsPath, result: LoadResult) -> bool:
    """True (and reported) when `path` is a link that leads out of the records folder: a file
    elsewhere on the machine would be read and published."""
    target = path.resolve()
    if target.is_relative_to(root.resolve()):
        return False
    result.diagnostics.append(Diagnostic(
        display_path(path), 1, 1, "",
        f"a link to {target.as_posix()}, outside the records folder; copy it into "
        f"{display_path(root)} instead",
    ))
    result.unreadable.append(display_path(path))
    return True


def load_records(root: FsPath, default_language: str = LANGUAGES[0], parsed: ParsedFiles | None = None) -> LoadResult:
    """Read and validate every record under `root`; problems are collected, not raised."""
    result = LoadResult(records=[], diagnostics=[], parsed=parsed)
    if not root.is_dir():
        result.diagnostics.append(Diagnostic(display_path(root), 1, 1, "", "the records folder does not exist"))
        return result
    for path in _yaml_files(root):
        if not _outside(path, root, result):
            _load_file(path, None, default_language, result, mission_allowed=False)
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if not _outside(folder, root, result):
            _load_mission_folder(folder, root, default_language, result)
    return result


def _read(path: FsPath, result: LoadResult) -> tuple[Any, SourceMap] | None:
    shown = display_path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        result.diagnostics.append(Diagnostic(
            shown, 1, 1, "", f"this file has {size / 1024 / 1024:.0f} MB, more than the "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB a records file may hold; split it into several files",
        ))
        result.unreadable.append(shown)
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        result.diagnostics.append(Diagnostic(
            shown, line, column, "",
            f"not UTF-8 text (the byte 0x{data[error.start]:02X}); save the file as UTF-8 "
            "(in most editors: File, Save with Encoding, UTF-8)",
        ))
        result.unreadable.append(shown)
        return None
    try:
        text = text.removeprefix("\ufeff")
        data, source, problems = result.parsed.read(str(path), text) if result.parsed else read_yaml(text)
    except YamlError as error:
        result.diagnostics.append(Diagnostic(shown, error.position.line, error.position.column, "", error.message))
        result.unreadable.append(shown)
        return None
    for problem in problems:
        result.reported_paths.add((shown, problem.path))
        result.diagnostics.append(
            Diagnostic(
                shown, problem.position.line, problem.position.column, field_label(problem.path), problem.message
            )
        )
    if data is None:
        return None  # an empty file holds no records
    if not isinstance(data, dict):
        result.diagnostics.append(
            Diagnostic(shown, 1, 1, "", f"expected sections such as `{ALL_SECTIONS[0]}:` at the top of the file")
        )
        return None
    return data, source


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of the byte at `offset`, as an editor shows them."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def _load_mission_folder(folder: FsPath, root: FsPath, default_language: str, result: LoadResult) -> None:
    files = [(path, _read(path, result)) for path in _yaml_files(folder) if not _outside(path, root, result)]
    readable = [(path, read) for path, read in files if read is not None]
    declared = [(path, read) for path, read in readable if MISSION_KEY in read[0]]
    mission_id: str | None = None
    language = default_language
    if len(declared) > 1:
        path, (_, source) = declared[1]
        position = source.key((MISSION_KEY,))
        result.diagnostics.append(
            Diagnostic(display_path(path), position.line, position.column, MISSION_KEY,
                       f"a folder holds one mission; {display_path(declared[0][0])} already has one")
        )
    if declared:
        path, (data, source) = declared[0]
        raw = data[MISSION_KEY]
        if isinstance(raw, dict):
            candidate = raw.get("language")
            language = candidate if candidate in LANGUAGES else default_language
            mission_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    elif any(set(read[0]) & set(MISSION_SECTIONS) for _, read in readable):
        result.diagnostics.append(
            Diagnostic(display_path(folder), 1, 1, "",
                       f"this folder has visits, lessons or actions but no `{MISSION_KEY}:` record; "
                       "add a mission.yml")
        )
    for path, read in readable:
        _load_sections(path, read, mission_id, language, result, mission_allowed=True)


def _load_file(path: FsPath, mission: str | None, language: str, result: LoadResult, *, mission_allowed: bool) -> None:
    read = _read(path, result)
    if read is not None:
        _load_sections(path, read, mission, language, result, mission_allowed=mission_allowed)


class ValidatedFiles(ParsedFiles):
    """Files parsed and validated by an earlier load of the same records (the preview's): a file
    whose text, mission and language are the same gives the records and problems it gave then,
    without validating them again. The checks across records (`links.py`, `privacy.py`) still
    run over every record."""

    def __init__(self) -> None:
        super().__init__()
        self._validated: dict[tuple[str, str | None, str, bool], tuple[object, LoadResult]] = {}
        self.record_texts: dict[int, tuple[Record, object]] = {}
        """What `privacy.py` read of each record, by the record's identity (the record is kept with it)."""
        self.private_values: list[object] = []
        self.privacy_search: tuple[object, dict[int, object]] | None = None
        """`privacy.py`'s search for `private_values`, and the records (by identity) it found clean."""

    def validated(self, key: tuple[str, str | None, str, bool], data: object) -> LoadResult | None:
        """What validating the file `key` gave when it was parsed into `data`, if it was."""
        known = self._validated.get(key)
        return known[1] if known is not None and known[0] is data else None

    def keep(self, key: tuple[str, str | None, str, bool], data: object, part: LoadResult) -> None:
        self._validated[key] = (data, part)


def _load_sections(
    path: FsPath,
    read: tuple[dict[str, Any], SourceMap],
    mission: str | None,
    language: str,
    result: LoadResult,
    *,
    mission_allowed: bool,
) -> None:
    kept = result.parsed if isinstance(result.parsed, ValidatedFiles) else None
    key = (str(path), mission, language, mission_allowed)
    part = kept.validated(key, read[0]) if kept is not None else None
    if part is None:
        # What the file gives depends on its own text only (the YAML reader's problems are its own).
        part = LoadResult(records=[], diagnostics=[], reported_paths=result.reported_paths)
        _validate_sections(part, display_path(path), read, (mission, language), mission_allowed)
        if kept is not None:
            kept.keep(key, read[0], part)
    result.records.extend(part.records)
    result.diagnostics.extend(part.diagnostics)
    result.invalid_ids |= part.invalid_ids


def _validate_sections(
    result: LoadResult, shown: str, read: tuple[dict[str, Any], SourceMap], home: tuple[str | None, str],
    mission_allowed: bool,
) -> None:
    """Validate the records of a file (`shown`, as staff see its path) into `result`; `home` is the mission
    whose folder holds it and the language its plain strings are in."""
    data, source = read
    mission, language = home
    allowed = ALL_SECTIONS if mission_allowed else list(SHARED_SECTIONS)
    for section, value in data.items():
        position = source.key((section,))
        if section not in allowed:
            where = "" if section in ALL_SECTIONS else suggestion(section, allowed)
            hint = (
                f" ({section} belong in a mission's folder, missions/<mission>/)"
                if section in ALL_SECTIONS
                else f"; expected one of: {', '.join(allowed)}{where}"
            )
            result.diagnostics.append(
                Diagnostic(shown, position.line, position.column, section, f"unknown section{hint}")
            )
            continue
        if section == MISSION_KEY:
            _validate(Mission, value, Origin(shown, (section,), source), mission, language, result)
            continue
        model = SHARED_SECTIONS.get(section) or MISSION_SECTIONS[section]
        if value is None:
            continue
        if not isinstance(value, list):
            if any(file == shown and path[:1] == (section,) for file, path in result.reported_paths):
                continue  # the YAML reader explained it already (`-id:` written without its space)
            result.diagnostics.append(
                Diagnostic(
                    shown,
                    position.line,
                    position.column,
                    section,
                    "expected a list of records, each starting with `- id:`",
                )
            )
            continue
        for index, item in enumerate(value):
            _validate(model, item, Origin(shown, (section, index), source), mission, language, result)


def _validate(
    model: type[Record], data: Any, origin: Origin, mission: str | None, language: str, result: LoadResult
) -> None:
    if not isinstance(data, dict):
        result.diagnostics.append(origin.diagnostic((), "expected a record: a mapping of fields starting with `id:`"))
        return
    try:
        record = model.model_validate(data, context={SOURCE_LANGUAGE_KEY: language})
    except ValidationError as error:
        if isinstance(data.get("id"), str):
            result.invalid_ids.add((model.record_kind, data["id"]))
        for detail in error.errors(include_url=False):
            path = clean_location(detail["loc"])
            if (origin.path, (*origin.prefix, *path)) in result.reported_paths:
                continue  # the YAML reader already explained this value
            is_key = detail["type"] == "extra_forbidden"
            # A missing field is reported where its record starts.
            at = path[:-1] if detail["type"] == "missing" else path
            diagnostic = origin.diagnostic(at, explain(detail, model, path), key=is_key)
            result.diagnostics.append(
                Diagnostic(
                    diagnostic.path,
                    diagnostic.line,
                    diagnostic.column,
                    field_label((*origin.prefix, *path)),
                    diagnostic.message,
                )
            )
        return
    result.records.append(LoadedRecord(record, origin, mission if not isinstance(record, Mission) else record.id))
