"""Checks across records: unique ids, references that resolve, dates that make sense,
time zones that fit the mission's countries, actions whose dates agree with their status."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

from babel import Locale
from pydantic import BaseModel

from rihla.diagnostics import Diagnostic
from rihla.load.loader import LoadedRecord, LoadResult
from rihla.load.messages import suggestion
from rihla.load.time_zones import zone_mismatch
from rihla.model.fields import fields_by_name
from rihla.model.records import ACTION_STATUSES, RECORD_TYPES, Action, Mission, Organisation, Visit
from rihla.yaml_source import Path


@functools.cache
def _reference_fields(model: type[BaseModel]) -> tuple[tuple[str, str | None, type[BaseModel] | None], ...]:
    """For each field of `model` that names records or holds records: its name, the kind it refers to,
    and a nested model to walk."""
    return tuple(
        (name, entry.refers_to, entry.nested)
        for name, entry in fields_by_name(model).items()
        if entry.refers_to or entry.nested
    )


def references(obj: BaseModel, path: Path = ()) -> Iterator[tuple[Path, str, str]]:
    """Every reference held by `obj`: its path, the kind it points at, and the id."""
    for name, kind, nested in _reference_fields(type(obj)):
        value = getattr(obj, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = (*path, name) if index is None else (*path, name, index)
            if item is None:
                continue
            if kind and isinstance(item, str):
                yield where, kind, item
            elif nested and isinstance(item, BaseModel):
                yield from references(item, where)


@functools.cache
def _countries() -> frozenset[str]:
    # Babel types the keys loosely (str | int | None); the country codes are the two-letter strings.
    territories = Locale("en").territories
    return frozenset(code for code in territories if isinstance(code, str) and code.isalpha() and len(code) == 2)


def check_links(result: LoadResult, today: dt.date | None = None) -> list[Diagnostic]:
    """Every cross-record problem, in the order the records were read.

    `today` is the build date: progress recorded after it has not happened yet.

    References are not checked when a file could not be read at all, and not
    reported when they point at a record that already failed validation: either
    would only repeat the first problem.
    """
    loaded = result.records
    problems: list[Diagnostic] = []
    index: dict[str, dict[str, LoadedRecord]] = {kind: {} for kind in RECORD_TYPES}
    for item in loaded:
        same_kind = index[item.record.record_kind]
        first = same_kind.get(item.record.id)
        if first is not None:
            at = first.origin.at(("id",))
            problems.append(item.origin.diagnostic(
                ("id",),
                f"duplicate {item.record.record_kind} id {item.record.id!r} "
                f"(first used at {first.origin.path}:{at.line}:{at.column}); choose another id",
            ))
            continue
        same_kind[item.record.id] = item

    known = {kind: [*ids, *(i for k, i in result.invalid_ids if k == kind)] for kind, ids in index.items()}
    for item in loaded:
        for path, kind, target in references(item.record):
            if result.unreadable or (kind, target) in result.invalid_ids:
                continue
            if target not in index[kind]:
                problems.append(item.origin.diagnostic(
                    path, f"unknown {kind} id {target!r}{suggestion(target, known[kind])}"
                ))
        problems.extend(_check_dates(item, index["mission"]))
        problems.extend(_check_countries(item))
        if isinstance(item.record, Action):
            problems.extend(_check_action(item, item.record, today or dt.date.today()))
    return problems


def _check_countries(item: LoadedRecord) -> Iterator[Diagnostic]:
    record = item.record
    codes: list[tuple[Path, str]] = []
    if hasattr(record, "country"):
        codes.append((("country",), record.country))
    if isinstance(record, Mission):
        codes.extend((("countries", i), code) for i, code in enumerate(record.countries))
    for path, code in codes:
        if code not in _countries():
            yield item.origin.diagnostic(
                path, f'unknown country code {code!r}; use ISO 3166 codes such as "BE" or "MA"'
            )
    if isinstance(record, Mission):
        mismatch = zone_mismatch(record.timezone, record.countries)
        if mismatch:
            yield item.origin.diagnostic(("timezone",), mismatch)


def _check_action(item: LoadedRecord, action: Action, today: dt.date) -> Iterator[Diagnostic]:
    """An action's dates against its status and the build date."""
    if action.completed and action.status != "done":
        yield item.origin.diagnostic(
            ("completed",),
            f"the action is completed on {action.completed} but its status is {action.status}; add an update "
            f"dated {action.completed} with `status: done`, or remove `completed`",
        )
    if action.completed and action.completed > today:
        yield item.origin.diagnostic(
            ("completed",), f"{action.completed} is after the build date {today}; write the day it was completed"
        )
    for index, update in enumerate(action.updates):
        if update.date > today:
            yield item.origin.diagnostic(
                ("updates", index, "date"),
                f"{update.date} is after the build date {today}; record progress once it has happened "
                "(a planned day goes in `due`)",
            )


def _check_dates(item: LoadedRecord, missions: dict[str, LoadedRecord]) -> Iterator[Diagnostic]:
    record = item.record
    if isinstance(record, Mission) and record.end < record.start:
        yield item.origin.diagnostic(("end",), f"the end {record.end} is before the start {record.start}")
    if isinstance(record, Visit):
        mission = missions.get(item.mission or "")
        if record.date and mission and isinstance(mission.record, Mission):
            start, end = mission.record.start, mission.record.end
            if not start <= record.date <= end:
                yield item.origin.diagnostic(
                    ("date",), f"{record.date} is outside the mission's dates ({start} to {end})"
                )
        if record.end_date and record.date is None:
            yield item.origin.diagnostic(
                ("end_date",), "an end_date needs a date (the first day); add date, or remove end_date"
            )
        elif record.end_date and record.date and record.end_date < record.date:
            yield item.origin.diagnostic(
                ("end_date",), f"the end date {record.end_date} is before the date {record.date}"
            )
        elif (
            record.end_date and mission and isinstance(mission.record, Mission) and record.end_date > mission.record.end
        ):
            yield item.origin.diagnostic(
                ("end_date",), f"{record.end_date} is after the mission's end ({mission.record.end})"
            )
        multi_day = record.end_date and record.date and record.end_date > record.date
        if record.start_time and record.end_time and record.end_time < record.start_time and not multi_day:
            yield item.origin.diagnostic(
                ("end_time",),
                f"the end time {record.end_time:%H:%M} is before the start time {record.start_time:%H:%M}",
            )
    if isinstance(record, Action):
        for name in ("due", "completed"):
            value = getattr(record, name)
            if value and record.start and value < record.start:
                yield item.origin.diagnostic((name,), f"the {name} date {value} is before the start {record.start}")
        if not any(update.status for update in record.updates):
            yield item.origin.diagnostic(
                ("updates", 0, "status"),
                f"no update sets a status; give the first update a status ({', '.join(ACTION_STATUSES)})",
            )
    if isinstance(record, Organisation) and record.parent == record.id:
        yield item.origin.diagnostic(("parent",), "an organisation cannot be its own parent")
