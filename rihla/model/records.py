"""One typed class per record type, as staff write them in `missions/`.

Fields that point at other records are annotated with :class:`Ref`, so that the
link checks (:mod:`rihla.load.links`) and the JSON Schemas find them without a
second list to keep in step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import zoneinfo
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Optional

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, StringConstraints
from pydantic_core import PydanticCustomError

from rihla.model.text import Language, Localized, OneLineStr, OneLineText

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
"""A record id: lower-case letters, digits and single hyphens (`bosa-nido-lab`)."""

Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
"""An ISO 3166 country code in capitals (`BE`, `MA`)."""

WebUrl = HttpUrl
"""A web address; only `http` and `https` are accepted."""

@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _known_time_zone(name: str) -> str:
    # Checked against the list, never opened: the name comes from a record and could be a path.
    if name not in _time_zones():
        close = difflib.get_close_matches(name, sorted(_time_zones()), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise PydanticCustomError(
            "time_zone", "unknown time zone {name}; use an IANA name such as 'Europe/Brussels'{hint}",
            {"name": repr(name), "hint": hint},
        )
    return name


TimeZone = Annotated[str, AfterValidator(_known_time_zone)]
"""An IANA time zone name (`Europe/Brussels`), as calendars need."""


def _some_text(value: dict[str, str]) -> dict[str, str]:
    # A skeleton's empty slots (`fr:` with nothing after it) must not pass for a title.
    if not any(text.strip() for text in value.values()):
        raise PydanticCustomError(
            "text_empty", "this text is empty; write it in at least one language (fr, nl, en or ar)"
        )
    return value


RequiredText = Annotated[OneLineText, AfterValidator(_some_text)]
"""A one-line text that must be written in at least one language (a title, a name)."""


def _email_address(value: str) -> str:
    try:
        # Syntax only: a check of the records must not depend on the network.
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise PydanticCustomError(
            "email", "{value} is not an e-mail address ({reason}); write it as name@example.org",
            {"value": repr(value), "reason": str(error).rstrip(".")},
        ) from None


EmailAddress = Annotated[str, AfterValidator(_email_address)]
"""An e-mail address, checked by email-validator (syntax only)."""

PHONE_EXAMPLE = "+372 5987 6543"


def _phone_number(value: str) -> str:
    """The number in international form (`+372 5987 6543`), whatever spacing it was written with."""
    written = value.strip()
    if written.startswith("00"):  # the international call prefix most countries use
        written = "+" + written[2:]
    try:
        number = phonenumbers.parse(written, None)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise PydanticCustomError(
                "phone_country",
                "{value} has no country code; write the number in international form, starting with + "
                "and the country code, such as {example}",
                {"value": repr(value), "example": repr(PHONE_EXAMPLE)},
            ) from None
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PydanticCustomError(
            "phone", "{value} is not a phone number; write it in international form, such as {example}",
            {"value": repr(value), "example": repr(PHONE_EXAMPLE)},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


PhoneNumber = Annotated[str, AfterValidator(_phone_number)]
"""A telephone number, read by phonenumbers and kept in international form (`+372 5987 6543`)."""

FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
MAX_FIGURE = 10**15


def _plausible_day(day: dt.date) -> dt.date:
    # Calendars add a day to the last one and move times between zones: year 1 or 9999 would overflow.
    if not FIRST_DAY <= day <= LAST_DAY:
        raise PydanticCustomError(
            "date_range", "expected a date between {first} and {last}, but received: {day}",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat(), "day": day.isoformat()},
        )
    return day


def _plausible_figure(value: float) -> float:
    # Number formatting fails beyond about 10^26, and charts cannot scale infinities.
    if not math.isfinite(value) or abs(value) > MAX_FIGURE:
        raise PydanticCustomError(
            "figure_range", "expected a number between -{limit} and {limit}, but received: {value}",
            {"limit": f"{MAX_FIGURE:,}", "value": repr(value)},
        )
    return value


Day = Annotated[dt.date, AfterValidator(_plausible_day)]
"""A day between 1900 and 2199, written as 2022-09-25."""
Figure = Annotated[float, AfterValidator(_plausible_figure)]
Count = Annotated[int, Field(ge=0), AfterValidator(_plausible_figure)]


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to records of `kind` (a key of `RECORD_TYPES`)."""

    kind: str


@dataclass(frozen=True)
class Private:
    """Marks a field that is never published, unless the record's yes/no field `unless` is true.

    The build's privacy check (`rihla.export.privacy_guard`) finds private fields
    by this mark and fails the build when one of their values appears in the site.
    """

    unless: Optional[str] = None


ThemeId = Annotated[Id, Ref("theme")]
CityId = Annotated[Id, Ref("city")]
OrganisationId = Annotated[Id, Ref("organisation")]
PersonId = Annotated[Id, Ref("person")]
MissionId = Annotated[Id, Ref("mission")]
VisitId = Annotated[Id, Ref("visit")]
LessonId = Annotated[Id, Ref("lesson")]

OrganisationKind = Literal["agency", "ministry", "commune", "non-profit", "company", "school", "programme"]
GovernmentLevel = Literal["international", "national", "federal", "regional", "community", "local", "none"]
ActionStatus = Literal["proposed", "planned", "in-progress", "done", "dropped"]
ACTION_STATUSES: tuple[str, ...] = ActionStatus.__args__  # type: ignore[attr-defined]
CLOSED_STATUSES: frozenset[str] = frozenset({"done", "dropped"})
"""Statuses of actions that can no longer be overdue."""
IndicatorQualifier = Literal["more-than", "nearly", "about"]


class Record(BaseModel):
    """Common rules: unknown fields are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    record_kind: ClassVar[str]
    """Singular name of the record type, as used in messages and references."""

    id: Id = Field(description="Unique id, lower-case with hyphens, used in addresses and references.")


class Theme(Record):
    """A term of the controlled vocabulary of themes."""

    record_kind: ClassVar[str] = "theme"
    label: RequiredText = Field(description="Name of the theme.")
    description: Optional[Localized] = Field(None, description="One or two sentences on what the theme covers.")


class City(Record):
    """A place where missions go and organisations sit."""

    record_kind: ClassVar[str] = "city"
    name: RequiredText = Field(description="Name of the city in each language (Bruxelles, Brussel, Brussels).")
    country: Country = Field(description="ISO country code in capitals, in quotes: \"BE\".")
    latitude: Optional[float] = Field(None, ge=-90, le=90, description="Decimal degrees, for the mission map.")
    longitude: Optional[float] = Field(None, ge=-180, le=180, description="Decimal degrees, for the mission map.")


class Organisation(Record):
    """An interlocutor, shared by all missions: the directory."""

    record_kind: ClassVar[str] = "organisation"
    name: RequiredText = Field(description="Full name, per language where it has one.")
    acronym: Optional[OneLineText] = Field(None, description="Short name per language (ASA, DAV).")
    other_names: list[OneLineStr] = Field(default_factory=list, description="Other names it is known by, for search.")
    kind: OrganisationKind = Field(description="What sort of body it is.")
    level: GovernmentLevel = Field(description="Level of government, or none for bodies outside government.")
    country: Country = Field(description="ISO country code in capitals, in quotes: \"BE\".")
    city: Optional[CityId] = Field(None, description="Id of a city record.")
    address: Optional[str] = Field(None, description="Postal address, as it should be printed.")
    website: Optional[WebUrl] = Field(None, description="Home page, starting with https://.")
    parent: Optional[OrganisationId] = Field(None, description="Id of the organisation it belongs to.")
    themes: list[ThemeId] = Field(default_factory=list, description="Ids of themes it works on.")
    description: Optional[Localized] = Field(None, description="What it does, in a few sentences.")


class Person(Record):
    """Someone met. Contact details are published only where `contact_public` is true."""

    record_kind: ClassVar[str] = "person"
    name: OneLineStr = Field(description="Full name as the person writes it.")
    organisation: OrganisationId = Field(description="Id of the organisation the person belongs to.")
    role: Optional[OneLineText] = Field(None, description="Position or role.")
    email: Annotated[Optional[EmailAddress], Private(unless="contact_public")] = Field(
        None, description="E-mail address; private unless contact_public is true."
    )
    phone: Annotated[Optional[PhoneNumber], Private(unless="contact_public")] = Field(
        None,
        description="Telephone number in international form (+372 5987 6543); private unless contact_public is true.",
    )
    contact_public: bool = Field(False, description="true only where the person agreed to publish contact details.")
    internal_notes: Annotated[Optional[str], Private()] = Field(None, description="For staff only; never published.")

    @property
    def tel_uri(self) -> str:
        """The phone as a `tel:` link in E.164 form (`tel:+37259876543`), or '' without a phone."""
        return "tel:+" + "".join(c for c in self.phone if c.isdigit()) if self.phone else ""


class Delegation(BaseModel):
    """Who travelled: institutions and figures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    members: Optional[Count] = Field(None, description="Number of people in the delegation.")
    departments: Optional[Count] = Field(None, description="Number of departments or agencies represented.")
    women: Optional[Count] = Field(None, description="Number of women, where known.")
    men: Optional[Count] = Field(None, description="Number of men, where known.")
    institutions: list[OrganisationId] = Field(default_factory=list, description="Ids of the institutions represented.")
    description: Optional[Localized] = Field(None, description="Who the members are, in a few words.")


class Mission(Record):
    """A study mission: one folder of `missions/`, with its visits, lessons and actions."""

    record_kind: ClassVar[str] = "mission"
    title: RequiredText = Field(description="Title of the mission.")
    language: Language = Field("fr", description="Language that plain strings in this mission's files are written in.")
    start: Day = Field(description="First day, as 2022-09-25.")
    end: Day = Field(description="Last day, as 2022-10-05.")
    timezone: TimeZone = Field(
        "Europe/Brussels",
        description="Time zone of the programme's times (IANA name), one used in one of its countries.",
    )
    countries: list[Country] = Field(default_factory=list, description="ISO codes of the countries visited.")
    cities: list[CityId] = Field(default_factory=list, description="Ids of the cities visited, in order.")
    organiser: Optional[OrganisationId] = Field(None, description="Id of the organisation that organised it.")
    programme: Optional[OneLineText] = Field(None, description="Programme or project it belongs to.")
    summary: Optional[Localized] = Field(None, description="What the mission was, in a paragraph.")
    objectives: list[Localized] = Field(default_factory=list, description="What the delegation came to learn.")
    themes: list[ThemeId] = Field(default_factory=list, description="Ids of the mission's themes.")
    # mypy reads `Field(None, …)` as no default (pydantic's dataclass_transform wants `default=`), so it
    # takes every field of Delegation for required.
    delegation: Delegation = Field(default_factory=Delegation, description="Who travelled.")  # type: ignore[arg-type]


class Visit(Record):
    """One item of a mission's programme."""

    record_kind: ClassVar[str] = "visit"
    title: RequiredText = Field(description="Short title of the meeting or visit.")
    date: Optional[Day] = Field(None, description="Day of the visit, within the mission's dates.")
    end_date: Optional[Day] = Field(
        None,
        description="Last day, for a visit over several days (give `date` too); "
        "start_time is on the first day, end_time on the last.",
    )
    start_time: Optional[dt.time] = Field(None, description="Local start time, as \"09:30\" in quotes.")
    end_time: Optional[dt.time] = Field(None, description="Local end time, as \"11:00\" in quotes.")
    city: Optional[CityId] = Field(None, description="Id of the city.")
    organisations: list[OrganisationId] = Field(min_length=1, description="Ids of the organisations visited.")
    people: list[PersonId] = Field(default_factory=list, description="Ids of the people met.")
    topics: list[Localized] = Field(default_factory=list, description="What was discussed.")
    questions: list[Localized] = Field(default_factory=list, description="Questions the delegation prepared.")
    background: Optional[Localized] = Field(None, description="What to read before the visit.")
    notes: Optional[Localized] = Field(None, description="Public notes taken during the visit.")
    internal_notes: Annotated[Optional[str], Private()] = Field(None, description="For staff only; never published.")


    @property
    def days(self) -> list[dt.date]:
        """Every day the visit takes place on: one, several with an `end_date`, none when not known yet."""
        if self.date is None:
            return []
        last = self.end_date if self.end_date and self.end_date > self.date else self.date
        return [self.date + dt.timedelta(days=offset) for offset in range((last - self.date).days + 1)]

    @property
    def last_day(self) -> Optional[dt.date]:
        return self.days[-1] if self.date else None


class Lesson(Record):
    """Something learned during a mission."""

    record_kind: ClassVar[str] = "lesson"
    statement: RequiredText = Field(description="The lesson in one sentence.")
    context: Optional[Localized] = Field(None, description="Where and how it was observed.")
    visits: list[VisitId] = Field(default_factory=list, description="Ids of the visits it comes from.")
    missions: list[MissionId] = Field(
        default_factory=list,
        description="Ids of other missions it also belongs to, beyond its folder's and those of its visits.",
    )
    organisations: list[OrganisationId] = Field(
        default_factory=list, description="Ids of organisations it comes from, beyond those of its visits."
    )
    themes: list[ThemeId] = Field(default_factory=list, description="Ids of its themes.")
    application: Optional[Localized] = Field(None, description="How it could apply at home.")


class Indicator(BaseModel):
    """A measured figure of an action (participants 97)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: RequiredText = Field(description="What is counted.")
    value: Figure = Field(description="The figure.")
    unit: Optional[OneLineText] = Field(None, description="Unit, where the label does not say it (%, hours).")
    date: Optional[Day] = Field(None, description="When the figure was measured.")
    qualifier: Optional[IndicatorQualifier] = Field(
        None, description="How exact the figure is, when the source says so: more-than, nearly or about."
    )
    expected: bool = Field(False, description="true when the figure is a forecast or target, not yet reached.")


class Update(BaseModel):
    """A dated entry of an action's history; `status` records a change of status."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Day = Field(description="Day of the update.")
    status: Optional[ActionStatus] = Field(None, description="New status from that day, if it changed.")
    text: Optional[Localized] = Field(None, description="What happened.")


class Action(Record):
    """A follow-up commitment. Its status is the latest status among its dated updates."""

    record_kind: ClassVar[str] = "action"
    title: RequiredText = Field(description="Short title of the action.")
    owner: Optional[OrganisationId] = Field(None, description="Id of the institution that owns it.")
    partners: list[OrganisationId] = Field(default_factory=list, description="Ids of partner organisations.")
    description: Optional[Localized] = Field(None, description="What is to be done.")
    lessons: list[LessonId] = Field(default_factory=list, description="Ids of the lessons it comes from.")
    missions: list[MissionId] = Field(
        default_factory=list,
        description="Ids of other missions it also follows up, beyond its folder's and those of its lessons.",
    )
    themes: list[ThemeId] = Field(default_factory=list, description="Ids of its themes.")
    start: Optional[Day] = Field(None, description="Day work started.")
    due: Optional[Day] = Field(None, description="Day it is due.")
    completed: Optional[Day] = Field(None, description="Day it was completed.")
    updates: list[Update] = Field(min_length=1, description="Dated history, oldest first; the first sets the status.")
    indicators: list[Indicator] = Field(default_factory=list, description="Figures measured.")

    @property
    def status(self) -> str:
        """The status of the latest dated update that sets one."""
        dated = sorted((u for u in self.updates if u.status), key=lambda u: u.date)
        return dated[-1].status if dated else "proposed"  # type: ignore[return-value]

    @property
    def latest_update(self) -> Update:
        """The most recent update; of two on the same day, the one written last."""
        return sorted(self.updates, key=lambda u: u.date)[-1]

    def is_overdue(self, on: dt.date) -> bool:
        """True when the due date is before `on` and the action is neither done nor dropped."""
        return self.due is not None and self.due < on and self.status not in CLOSED_STATUSES


RECORD_TYPES: dict[str, type[Record]] = {
    model.record_kind: model for model in (Theme, City, Organisation, Person, Mission, Visit, Lesson, Action)
}
"""Record classes by their kind."""
