"""The staff guide's field reference: every field of every record kind, in the guide's language.

The fields come from the model (:func:`rihla.model.fields.model_fields`), so the
reference cannot drift from what `rihla check` accepts; what each field means,
one example and the fields to read with it come from `rihla/model/field_guide.yml`.
A field that file does not explain yet is still listed, with the model's English
description, and `tests/test_guide.py` fails until it is explained.

The hand-written guide (`docs/publish*.md`) holds the marker :data:`MARKER`;
the build replaces it with :func:`render_field_reference` for the page's language.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment
from markupsafe import escape

from rihla.model.fields import GUIDE_FILE, FieldEntry, guide_texts, model_fields
from rihla.model.text import direction
from rihla.render.bidi import isolate_ltr_runs
from rihla.render.labels import N_

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

MARKER = "<!-- rihla:field-reference -->"
"""Where a guide page wants the field reference."""

KIND_NAMES = {
    "theme": N_("Theme"),
    "city": N_("City"),
    "organisation": N_("Organisation"),
    "person": N_("Person"),
    "mission": N_("Mission"),
    "visit": N_("Visit"),
    "lesson": N_("Lesson"),
    "action": N_("Action"),
}
KIND_FILES = {
    "theme": "missions/themes.yml",
    "city": "missions/cities.yml",
    "organisation": "missions/organisations.yml",
    "person": "missions/people.yml",
    "mission": "missions/<mission>/mission.yml",
    "visit": "missions/<mission>/visits.yml",
    "lesson": "missions/<mission>/lessons.yml",
    "action": "missions/<mission>/actions.yml",
}
FORMS = {
    "own-id": N_("An id: lower-case letters, digits and hyphens, different from every other record of the kind."),
    "text": N_("A text: one line in the mission's language, or one line per language (fr:, nl:, en:, ar:)."),
    "texts": N_("A list of texts, one entry (- ) each; each entry one line or one line per language."),
    "plain": N_("Plain text, the same in every language."),
    "plains": N_("A list of plain texts: [one, two]."),
    "date": N_("A date, year-month-day: 2024-05-14."),
    "time": N_("A time in quotes, 24-hour clock: \"09:30\"."),
    "number": N_("A number, with a dot for decimals."),
    "yes-no": N_("true or false (false when left out)."),
    "choice": N_("One of: %(choices)s."),
    "language": N_("A language code: fr, nl, en or ar."),
    "country": N_("A country code in capitals, in quotes: \"EE\"."),
    "countries": N_("A list of country codes in quotes: [\"EE\", \"FI\"]."),
    "time-zone": N_("An IANA time zone name: Europe/Tallinn."),
    "web-address": N_("A web address starting with https://."),
    "record": N_("The fields below, indented under this one."),
    "records": N_("A list of entries, each starting with - and holding the fields below."),
}
REFERENCES = {
    "theme": (N_("The id of a theme."), N_("A list of theme ids: [one, two].")),
    "city": (N_("The id of a city."), N_("A list of city ids: [one, two].")),
    "organisation": (N_("The id of an organisation."), N_("A list of organisation ids: [one, two].")),
    "person": (N_("The id of a person."), N_("A list of person ids: [one, two].")),
    "mission": (N_("The id of a mission."), N_("A list of mission ids: [one, two].")),
    "visit": (N_("The id of a visit."), N_("A list of visit ids: [one, two].")),
    "lesson": (N_("The id of a lesson."), N_("A list of lesson ids: [one, two].")),
}


@dataclass(frozen=True)
class FieldDoc:
    """One field as the guide shows it: the model's facts and field_guide.yml's words."""

    entry: FieldEntry
    meanings: dict[str, str]
    example: str | None
    related: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return field_anchor(self.entry.key)

    @property
    def form_text(self) -> str:
        """The msgid saying how the value is written."""
        if self.entry.refers_to:
            single, many = REFERENCES[self.entry.refers_to]
            return many if self.entry.form == "ids" else single
        return FORMS[self.entry.form]

    def meaning(self, language: str) -> str:
        return self.meanings.get(language) or self.entry.description


SKELETON_FORMS = frozenset(
    {"own-id", "id", "ids", "date", "time", "number", "country", "countries", "time-zone", "web-address"}
)
"""Forms whose format `rihla new` adds to a field's comment (texts, lists and choices show theirs already)."""


@cache
def formats_in_english() -> dict[str, str]:
    """How the value of each field is written, in English, by field key: for the comments of `rihla new`."""
    docs = (FieldDoc(entry, {}, None, ()) for entry in model_fields())
    return {doc.entry.key: doc.form_text for doc in docs if doc.entry.form in SKELETON_FORMS}


def field_anchor(key: str) -> str:
    """`field-action-indicators-label`: the reference's anchor of a field."""
    return "field-" + key.replace(".", "-").replace("_", "-")


def field_docs() -> list[FieldDoc]:
    """Every field of the model, with what field_guide.yml says about it."""
    texts = guide_texts()
    docs = []
    for entry in model_fields():
        written = texts.get(entry.key) or {}
        if not written:
            log.info(
                "field %s has no explanation in %s; the guide shows the model's description", entry.key, GUIDE_FILE.name
            )
        example = written.get("example")
        docs.append(FieldDoc(
            entry=entry,
            meanings={key: str(value) for key, value in written.items() if key not in ("example", "related")},
            example=None if example is None else str(example),
            related=tuple(written.get("related") or ()),
        ))
    return docs


def render_field_reference(env: Environment, language: str) -> str:
    """The reference as Markdown with HTML tables, through `partials/field-reference.md`."""
    docs = field_docs()
    kinds = list(dict.fromkeys(doc.entry.kind for doc in docs))
    return env.get_template("partials/field-reference.md").render(
        kinds=kinds,
        docs_by_kind={kind: [doc for doc in docs if doc.entry.kind == kind] for kind in kinds},
        kind_names=KIND_NAMES,
        kind_files=KIND_FILES,
        field_anchor=field_anchor,
        language=language,
        # Dates, addresses and codes inside Arabic sentences keep their order.
        shown=isolate_ltr_runs if direction(language) == "rtl" else escape,
    )
