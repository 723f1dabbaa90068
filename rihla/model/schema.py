"""JSON Schemas of the record files, generated from the model so that editors help staff.

Editors (VS Code with Red Hat's YAML extension, and anything else built on
yaml-language-server) complete field names and flag mistakes while staff type,
from these schemas. They are written to `schemas/` at the top of the
repository by `rihla schemas` (or `make schemas`) and committed; a test
regenerates them and fails when they drift from the model.

Two kinds of schema:

- one per record type (`schemas/records/visit.schema.json`): what one record
  may hold, for tools and for reading;
- one per kind of file, composed from the record schemas: a shared file
  (`missions/*.yml`: themes, cities, organisations, people) and a file of a
  mission's folder (`missions/<mission>/*.yml`: the mission and its visits,
  lessons and actions). These are the ones editors apply to `missions/`.

The schemas are written for JSON Schema draft-07, the version the YAML
extension implements: definitions live under `definitions`, and a `$ref` never
has siblings (draft-07 ignores them, and with them the descriptions).
They accept what the loader accepts, read as the editor reads YAML (1.2 core
types: `2022-09-25` and `09:30` are text, `18` is a number).
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from rihla.model.layout import MISSION_KEY, MISSION_SECTIONS, SHARED_SECTIONS
from rihla.model.records import ID_PATTERN, RECORD_TYPES, Country, Mission, Record

COUNTRY_PATTERN: str = typing.get_args(Country)[1].pattern

DRAFT = "http://json-schema.org/draft-07/schema#"
RECORDS_FOLDER = "records"
SHARED_FILE = "shared-file.schema.json"
MISSION_FILE = "mission-file.schema.json"

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$"
"""Times as the model reads them (`09:30`, `09:30:15`); JSON Schema's `time`
format would demand seconds and a time zone."""
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
"""Dates as the model reads them: `2022-09-25`. A pattern rather than the `date`
format: checkers disagree on that format (some take `20220925`, which the model
refuses), and a pattern can carry a message."""
PATTERN_MESSAGES = {
    ID_PATTERN: "An id: lower-case letters, digits and single hyphens, like bosa-nido-lab.",
    COUNTRY_PATTERN: 'A country code in capitals, in quotes, like "BE".',
    DATE_PATTERN: "A date written as 2022-09-25.",
    TIME_PATTERN: 'A time written in quotes as "09:30".',
}
"""What an editor says when a value does not match (`patternErrorMessage`, read by VS Code;
other validators ignore the keyword)."""


def record_schema_path(kind: str) -> str:
    """Path of a record type's schema inside `schemas/`: `records/visit.schema.json`."""
    return f"{RECORDS_FOLDER}/{kind}.schema.json"


def _file_model(name: str, doc: str, sections: dict[str, type[Record]], mission: bool) -> type[BaseModel]:
    """A model of one file of `missions/`: its sections, each a list of records."""
    fields: dict[str, Any] = {}
    if mission:
        # Not nullable: an empty `mission:` is an error for the loader too.
        fields[MISSION_KEY] = (Mission, Field(None, description="The mission this folder holds (one per folder)."))
    for section, model in sections.items():
        description = f"{(model.__doc__ or '').strip().splitlines()[0]} One `- id:` entry per {model.record_kind}."
        # An empty section (`visits:` with nothing under it) is allowed by the loader.
        fields[section] = (Optional[list[model]], Field(None, description=description))  # type: ignore[valid-type]
    built: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), **fields)
    built.__doc__ = doc
    return built


SharedFile = _file_model(
    "SharedFile",
    "A file of records shared by all missions (missions/*.yml): themes, cities, organisations, people.",
    SHARED_SECTIONS,
    mission=False,
)
MissionFile = _file_model(
    "MissionFile",
    "A file of a mission's folder (missions/<mission>/*.yml): the mission, its visits, lessons and actions.",
    {**MISSION_SECTIONS, **SHARED_SECTIONS},
    mission=True,
)


def _draft7(node: Any) -> Any:
    """Rewrite what pydantic generates (draft 2020-12) into draft-07 that editors read."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _draft7(value) for key, value in node.items()}
    if "default" in node and node["default"] is None:
        del node["default"]  # editors would insert a literal `null` when completing the field
    if "$defs" in node:
        node["definitions"] = node.pop("$defs")
    if isinstance(node.get("$ref"), str):
        node["$ref"] = node["$ref"].replace("#/$defs/", "#/definitions/")
        if len(node) > 1:  # siblings of $ref are ignored by draft-07: keep them beside an allOf
            node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    if isinstance(node.get("anyOf"), list):
        node = _merge_types(node)
    if node.get("format") in ("time", "date"):
        node["pattern"] = TIME_PATTERN if node.pop("format") == "time" else DATE_PATTERN
    if node.get("pattern") in PATTERN_MESSAGES:
        node["patternErrorMessage"] = PATTERN_MESSAGES[node["pattern"]]
    return node


_TYPE_KEYWORDS: dict[str, set[str]] = {
    "string": {"pattern", "format", "minLength", "maxLength"},
    "object": {"properties", "additionalProperties", "required", "minProperties", "maxProperties"},
    "array": {"items", "minItems", "maxItems"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "boolean": set(),
    "null": set(),
}
"""Keywords that only constrain values of one JSON type (others pass them untouched)."""


def _merge_types(node: dict[str, Any]) -> dict[str, Any]:
    """`anyOf` alternatives of different types written as one schema with a list of types.

    An optional date is `anyOf: [{string, format}, {null}]`, a text `anyOf: [{string},
    {object, properties}]`. Validators report a failed `anyOf` as a whole ("not valid
    under any of the given schemas"); merged, the editor underlines the exact mistake
    (`'de' was unexpected`). Merged only when each alternative's keywords apply to its
    own type alone, so that the merged schema accepts exactly the same values.
    """
    options: list[Any] = []
    for option in node["anyOf"]:  # an optional text is anyOf[anyOf[string, object], null]
        nested = option.get("anyOf") if isinstance(option, dict) and set(option) == {"anyOf"} else None
        options.extend(nested or [option])
    node = {**node, "anyOf": options}
    types = [o.get("type") if isinstance(o, dict) else None for o in options]
    if (
        not all(isinstance(t, str) for t in types)
        or len(set(types)) != len(types)
        or {"number", "integer"} <= set(types)
    ):
        return node
    merged: dict[str, Any] = {key: value for key, value in node.items() if key != "anyOf"}
    enum: list[Any] | None = None
    for option, kind in zip(options, types, strict=False):
        extra = set(option) - {"type", "description", "title"} - _TYPE_KEYWORDS.get(str(kind), set())
        if extra - {"enum", "const"}:
            return node
        if extra:  # a list of allowed values, as an optional choice: null joins the list
            if enum is not None:
                return node
            enum = list(option["enum"]) if "enum" in option else [option["const"]]
        merged.update({key: value for key, value in option.items() if key in _TYPE_KEYWORDS.get(str(kind), set())})
    if enum is not None:
        merged["enum"] = [*enum, *([None] if "null" in types else [])]
    merged["type"] = types
    return merged


def _schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    generated = _draft7(model.model_json_schema(mode="validation"))
    return {"$schema": DRAFT, **generated, "title": title}


def generate_schemas() -> dict[str, dict[str, Any]]:
    """Every schema, by its path inside `schemas/`."""
    schemas = {
        record_schema_path(kind): _schema(model, f"Rihla {kind} record")
        for kind, model in RECORD_TYPES.items()
    }
    schemas[SHARED_FILE] = _schema(SharedFile, "Rihla shared records file (missions/*.yml)")
    schemas[MISSION_FILE] = _schema(MissionFile, "Rihla mission folder file (missions/<mission>/*.yml)")
    return schemas


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as it is committed: keys sorted (stable diffs), two-space indent, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema under `folder`; returns the files whose content changed."""
    changed = []
    for name, schema in generate_schemas().items():
        path = folder / name
        text = schema_text(schema)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def stale_schemas(folder: Path) -> list[str]:
    """Names of schemas under `folder` that are missing, differ from the model, or are left over."""
    expected = generate_schemas()
    stale = [
        name for name, schema in expected.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != schema_text(schema)
    ]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*.json")} if folder.is_dir() else set()
    return sorted([*stale, *(present - set(expected))])
