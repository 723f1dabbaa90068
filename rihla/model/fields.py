"""Every field of every record kind, walked from the model: what the staff guide documents.

The field reference of the guide (`rihla.render.field_reference`) and its test
read the model through :func:`model_fields`, so a field added to
`rihla/model/records.py` appears in the guide by itself, and the test says
when its explanation is missing from `rihla/model/field_guide.yml`.

    for entry in model_fields():
        entry.key          # 'action.indicators.label'
        entry.form         # 'text', 'ids', 'date', 'choice', …
        entry.required, entry.default, entry.choices, entry.refers_to
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import AnyUrl, BaseModel
from pydantic_core import PydanticUndefined, Url

from rihla.model.records import RECORD_TYPES, Private, Record, Ref
from rihla.model.text import LANGUAGES
from rihla.yaml_source import read_yaml

Form = Literal[
    "own-id", "id", "ids", "text", "texts", "plain", "plains", "date", "time", "number", "yes-no",
    "choice", "language", "country", "countries", "time-zone", "web-address", "record", "records",
]
"""How a value is written; the guide explains each form once (`rihla.render.field_reference`)."""


@dataclass(frozen=True)
class FieldEntry:
    """One field of one record kind, or of a record nested in it (an action's indicators)."""

    kind: str
    """The record kind it belongs to (`action`)."""
    path: tuple[str, ...]
    """Field names from the record down (`("indicators", "label")`)."""
    form: Form
    required: bool
    default: str | None
    """The value used when the field is left out, as YAML (`fr`, `Europe/Brussels`), if any."""
    choices: tuple[str, ...]
    refers_to: str | None
    """The kind of record an id names (`organisation`)."""
    description: str
    """The model's English description (the guide's words when field_guide.yml has none)."""
    nested: type[BaseModel] | None = field(default=None, compare=False)
    """The model of a `record` or `records` field (an action's `Indicator`)."""
    private: Private | None = field(default=None, compare=False)
    """The field's `Private` mark: never published (unless its record's consent field says so)."""
    validators: frozenset[str] = field(default=frozenset(), compare=False)
    """Names of the functions that check the value beyond its form (`_email_address`, `_one_line`):
    a `plain` field without any holds free text."""
    initial: Any = field(default=None, compare=False)
    """The value the model puts when the field is left out (`False`, `"fr"`), as a value; None when there
    is none or it is made by a factory (an empty list)."""
    value_type: Any = field(default=None, compare=False)
    """The bare type of the value, of each item for a list (`str`, `int`, `dt.date`, a nested model):
    what a form decides its widget by, and how a type no form describes is told apart."""
    pattern: str | None = field(default=None, compare=False)
    """The regular expression the value (each item of a list) must match, if any (an id's, a country's)."""

    @property
    def key(self) -> str:
        """`action.indicators.label`: how field_guide.yml and anchors name the field."""
        return ".".join((self.kind, *self.path))

    @property
    def name(self) -> str:
        """`indicators.label`, as staff see it inside the record."""
        return ".".join(self.path)


def _strip_optional(hint: Any) -> Any:
    if typing.get_origin(hint) is Union:
        remaining = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return remaining[0] if len(remaining) == 1 else hint
    return hint


def _parts(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    """The bare type of an annotation and its Annotated metadata."""
    hint = _strip_optional(hint)
    if typing.get_origin(hint) is typing.Annotated:
        base, *metadata = typing.get_args(hint)
        inner, more = _parts(base)
        return inner, (*metadata, *more)
    return hint, ()


def _validator_names(metadata: tuple[Any, ...]) -> set[str]:
    return {getattr(getattr(item, "func", None), "__name__", "") for item in metadata}


def _value_metadata(hint: Any) -> tuple[Any, ...]:
    """The Annotated metadata of a field's values: its own, and its items' for a list."""
    base, metadata = _parts(hint)
    if typing.get_origin(base) is list:
        return (*metadata, *_value_metadata(typing.get_args(base)[0]))
    return metadata


def _value_type(hint: Any) -> Any:
    """The bare type of a field's values: its own, or its items' for a list."""
    base, _ = _parts(hint)
    return _value_type(typing.get_args(base)[0]) if typing.get_origin(base) is list else base


_PLURAL: dict[Form, Form] = {
    "id": "ids", "text": "texts", "plain": "plains", "country": "countries", "record": "records"
}
LIST_FORMS: frozenset[Form] = frozenset(_PLURAL.values())
"""The forms of a list of values."""


def _pattern(hint: Any) -> str | None:
    """The pattern a field's values must match (its items' for a list), if any."""
    return next((str(item.pattern) for item in _value_metadata(hint) if getattr(item, "pattern", None)), None)


def _form(hint: Any, *, own_id: bool) -> tuple[Form, tuple[str, ...], str | None, type[BaseModel] | None]:
    """How a field is written, its allowed values, the kind it refers to, and its nested model."""
    base, metadata = _parts(hint)
    if typing.get_origin(base) is list:
        inner, choices, refers_to, nested = _form(typing.get_args(base)[0], own_id=False)
        return _PLURAL.get(inner, inner), choices, refers_to, nested
    ref = next((item for item in metadata if isinstance(item, Ref)), None)
    patterns = {getattr(item, "pattern", None) for item in metadata}
    validators = _validator_names(metadata)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "record", (), None, base
    if ref is not None:
        return "id", (), ref.kind, None
    if typing.get_origin(base) is dict:
        return "text", (), None, None
    if typing.get_origin(base) is Literal:
        choices = tuple(str(arg) for arg in typing.get_args(base))
        return ("language" if choices == LANGUAGES else "choice"), choices, None, None
    if base is bool:
        return "yes-no", (), None, None
    if base in (int, float):
        return "number", (), None, None
    if base is dt.date:
        return "date", (), None, None
    if base is dt.time:
        return "time", (), None, None
    if "_known_time_zone" in validators:
        return "time-zone", (), None, None
    if r"^[A-Z]{2}$" in patterns:
        return "country", (), None, None
    if own_id:
        return "own-id", (), None, None
    if isinstance(base, type) and issubclass(base, (AnyUrl, Url)):
        return "web-address", (), None, None
    return "plain", (), None, None


def _initial(model: type[BaseModel], name: str) -> Any:
    info = model.model_fields[name]
    if info.default_factory is not None or info.default in (None, PydanticUndefined):
        return None
    return info.default


def _default(model: type[BaseModel], name: str) -> str | None:
    value = _initial(model, name)
    return None if value is None or isinstance(value, bool) else str(value)


def fields_of(
    model: type[BaseModel], kind: str, prefix: tuple[str, ...] = (), *, recursive: bool = True
) -> Iterator[FieldEntry]:
    """The fields of `model`, in the model's order, each followed by the fields of a record nested
    in it (unless `recursive` is false)."""
    hints = typing.get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        form, choices, refers_to, nested = _form(hints[name], own_id=name == "id" and issubclass(model, Record))
        at_least = any(getattr(item, "min_length", None) for item in info.metadata)
        private = next((item for item in _parts(hints[name])[1] if isinstance(item, Private)), None)
        yield FieldEntry(
            kind=kind,
            path=(*prefix, name),
            form=form,
            required=info.is_required() or at_least,
            default=_default(model, name),
            choices=choices,
            refers_to=refers_to,
            description=(info.description or "").strip(),
            nested=nested,
            private=private,
            validators=frozenset(_validator_names(_value_metadata(hints[name])) - {""}),
            initial=_initial(model, name),
            value_type=_value_type(hints[name]),
            pattern=_pattern(hints[name]),
        )
        if nested is not None and recursive:
            yield from fields_of(nested, kind, (*prefix, name))


@functools.cache
def fields_by_name(model: type[BaseModel]) -> dict[str, FieldEntry]:
    """The fields of `model` itself (not of the records nested in it), by name: what a check that
    walks one record's values asks of each field."""
    kind = str(getattr(model, "record_kind", model.__name__))
    return {entry.path[-1]: entry for entry in fields_of(model, kind, recursive=False)}


GUIDE_FILE = Path(__file__).resolve().parent / "field_guide.yml"
"""What each field means in the four languages, with an example and related fields."""


@functools.cache
def guide_texts() -> dict[str, Any]:
    """field_guide.yml by field key (`visit.date`), read as records are (no YAML surprises)."""
    return read_entries(GUIDE_FILE, "one entry per field")


def read_entries(path: Path, expected: str) -> dict[str, Any]:
    """A YAML mapping shipped with Rihla, read as records are; ValueError naming the file when it is not one."""

    data, _, problems = read_yaml(path.read_text(encoding="utf-8"))
    if problems or not isinstance(data, dict):
        raise ValueError(f"{path}: {problems[0].message if problems else 'expected ' + expected}")
    return data


def meaning(key: str, language: str = "en") -> str | None:
    """What field `key` means in `language`, as the staff guide says it; None when it does not yet."""
    entry = guide_texts().get(key)
    text = entry.get(language) if isinstance(entry, dict) else None
    return str(text) if text else None


def field_reference_kind(model: type[BaseModel], name: str) -> tuple[bool, str | None]:
    """Whether field `name` of `model` holds ids, and the kind of record they name (None for the record's own id)."""
    entry = fields_by_name(model).get(name)
    if entry is None:
        return False, None
    return entry.form in ("own-id", "id", "ids"), entry.refers_to


def article(kind: str) -> str:
    """`an organisation`, `a visit`: a record kind with its English article."""
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind}"


def model_fields() -> list[FieldEntry]:
    """Every field of every record kind, kinds in the model's order."""
    return [entry for kind, model in RECORD_TYPES.items() for entry in fields_of(model, kind)]
