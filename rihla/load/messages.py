"""Turn pydantic's validation errors into messages staff can act on."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from rihla.model.fields import article, field_reference_kind, fields_by_name
from rihla.model.text import LANGUAGES
from rihla.yaml_source import Path

_QUOTED = re.compile(r"'([^']*)'")


def suggestion(word: str, candidates: typing.Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a candidate is close to `word`, else nothing."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def clean_location(location: tuple[str | int, ...]) -> Path:
    """The error's path in the document, without pydantic's internal steps."""
    return tuple(part for part in location if not (isinstance(part, str) and (part.startswith("[") or "[" in part)))


def field_label(path: Path) -> str:
    """`visits[3].organisation` from `("visits", 3, "organisation")`."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
    return label


def model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that holds the last field of `path`, walking nested models."""
    current: type[BaseModel] | None = model
    for part in path[:-1]:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        entry = fields_by_name(current).get(part)
        current = entry.nested if entry is not None else None
    return current


def _is_localized(model: type[BaseModel] | None, name: str | int) -> bool:
    entry = fields_by_name(model).get(name) if model is not None and isinstance(name, str) else None
    return entry is not None and entry.form in ("text", "texts")


def explain(error: ErrorDetails, model: type[BaseModel], path: Path) -> str:
    """A message for one validation error at `path` of a record of class `model`."""
    kind = error["type"]
    value = error.get("input")
    context = error.get("ctx") or {}
    holder = model_at(model, path)
    name = path[-1] if path else ""

    field_name = next(
        (part for part in reversed(path) if isinstance(part, str)), ""
    )  # `organisations` of `organisations[0]`
    named = path
    while named and isinstance(named[-1], int):
        named = named[:-1]
    owner = model_at(model, named) if named else None
    holds_ids, refers_to = field_reference_kind(owner, field_name) if owner is not None else (False, None)
    if kind == "missing":
        return f"required field is missing; add `{name}:`"
    if value is None:
        if holds_ids:
            return f"is empty; write {_id_of(refers_to)}"
        return f"is empty; write {_expected(kind, context, holder, name)}"
    if kind == "extra_forbidden":
        known = holder.model_fields if holder else {}
        return f"unknown field {name!r}{suggestion(str(name), known)}"
    if kind == "literal_error":
        allowed = _QUOTED.findall(str(context.get("expected", "")))
        text_field = path[:-1]
        while text_field and isinstance(text_field[-1], int):  # `topics[0].de`: a text of a list of texts
            text_field = text_field[:-1]
        if text_field and _is_localized(model_at(model, text_field), text_field[-1]):
            # `- Data: exchange` is read as a text in the language `Data`: the colon needed quotes.
            quotes = (
                "" if re.fullmatch(r"[a-z]{2}", str(value)) else " (a text that contains ': ' must be in double quotes)"
            )
            return f"unknown language {value!r}; write one of: {', '.join(LANGUAGES)}{quotes}"
        return f"expected one of: {', '.join(allowed)} but received: {value!r}{suggestion(str(value), allowed)}"
    if kind == "string_pattern_mismatch":
        if "A-Z" in str(context.get("pattern", "")):
            return f"expected a country code in capitals, in quotes, like \"BE\", but received: {value!r}"
        if holds_ids:
            return (
                f"write {_id_of(refers_to)}: lower-case letters, digits and hyphens, like 'bosa-nido-lab'; "
                f"received: {value!r}"
            )
        return (
            f"expected an id of lower-case letters, digits and hyphens, like 'bosa-nido-lab', but received: {value!r}"
        )
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"expected a date written as 2022-09-25, but received: {value!r}"
    if kind in ("time_parsing", "time_type"):
        return f"expected a time written in quotes as \"09:30\", but received: {value!r}"
    if kind.startswith("url"):
        schemes = context.get("expected_schemes", "'http' or 'https'")
        return f"expected a web address starting with {schemes.replace(chr(39), '')}:// , but received: {value!r}"
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return f"expected a number, but received: {value!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{error['msg'].replace('Input should be', 'expected a number')}, but received: {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, but received: {value!r}"
    if kind == "string_type":
        if isinstance(value, bool):
            return f"expected text; write \"{str(value).lower()}\" in quotes if that is the text"
        return "expected text, not a list or mapping"
    if kind == "string_too_long":
        return f"too long: at most {context.get('max_length')} characters"
    if kind == "dict_type":
        if _is_localized(holder, name):
            return "expected a text, or one text per language under fr:, nl:, en:, ar:"
        return "expected a mapping of fields (name: value lines)"
    if kind in ("model_type", "model_attributes_type"):
        return "expected a mapping of fields (name: value lines)"
    if kind == "list_type":
        return "expected a list (one `- item` per line)"
    if kind == "too_short":
        return f"needs at least {context.get('min_length', 1)} item"
    return str(error["msg"])


def _id_of(refers_to: str | None) -> str:
    """`the id of an organisation`, or for a record's own id, what an id looks like."""
    if refers_to is None:
        return "an id for this record: lower-case letters, digits and hyphens, like 'bosa-nido-lab'"
    return f"the id of {article(refers_to)}"


def _expected(kind: str, context: dict[str, Any], holder: type[BaseModel] | None, name: str | int) -> str:
    """What to write in a field left empty, by the kind of error an empty value raised."""
    if kind == "literal_error":
        return "one of: " + ", ".join(_QUOTED.findall(str(context.get("expected", ""))))
    if kind.startswith("date"):
        return "a date such as 2022-09-25"
    if kind.startswith("time"):
        return 'a time in quotes such as "09:30"'
    if kind.startswith(("int", "float")):
        return "a number"
    if kind.startswith("bool"):
        return "true or false"
    if kind.startswith("url"):
        return "a web address starting with https://"
    if kind == "dict_type" and _is_localized(holder, name):
        return "a text, or one text per language under fr:, nl:, en:, ar:"
    if kind == "list_type":
        return "a list, one `- item` per line"
    if kind == "string_type":
        return "a text"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "its fields (name: value lines)"
    return "a value"
