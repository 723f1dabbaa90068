"""JSON Schemas for editors: generated from the model, committed, wired to missions/, and right."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
import yaml

from rihla.model import RECORD_TYPES
from rihla.model.schema import MISSION_FILE, SHARED_FILE, generate_schemas, record_schema_path, stale_schemas
from rihla.skeletons import NEW_KINDS, new_record
from tests.helpers import EXAMPLE_RECORDS, MINIMAL_RECORDS, ROOT, write_records

SCHEMAS = ROOT / "schemas"
SETTINGS = ROOT / ".vscode" / "settings.json"
SECTIONS = {"theme": "themes", "city": "cities", "organisation": "organisations", "person": "people",
            "visit": "visits", "lesson": "lessons", "action": "actions"}


class Yaml12Loader(yaml.CSafeLoader):
    """YAML read as the editor reads it (1.2 core schema): `2022-09-25` and `09:30` stay text,
    only true/false are booleans. libyaml's parser, like the editor's, takes `measured?]` in a
    flow list as text."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    Yaml12Loader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _int12(loader: yaml.CSafeLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    base = {"0o": 8, "0x": 16}.get(text[:2], 10)
    return int(text[2:] if base != 10 else text, base)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int12)


def read12(path: Path) -> Any:
    """A YAML file as the editor's YAML 1.2 reader sees it."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)  # noqa: S506 - a safe loader


def validator(name: str) -> jsonschema.Draft7Validator:
    """A draft-07 validator (the version editors implement) for a committed schema, checking formats."""
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def errors(name: str, data: Any) -> list[str]:
    """What the schema `name` rejects in `data`: `path/to/field: message`, one per mistake."""
    found = []
    for error in validator(name).iter_errors(data):
        while error.context:  # a failed alternative: report the closest one, as editors do
            error = jsonschema.exceptions.best_match(error.context)
        found.append(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")
    return sorted(found)


def associations() -> dict[str, list[str]]:
    """The `yaml.schemas` setting of the repository's VS Code settings (JSON with comments)."""
    text = "\n".join(line for line in SETTINGS.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//"))
    return json.loads(text)["yaml.schemas"]


def schema_for(path: Path) -> list[str]:
    """Schemas VS Code applies to a records file, by the globs of the settings."""
    parts = path.parts
    relative = PurePosixPath(*parts[len(parts) - 1 - parts[::-1].index("missions"):])
    return [schema.removeprefix("./schemas/") for schema, globs in associations().items()
            if any(relative.match(glob) for glob in globs)]


def record_files(root: Path) -> list[Path]:
    return sorted([*root.glob("*.y*ml"), *root.glob("*/*.y*ml")])


def test_committed_schemas_match_the_model() -> None:
    """schemas/ is exactly what the model generates (run `rihla schemas` after changing the model)."""
    assert stale_schemas(SCHEMAS) == []


def test_every_schema_is_valid_draft_07() -> None:
    """Each generated schema is itself a valid draft-07 schema, with a record schema per record type."""
    generated = generate_schemas()
    assert {record_schema_path(kind) for kind in RECORD_TYPES} | {SHARED_FILE, MISSION_FILE} == set(generated)
    for schema in generated.values():
        jsonschema.Draft7Validator.check_schema(schema)
        assert "$defs" not in json.dumps(schema)  # draft-07 readers resolve `definitions`


def test_vscode_settings_cover_every_records_file() -> None:
    """Every example and fixture file gets exactly one schema: shared files and mission folders differ."""
    files = [*record_files(EXAMPLE_RECORDS), *record_files(MINIMAL_RECORDS)]
    assert files
    for path in files:
        expected = SHARED_FILE if path.parent.name == "missions" else MISSION_FILE
        assert schema_for(path) == [expected], path
    for schema in associations():
        assert (ROOT / schema).is_file(), schema


@pytest.mark.parametrize(
    "path",
    [*record_files(EXAMPLE_RECORDS), *record_files(MINIMAL_RECORDS)],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_example_files_validate(path: Path) -> None:
    """Every example file, read as the editor reads YAML, passes its file schema."""
    (name,) = schema_for(path)
    assert errors(name, read12(path)) == []


def test_every_record_validates_against_its_record_schema() -> None:
    """Every example record, one by one, passes the schema of its record type."""
    checked = dict.fromkeys(RECORD_TYPES, 0)
    for path in record_files(EXAMPLE_RECORDS):
        for section, value in read12(path).items():
            kind = "mission" if section == "mission" else next(k for k, s in SECTIONS.items() if s == section)
            for record in [value] if kind == "mission" else value:
                assert errors(record_schema_path(kind), record) == [], (path, record.get("id"))
                checked[kind] += 1
    assert checked["mission"] == 1 and checked["visit"] > 10 and checked["action"] > 1


# What staff must write in each skeleton before it passes: its required fields left empty.
REQUIRED_FILLS: dict[str, dict[str, str]] = {
    "mission": {"start": "2024-01-01", "end": "2024-01-02"},
    "visit": {"organisations": "[a]"},
    "organisation": {"kind": "agency", "level": "federal", "country": '"BE"'},
    "person": {"organisation": "a"},
    "lesson": {},
    "action": {},
    "theme": {},
    "city": {"country": '"BE"'},
}


def fill(path: Path, values: dict[str, str]) -> None:
    """Write `values` into the empty fields of a skeleton, as staff would in their editor."""
    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        text, count = re.subn(rf"^(\s+{name}):(?: \[\])?$", rf"\1: {value}", text, count=1, flags=re.M)
        assert count == 1, name
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_new_record_skeletons_fit_the_schemas(records: Path, kind: str) -> None:
    """A skeleton from `rihla new` is flagged at its empty required fields only, and passes once they are filled."""
    write_records(records, {"m/mission.yml": "mission:\n  id: m\n  title: M\n  start: 2024-01-01\n  end: 2024-01-02\n"})
    written, _ = new_record(records, kind, title="Test", today=dt.date(2024, 1, 1), country="EE")
    (name,) = schema_for(written.path)
    flagged = {error.split(":")[0].rsplit("/", 1)[-1] for error in errors(name, read12(written.path))}
    assert flagged == set(REQUIRED_FILLS[kind])
    fill(written.path, REQUIRED_FILLS[kind])
    assert errors(name, read12(written.path)) == []


# What the schemas must refuse, so that the editor underlines it: one case per kind of mistake.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unknown field, as a typo of a real one
        ("organisations:\n  - id: a\n    name: A\n    kind: agency\n    level: federal\n    country: BE\n    webiste: x\n",
         "organisations/0: Additional properties are not allowed ('webiste' was unexpected)"),
        # a value outside the list of kinds
        ("organisations:\n  - id: a\n    name: A\n    kind: agnecy\n    level: federal\n    country: BE\n",
         "organisations/0/kind: 'agnecy' is not one of ['agency', 'ministry', 'commune', 'non-profit', 'company', 'school', 'programme']"),
        # a required field left out
        ("themes:\n  - id: a\n", "themes/0: 'label' is a required property"),
        # an id with capitals
        ("themes:\n  - id: Simplification\n    label: S\n", "themes/0/id: 'Simplification' does not match '^[a-z0-9]+(?:-[a-z0-9]+)*$'"),
        # a section that only a mission's folder may hold
        ("visits: []\n", ": Additional properties are not allowed ('visits' was unexpected)"),
    ],
)
def test_shared_file_schema_flags_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    """The shared-file schema rejects what `rihla check` rejects, with the path of the mistake."""
    path = tmp_path / "shared.yml"
    path.write_text(text, encoding="utf-8")
    assert errors(SHARED_FILE, read12(path)) == [expected]


@pytest.mark.parametrize(
    ("start_time", "problems"),
    [
        ("09:30", 0),  # unquoted: text for a YAML 1.2 reader, as for the loader
        ('"09:30:15"', 0),  # seconds are allowed
        ('"9h30"', 1),  # not a time
    ],
)
def test_mission_file_schema_reads_times_like_the_loader(tmp_path: Path, start_time: str, problems: int) -> None:
    """Times are accepted in the forms the model accepts (the JSON `time` format would demand seconds and a zone)."""
    path = tmp_path / "visits.yml"
    path.write_text(f"visits:\n  - id: v\n    title: V\n    date: 2022-09-27\n    start_time: {start_time}\n"
                    "    organisations: [a]\n", encoding="utf-8")
    assert len(errors(MISSION_FILE, read12(path))) == problems


def test_mission_file_schema_rejects_a_bad_date(tmp_path: Path) -> None:
    """A date the model cannot read is flagged at its field."""
    path = tmp_path / "mission.yml"
    path.write_text("mission:\n  id: m\n  title: M\n  start: 2022-9-25\n  end: 2022-10-05\n", encoding="utf-8")
    assert [e.split(":")[0] for e in errors(MISSION_FILE, read12(path))] == ["mission/start"]
