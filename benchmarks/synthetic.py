"""Synthetic knowledge bases for the benchmark: valid records, four languages, linked.

`write_knowledge_base(folder, SIZES["L"])` writes a `missions/` folder that the
loader accepts: shared themes, cities, organisations and people, then one
folder per mission with its visits, lessons and actions. Texts have the
lengths of the example's (a title of a few words, descriptions of a
paragraph), in French, Dutch, English and Arabic; about one text in eight
lacks its Dutch or Arabic version, as real records do, so that the fallback
notice is rendered too. Everything is drawn from a seeded random generator:
the same size always gives the same files.

Run it alone to look at a base: `python benchmarks/synthetic.py M /tmp/m`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Size:
    """How many records of each kind a synthetic base holds."""

    name: str
    missions: int
    visits: int
    organisations: int
    lessons: int
    actions: int
    people: int
    cities: int
    themes: int = 12


SIZES: dict[str, Size] = {
    # Lessons and actions for M keep L's proportion (three of each per mission).
    "M": Size("M", missions=20, visits=400, organisations=500, lessons=60, actions=60, people=800, cities=40),
    "L": Size("L", missions=100, visits=2000, organisations=2000, lessons=300, actions=300, people=3000, cities=120),
}

LANGUAGES = ("fr", "nl", "en", "ar")

# Word pools: enough variety that pages do not compress into nothing, in each script.
WORDS: dict[str, list[str]] = {
    "fr": (
        "administration simplification numérique service public citoyens démarches procédure agence "
        "région commune données partage innovation laboratoire réseau formation compétences usagers "
        "guichet unique plateforme identité électronique coordination niveau fédéral régional local "
        "programme réforme qualité accessibilité inclusion transparence évaluation indicateurs "
        "équipe projet prototype atelier délégation ministère expérience méthode outil charge "
        "entreprises formulaires interopérabilité sécurité protection cadre juridique pilotage"
    ).split(),
    "nl": (
        "overheid vereenvoudiging digitaal dienstverlening burgers procedures agentschap gewest "
        "gemeente gegevens delen innovatie lab netwerk opleiding vaardigheden gebruikers loket "
        "platform identiteit elektronisch coördinatie niveau federaal regionaal lokaal programma "
        "hervorming kwaliteit toegankelijkheid inclusie transparantie evaluatie indicatoren team "
        "project prototype workshop delegatie ministerie ervaring methode instrument lasten "
        "bedrijven formulieren interoperabiliteit veiligheid bescherming juridisch kader sturing"
    ).split(),
    "en": (
        "administration simplification digital public service citizens procedures agency region "
        "municipality data sharing innovation lab network training skills users one-stop shop "
        "platform electronic identity coordination level federal regional local programme reform "
        "quality accessibility inclusion transparency evaluation indicators team project prototype "
        "workshop delegation ministry experience method tool burden businesses forms "
        "interoperability security protection legal framework steering"
    ).split(),
    "ar": (
        "الإدارة التبسيط الرقمنة الخدمة العمومية المواطنين المساطر الوكالة الجهة الجماعة المعطيات "
        "التقاسم الابتكار المختبر الشبكة التكوين المهارات المرتفقين الشباك الوحيد المنصة الهوية "
        "الإلكترونية التنسيق المستوى الفيدرالي الجهوي المحلي البرنامج الإصلاح الجودة الولوج "
        "الإدماج الشفافية التقييم المؤشرات الفريق المشروع النموذج الورشة الوفد الوزارة التجربة "
        "المنهجية الأداة العبء المقاولات الاستمارات التشغيل البيني الأمن الحماية الإطار القانوني القيادة"
    ).split(),
}
ENDINGS = {"fr": ".", "nl": ".", "en": ".", "ar": "."}
QUESTION = {"fr": " ?", "nl": "?", "en": "?", "ar": "؟"}

ORGANISATION_KINDS = ("agency", "ministry", "commune", "non-profit", "company", "school", "programme")
LEVELS = ("national", "federal", "regional", "community", "local", "none")
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    # Where study missions of a Moroccan programme go: (south, north, west, east) in degrees.
    "BE": (49.6, 51.4, 2.6, 6.3),
    "FR": (43.3, 50.8, -1.2, 7.4),
    "NL": (51.3, 53.3, 3.6, 7.0),
    "MA": (30.1, 35.7, -9.6, -2.0),
    "DE": (47.6, 54.6, 6.1, 14.6),
    "ES": (36.8, 43.3, -8.7, 2.9),
    "PT": (37.1, 41.9, -8.9, -6.3),
    "IT": (38.2, 46.3, 7.3, 16.8),
    "SE": (55.5, 63.8, 12.5, 19.0),
    "DK": (54.9, 57.4, 8.3, 12.5),
    "EE": (57.8, 59.5, 22.1, 27.9),
    "TN": (33.0, 37.1, 8.2, 11.0),
}
COUNTRIES = tuple(COUNTRY_BOUNDS)
TIME_ZONES = {
    "BE": "Europe/Brussels", "FR": "Europe/Paris", "NL": "Europe/Amsterdam", "MA": "Africa/Casablanca",
    "DE": "Europe/Berlin", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "IT": "Europe/Rome",
    "SE": "Europe/Stockholm", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn", "TN": "Africa/Tunis",
}
"""The zone of each country's capital: `rihla check` refuses a mission's zone that its country does not use."""
STATUSES = ("proposed", "planned", "in-progress", "done", "dropped")


class _Writer:
    """Draws records from one seeded generator."""

    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.random = random.Random(f"{seed}-{size.name}")

    # Texts -----------------------------------------------------------------

    def sentence(self, language: str, words: int) -> str:
        chosen = self.random.choices(WORDS[language], k=words)
        text = " ".join(chosen)
        return (text[0].upper() + text[1:] if language != "ar" else text) + ENDINGS[language]

    def paragraph(self, language: str, words: int) -> str:
        parts, left = [], words
        while left > 0:
            length = min(left, self.random.randint(9, 18))
            parts.append(self.sentence(language, length))
            left -= length
        return " ".join(parts)

    def localized(self, words: int, *, paragraph: bool = False, question: bool = False) -> dict[str, str]:
        """A text in the four languages; now and then one translation is missing."""
        texts = {}
        for language in LANGUAGES:
            text = self.paragraph(language, words) if paragraph else self.sentence(language, words)
            if question:
                text = text[:-1] + QUESTION[language]
            texts[language] = text
        if self.random.random() < 0.125:
            del texts[self.random.choice(("nl", "ar"))]
        return texts

    def title(self, words: int = 7) -> dict[str, str]:
        return {language: self.sentence(language, words)[:-1] for language in LANGUAGES}

    # Records ---------------------------------------------------------------

    def themes(self) -> list[dict[str, Any]]:
        return [
            {"id": f"theme-{i:02d}", "label": self.title(3), "description": self.localized(22)}
            for i in range(self.size.themes)
        ]

    def cities(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"city-{i:03d}",
                "name": self.title(2),
                "country": country,
                "latitude": round(self.random.uniform(south, north), 4),
                "longitude": round(self.random.uniform(west, east), 4),
            }
            for i in range(self.size.cities)
            # Every country gets its share of cities, so that a mission can visit three of one country.
            for country in [COUNTRIES[i % len(COUNTRIES)]]
            for south, north, west, east in [COUNTRY_BOUNDS[country]]
        ]

    def organisations(self, theme_ids: list[str], cities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        records = []
        for i in range(self.size.organisations):
            city = self.random.choice(cities)
            record: dict[str, Any] = {
                "id": f"org-{i:05d}",
                "name": self.title(self.random.randint(3, 7)),
                "kind": self.random.choice(ORGANISATION_KINDS),
                "level": self.random.choice(LEVELS),
                "country": city["country"],
                "city": city["id"],
                "themes": sorted(self.random.sample(theme_ids, self.random.randint(1, 3))),
                "description": self.localized(25, paragraph=True),
            }
            if self.random.random() < 0.5:
                record["acronym"] = {language: f"O{i}" for language in LANGUAGES}
            if self.random.random() < 0.3:
                record["other_names"] = [self.sentence("en", 3)[:-1]]
            if self.random.random() < 0.6:
                record["website"] = f"https://org-{i:05d}.example.org/"
            if i and self.random.random() < 0.2:
                record["parent"] = f"org-{self.random.randrange(i):05d}"
            records.append(record)
        return records

    def people(self, organisation_ids: list[str]) -> list[dict[str, Any]]:
        records = []
        for i in range(self.size.people):
            public = self.random.random() < 0.3
            record: dict[str, Any] = {
                "id": f"person-{i:05d}",
                "name": f"Person {i} {self.random.choice(('Dupont', 'Janssens', 'El Amrani', 'Peeters', 'Benali'))}",
                "organisation": self.random.choice(organisation_ids),
                "role": self.localized(4),
                "email": f"person-{i}@example.org",
                "contact_public": public,
            }
            if not public:
                record["internal_notes"] = "Private notes that must never be published."
            records.append(record)
        return records

    def mission(
        self,
        index: int,
        theme_ids: list[str],
        cities_by_country: dict[str, list[str]],
        organisations_by_country: dict[str, list[str]],
        people_by_organisation: dict[str, list[str]],
        visits: int,
        lessons: int,
        actions: int,
    ) -> dict[str, list[dict[str, Any]] | dict[str, Any]]:
        """One mission's folder: the mission, its programme, lessons and actions."""
        mission_id = f"mission-{index:03d}"
        start = dt.date(2015, 1, 5) + dt.timedelta(days=37 * index)
        end = start + dt.timedelta(days=self.random.randint(4, 11))
        # A mission goes abroad to one country (never Morocco, where the delegations come from).
        abroad = [code for code in COUNTRIES if code != "MA"]
        country = abroad[index % len(abroad)]
        cities = self.random.sample(cities_by_country[country], 3)
        hosts = organisations_by_country[country]
        organisation_ids = [org for orgs in organisations_by_country.values() for org in orgs]
        home = organisations_by_country["MA"]
        mission = {
            "id": mission_id,
            "title": self.title(9),
            "language": self.random.choice(("fr", "en")),
            "start": start.isoformat(),
            "end": end.isoformat(),
            "timezone": TIME_ZONES[country],
            "countries": [country],
            "cities": cities,
            "organiser": self.random.choice(home),
            "programme": self.title(2),
            "summary": self.localized(90, paragraph=True),
            "objectives": [self.localized(20) for _ in range(3)],
            "themes": sorted(self.random.sample(theme_ids, 4)),
            "delegation": {
                "members": self.random.randint(8, 30),
                "departments": self.random.randint(3, 15),
                "institutions": self.random.sample(home, 5),
                "description": self.localized(25),
            },
        }
        visit_records, visit_ids = [], []
        for v in range(visits):
            visit_id = f"{mission_id}-visit-{v:03d}"
            visit_ids.append(visit_id)
            orgs = self.random.sample(hosts, self.random.choice((1, 1, 1, 2)))
            met = [p for org in orgs for p in people_by_organisation.get(org, [])][:3]
            day = start + dt.timedelta(days=self.random.randint(0, (end - start).days))
            hour = self.random.randint(8, 16)
            visit: dict[str, Any] = {
                "id": visit_id,
                "title": self.title(7),
                "date": day.isoformat(),
                "start_time": f"{hour:02d}:00",
                "end_time": f"{hour + 1:02d}:30",
                "city": self.random.choice(cities),
                "organisations": orgs,
                "topics": [self.localized(10) for _ in range(self.random.randint(1, 2))],
                "questions": [self.localized(12, question=True) for _ in range(self.random.randint(1, 3))],
                "internal_notes": f"Staff only: follow-up of {visit_id}.",
            }
            if met:
                visit["people"] = met
            # Notes come after the visit and background only where staff wrote one.
            if self.random.random() < 0.4:
                visit["notes"] = self.localized(40, paragraph=True)
            if self.random.random() < 0.2:
                visit["background"] = self.localized(30, paragraph=True)
            visit_records.append(visit)
        lesson_records, lesson_ids = [], []
        for n in range(lessons):
            lesson_id = f"{mission_id}-lesson-{n:02d}"
            lesson_ids.append(lesson_id)
            lesson_records.append(
                {
                    "id": lesson_id,
                    "statement": self.localized(16),
                    "context": self.localized(30, paragraph=True),
                    "visits": self.random.sample(visit_ids, min(len(visit_ids), self.random.randint(1, 3))),
                    "themes": sorted(self.random.sample(theme_ids, self.random.randint(1, 2))),
                    "application": self.localized(25, paragraph=True),
                }
            )
        action_records = []
        for n in range(actions):
            status = self.random.choice(STATUSES)
            first = end + dt.timedelta(days=self.random.randint(20, 90))
            updates: list[dict[str, Any]] = [
                {"date": first.isoformat(), "status": "planned", "text": self.localized(30, paragraph=True)}
            ]
            if status != "planned":
                later = (first + dt.timedelta(days=120)).isoformat()
                updates.append({"date": later, "status": status, "text": self.localized(35, paragraph=True)})
            action: dict[str, Any] = {
                "id": f"{mission_id}-action-{n:02d}",
                "title": self.title(6),
                "owner": self.random.choice(home),
                "partners": self.random.sample(organisation_ids, 2),
                "description": self.localized(60, paragraph=True),
                "lessons": self.random.sample(lesson_ids, min(len(lesson_ids), 2)),
                "themes": sorted(self.random.sample(theme_ids, 2)),
                "start": first.isoformat(),
                "due": (first + dt.timedelta(days=365)).isoformat(),
                "updates": updates,
                "indicators": [
                    {"label": self.title(2), "value": self.random.randint(3, 400)}
                    for _ in range(self.random.randint(0, 3))
                ],
            }
            action_records.append(action)
        return {"mission": mission, "visits": visit_records, "lessons": lesson_records, "actions": action_records}


def _spread(total: int, parts: int) -> list[int]:
    """`total` items over `parts` missions, as evenly as possible."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def write_knowledge_base(folder: Path, size: Size, seed: int = 2022) -> Path:
    """Write a `missions/` folder of `size` under `folder`; returns the records folder."""
    records = folder / "missions"
    writer = _Writer(size, seed)
    themes = writer.themes()
    cities = writer.cities()
    theme_ids = [t["id"] for t in themes]
    organisations = writer.organisations(theme_ids, cities)
    organisation_ids = [o["id"] for o in organisations]
    people = writer.people(organisation_ids)
    cities_by_country: dict[str, list[str]] = {}
    for city in cities:
        cities_by_country.setdefault(city["country"], []).append(city["id"])
    organisations_by_country: dict[str, list[str]] = {}
    for organisation in organisations:
        organisations_by_country.setdefault(organisation["country"], []).append(organisation["id"])
    people_by_organisation: dict[str, list[str]] = {}
    for person in people:
        people_by_organisation.setdefault(person["organisation"], []).append(person["id"])
    _dump(records / "themes.yml", {"themes": themes})
    _dump(records / "cities.yml", {"cities": cities})
    _dump(records / "organisations.yml", {"organisations": organisations})
    _dump(records / "people.yml", {"people": people})
    counts = zip(
        _spread(size.visits, size.missions), _spread(size.lessons, size.missions), _spread(size.actions, size.missions)
    )
    for index, (visits, lessons, actions) in enumerate(counts):
        files = writer.mission(
            index, theme_ids, cities_by_country, organisations_by_country, people_by_organisation,
            visits, lessons, actions,
        )
        mission_dir = records / f"mission-{index:03d}"
        _dump(mission_dir / "mission.yml", {"mission": files["mission"]})
        for section in ("visits", "lessons", "actions"):
            if files[section]:
                _dump(mission_dir / f"{section}.yml", {section: files[section]})
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    records = write_knowledge_base(args.folder, SIZES[args.size])
    print(records)


if __name__ == "__main__":
    main()
