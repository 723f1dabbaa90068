"""The Atom feed of action updates: one per language, valid, newest first, linking to the tracker."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from rihla.load import load_knowledge_base
from rihla.export.feed import FeedAddress, feed_entries
from tests.helpers import LANGUAGES, ROOT, BuiltSite, build_site
from tests.mkdocs_yml import read_mkdocs_yml
from rihla.site_language import language_prefix

FOLLOWUP_RECORDS = ROOT / "tests" / "fixtures" / "followup" / "missions"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITE_URL = read_mkdocs_yml(ROOT / "mkdocs.yml")["site_url"]
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The follow-up fixture, built with --strict."""
    site = build_site(tmp_path_factory.mktemp("feed"), FOLLOWUP_RECORDS, build_date="2023-03-01")
    assert site.returncode == 0, site.output
    return site


def prefix(language: str) -> str:
    return language_prefix(language, LANGUAGES[0])


def read_feed(site: BuiltSite, language: str) -> ET.Element:
    """The parsed feed of a language; parsing fails on XML that is not well-formed."""
    return ET.parse(site.site_dir / prefix(language) / "feed.xml").getroot()


def atom_problems(feed: ET.Element) -> list[str]:
    """What RFC 4287 requires of a feed and its entries that this one lacks."""
    problems = []
    if feed.tag != f"{ATOM}feed":
        return [f"root is {feed.tag}, not an Atom feed"]
    for name in ("id", "title", "updated"):
        if len(feed.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"feed: exactly one <{name}> required")
    entries = feed.findall(f"{ATOM}entry")
    if not feed.findall(f"{ATOM}author") and any(not e.findall(f"{ATOM}author") for e in entries):
        problems.append("feed: an <author> is required on the feed or on every entry")
    for element in [feed, *entries]:
        for updated in element.findall(f"{ATOM}updated") + element.findall(f"{ATOM}published"):
            if not RFC3339.match(updated.text or ""):
                problems.append(f"date {updated.text!r} is not RFC 3339")
        links = [link for link in element.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        alternates = [(link.get("type"), link.get("hreflang")) for link in links]
        if len(alternates) != len(set(alternates)):
            problems.append("two alternate links of the same type and language")
    for entry in entries:
        for name in ("id", "title", "updated"):
            if len(entry.findall(f"{ATOM}{name}")) != 1:
                problems.append(f"entry: exactly one <{name}> required")
        if entry.find(f"{ATOM}content") is None and not entry.findall(f"{ATOM}link[@rel='alternate']"):
            problems.append("entry: <content> or an alternate link required")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    if len(ids) != len(set(ids)):
        problems.append("entry ids are not unique")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_feed_per_language_is_valid_atom(feed_site: BuiltSite, language: str) -> None:
    """/feed.xml, /nl/feed.xml, …: well-formed XML, Atom as RFC 4287 requires, in the page language."""
    feed = read_feed(feed_site, language)
    assert atom_problems(feed) == []
    assert feed.get(XML_LANG) == language
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == f"{SITE_URL}{prefix(language)}feed.xml"
    assert self_link.get("type") == "application/atom+xml"


def test_entries_are_the_updates_newest_first(feed_site: BuiltSite) -> None:
    """Every update once, newest first; of two on one day, the one written last first."""
    feed = read_feed(feed_site, "en")
    entries = feed.findall(f"{ATOM}entry")
    got = [(e.findtext(f"{ATOM}updated", "")[:10], e.findtext(f"{ATOM}summary")) for e in entries]
    assert got == [
        ("2023-02-20", "Under way."),
        ("2023-02-01", "Delivered late."),
        ("2023-01-20", "Proposed by the commune."),
        ("2023-01-10", None),
        ("2022-12-15", "Budget found."),
        ("2022-12-15", "Team named."),
        ("2022-11-01", "Pilot agreed <b>R&D</b>."),
        ("2022-10-20", None),
        ("2022-10-15", None),
    ]
    assert feed.findtext(f"{ATOM}updated") == "2023-02-20T00:00:00Z"


def test_entries_have_tag_ids_and_titles_with_status(feed_site: BuiltSite) -> None:
    """Ids are tag URIs naming the action, day and rank that day; a status change is in the title."""
    entries = read_feed(feed_site, "en").findall(f"{ATOM}entry")
    host = urlsplit(SITE_URL).hostname
    path = urlsplit(SITE_URL).path.rstrip("/")
    assert entries[4].findtext(f"{ATOM}id") == f"tag:{host},2022-12-15:{path}/en/actions/pilot/updates/2022-12-15/2"
    assert entries[6].findtext(f"{ATOM}id") == f"tag:{host},2022-11-01:{path}/en/actions/pilot/updates/2022-11-01/1"
    assert entries[1].findtext(f"{ATOM}title") == "Finished action: Done"
    assert entries[4].findtext(f"{ATOM}title") == "Pilot project: progress update"
    assert [c.get("term") for c in entries[1].findall(f"{ATOM}category")][0] == "done"


@pytest.mark.parametrize("language", LANGUAGES)
def test_entry_links_reach_the_tracker_anchor(feed_site: BuiltSite, language: str) -> None:
    """Each entry links to its action's card on the tracker of the same language."""
    for entry in read_feed(feed_site, language).findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        href = link.get("href", "")
        assert href.startswith(f"{SITE_URL}{prefix(language)}actions/#action-")
        anchor = href.partition("#")[2]
        assert f'id="{anchor}"' in feed_site.html(language, "actions")


def test_content_is_escaped_html(feed_site: BuiltSite) -> None:
    """Record text reaches the entry's HTML as text: markup in an update is escaped, never live."""
    entry = read_feed(feed_site, "en").findall(f"{ATOM}entry")[6]
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert "<p>Pilot agreed &lt;b&gt;R&amp;D&lt;/b&gt;.</p>" in (content.text or "")
    assert "<b>R&D</b>" not in (content.text or "")


def test_tracker_links_to_its_feed(feed_site: BuiltSite) -> None:
    """The Dutch tracker links to the Dutch feed, typed as Atom."""
    html = feed_site.html("nl", "actions")
    assert '<a class="rihla-feed-link" href="../feed.xml" type="application/atom+xml">' in html
    assert (feed_site.site_dir / "nl" / "feed.xml").is_file()


def test_without_site_url_links_are_relative_and_ids_stable() -> None:
    """With no site_url, links are relative to the feed and ids are name-based UUIDs, the same every build."""
    address = FeedAddress(None, "Rihla", "nl/")
    entry = feed_entries(load_knowledge_base(FOLLOWUP_RECORDS))[0]
    assert address.link("actions/#action-on-time") == "actions/#action-on-time"
    first, again = address.entry_id(entry), FeedAddress(None, "Rihla", "nl/").entry_id(entry)
    assert first == again and first.startswith("urn:uuid:")
    assert address.entry_id(entry) != FeedAddress(None, "Rihla", "").entry_id(entry)
    assert address.feed_id().startswith("urn:uuid:")


def test_tag_date_is_the_update_day() -> None:
    """An entry's tag URI is dated by its update, so later builds never change it."""
    address = FeedAddress("https://example.org/rihla/", "Rihla", "")
    entry = feed_entries(load_knowledge_base(FOLLOWUP_RECORDS))[-1]
    assert entry.update.date == dt.date(2022, 10, 15)
    assert address.entry_id(entry) == "tag:example.org,2022-10-15:/rihla/actions/finished/updates/2022-10-15/1"
