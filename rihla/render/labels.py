"""Interface names of the model's fixed values (kinds, levels, statuses).

The English texts are msgids of the catalogues; `N_` only marks them for
extraction, translation happens when a page is rendered.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for the catalogues without translating it here."""
    return message


LABELS: dict[str, dict[str, str]] = {
    "organisation_kind": {
        "agency": N_("Agency"),
        "ministry": N_("Ministry"),
        "commune": N_("Commune"),
        "non-profit": N_("Non-profit"),
        "company": N_("Company"),
        "school": N_("School"),
        "programme": N_("Programme"),
    },
    "level": {
        "international": N_("International"),
        "national": N_("National"),
        "federal": N_("Federal"),
        "regional": N_("Regional"),
        "community": N_("Community"),
        "local": N_("Local"),
        "none": N_("Outside government"),
    },
    "status": {
        "proposed": N_("Proposed"),
        "planned": N_("Planned"),
        "in-progress": N_("In progress"),
        "done": N_("Done"),
        "dropped": N_("Dropped"),
    },
    "record_kind": {
        "mission": N_("Mission"),
        "visit": N_("Visit"),
        "organisation": N_("Organisation"),
        "lesson": N_("Lesson"),
        "action": N_("Action"),
        "theme": N_("Theme"),
        "person": N_("Person"),
    },
    "role": {
        "visited": N_("Visited"),
        "organiser": N_("Organiser"),
        "delegation": N_("Member of the delegation"),
        "action-owner": N_("Owner of an action"),
        "action-partner": N_("Partner in an action"),
    },
    "history": {
        "visit": N_("Visit"),
        "organiser": N_("Organised the mission"),
        "delegation": N_("In the delegation"),
        "lesson": N_("Lesson learned"),
        "action": N_("Action started"),
        "update": N_("Update"),
    },
}
