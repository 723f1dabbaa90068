"""The site's key figures: one definition per figure, in one place.

Every count a page shows as a key figure comes from here, with the sentence that
defines it, which the page shows beside the number ("Organisations met: distinct
organisations of the visits"). The tests count the same things on the pages that
list them (tests/test_knowledge_across_missions.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rihla.knowledge import KnowledgeBase
from rihla.model.records import Visit
from rihla.render.labels import N_


@dataclass(frozen=True)
class Figure:
    """A figure: its label and definition (catalogue msgids) and how it is counted, over the
    whole site or over one mission (`scope` a mission id), or over one theme (`theme-*`
    figures: `scope` a theme id)."""

    label: str
    definition: str
    count: Callable[[KnowledgeBase, str | None], int]


def _visits(kb: KnowledgeBase, mission: str | None) -> list[Visit]:
    """The visits of the site, or of one mission's programme."""
    return list(kb.visits.values()) if mission is None else kb.visits_of_mission(mission)


def _tagged(kind: str) -> Callable[[KnowledgeBase, str | None], int]:
    """How many records of `kind` a theme's page lists (KnowledgeBase.with_theme)."""

    def count_tagged(kb: KnowledgeBase, theme: str | None) -> int:
        if theme is None:  # as before: no theme is a key unknown to the knowledge base
            raise KeyError(theme)
        return len(kb.with_theme(theme)[kind])

    return count_tagged


FIGURES: dict[str, Figure] = {
    "missions": Figure(
        N_("Missions"),
        N_("study missions in the records"),
        lambda kb, mission: len(kb.missions) if mission is None else 1,
    ),
    "organisations-met": Figure(
        N_("Organisations met"),
        N_("distinct organisations of the visits"),
        lambda kb, mission: len({org for visit in _visits(kb, mission) for org in visit.organisations}),
    ),
    "people-met": Figure(
        N_("People met"),
        N_("distinct people named in the visits"),
        lambda kb, mission: len({person for visit in _visits(kb, mission) for person in visit.people}),
    ),
    "visits": Figure(
        N_("Visits"),
        N_("meetings and visits of the programmes"),
        lambda kb, mission: len(_visits(kb, mission)),
    ),
    "lessons": Figure(
        N_("Lessons learned"),
        N_("lessons, each counted once even when several missions share it"),
        lambda kb, mission: len(kb.lessons) if mission is None else len(kb.lessons_of_mission(mission)),
    ),
    "lessons-acted-on": Figure(
        N_("Lessons that led to an action"),
        N_("lessons cited by at least one action"),
        lambda kb, mission: sum(
            1
            for lesson in (kb.lessons.values() if mission is None else kb.lessons_of_mission(mission))
            if kb.actions_of_lesson(lesson.id)
        ),
    ),
    "actions": Figure(
        N_("Follow-up actions"),
        N_("actions, each counted once even when several missions share it"),
        lambda kb, mission: len(kb.actions) if mission is None else len(kb.actions_of_mission(mission)),
    ),
    "theme-organisations": Figure(
        N_("Organisations"), N_("organisations whose record names the theme"), _tagged("organisation")
    ),
    "theme-visits": Figure(
        N_("Visits"), N_("visits to those organisations, or where a lesson on the theme was learned"), _tagged("visit")
    ),
    "theme-lessons": Figure(N_("Lessons learned"), N_("lessons on the theme"), _tagged("lesson")),
    "theme-actions": Figure(
        N_("Follow-up actions"), N_("actions on the theme, or from lessons on it"), _tagged("action")
    ),
}
"""Every key figure, by the key templates use (`figure("organisations-met")`)."""


def count(knowledge: KnowledgeBase, key: str, scope: str | None = None) -> int:
    """The figure `key`, over the site or over one mission or theme (`scope`)."""
    return FIGURES[key].count(knowledge, scope)
