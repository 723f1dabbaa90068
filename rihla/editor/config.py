"""The browser editor's configuration (Decap CMS), written from the record model.

There is no second description of the fields: every field of every record
class in `rihla.model.records` becomes a form field here, through the model's
field walker (`rihla.model.fields`): fields naming records (`Ref`) give the
records a list of ids is chosen from; texts per language get the
four-language widget (`rihla-text`, in `static/rihla-editor.js`); a type this
module does not know stops the generation, so that a new kind of field cannot
go missing from the editor without a test failing (`tests/test_editor_config.py`).

Records live as lists in YAML files (`missions/belgium-2022/visits.yml`). Decap
edits such files as *file collections*: one collection per record kind, one
entry per file that holds that kind's section, each entry one list field. The
files are found in the records folder when the site is built, so a new mission
folder shows up at the next build.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rihla.model.fields import LIST_FORMS, FieldEntry, Form, fields_by_name, meaning, read_entries
from rihla.model.layout import MISSION_KEY, MISSION_SECTIONS, SHARED_SECTIONS
from rihla.model.records import RECORD_TYPES, Mission, Record
from rihla.model.text import LANGUAGES, direction
from rihla.render.catalog import translations
from rihla.yaml_source import YamlError, read_yaml

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

FORMAT = "rihla-yaml"
"""The file format registered by `rihla-editor.js`: YAML written as the loader reads it."""
TEXT_WIDGET = "rihla-text"
"""The four-language text widget registered by `rihla-editor.js`."""
DATE_FORMAT = "YYYY-MM-DD"
TIME_FORMAT = "HH:mm"


def N_(message: str) -> str:
    """Marks a string for the catalogues; translated when the configuration is written."""
    return message


KIND_LABELS: dict[str, str] = {
    "mission": N_("Missions"),
    "visit": N_("Visits"),
    "lesson": N_("Lessons"),
    "action": N_("Actions"),
    "organisation": N_("Organisations"),
    "person": N_("People"),
    "theme": N_("Themes"),
    "city": N_("Cities"),
}
"""Collection titles; a record kind missing here is titled by its section name."""


class UnsupportedField(TypeError):
    """A model field whose type has no form widget yet: add one to `_widget`."""


@dataclass(frozen=True)
class RecordFile:
    """A file of the records folder that holds one section (`visits`) of one kind."""

    path: str
    """Path from the repository root, with `/` (`missions/belgium-2022/visits.yml`)."""
    section: str
    kind: str
    mission: str | None
    """The mission folder the file belongs to; None for shared files."""
    exists: bool


@dataclass(frozen=True)
class RecordFiles:
    """Where each kind's records are written, and what the editor needs to know of them."""

    files: tuple[RecordFile, ...]
    mission_titles: dict[str, dict[str, str]]
    mission_languages: dict[str, str]

    def of_kind(self, kind: str, mission: str | None = None) -> list[RecordFile]:
        return [f for f in self.files if f.kind == kind and (mission is None or f.mission in (mission, None))]


def _sections_of(path: Path) -> list[str]:
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))[0]
    except (OSError, UnicodeDecodeError, YamlError):
        return []  # `rihla check` reports it; the editor leaves the file out
    return [key for key in data] if isinstance(data, dict) else []


def find_record_files(records_dir: Path, repository: Path) -> RecordFiles:
    """Every (file, section) of the records folder; conventional files where a kind has none yet."""
    def relative(path: Path) -> str:
        try:
            return path.resolve().relative_to(repository.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    files: list[RecordFile] = []
    titles: dict[str, dict[str, str]] = {}
    languages: dict[str, str] = {}
    for path in sorted(records_dir.glob("*.yml")):
        for section in _sections_of(path):
            if section in SHARED_SECTIONS:
                files.append(RecordFile(relative(path), section, SHARED_SECTIONS[section].record_kind, None, True))
    for section, model in SHARED_SECTIONS.items():
        if not any(f.section == section for f in files):
            files.append(RecordFile(relative(records_dir / f"{section}.yml"), section, model.record_kind, None, False))
    for folder in sorted(p for p in records_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        mission_id = folder.name
        found: list[RecordFile] = []
        for path in sorted(folder.glob("*.yml")):
            for section in _sections_of(path):
                if section == MISSION_KEY:
                    found.append(RecordFile(relative(path), section, Mission.record_kind, mission_id, True))
                    data = read_yaml(path.read_text(encoding="utf-8"))[0]
                    mission = data.get(MISSION_KEY) or {}
                    title = mission.get("title") if isinstance(mission, dict) else None
                    titles[mission_id] = title if isinstance(title, dict) else {"": str(title or mission_id)}
                    languages[mission_id] = (
                        str(mission.get("language") or LANGUAGES[0]) if isinstance(mission, dict) else LANGUAGES[0]
                    )
                elif section in MISSION_SECTIONS:
                    found.append(
                        RecordFile(relative(path), section, MISSION_SECTIONS[section].record_kind, mission_id, True)
                    )
        if not any(f.kind == Mission.record_kind for f in found):
            continue  # not a mission folder
        for section, model in MISSION_SECTIONS.items():
            if not any(f.section == section for f in found):
                found.append(
                    RecordFile(relative(folder / f"{section}.yml"), section, model.record_kind, mission_id, False)
                )
        files.extend(found)
    return RecordFiles(tuple(files), titles, languages)


_ONE_STRING_FORMS = ("own-id", "plain", "country", "time-zone")
"""Forms written as one plain string (a name, an address, a country code)."""


def _is_one_string(entry: FieldEntry) -> bool:
    """Whether the field holds one string, rather than a text per language or anything else."""
    return entry.form in _ONE_STRING_FORMS and entry.value_type is str


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


FIELD_LABELS_FILE = Path(__file__).resolve().parent / "field_labels.yml"
"""The editor's label for each field name, in each interface language."""


@functools.cache
def field_labels() -> dict[str, Any]:
    """field_labels.yml by field name, read as records are (no YAML surprises)."""
    return read_entries(FIELD_LABELS_FILE, "one entry per field name")


def field_label(name: str, language: str) -> str:
    """What the editor calls field `name` in `language`; a field new to the model, not yet in
    field_labels.yml, shows its name (tests/test_editor_config.py fails until it is added)."""
    entry = field_labels().get(name)
    text = entry.get(language) if isinstance(entry, dict) else None
    return str(text) if text else _label(name)


@dataclass(frozen=True)
class ConfigContext:
    """What one configuration is written for: the interface language and the records' files."""

    language: str
    files: RecordFiles
    mission: str | None = None
    """The mission whose file is being described (ids of visits and lessons are the mission's own)."""


def title_field(model: type[BaseModel]) -> str:
    """The field that names a record: the first required text after the id (title, name, label)."""
    for name, entry in fields_by_name(model).items():
        if name != "id" and entry.required and (entry.form == "text" or _is_one_string(entry)):
            return name
    return "id"


def _reference_widget(kind: str, multiple: bool, context: ConfigContext) -> dict[str, Any]:
    """Ids chosen from existing records by name: Decap's relation widget on the one file holding them."""
    candidates = context.files.of_kind(kind, context.mission if kind in ("visit", "lesson") else None)
    targets = [t for t in candidates if t.exists] or candidates  # none yet: the file the first one goes in
    model = RECORD_TYPES[kind]
    named = title_field(model)
    if len(targets) == 1 and kind != Mission.record_kind:
        target = targets[0]
        base = f"{target.section}.*"
        name_path = (
            f"{base}.{named}"
            if _is_one_string(fields_by_name(model)[named])
            else f"{base}.{named}.{context.language}"
        )
        return {
            "widget": "relation",
            "collection": _collection_name(kind),
            "file": _file_name(target),
            "value_field": f"{base}.id",
            "search_fields": [f"{base}.id", *(f"{base}.{named}.{lang}" for lang in LANGUAGES), f"{base}.{named}"],
            "display_fields": [f"{base}.id", name_path],
            "multiple": multiple,
            "options_length": 1000,
        }
    # Records of this kind are spread over several files (or are missions, one file each):
    # a relation reads one file, so the ids known at build time are offered instead.
    options = sorted(_known_ids(kind, context))
    return {"widget": "select", "multiple": multiple, "options": options or [""]}


def _known_ids(kind: str, context: ConfigContext) -> set[str]:
    if kind == Mission.record_kind:
        return set(context.files.mission_titles)
    return set()


def _widget(entry: FieldEntry, context: ConfigContext, key: str) -> dict[str, Any]:
    """The Decap field for one model field (without name and label)."""
    name = entry.path[-1]
    if entry.form in ("id", "ids") and entry.refers_to is not None:
        return _reference_widget(entry.refers_to, entry.form == "ids", context)
    if entry.form == "record" and entry.nested is not None:
        return {"widget": "object", "collapsed": False, "fields": model_fields(entry.nested, context, f"{key}.{name}")}
    if entry.form == "records" and entry.nested is not None:
        return {"widget": "list", "collapsed": True, "fields": model_fields(entry.nested, context, f"{key}.{name}"),
                "summary": _summary(entry.nested, context)}
    if entry.form in LIST_FORMS:
        # An empty item is dropped when the file is written, so none is required.
        item_field = {
            "name": name,
            "label": field_label(name, context.language),
            **_value_widget(entry, _ITEM_FORMS[entry.form], context, required=True, description=None),
            "required": False,
        }
        return {"widget": "list", "field": item_field}
    return _value_widget(entry, entry.form, context, required=entry.required, description=entry.description)


_ITEM_FORMS: dict[Form, Form] = {"texts": "text", "plains": "plain", "countries": "country"}
"""How each item of a list of values is written, for the lists whose item is one form field."""


def _value_widget(
    entry: FieldEntry, form: Form, context: ConfigContext, *, required: bool, description: str | None
) -> dict[str, Any]:
    """The Decap widget for one value of `form` (the field's, or one item of its list)."""
    name = entry.path[-1]
    if form == "text":
        # A required text (a title, a name) is one line; other texts may run to paragraphs.
        return {
            "widget": TEXT_WIDGET,
            "languages": list(LANGUAGES),
            "directions": {lang: direction(lang) for lang in LANGUAGES},
            "source_language": context.files.mission_languages.get(context.mission or "", LANGUAGES[0]),
            "multiline": not required or name not in ("title", "name", "label", "statement"),
        }
    if form in ("choice", "language"):
        return {"widget": "select", "options": list(entry.choices)}
    if form == "yes-no":
        return {"widget": "boolean"}
    if form == "number" and entry.value_type in (int, float):
        return {"widget": "number", "value_type": entry.value_type.__name__}
    if form == "date":
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
    if form == "time":
        return {"widget": "datetime", "format": TIME_FORMAT, "date_format": False, "time_format": TIME_FORMAT}
    if form == "web-address":
        return {"widget": "string", "pattern": ["^https?://", "https://…"]}
    if form in _ONE_STRING_FORMS and entry.value_type is str:
        widget: dict[str, Any] = {"widget": "text" if entry.private else "string"}
        if entry.pattern:
            widget["pattern"] = [entry.pattern, description or entry.pattern]
        return widget
    raise UnsupportedField(f"{name}: no editor widget for {entry.value_type!r}; add one in rihla/editor/config.py")


def _summary(model: type[BaseModel], context: ConfigContext) -> str:
    """What a collapsed list item shows: its id and name in the interface language."""
    named = title_field(model)
    first = "{{fields.id}}" if "id" in model.model_fields else f"{{{{fields.{next(iter(model.model_fields))}}}}}"
    if named == "id":
        return first
    if _is_one_string(fields_by_name(model)[named]):
        return f"{first} · {{{{fields.{named}}}}}"
    return f"{first} · {{{{fields.{named}.{context.language}}}}}"


def model_fields(model: type[BaseModel], context: ConfigContext, key: str) -> list[dict[str, Any]]:
    """One Decap field per model field, in the model's order; `key` names the model in the staff
    guide's field meanings (`action`, `action.indicators`), which become the hints."""
    fields = []
    for name, entry in fields_by_name(model).items():
        field = {
            "name": name,
            "label": field_label(name, context.language),
            **_widget(entry, context, key),
        }
        field["required"] = entry.required
        hint = meaning(f"{key}.{name}", context.language) or entry.description
        if hint:
            field["hint"] = hint
        if field["widget"] == "list" and not entry.required:
            field["default"] = []
        fields.append(field)
    return fields


def _collection_name(kind: str) -> str:
    return f"{kind}-records"


def _file_name(record_file: RecordFile) -> str:
    return record_file.path.replace("/", "--").removesuffix(".yml").replace(".", "-")


def _file_label(record_file: RecordFile, context: ConfigContext) -> str:
    if record_file.mission is None:
        return record_file.path
    titles = context.files.mission_titles.get(record_file.mission, {})
    title = titles.get(context.language) or next(iter(titles.values()), record_file.mission)
    return f"{title} ({record_file.path})"


def editor_config(
    files: RecordFiles,
    language: str,
    backend: dict[str, Any],
    local_backend: str | None,
    record_types: dict[str, type[Record]] | None = None,
) -> dict[str, Any]:
    """The whole Decap configuration for an interface language (of the model's record types, or those given)."""
    gettext = translations(language).gettext
    collections = []
    for kind, model in (record_types or RECORD_TYPES).items():
        entries = []
        for record_file in files.of_kind(kind):
            context = ConfigContext(language, files, record_file.mission)
            section_field: dict[str, Any]
            if record_file.section == MISSION_KEY:
                section_field = {"name": MISSION_KEY, "label": gettext(KIND_LABELS.get(kind, _label(kind))),
                                 "widget": "object", "fields": model_fields(model, context, kind)}
            else:
                section_field = {
                    "name": record_file.section,
                    "label": gettext(KIND_LABELS.get(kind, _label(record_file.section))),
                    "widget": "list",
                    "collapsed": True,
                    "summary": _summary(model, context),
                    "fields": model_fields(model, context, kind),
                    "required": False,
                }
            entries.append({"name": _file_name(record_file), "label": _file_label(record_file, context),
                            "file": record_file.path, "fields": [section_field]})
        if entries:
            collections.append({"name": _collection_name(kind), "label": gettext(KIND_LABELS.get(kind, _label(kind))),
                                "format": FORMAT, "extension": "yml", "editor": {"preview": False}, "files": entries})
    config: dict[str, Any] = {
        "load_config_file": False,
        "locale": language,
        "backend": backend,
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "collections": collections,
    }
    if local_backend:
        config["local_backend"] = {"url": local_backend}
    return config
