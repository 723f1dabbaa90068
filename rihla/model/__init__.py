"""Typed records: what staff write in `missions/`, one class per record type."""

from __future__ import annotations

from rihla.model.records import (
    ACTION_STATUSES,
    RECORD_TYPES,
    Action,
    City,
    Delegation,
    Indicator,
    Lesson,
    Mission,
    Organisation,
    Person,
    Record,
    Ref,
    Theme,
    Update,
    Visit,
)
from rihla.model.text import LANGUAGES, Language, Localized, Resolved, direction, resolve

__all__ = [
    "ACTION_STATUSES",
    "LANGUAGES",
    "RECORD_TYPES",
    "Action",
    "City",
    "Delegation",
    "Indicator",
    "Language",
    "Lesson",
    "Localized",
    "Mission",
    "Organisation",
    "Person",
    "Record",
    "Ref",
    "Resolved",
    "Theme",
    "Update",
    "Visit",
    "direction",
    "resolve",
]
