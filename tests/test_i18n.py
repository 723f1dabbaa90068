"""Four languages: interface strings, locale formatting, fallbacks that say so, translation status."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from rihla.render.bidi import isolate_ltr_runs, mark_fallback_blocks
from rihla.render.formatting import Formatter
from tests.helpers import LANGUAGES, BuiltSite, build_site, write_records

RECORDS = {
    "shared.yml": """
        themes:
          - id: simplification
            label: {fr: Simplification administrative, nl: Administratieve vereenvoudiging, en: Administrative simplification, ar: التبسيط الإداري}
        cities:
          - id: brussels
            name: {fr: Bruxelles, nl: Brussel, en: Brussels, ar: بروكسل}
            country: "BE"
        organisations:
          - id: asa
            name: {fr: Agence pour la Simplification Administrative, nl: Dienst Administratieve Vereenvoudiging, en: Agency for Administrative Simplification, ar: وكالة التبسيط الإداري}
            kind: agency
            level: federal
            country: "BE"
            city: brussels
            description: {fr: Simplifie les démarches administratives.}
          - id: host
            name: {fr: Commune hôte, nl: Gastgemeente, en: Host commune, ar: الجماعة المضيفة}
            kind: commune
            level: local
            country: "BE"
          - id: contact-point
            name: {fr: Guichet, nl: Loket, en: Help desk, ar: الشباك}
            kind: agency
            level: regional
            country: "BE"
            description:
              fr: Joignable au +32 2 553 11 11.
              nl: Bereikbaar op +32 2 553 11 11.
              en: Reachable on +32 2 553 11 11.
              ar: "للتواصل: +32 2 553 11 11 أو info@guichet.example أو https://guichet.example/ar/ (المرجع 2022-10-DAV)."
    """,
    "trip/mission.yml": """
        mission:
          id: trip
          title: {fr: Voyage d'étude, nl: Studiereis, en: Study trip, ar: رحلة دراسية}
          language: fr
          start: 2022-09-25
          end: 2022-09-27
          countries: ["BE"]
          cities: [brussels]
          themes: [simplification]
        visits:
          - id: visit-asa
            title: {en: Visit to ASA}
            date: 2022-09-26
            city: brussels
            organisations: [host]
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A site whose records lack some translations and carry phone numbers and addresses in Arabic."""
    folder = tmp_path_factory.mktemp("i18n")
    built = build_site(folder, write_records(folder / "missions", RECORDS), build_date="2023-03-01")
    assert built.returncode == 0, built.output
    return built


def notice(html: str) -> str:
    found = re.search(r'<div class="admonition note rihla-fallback-notice".*?</div>', html, re.S)
    assert found is not None, "no fallback notice"
    return found.group(0)


# Interface strings and Material's own --------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "skip"),
    [
        ("fr", "Annuaire des interlocuteurs", "Aller au contenu"),
        ("nl", "Gids van gesprekspartners", "Ga naar inhoud"),
        ("en", "Interlocutor directory", "Skip to content"),
        ("ar", "دليل المحاورين", "انتقل إلى المحتوى"),
    ],
)
def test_interface_in_the_readers_language(site: BuiltSite, language: str, heading: str, skip: str) -> None:
    """Rihla's headings come from the language's catalogue, Material's own strings from its language file."""
    html = site.html(language, "directory")
    assert f'<h1 id="title">{heading}</h1>' in html
    assert re.search(rf'class="md-skip">\s*{skip}\s*</a>', html)
    assert re.search(rf'<html lang="{language}"', html)


# Fallbacks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "path", "title", "names"),
    [
        # The description of the ASA exists in French only.
        ("nl", "organisations/asa", "Nog niet vertaald", "in het Frans"),
        ("en", "organisations/asa", "Not yet translated", "in French"),
        ("ar", "organisations/asa", "لم تُترجم بعد", "بالفرنسية"),
        # The visit's title exists in English only.
        ("fr", "visits/visit-asa", "Pas encore traduit", "en anglais"),
    ],
)
def test_fallback_notice_names_the_language_shown(site: BuiltSite, language: str, path: str, title: str, names: str) -> None:
    """A page with untranslated text says so in the reader's language, naming the language shown."""
    shown = notice(site.html(language, path))
    assert title in shown
    assert names in shown


def test_fallback_paragraph_carries_its_language_and_direction(site: BuiltSite) -> None:
    """French text filling a paragraph of an Arabic page makes the paragraph French and left to right."""
    html = site.html("ar", "organisations/asa")
    assert re.search(
        r'<p class="rihla-lead" lang="fr" dir="ltr"><span class="rihla-fallback" lang="fr" dir="ltr">'
        r"Simplifie les démarches administratives\.</span></p>",
        html,
    )


def test_fallback_heading_carries_its_language_and_direction(site: BuiltSite) -> None:
    """An English title shown on an Arabic page is an English, left-to-right heading."""
    html = site.html("ar", "visits/visit-asa")
    assert '<h1 id="title" lang="en" dir="ltr"><span class="rihla-fallback" lang="en" dir="ltr">Visit to ASA</span></h1>' in html


def test_translated_text_is_not_marked(site: BuiltSite) -> None:
    """Text written in the page's language carries no fallback mark and the page no notice."""
    html = site.html("ar", "organisations/contact-point")
    assert "rihla-fallback" not in html


def test_codes_addresses_and_numbers_stay_left_to_right_in_arabic(site: BuiltSite) -> None:
    """Phone numbers, e-mail addresses, URLs and codes inside Arabic text are isolated left to right."""
    html = site.html("ar", "organisations/contact-point")
    for run in ("+32 2 553 11 11", "info@guichet.example", "https://guichet.example/ar/", "2022-10-DAV"):
        assert f'<bdi dir="ltr">{run}</bdi>' in html
    assert "<bdi" not in site.html("fr", "organisations/contact-point").split('id="title"')[1]


def test_isolation_escapes_the_text_around_and_inside() -> None:
    """Isolating runs never lets markup from a record through."""
    shown = isolate_ltr_runs('<b>هاتف</b> +32 2 553 11 11 & "x"')
    assert shown == '&lt;b&gt;هاتف&lt;/b&gt; <bdi dir="ltr">+32 2 553 11 11</bdi> &amp; &#34;x&#34;'


def test_only_whole_block_fallbacks_take_the_language() -> None:
    """A block is marked only when the fallback text is all it holds."""
    mixed = '<li>Voir <span class="rihla-fallback" lang="en" dir="ltr">Visit</span></li>'
    assert mark_fallback_blocks(mixed) == mixed


# Locale formatting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "dates"),
    [
        ("fr", "25–27 septembre 2022"),
        ("nl", "25–27 september 2022"),
        ("en", "September 25\u2009–\u200927, 2022"),
        ("ar", "25–27 شتنبر 2022"),
    ],
)
def test_mission_dates_in_the_locales_words(site: BuiltSite, language: str, dates: str) -> None:
    """The mission's dates are written as each locale writes a range (Moroccan month names in Arabic)."""
    assert dates in site.html(language, "missions/trip")


@pytest.mark.parametrize(
    ("locale", "number", "listing", "share", "span"),
    [
        ("fr", "12\u202f345,5", "Namur, Anvers et Bruxelles", "87\u00a0%", "25 septembre – 5 octobre 2022"),
        ("nl", "12.345,5", "Namur, Anvers en Bruxelles", "87%", "25 september – 5 oktober 2022"),
        ("en", "12,345.5", "Namur, Anvers, and Bruxelles", "87%", "September 25 – October 5, 2022"),
        ("ar_MA", "12.345,5", "Namur وAnvers وBruxelles", "87%", "25 شتنبر – 5 أكتوبر 2022"),
    ],
)
def test_formatter_follows_each_locale(locale: str, number: str, listing: str, share: str, span: str) -> None:
    """Numbers, lists, shares and date ranges come from Babel's data for the locale."""
    fmt = Formatter(locale)
    assert fmt.number(12345.5) == number
    assert fmt.join(["Namur", "Anvers", "Bruxelles"]) == listing
    assert fmt.percent(0.879) == share
    assert fmt.date_range(dt.date(2022, 9, 25), dt.date(2022, 10, 5)).replace("\u2009", " ") == span


def test_share_never_rounds_up_to_complete() -> None:
    """99.6 % translated is not shown as 100 %."""
    assert Formatter("en").percent(0.996) == "99%"


# Translation status --------------------------------------------------------------------


def test_translation_status_page_in_every_language(site: BuiltSite) -> None:
    """Each language has the status page, in its own words."""
    titles = {"fr": "État des traductions", "nl": "Stand van de vertalingen", "en": "Translation status", "ar": "وضعية الترجمة"}
    for language in LANGUAGES:
        assert f'<h1 id="title">{titles[language]}</h1>' in site.html(language, "translations")


def test_translation_status_gives_shares_per_mission_and_language(site: BuiltSite) -> None:
    """The mission's row gives, per language, the share and number of its texts written in it."""
    html = site.html("en", "translations")
    row = re.search(r'<tr>\s*<th scope="row"><a href="../missions/trip/">Study trip</a></th>(.*?)</tr>', html, re.S)
    assert row is not None
    # Two texts: the mission's title (four languages) and the visit's title (English only).
    cells = re.findall(r'<span class="rihla-share">([^<]*)</span> <span class="rihla-meta">\(([^)]*)\)</span>', row.group(1))
    assert cells == [("50%", "1"), ("50%", "1"), ("100%", "2"), ("50%", "1")]


def test_translation_status_lists_what_each_record_lacks(site: BuiltSite) -> None:
    """A record's missing texts are listed with the field and the languages, named in the reader's language."""
    html = site.html("fr", "translations")
    row = re.search(r'<tr>\s*<td>Visite · <a href="../visits/visit-asa/">.*?</tr>', html, re.S)
    assert row is not None
    assert '<code dir="ltr">title</code>' in row.group(0)
    assert "<td>anglais</td>" in row.group(0)
    assert "<td>français, néerlandais et arabe</td>" in row.group(0)
