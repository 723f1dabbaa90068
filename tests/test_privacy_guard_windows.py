"""The privacy check decodes only windows around escapes, and finds exactly what decoding whole files found.

Each case is compared with the check as it was (`tests/privacy_guard_reference.py`: every decoded
view of the file, whole), and the hand-written ones also with the answer a reader expects.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path
from urllib.parse import quote

import pytest

from rihla.export.privacy_guard import PrivateValueSearch, find_leaks, private_values
from rihla.load import load_knowledge_base
from rihla.load.privacy import _ONE_BYTE_LOWER, PrivateValue
from tests import privacy_guard_reference as reference
from tests.helpers import MINIMAL_RECORDS, BuiltSite, pdf_with_text

EMAIL = "Jane.Private@Example.org"
PHONE = "+32 2 555 12 34"
NOTE = "Met at the fair. She asked us never to quote her budget figures."
SENTENCE = "she asked us never to quote her budget figures"
GREEK_NOTE = "Ο ΟΔΥΣΣΕΑΣ ζήτησε εμπιστευτικότητα"
"""A capital sigma, lowered by its neighbours (final or not): a window must not change that."""
TURKISH_NOTE = "İstanbul office keeps the budget"
"""`İ` lowers to two characters: positions after it move."""

VALUES = [
    PrivateValue("person", "jane-doe", "email", EMAIL, "contact_public"),
    PrivateValue("person", "jane-doe", "phone", PHONE, "contact_public"),
    PrivateValue("visit", "visit-asa", "internal_notes", NOTE, None),
    PrivateValue("person", "nikos", "internal_notes", GREEK_NOTE, None),
    PrivateValue("person", "ayse", "internal_notes", TURKISH_NOTE, None),
    PrivateValue("person", "lee", "email", "lee@ex.be", "contact_public"),
    PrivateValue("person", "eloise", "email", "Éloïse.Dubois@exemple.be", "contact_public"),
]
EMAIL_AT, PHONE_AT, NOTE_AT = 0, 1, 2


@pytest.fixture(scope="module")
def search() -> PrivateValueSearch:
    return PrivateValueSearch(VALUES)


def found(search: PrivateValueSearch, text: str, name: str = "page.html") -> set[int]:
    """What the check finds in `text`, after asserting the old reading finds the same."""
    owners = search.owners_in(name, text)
    assert owners == reference.owners_in_text(search.matcher, name, text), text
    return owners


PADDING = " ".join(f"word{n} 12.{n}" for n in range(40))
"""Text longer than a window, so that escapes far from a value make windows of their own."""

# Each case: a text hiding a private value in one encoding or at one edge, and what must be found.
CASES = {
    "html reference in an e-mail": ("<a href='mailto:jane.private&#64;example.org'>", {EMAIL_AT}),
    "named reference in an e-mail": ("jane.private&commat;example.org", {EMAIL_AT}),
    "json escape in an e-mail": ('{"m": "Jane.Private\\u0040Example.org"}', {EMAIL_AT}),
    "url escape in an e-mail": ("mailto:jane.private%40example.org", {EMAIL_AT}),
    "escapes spanning the whole e-mail": ("".join(f"%{ord(c):02X}" for c in EMAIL), {EMAIL_AT}),
    "html inside a script": ('x = "jane.private\\u0026#64;example.org"', {EMAIL_AT}),
    "line break reference inside a sentence": (f"<p>{PADDING} She asked us never&#10;to quote her budget figures</p>",
                                               {NOTE_AT}),
    "json line break inside a sentence": (f'{{"n": "She asked us never\\nto quote her budget\\tfigures"}}', {NOTE_AT}),
    "url spaces": ("q=she%20asked%20us%20never%20to%20quote%20her%20budget%20figures", {NOTE_AT}),
    "form spaces": ("q=she+asked+us+never+to+quote+her+budget+figures&x=1", {NOTE_AT}),
    "form spaces and url escapes": ("q=she+asked+us+never%20to+quote+her+budget+figures", {NOTE_AT}),
    "escape far from the sentence, at a window's edge": (
        f"She asked us never to quote her budget {PADDING} figures &#10; she asked us never to quote her budget", set()
    ),
    "escape a window away from the e-mail": (f"jane.private@example.org{' ' * 3}{'x' * 60} &#64; {PADDING}", {EMAIL_AT}),
    "escape just past the needle": (f"{PADDING} jane.private@example.org&#46;{PADDING}", {EMAIL_AT}),
    "surrogate pair before an e-mail": ('"\\ud83d\\ude00 jane.private@example.org"', {EMAIL_AT}),
    "surrogate pair glued to an e-mail": ('"\\ud83d\\ude00jane.private\\u0040example.org"', {EMAIL_AT}),
    "phone with its country code, escaped spaces": ("tel:+32%202%20555%2012%2034", {PHONE_AT}),
    "phone split by a line break reference": (f"{PADDING} +32 2 555&#10;12 34 {PADDING}", {PHONE_AT}),
    "phone in a longer run of digits": (f"{PADDING} 9 0032 2 555 12 34 {PADDING}", set()),
    "phone made longer by an escaped digit": (f"{PADDING} 0032 2 555 12 34&#53; {PADDING}", set()),
    "phone made longer through a decoded space": ("coordinates 7%200032 2 555 12 34", set()),
    "phone separated from a run by a decoded letter": ("7&#65;0032 2 555 12 34", {PHONE_AT}),
    "phone joined to a run by a form space": ("1+0032 2 555 12 34", {PHONE_AT}),
    "e-mail inside a longer address": ("xjane.private&#64;example.org", set()),
    "e-mail running on": ("jane.private\\u0040example.orgs", set()),
    "e-mail made longer by an escape": ("\\u0061jane.private@example.org &#97jane.private@example.org", set()),
    "e-mail freed by a decoded space": ("%20jane.private@example.org%0A", {EMAIL_AT}),
    "upper case through escapes": ("JANE.PRIVATE&#x40;EXAMPLE.ORG", {EMAIL_AT}),
    "greek note, escaped sigma": ("Ο ΟΔΥ&Sigma;ΣΕΑΣ ζήτησε εμπιστευτικότητα", {3}),
    "greek note, final sigma after an escape": ("Ο ΟΔΥΣΣΕΑ\\u03a3 ζήτησε εμπιστευτικότητα", {3}),
    "dotted capital I before an escape": ("&#304;stanbul office keeps the budget", {4}),
    "short e-mail beside an escaped one": ("lee@ex.be&#44;jane.private&#64;example.org", {EMAIL_AT, 5}),
    "accented capitals": ("<td>ÉLOÏSE.DUBOIS@EXEMPLE.BE</td>", {6}),
    "accented capitals, escaped": ("&#201;LO&#207;SE.DUBOIS&#64;EXEMPLE.BE %C3%89LO%C3%8FSE.DUBOIS%40EXEMPLE.BEE", {6}),
    "accented capitals in an Arabic page": ("البريد: ÉLOÏSE.DUBOIS\\u0040EXEMPLE.BE", {6}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_value_hidden_in_an_encoding(search: PrivateValueSearch, name: str) -> None:
    """Each hidden value is found, each look-alike is not, as decoding the whole file did."""
    text, expected = CASES[name]
    assert found(search, text) == expected


EDGE_NOTE = "keep the budget figures secret please"
"""A value that only its whole text finds (no sentence of it is shorter), words apart."""


@pytest.mark.parametrize("padding", range(0, 70, 1))
def test_window_edges_at_every_distance(padding: int) -> None:
    """An escape at every distance from a value: a window reaches the value's far end, and never cuts
    a run of phone digits into a number that stands alone."""
    edge = PrivateValueSearch([PrivateValue("visit", "v", "internal_notes", EDGE_NOTE, None), VALUES[PHONE_AT]])
    words = "w " * padding
    assert found(edge, f"{words}keep the budget figures secret plea&#115;e {words}") == {0}
    assert found(edge, f"{words}k&#101;ep the budget figures secret please {words}") == {0}
    assert found(edge, f"{words}keep the budget figures secret please&#10;{words}") == {0}
    assert found(edge, f"9 0032 2 555 12 34 {words}%41") == set()
    assert found(edge, f"%41 {words}0032 2 555 12 34 9") == set()
    assert found(edge, f"9 0032 2 555 12 34 {words}%41 0032 2 555 12 34") == {1}
    assert found(edge, f"4 {'. ' * padding}0032 2 555 12 34&#10;{words}") == set()  # separators: one run


def test_latin1_texts_lower_as_python_does() -> None:
    """Texts of characters below 256 are lowered by a byte table: the same as `str.lower`, character by character."""
    every = "".join(map(chr, range(256)))
    assert bytes(range(256)).translate(_ONE_BYTE_LOWER).decode("latin-1") == every.lower()
    letters = "".join(character for character in every if character.isalpha())
    search = PrivateValueSearch([PrivateValue("person", "p", "internal_notes", letters.lower(), None)])
    assert found(search, f"<b>{letters}</b>") == {0}
    assert found(search, f"<b>{letters}\u0628</b>") == set()  # an Arabic letter after it: Python's lowering


def test_calendar_and_csv_readings(search: PrivateValueSearch) -> None:
    """A folded calendar line and a CSV's doubled quotes are read first, then windows."""
    assert found(search, "ATTENDEE:mailto:jane.priv\r\n ate&#64;example.org\r\n", "trip.ics") == {EMAIL_AT}
    assert found(search, 'name,notes\r\n"Jane","she said ""she asked us never\\nto quote her budget figures"""',
                 "people.csv") == {NOTE_AT}


# The pieces random texts are made of: values as written and in parts, escapes of every kind
# (some that decode to whitespace or digits, some that look like escapes and are not), digits,
# separators, letters that stick to a value, and case.
PIECES = [
    EMAIL, "jane.private", "@example.org", PHONE, "0032", "2 555", "12 34", "3225551234", "025551234",
    NOTE, SENTENCE, "she asked us", "never to quote", "her budget figures", GREEK_NOTE, "ΟΔΥΣΣΕΑΣ", "Σ",
    TURKISH_NOTE, "İ", "lee@ex.be", "Éloïse.Dubois@exemple.be", "ÉLOÏSE", "ÀÖØÞ×ßÿµ", "بريد",
    "&#64;", "&#x40;", "&commat;", "&amp;", "&#10;", "&#32;", "&nbsp;", "&lt;", "&#53;", "&#", "&&x", "&amp",
    "\\u0040", "\\n", "\\t", "\\/", "\\\\", "\\u0026#64;", "\\u0020", "\\u0035", "\\ud83d\\ude00", "\\ud83d", "\\x",
    "%40", "%20", "%0A", "%35", "%2", "%C3%A9", "%E2%80%AF", "+", "++", "1+", "+32",
    "0", "7", "12", "555", "²", "٣", ".", "-", "/", "(", ")", " ", "  ", "\n", "\t", "a", "Z", "_", "é", "😀",
    "word", "figures.", "mailto:", "<p>", "</p>", '"', ",",
]


def random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 60)):
        piece = rng.choice(PIECES)
        if rng.random() < 0.2:
            piece = piece.upper() if rng.random() < 0.5 else piece.swapcase()
        if rng.random() < 0.15 and len(piece) > 1:
            # A character of the piece written as an escape.
            at = rng.randrange(len(piece))
            char = piece[at]
            escaped = rng.choice([f"&#{ord(char)};", f"&#x{ord(char):x};", quote(char),
                                  "".join(f"\\u{unit:04x}" for unit in _utf16_units(char))])
            piece = piece[:at] + escaped + piece[at + 1:]
        if rng.random() < 0.1:
            piece = piece.replace(" ", rng.choice(["+", "%20", "&#10;", "\\n", "&nbsp;"]))
        parts.append(piece)
        if rng.random() < 0.3:
            parts.append(rng.choice([" ", "  ", "", ". ", "1", "x", "\n"]))
    if rng.random() < 0.3:
        at = rng.randrange(len(parts) + 1)
        parts.insert(at, " ".join(rng.choice(["lorem", "12", "ipsum", "4.5", "dolor"]) for _ in range(rng.randint(10, 40))))
    return "".join(parts)


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def test_random_texts_find_what_whole_views_found(search: PrivateValueSearch) -> None:
    """Thousands of generated texts mixing values, escapes, digits, case and whitespace: same answer as before."""
    rng = random.Random(17)
    hits = 0
    for _ in range(6000):
        text = random_text(rng)
        name = rng.choice(["page.html", "data.json", "trip.ics", "people.csv", "index.pf_fragment"])
        hits += bool(found(search, text, name))
    assert 500 < hits < 5500  # the generator hides values often, and often fails to


def test_random_texts_with_a_tiny_window(search: PrivateValueSearch) -> None:
    """Short values only (so windows are small and many): same answer as before."""
    short = PrivateValueSearch([VALUES[EMAIL_AT], VALUES[PHONE_AT], VALUES[5]])
    rng = random.Random(2026)
    for _ in range(3000):
        text = random_text(rng)
        owners = short.owners_in("page.html", text)
        assert owners == reference.owners_in_text(short.matcher, "page.html", text), text


def test_files_of_every_kind(tmp_path: Path, search: PrivateValueSearch) -> None:
    """Gzip search fragments, PDFs, fonts and pages: the files' leaks are those the old reading reported."""
    site = tmp_path / "site"
    files: dict[str, bytes] = {
        "pagefind/fragment/fr_1.pf_fragment": gzip.compress(b'{"content":"jane.private\\u0040example.org"}'),
        "brief-fr.pdf": pdf_with_text("Contact: +32 2 555 12 34"),
        "assets/font.woff2": bytes(range(256)) * 40 + b"jane.private@example.org" + bytes(range(256)),
        "index.html": f"<p>{PADDING} She asked us never&#10;to quote her budget figures</p>".encode(),
        "clean.html": f"<p>{PADDING} jane.private&#64;example.orgs 0032 2 555 12 34 5</p>".encode(),
    }
    for name, data in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    leaks = find_leaks(site, VALUES)
    old = [leak for path in sorted(p for p in site.rglob("*") if p.is_file())
           for leak in reference.leaks_in(search, path, path.relative_to(site).as_posix())]
    assert leaks == old
    assert sorted((leak.file, leak.value.field) for leak in leaks) == [
        ("assets/font.woff2", "email"), ("brief-fr.pdf", "phone"), ("index.html", "internal_notes"),
        ("pagefind/fragment/fr_1.pf_fragment", "email"),
    ]


def test_built_site_reads_as_before(minimal_site: BuiltSite, tmp_path: Path) -> None:
    """Every file of a real site, searched for its records' private values and for passages it
    publishes (so that values are found, escaped as the site escapes them): same answer as before."""
    values = private_values(load_knowledge_base(MINIMAL_RECORDS))
    rng = random.Random(5)
    files = sorted(p for p in minimal_site.site_dir.rglob("*") if p.is_file())
    passages = []
    for path in rng.sample(files, 40):
        words = path.read_bytes().decode("utf-8", "replace").split()
        if len(words) > 8:
            at = rng.randrange(len(words) - 6)
            passages.append(" ".join(words[at:at + rng.randint(2, 6)]))
    values += [PrivateValue("visit", f"v{n}", "internal_notes", passage, None) for n, passage in enumerate(passages)]
    search = PrivateValueSearch(values)
    found_somewhere = 0
    for path in files:
        name = path.relative_to(minimal_site.site_dir).as_posix()
        leaks = search.leaks_in(path, name)
        assert leaks == reference.leaks_in(search, path, name), name
        found_somewhere += bool(leaks)
    assert found_somewhere > 10
