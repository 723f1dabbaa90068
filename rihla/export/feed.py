"""An Atom feed per language of the actions' dated updates, newest first.

A partner follows progress from a feed reader without visiting the site:
`feed.xml` at the root of each language (`/feed.xml`, `/nl/feed.xml`). Entry
ids are tag URIs (RFC 4151) built from the update's action, day and rank that
day, so that an entry keeps its id when records are corrected or reordered.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rihla.knowledge import KnowledgeBase
from rihla.model.records import Action, Mission, Update
from rihla.render.renderer import PageState

if TYPE_CHECKING:
    from rihla.export.context import ExportContext

FEED_FILE = "feed.xml"
TEMPLATE = "feeds/actions.xml"


@dataclass(frozen=True)
class FeedEntry:
    """One update of one action, with what the feed needs to name it."""

    action: Action
    update: Update
    missions: tuple[Mission, ...]
    """Every mission the action follows up, its own first."""
    rank: int
    """1 for the action's first update of that day, 2 for the second, and so on."""
    order: int
    """Position in the records (actions in order, then updates in order), to break ties."""


def feed_entries(knowledge: KnowledgeBase) -> list[FeedEntry]:
    """Every action update, newest first; of two on the same day, the one written last first."""
    entries: list[FeedEntry] = []
    for action in knowledge.actions.values():
        per_day: dict[dt.date, int] = {}
        missions = tuple(knowledge.missions_of(action))
        for update in action.updates:
            per_day[update.date] = per_day.get(update.date, 0) + 1
            entries.append(FeedEntry(action, update, missions, per_day[update.date], len(entries)))
    return sorted(entries, key=lambda e: (e.update.date, e.order), reverse=True)


@dataclass(frozen=True)
class FeedAddress:
    """Where a language's feed lives, and how its links and ids are written."""

    site_url: str | None
    site_name: str
    language_prefix: str
    """`` for the default language, `nl/` for the others."""

    @property
    def base(self) -> str:
        """Absolute address of the language's root when the site has a `site_url`, else `` (relative links)."""
        if not self.site_url:
            return ""
        return self.site_url.rstrip("/") + "/" + self.language_prefix

    def link(self, path: str) -> str:
        """A link from the feed: absolute with a `site_url`, else relative to the feed (at the language root)."""
        return self.base + path

    def tag(self, day: dt.date, specific: str) -> str:
        """A tag URI (`tag:example.org,2022-12-01:/rihla/nl/...`), or a name-based UUID without a `site_url`."""
        parts = urlsplit(self.site_url or "")
        path = f"{parts.path.rstrip('/')}/{self.language_prefix}{specific}"
        if parts.hostname:
            return f"tag:{parts.hostname},{day.isoformat()}:{path}"
        return uuid.uuid5(uuid.NAMESPACE_URL, f"rihla:{self.site_name}:{day.isoformat()}:{path}").urn

    def entry_id(self, entry: FeedEntry) -> str:
        day = entry.update.date
        return self.tag(day, f"actions/{entry.action.id}/updates/{day.isoformat()}/{entry.rank}")

    def feed_id(self) -> str:
        """The feed's own id: its absolute address, or a name-based UUID without a `site_url`."""
        if self.site_url:
            return self.link(FEED_FILE)
        return uuid.uuid5(uuid.NAMESPACE_URL, f"rihla:{self.site_name}:{self.language_prefix}{FEED_FILE}").urn


class ActionFeed:
    """Writes `feed.xml` into each language's folder from the `feeds/actions.xml` template."""

    def __init__(self) -> None:
        self.written: dict[str, int] = {}
        """Entries of each language's feed, for the build's log."""

    def summary(self, context: ExportContext, language: str) -> str | None:
        count = self.written.get(language)
        return None if count is None else f"feed ({count} update{'s' if count != 1 else ''})"

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        settings = context.settings
        prefix = "" if language == settings.default_language else f"{language}/"
        address = FeedAddress(settings.site_url or None, context.site_name, prefix)
        entries = feed_entries(context.knowledge)
        # Newest update, not the build date: rebuilding without new updates changes nothing.
        updated = entries[0].update.date if entries else settings.build_date
        template = context.renderer.environment(language).get_template(TEMPLATE)
        xml = template.render(state=PageState(language), entries=entries, address=address, updated=updated)
        language_dir.mkdir(parents=True, exist_ok=True)
        (language_dir / FEED_FILE).write_text(xml, encoding="utf-8")
        self.written[language] = len(entries)

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        """Nothing to do once every language is built."""
