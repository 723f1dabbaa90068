"""Never a traceback: whatever lands in `missions/`, loading ends in records or in a RecordsError (Hypothesis).

Records are mutated from the valid minimal fixture (values, keys, types and
structure), YAML text is mutated character by character, and arbitrary text
is rendered into every page in every language. Examples are derandomized so
that CI runs the same few thousand cases every time.
"""

from __future__ import annotations

import copy
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from rihla.diagnostics import Diagnostic, RecordsError, Style
from rihla.load import load_knowledge_base
from rihla.yaml_source import MAX_DEPTH, YamlError, read_yaml
from rihla.model.records import MAX_FIGURE, RECORD_TYPES
from rihla.render.renderer import Renderer
from rihla.render.settings import SiteSettings
from tests.helpers import MINIMAL_RECORDS

FIXTURE_TEXT = {p.relative_to(MINIMAL_RECORDS).as_posix(): p.read_text(encoding="utf-8") for p in sorted(MINIMAL_RECORDS.rglob("*.yml"))}
FIXTURE = {name: read_yaml(text)[0] for name, text in FIXTURE_TEXT.items()}


def fuzz_settings(examples: int) -> settings:
    """Derandomized (same cases on every run, no example database), no per-example deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


ODD_CHARACTERS = [
    "\u200f", "\u200e", "\u202e", "\u2066",  # right-to-left mark, left-to-right mark, override, isolate
    "\u200d", "\u200b", "\ufeff",  # zero-width joiner and space, byte order mark
    "👩\u200d💻", "🇲🇦", "e\u0301", "ﷺ", "العربية",  # emoji sequences, combining accent, Arabic
    "\x00", "\ud800", "\udfff", "\x85", "\u2028", "\x1b", "\x7f", "\uffff", "\U0010ffff",  # NUL, lone surrogates, controls
    "\t", "\r\n", "\r", "\n  ", "\n\n",
]
MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "{{ 7*7 }}", "{% if %}",
    "&amp;", "&", "*", "- ", "# ", ": ", "'", '"', "\\", "\\0", "\\x00", "\\ud800", "\\N",
    "&a ", "*a", "<<: *a", "!!python/object/apply:os.system ['ls']", "!!binary", "!custom", "%YAML 1.1\n", "---\n", "...\n",
    "? ", "|", ">", "{", "}", "[", "]", ",", "#", "@", "`", "yes", "NO", "~", "null", ".inf", "0x1F", "1e400",
]
KNOWN_VALUES = [
    "fr", "nl", "en", "ar", "de", "BE", "be", "MA", "XX", "agency", "federal", "planned", "done", "asa", "host-city",
    "brussels", "jane-doe", "visit-asa", "one-agency", "study-trip", "pilot", "simplification", "09:30", "25:99",
    "2022-09-26", "2022-02-30", "9999-12-31", "0001-01-01", "true", "https://example.org/", "javascript:alert(1)",
    "Europe/Brussels", "../../etc/passwd", "nan", "inf", "-inf", "1e308", "-1", "0", "12",
]
FIELD_NAMES = sorted({name for model in RECORD_TYPES.values() for name in model.model_fields} | {
    "themes", "cities", "organisations", "people", "mission", "visits", "lessons", "actions",
    "members", "departments", "women", "men", "institutions", "label", "value", "unit", "status", "text",
})

texts = st.lists(st.one_of(st.characters(), st.sampled_from(ODD_CHARACTERS), st.sampled_from(MARKUP)), max_size=12).map("".join)
huge_texts = st.tuples(st.sampled_from(["x", "é", "👩\u200d💻", "<b>", "\u200f", " "]), st.integers(2_000, 200_000)).map(
    lambda pair: pair[0] * pair[1]
)


def nested(depth: int) -> Any:
    """A value nested `depth` levels deep, mappings and lists in turn."""
    value: Any = "bottom"
    for level in range(depth):
        value = {"fr": value} if level % 2 else [value]
    return value


scalars = st.one_of(
    texts,
    st.sampled_from(KNOWN_VALUES),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates().map(str),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), texts)
values = st.one_of(
    st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=10),
    huge_texts,
    st.integers(1, MAX_DEPTH + 40).map(nested),
)


def node_paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value in a document, the document itself first."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from node_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from node_paths(value, (*prefix, index))


@st.composite
def mutated_files(draw: st.DrawFn) -> dict[str, Any]:
    """The minimal fixture's documents with one to five values, keys or structures changed."""
    files = copy.deepcopy(FIXTURE)
    for _ in range(draw(st.integers(1, 5))):
        name = draw(st.sampled_from(sorted(files)))
        path = draw(st.sampled_from(list(node_paths(files[name]))))
        operation = draw(st.sampled_from(["replace", "delete", "add", "rename", "duplicate", "wrap", "transplant"]))
        if not path:
            if operation == "replace":
                files[name] = draw(values)
            continue
        parent = files[name]
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        if operation == "replace":
            parent[last] = draw(values)
        elif operation == "delete":
            del parent[last]
        elif operation == "add" and isinstance(parent, dict):
            parent[draw(keys)] = draw(values)
        elif operation == "add":
            parent.insert(draw(st.integers(0, len(parent))), draw(values))
        elif operation == "rename" and isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(last)
        elif operation == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))  # two records with one id
        elif operation == "wrap":
            parent[last] = draw(st.sampled_from([[parent[last]], {"fr": parent[last]}, {"id": parent[last]}]))
        elif operation == "transplant":
            other = draw(st.sampled_from(sorted(files)))
            source = draw(st.sampled_from(list(node_paths(files[other]))))
            value = files[other]
            for step in source:
                value = value[step]
            parent[last] = copy.deepcopy(value)
    return files


def dump(data: Any, flow: bool | None, unicode: bool) -> bytes:
    """YAML as an editor could have saved it; lone surrogates become bytes that are not UTF-8."""
    options: dict[str, Any] = {"allow_unicode": unicode, "default_flow_style": flow, "sort_keys": False}
    try:
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, **options)  # libyaml: fast on huge strings
    except UnicodeEncodeError:  # libyaml cannot write a lone surrogate; PyYAML writes it as an escape
        text = yaml.dump(data, Dumper=yaml.SafeDumper, **options)
    return text.encode("utf-8", "surrogatepass")


def write_folder(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def assert_well_formed(error: RecordsError) -> None:
    """The error carries at least one diagnostic with a place, and prints in both styles."""
    assert error.diagnostics
    for diagnostic in error.diagnostics:
        assert isinstance(diagnostic, Diagnostic)
        assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.message
    assert error.report(Style.TEXT).endswith("nothing was published.")
    assert "::error file=" in error.report(Style.GITHUB)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A records folder that every example of a test writes over (the same file names each time)."""
    return tmp_path_factory.mktemp("fuzz")


def load_or_error(folder: Path) -> None:
    """Loading returns a knowledge base or raises RecordsError; anything else fails the test."""
    try:
        load_knowledge_base(folder)
    except RecordsError as error:
        assert_well_formed(error)


@fuzz_settings(1500)
@given(files=mutated_files(), flow=st.sampled_from([False, None, True]), unicode=st.booleans())
def test_mutated_records_load_or_fail_cleanly(scratch: Path, files: dict[str, Any], flow: bool | None, unicode: bool) -> None:
    """Wrong types, missing and unknown fields, odd Unicode, deep nesting, huge strings: never another exception."""
    load_or_error(write_folder(scratch, {name: dump(data, flow, unicode) for name, data in files.items()}))


@st.composite
def mutated_text(draw: st.DrawFn) -> tuple[str, str]:
    """One fixture file's YAML text with characters inserted, removed or repeated."""
    name = draw(st.sampled_from(sorted(FIXTURE_TEXT)))
    text = FIXTURE_TEXT[name]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "repeat", "indent"]))
        if operation == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(ODD_CHARACTERS), st.sampled_from(MARKUP), texts)) + text[at:]
        elif operation == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif operation == "repeat":
            text = text[:at] + text[at:at + draw(st.integers(1, 80))] * draw(st.integers(2, 5)) + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(["\n", "\n ", "\n\t", "\n    - ", "\n- "])) + text[at:]
    return name, text


@fuzz_settings(1500)
@given(mutated=mutated_text(), raw_bytes=st.binary(max_size=4))
def test_mutated_yaml_text_reads_or_fails_cleanly(scratch: Path, mutated: tuple[str, str], raw_bytes: bytes) -> None:
    """Broken YAML, stray tags and anchors, NUL and lone surrogates: the reader raises YamlError only."""
    name, text = mutated
    try:
        read_yaml(text)
    except YamlError as error:
        assert error.position.line >= 1 and error.message
    files = {other: FIXTURE_TEXT[other].encode() for other in FIXTURE_TEXT}
    files[name] = text.encode("utf-8", "surrogatepass") + raw_bytes  # may end in bytes that are not UTF-8
    load_or_error(write_folder(scratch, files))


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by the renderers of all examples (compiling dominates otherwise)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = _MemoryBytecodeCache()
MARK = "<x-fuzz>"
"""Put in every generated text: the rendered pages must only ever hold it escaped."""
TEXT_PATHS = {
    "shared.yml": [
        ("themes", 0, "label", "fr"), ("themes", 0, "label", "ar"), ("cities", 0, "name", "nl"),
        ("organisations", 0, "name", "en"), ("organisations", 0, "acronym", "fr"), ("organisations", 0, "other_names", 0),
        ("organisations", 0, "description", "fr"), ("organisations", 1, "name", "ar"),
        ("people", 0, "name"), ("people", 0, "role", "en"),
    ],
    "study-trip/mission.yml": [
        ("mission", "title", "fr"), ("mission", "title", "ar"), ("mission", "summary"),
        ("visits", 0, "title", "en"), ("visits", 0, "topics", 0), ("visits", 0, "questions", 0),
        ("lessons", 0, "statement", "fr"), ("actions", 0, "title", "en"), ("actions", 0, "updates", 0, "text"),
        ("actions", 0, "indicators", 0, "label", "fr"),
    ],
}
"""Text fields of the minimal fixture, in several languages (so both shown and fallback texts)."""

printable_texts = st.lists(
    st.one_of(st.characters(blacklist_categories=("Cc", "Cs")), st.sampled_from(ODD_CHARACTERS[:12]), st.sampled_from(MARKUP)),
    max_size=10,
).map(lambda parts: f"{''.join(parts)}{MARK}".strip())


@fuzz_settings(100)
@given(
    new_texts=st.lists(printable_texts, min_size=20, max_size=20),
    figure=st.one_of(st.integers(-MAX_FIGURE, MAX_FIGURE), st.floats(-MAX_FIGURE, MAX_FIGURE)),
    members=st.integers(0, MAX_FIGURE),
)
def test_any_text_renders_escaped_in_every_page_and_language(
    scratch: Path, new_texts: list[str], figure: float, members: int
) -> None:
    """Records holding any text render every page in every language, with the text escaped."""
    files = copy.deepcopy(FIXTURE)
    replacements = iter(new_texts)
    for name, paths in TEXT_PATHS.items():
        for path in paths:
            parent = files[name]
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = next(replacements)
    files["study-trip/mission.yml"]["actions"][0]["indicators"][0]["value"] = figure
    files["study-trip/mission.yml"]["mission"]["delegation"]["members"] = members
    try:
        knowledge = load_knowledge_base(write_folder(scratch, {name: dump(data, None, True) for name, data in files.items()}))
    except RecordsError as error:
        assert_well_formed(error)
        return
    settings_ = SiteSettings()
    renderer = Renderer(knowledge, settings_)
    for language in settings_.languages:
        renderer.environment(language).bytecode_cache = COMPILED
        for page in renderer.pages.values():
            assert MARK not in renderer.render(page, language), (page.path, language)


BILLION_LAUGHS = "\n".join([
    'lol0: "lol"',
    *(f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}' if n > 1 else '*lol0'] * 10)}]" for n in range(1, 10)),
    "themes: *lol9",
]).replace("lol0: \"lol\"", 'lol0: &lol0 "lol"')
"""The classic YAML bomb: nine levels of ten aliases each, a billion strings once expanded."""


def peak_memory(action: Any) -> int:
    """Peak traced memory (bytes) of running `action`."""
    tracemalloc.start()
    try:
        action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_billion_laughs_is_refused_at_its_first_alias() -> None:
    """The YAML bomb stops at its first alias, so it is never expanded: little memory, no wait."""
    assert "*lol0" in BILLION_LAUGHS and "&lol9" in BILLION_LAUGHS

    def read() -> None:
        with pytest.raises(YamlError) as raised:
            read_yaml(BILLION_LAUGHS)
        assert raised.value.message == "aliases (*lol0) are not supported; write the value out in full"
        assert raised.value.position.line == 2

    # A bound, not a measurement: expanding the bomb would take gigabytes. Refusing it at the
    # first alias (asserted above) is what makes it quick; speed is not timed in tests.
    assert peak_memory(read) < 5 * 1024 * 1024


def test_billion_laughs_in_records_folder_is_reported(tmp_path: Path) -> None:
    """The bomb saved as a record file is one clear problem, with its place."""
    write_folder(tmp_path, {"shared.yml": BILLION_LAUGHS.encode()})
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(tmp_path)
    assert [d.format() for d in raised.value.diagnostics] == [
        f"{tmp_path.as_posix()}/shared.yml:2:14: aliases (*lol0) are not supported; write the value out in full"
    ]


# Each case: a document that costs memory or recursion if read naively.
@pytest.mark.parametrize("text", [
    "[" * 100_000,  # deep flow nesting
    "a:\n" + "".join(" " * (2 * n) + "- \n" for n in range(1, 2000)),  # deep block nesting
    "{a: " * 50_000,  # deep mappings
])
def test_deep_nesting_is_refused_without_recursion(text: str) -> None:
    """Nesting beyond the limit is refused at the limit, in bounded memory."""

    def read() -> None:
        with pytest.raises(YamlError) as raised:
            read_yaml(text)
        assert raised.value.message == f"nesting deeper than {MAX_DEPTH} levels"

    assert peak_memory(read) < 5 * 1024 * 1024


def test_escaped_control_characters_are_reported_at_their_field(tmp_path: Path) -> None:
    """A NUL or escape character written as `"\\0"` cannot reach a page: the field is named."""
    text = FIXTURE_TEXT["shared.yml"].replace("name: Jane Doe", 'name: "Jane\\0Doe"')
    write_folder(tmp_path, {"shared.yml": text.encode()})
    with pytest.raises(RecordsError) as raised:
        load_knowledge_base(tmp_path)
    assert [(d.field, d.message) for d in raised.value.diagnostics] == [
        ("people[0].name", "the character U+0000 (written with a \\ escape) is not text a page can show; remove it")
    ]
