"""`rihla new`: a new record with every field, its comment and empty language slots.

The fields and their comments come from the model (:mod:`rihla.model.records`),
so a skeleton always matches what `rihla check` expects; the YAML comes from
the Jinja templates in `rihla/render/templates/skeletons/`.

A new record is added at the end of its list in the file that already holds
records of its kind (`missions/<mission>/visits.yml`), through ruamel.yaml's
round trip, which keeps every comment and line of the file; or it is written
to a new file. Nothing that exists is ever lost: an id that is taken gets a
suffix (`-2`, `-3`), an id given with `--id` that is taken is refused, new
files are created exclusively, and an existing file is replaced only after
checking that the new text differs from it by one block of added lines, and
reads back as exactly one more record.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import io
import logging
import math
import os
import re
import zoneinfo
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel

from rihla.load.loader import display_path
from rihla.load.messages import suggestion
from rihla.model.fields import FieldEntry, article, fields_of, meaning
from rihla.model.layout import MISSION_KEY, MISSION_SECTIONS, SHARED_SECTIONS, YAML_SUFFIXES
from rihla.model.records import ID_PATTERN, RECORD_TYPES
from rihla.model.text import LANGUAGES
from rihla.yaml_source import YamlError, read_yaml

if TYPE_CHECKING:
    import jinja2
    from ruamel.yaml import YAML

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "render" / "templates" / "skeletons"
KINDS_IN_MISSION = {model.record_kind: section for section, model in MISSION_SECTIONS.items()}
KINDS_SHARED = {model.record_kind: section for section, model in SHARED_SECTIONS.items()}
NEW_KINDS = ("mission", "visit", "organisation", "person", "lesson", "action", "theme", "city")
"""Kinds `rihla new` writes, in the order the help lists them."""
MAX_ID_LENGTH = 60
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")

Shape = Literal["value", "text", "list", "texts", "record", "records"]


class SkeletonError(Exception):
    """Why a record cannot be written; the message is for staff."""


class Question(SkeletonError):
    """A value `rihla new` cannot guess safely: the command line asks for it in a terminal,
    and otherwise says which option gives it."""

    def __init__(self, option: str, message: str, choices: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.option = option
        """The option that answers it (`timezone` for --timezone)."""
        self.choices = choices


@functools.cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """Time zones of each country (ISO code), from the tz database's `zone.tab` shipped by tzdata."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _, zone, *_ = line.split("\t")
            zones.setdefault(code, []).append(zone)
    return {code: tuple(found) for code, found in zones.items()}


def _mission_settings(
    records: Records, country: str | None, timezone: str | None, language: str | None
) -> dict[str, Any]:
    """A new mission's country, time zone and language: given, derived, or asked for.

    The model's defaults (French, Europe/Brussels) are not safe for a new mission: a wrong
    time zone shifts every visit in the calendar files, a wrong language mislabels every text."""
    prefill: dict[str, Any] = {}
    if country is not None:
        country = country.strip().upper()
        if country not in country_zones():
            raise SkeletonError(
                f"unknown country code {country!r}{suggestion(country, country_zones())}; "
                "use a two-letter ISO code such as EE (Estonia) or MA (Morocco)"
            )
        prefill["countries"] = [country]
    if timezone is None:
        if country is None:
            raise Question("country", "say which country the mission visits with --country, as an ISO code such "
                           "as EE; its time zone is derived from it (or give it with --timezone)")
        zones = country_zones()[country]
        if len(zones) > 1:
            raise Question("timezone", f"{country} has several time zones; say which the programme's times are "
                           f"in with --timezone, one of: {', '.join(zones)}", zones)
        timezone = zones[0]
    elif timezone not in zoneinfo.available_timezones():
        close = difflib.get_close_matches(timezone, sorted(zoneinfo.available_timezones()), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SkeletonError(f"unknown time zone {timezone!r}{hint}; use an IANA name such as 'Europe/Tallinn'")
    elif country is not None and timezone not in country_zones()[country]:
        its_zones = ", ".join(country_zones()[country])
        raise SkeletonError(f"{timezone} is not a time zone of {country}; use one of: {its_zones}")
    prefill["timezone"] = timezone
    if language is None:
        used = {records.languages.get(mission, LANGUAGES[0]) for mission in records.missions}
        if len(used) != 1:
            raise Question("language", "say in which language the mission's plain texts are written with "
                           f"--language, one of: {', '.join(LANGUAGES)}", LANGUAGES)
        language = used.pop()
    if language not in LANGUAGES:
        raise SkeletonError(f"unknown language {language!r}; use one of: {', '.join(LANGUAGES)}")
    prefill["language"] = language
    return prefill


@dataclass(frozen=True)
class Slot:
    """One field of a skeleton: its name, comment, shape and prefilled value."""

    name: str
    comment: str
    shape: Shape
    value: str = ""
    """YAML of a prefilled value (`fr`, `false`, `2025-01-31`), empty for none."""
    texts: dict[str, str] = field(default_factory=dict)
    """Prefilled text per language, for a `text` slot."""
    slots: tuple[Slot, ...] = ()
    """Fields of a nested record, or of the one entry of a `records` slot."""


@dataclass(frozen=True)
class NewRecord:
    """A record written by `rihla new`: where it went and on which line it starts."""

    kind: str
    record_id: str
    path: Path
    line: int
    appended: bool
    """True when added to a file that already existed."""
    at_end: bool = True
    """False when the record went in the middle of its file (its section is not the file's last)."""
    section: str = ""


# Model → slots ------------------------------------------------------------


def _yaml(value: Any) -> str:
    """A value, or a list of values (`[asa, bosa]`), as YAML that reads back as itself: written by
    PyYAML, the library the loader reads with, so quoted exactly where YAML 1.1 needs it (`'no'`,
    `'2024-01-01'` as a text, `'Visit: BOSA'`); on one line, a text with a line break in double quotes."""
    texts = value if isinstance(value, list) else [value]
    style = '"' if any(isinstance(text, str) and not text.isprintable() for text in texts) else None
    written = yaml.safe_dump(
        list(texts), default_flow_style=True, default_style=style, allow_unicode=True, width=math.inf
    ).strip()
    return written if isinstance(value, list) else written[1:-1]


LIST_FORMS = frozenset({"ids", "plains", "countries", "texts"})
"""Forms written as a list of values (`[asa, bosa]`, or one `- ` line per text)."""


def _comment(description: str, required: bool, choices: tuple[str, ...], shape: Shape) -> str:
    parts = ["REQUIRED." if required else "", description]
    if choices:
        parts.append(f"One of: {', '.join(choices)}.")
    if shape == "texts":
        parts.append("One entry per item: `- fr: …` with the other languages on the lines below it.")
    return " ".join(part for part in parts if part)


def _description(entry: FieldEntry) -> str:
    """What the staff guide says the field means, with how its value is written; the model's
    description where the guide says nothing yet."""
    from rihla.render.field_reference import (
        formats_in_english,  # only `rihla new` needs it: `rihla check` starts faster
    )

    explained = meaning(entry.key)
    if not explained:
        return entry.description
    written_as = formats_in_english().get(entry.key)
    return f"{explained} {written_as}" if written_as else explained


def slots_for(
    model: type[BaseModel], prefill: dict[str, Any], kind: str, prefix: tuple[str, ...] = ()
) -> tuple[Slot, ...]:
    """A skeleton's fields for `model` (a record of `kind`, or the record nested in it at `prefix`),
    in the model's order, with `prefill` values by field name (a dotted name such as
    `updates.date` reaches into the first entry of a list of records)."""
    slots = []
    for entry in fields_of(model, kind, prefix, recursive=False):
        name = entry.path[-1]
        comment = _description(entry)
        value = prefill.get(name)
        nested_prefill = {key.split(".", 1)[1]: v for key, v in prefill.items() if key.startswith(f"{name}.")}
        shape: Shape
        if entry.nested is not None and entry.form == "records":
            # A required list of records gets one entry to fill; an optional one stays empty,
            # with a commented entry below it that shows every field of an entry (an indicator's six).
            shape = "records" if entry.required else "list"
            slots.append(Slot(name, _comment(comment, entry.required, (), shape), shape, "" if entry.required else "[]",
                              slots=slots_for(entry.nested, nested_prefill, kind, entry.path)))
        elif entry.nested is not None:
            slots.append(Slot(name, _comment(comment, entry.required, (), "record"), "record",
                              slots=slots_for(entry.nested, nested_prefill, kind, entry.path)))
        elif entry.form in LIST_FORMS:
            shape = "texts" if entry.form == "texts" else "list"
            shown = _yaml(value) if isinstance(value, list) else "[]"
            slots.append(Slot(name, _comment(comment, entry.required, entry.choices, shape), shape, shown))
        elif entry.form == "text":
            texts = value if isinstance(value, dict) else {}
            slots.append(Slot(name, _comment(comment, entry.required, (), "text"), "text",
                              texts={k: _yaml(v) for k, v in texts.items()}))
        else:
            if value is None:
                value = entry.initial  # `language: fr`, `contact_public: false`: the model's default, written out
            shown = "" if value is None else _yaml(value)
            slots.append(Slot(name, _comment(comment, entry.required, entry.choices, "value"), "value", shown))
    return tuple(slots)


# Ids ---------------------------------------------------------------------


def slug(text: str) -> str:
    """An id from a title, transliterated: `Réunion à la BOSA` → `reunion-a-la-bosa`,
    `بعثة إلى إستونيا` → `b-th-l-stwny` (an Arabic title gives an id rather than `new-mission`)."""
    from slugify import slugify  # only `rihla new` needs it: `rihla check` starts faster without

    return slugify(text, max_length=MAX_ID_LENGTH, word_boundary=True, save_order=True)


def free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… whichever is not taken."""
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


@dataclass(frozen=True)
class _File:
    path: Path
    data: Any
    source: Any


def _read_file(path: Path) -> _File | None:
    """A records file read as the loader reads it; None when it cannot be read at all."""
    try:
        data, source, _ = read_yaml(path.read_bytes().decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, YamlError):
        return None
    return _File(path, data, source)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def _mission_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


@dataclass
class Records:
    """What `missions/` already holds, read leniently: ids by kind, and where each is written."""

    root: Path
    files: dict[Path, _File | None] = field(default_factory=dict)
    ids: dict[str, dict[str, str]] = field(default_factory=dict)
    """Kind → id → `path:line` of the record."""
    missions: dict[str, Path] = field(default_factory=dict)
    """Mission id → its folder."""
    languages: dict[str, str] = field(default_factory=dict)
    """Mission id → the language its plain texts are in, where the mission says."""

    @classmethod
    def scan(cls, root: Path) -> Records:
        if not root.is_dir():
            raise SkeletonError(
                f"{display_path(root)}: no records folder here; run rihla from the project's top folder "
                "(the one with mkdocs.yml), or give the folder with --records"
            )
        records = cls(root, ids={kind: {} for kind in RECORD_TYPES})
        paths = [*_yaml_files(root), *(p for folder in _mission_folders(root) for p in _yaml_files(folder))]
        for path in paths:
            read = records.files[path] = _read_file(path)
            if read is None or not isinstance(read.data, dict):
                continue
            for section, value in read.data.items():
                if section == MISSION_KEY and isinstance(value, dict):
                    records._note("mission", value, read, (section,))
                    if isinstance(value.get("id"), str):
                        records.missions.setdefault(value["id"], path.parent)
                        if value.get("language") in LANGUAGES:
                            records.languages.setdefault(value["id"], value["language"])
                elif section in {**SHARED_SECTIONS, **MISSION_SECTIONS} and isinstance(value, list):
                    kind = {**SHARED_SECTIONS, **MISSION_SECTIONS}[section].record_kind
                    for index, item in enumerate(value):
                        if isinstance(item, dict):
                            records._note(kind, item, read, (section, index))
        return records

    def _note(self, kind: str, item: dict[str, Any], read: _File, path: tuple[Any, ...]) -> None:
        if isinstance(item.get("id"), str):
            position = read.source.value((*path, "id"))
            self.ids[kind].setdefault(item["id"], f"{display_path(read.path)}:{position.line}:{position.column}")

    def taken(self, kind: str) -> set[str]:
        ids = set(self.ids[kind])
        if kind == "mission":  # a new mission's folder is named after its id
            ids |= {folder.name for folder in _mission_folders(self.root)}
        return ids


# Writing -----------------------------------------------------------------


def _environment() -> jinja2.Environment:
    import jinja2  # only `rihla new` needs it: `rihla check` starts faster without

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML: values are quoted by `_yaml`
    )
    return env


def render_record(kind: str, slots: tuple[Slot, ...], *, indent: int, as_item: bool, today: dt.date) -> str:
    """The YAML of one record: a list entry (`- id: …`) indented by `indent`, or a mapping's body."""
    return _environment().get_template("record.yml.j2").render(
        kind=kind, slots=slots, languages=LANGUAGES, indent=" " * indent, as_item=as_item, today=today
    )


def render_file(section: str, body: str, kind: str, today: dt.date) -> str:
    """A new records file holding one section with one record."""
    return _environment().get_template("file.yml.j2").render(section=section, body=body, kind=kind, today=today)


def new_record(
    root: Path,
    kind: str,
    *,
    title: str | None = None,
    record_id: str | None = None,
    mission: str | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
    country: str | None = None,
    timezone: str | None = None,
    language: str | None = None,
    shared_language: str = LANGUAGES[0],
) -> tuple[NewRecord, str]:
    """Write a skeleton of a `kind` record under `root`; returns where it went and its text.

    A mission needs its `country` (or `timezone`) and, unless every mission shares one,
    its `language`. A title of a shared record is put in `shared_language`, the site's
    default language, which plain strings of shared files are read in. Raises
    :class:`SkeletonError` with a message for staff when it cannot be written,
    :class:`Question` when a value must be given.
    """
    today = today or dt.date.today()
    records = Records.scan(root)
    model = RECORD_TYPES[kind]
    record_id = _choose_id(records, kind, title, record_id)
    folder, text_language = _scope(records, kind, mission, shared_language)
    prefill: dict[str, Any] = {"id": record_id}
    if kind == "mission":
        prefill.update(_mission_settings(records, country, timezone, language))
        text_language = prefill["language"]
    text_field = next(
        (entry for entry in fields_of(model, kind, recursive=False) if entry.required and entry.form != "own-id"), None
    )
    if title and text_field:
        if _ARABIC.search(title):  # a title typed in Arabic is Arabic, whatever the mission's language
            text_language = "ar"
        prefill[text_field.name] = {text_language: title} if text_field.form == "text" else title
    if kind == "action":
        # An action needs a dated first update with a status: today, proposed.
        prefill.update({"updates.date": today, "updates.status": "proposed"})
    slots = slots_for(model, prefill, kind)

    if kind == "mission":
        body = render_record(kind, slots, indent=2, as_item=False, today=today)
        text = render_file(MISSION_KEY, body, kind, today)
        path = root / record_id / "mission.yml"
        if not dry_run:
            _create(path, text)
        return NewRecord(kind, record_id, path, _id_line(text), False), text

    section = KINDS_IN_MISSION.get(kind) or KINDS_SHARED[kind]
    for path in _candidates(records, folder, section):
        planned = _insert_plan(records.files[path], section, kind, slots, record_id, today)
        if planned is not None:
            text, line, at_end = planned
            if not dry_run:
                _replace(path, text)
            record_text = "\n".join(text.splitlines()[line - 1 - _comment_lines_above(text, line):]) + "\n"
            return NewRecord(kind, record_id, path, line, True, at_end, section), record_text if at_end else text
    body = render_record(kind, slots, indent=2, as_item=True, today=today)
    text = render_file(section, body, kind, today)
    path = folder / f"{section}.yml"
    if path.exists() or any(p.stem == section for p in records.files if p.parent == folder):
        path = folder / f"{section}-{record_id}.yml"
    if not dry_run:
        _create(path, text)
    return NewRecord(kind, record_id, path, _id_line(text), False), text


def _id_line(text: str) -> int:
    """The line where a written record starts: its `id:`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(("id:", "- id:")))


def _choose_id(records: Records, kind: str, title: str | None, record_id: str | None) -> str:
    taken = records.taken(kind)
    if record_id is not None:
        if not re.fullmatch(ID_PATTERN, record_id) or len(record_id) > 80:
            suggested = slug(record_id) or f"new-{kind}"
            raise SkeletonError(
                f"{record_id!r} cannot be an id: use lower-case letters, digits and single hyphens, like {suggested!r}"
            )
        if record_id in taken:
            where = records.ids[kind].get(record_id) or display_path(records.root / record_id)
            raise SkeletonError(
                f"{article(kind)} with the id {record_id!r} already exists ({where}); nothing was written. "
                f"Choose another id, or leave out --id to get a free one such as {free_id(record_id, taken)!r}"
            )
        return record_id
    return free_id(slug(title or "") or f"new-{kind}", taken)


def _scope(records: Records, kind: str, mission: str | None, shared_language: str) -> tuple[Path, str]:
    """The folder the record goes in, and the language its plain texts are read in."""
    if kind in KINDS_SHARED or kind == "mission":
        if mission is not None and kind != "mission":
            raise SkeletonError(f"{article(kind)} is shared by all missions: leave out --mission")
        return records.root, shared_language
    if mission is None:
        if len(records.missions) != 1:
            known = ", ".join(sorted(records.missions)) or "none yet (create one with: rihla new mission)"
            if records.missions:
                raise Question("mission", f"say which mission the {kind} belongs to with --mission; missions: {known}",
                               tuple(sorted(records.missions)))
            raise SkeletonError(f"say which mission the {kind} belongs to with --mission; missions: {known}")
        mission = next(iter(records.missions))
    if mission not in records.missions:
        known = ", ".join(sorted(records.missions)) or "none"
        raise SkeletonError(f"unknown mission {mission!r}{suggestion(mission, records.missions)}; missions: {known}")
    folder = records.missions[mission]
    read = next(
        (
            f for p, f in records.files.items()
            if p.parent == folder and f and isinstance(f.data, dict) and MISSION_KEY in f.data
        ),
        None,
    )
    language = read.data[MISSION_KEY].get("language") if read and isinstance(read.data[MISSION_KEY], dict) else None
    return folder, language if language in LANGUAGES else LANGUAGES[0]


def _candidates(records: Records, folder: Path, section: str) -> list[Path]:
    """Files of `folder` that already have the section, `<section>.yml` first."""
    having = [
        path for path, read in records.files.items()
        if path.parent == folder and read is not None and isinstance(read.data, dict) and section in read.data
    ]
    return sorted(having, key=lambda p: (p.stem != section, p.name))


def _round_trip(indent: int) -> YAML:
    """ruamel.yaml in round-trip mode, laid out as Rihla's files are: entries `indent` columns in,
    their fields two further, quotes and comments kept, lines never wrapped."""
    from ruamel.yaml import YAML  # only `rihla new` needs it: `rihla check` starts faster without

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=indent + 2, offset=indent)
    return yaml


def _insert_plan(
    read: _File | None, section: str, kind: str, slots: tuple[Slot, ...], record_id: str, today: dt.date
) -> tuple[str, int, bool] | None:
    """The file with one more record at the end of its `section` list, the line where the record
    starts, and whether it went at the end of the file; None when the file cannot take it without
    any other line changing (another layout than ruamel.yaml writes, a flow list `[a, b]`)."""
    if read is None:
        return None
    raw = read.path.read_bytes().decode("utf-8")
    bom, text = ("\ufeff", raw[1:]) if raw.startswith("\ufeff") else ("", raw)
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    old = read.data.get(section)
    if old is not None and not isinstance(old, list):
        return None
    # Match the file's own indentation: the first entry's fields start two columns after its dash.
    indent = max(read.source.value((section, 0)).column - 3, 0) if old else 2
    yaml = _round_trip(indent)
    body = render_record(kind, slots, indent=indent, as_item=True, today=today).lstrip("\n")
    try:
        document = yaml.load(text)
        skeleton = yaml.load(f"{section}:\n{body}")[section]
        entries = document[section]
        if entries is None:
            document[section] = skeleton  # `visits:` with nothing yet: the skeleton's list, comments included
        elif entries.fa.flow_style():
            return None  # `visits: []`: a block entry cannot go in a flow list without rewriting its line
        else:
            entries.append(skeleton[0])
            # The comment above the skeleton's dash belongs to its list; it goes above the new entry.
            lead = body[: body.index("- id:")].rstrip().splitlines()
            entries.yaml_set_comment_before_after_key(
                len(entries) - 1, before="\n" + "\n".join(line.strip()[2:] for line in lead), indent=indent
            )
        out = io.StringIO()
        yaml.dump(document, out)
    except Exception as error:  # ruamel.yaml raises many kinds; any means "do not touch this file"
        log.debug("%s: not rewritten by ruamel.yaml: %s", read.path, error)
        return None
    result = out.getvalue()
    placed = _only_insertion(text, result)
    if placed is None:
        return None  # ruamel.yaml would change other lines: leave the file as it is
    try:
        data, _, _ = read_yaml(result)
    except YamlError:
        return None
    new_entries = data.get(section) if isinstance(data, dict) else None
    if (
        not isinstance(new_entries, list)
        or len(new_entries) != len(old or []) + 1
        or new_entries[-1].get("id") != record_id
    ):
        return None
    if {**data, section: new_entries[:-1] or old} != read.data:
        return None  # something else changed: do not touch the file
    first, inserted = placed
    line = first + next(i for i, text_line in enumerate(inserted) if text_line.lstrip().startswith("- id:")) + 1
    at_end = first + len(inserted) == len(result.splitlines())
    return bom + result.replace("\n", newline), line, at_end


def _only_insertion(before: str, after: str) -> tuple[int, list[str]] | None:
    """Where `after` differs from `before` by one block of added lines, and that block; else None."""
    old, new = before.splitlines(), after.splitlines()
    changes = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(changes) != 1 or changes[0][0] != "insert":
        return None
    _, _, _, start, stop = changes[0]
    return start, new[start:stop]


def _comment_lines_above(text: str, line: int) -> int:
    """How many comment lines head the record starting at `line` (they belong to it)."""
    lines = text.splitlines()[: line - 1]
    count = 0
    while count < len(lines) and lines[-1 - count].lstrip().startswith("#"):
        count += 1
    return count


def _replace(path: Path, text: str) -> None:
    """Replace a file by `text` at once: written beside it, then renamed over it, so that an
    interrupted `rihla new` leaves the old file whole."""
    temporary = path.with_name(f".{path.name}.rihla-new")
    with temporary.open("w", encoding="utf-8", newline="") as stream:
        stream.write(text)
    os.replace(temporary, path)


def _create(path: Path, text: str) -> None:
    """Write a new file; never replaces one that exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError:
        raise SkeletonError(f"{display_path(path)} already exists; nothing was written") from None
