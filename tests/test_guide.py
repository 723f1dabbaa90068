"""The staff guide: its field reference follows the model, its sample outputs are what the commands print.

After a change to the example records or to what `rihla` prints, rewrite the guides'
sample outputs with `.venv/bin/python -m tests.test_guide`, then read the diff.

Each guide page (`docs/publish*.md`, four languages) is replayed as a new user would
follow it, in a copy of the example records: every `$ rihla …` line of a `console`
block is run and its output compared with the lines under it; a YAML block after
`<!-- sample: write FILE -->` becomes that file, one after `<!-- sample: fill FILE -->`
replaces the record `rihla new` just added at the end of FILE. The English replay's
records (with the walk-through's second mission) are then built into a site.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import pytest
from pydantic import BaseModel, Field

from rihla.cli import main
from rihla.knowledge import KnowledgeBase
from rihla.model.layout import MISSION_SECTIONS, SHARED_SECTIONS
from rihla.model.fields import fields_of, model_fields
from rihla.model.records import Day, Indicator, Ref, TimeZone
from rihla.render.field_reference import MARKER, field_anchor, guide_texts, render_field_reference
from rihla.render.renderer import Renderer
from rihla.render.settings import SiteSettings
from tests.helpers import EXAMPLE_RECORDS, LANGUAGES, ROOT, BuiltSite, build_site

GUIDES = {language: ROOT / "docs" / ("publish.md" if language == "fr" else f"publish.{language}.md") for language in LANGUAGES}
BLOCK = re.compile(r"(?:<!-- sample: (?P<action>write|fill) (?P<file>\S+) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)


# Field reference -----------------------------------------------------------


def test_every_field_of_the_model_is_explained_in_four_languages() -> None:
    """field_guide.yml explains each field of each record kind, with an example, and names no field the model lacks."""
    texts = guide_texts()
    keys = [entry.key for entry in model_fields()]
    missing = [key for key in keys if key not in texts]
    assert not missing, f"explain these fields in rihla/model/field_guide.yml: {', '.join(missing)}"
    incomplete = [f"{key} ({part})" for key in keys for part in (*LANGUAGES, "example") if not texts[key].get(part)]
    assert not incomplete, f"complete these entries of rihla/model/field_guide.yml: {', '.join(incomplete)}"
    assert sorted(set(texts) - set(keys)) == [], "entries of field_guide.yml for fields the model no longer has"
    unknown = [f"{key} → {other}" for key in keys for other in texts[key].get("related") or () if other not in keys]
    assert not unknown, f"related fields that do not exist: {unknown}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_field_reference_shows_every_field_in_the_page_language(language: str) -> None:
    """The reference has a row per model field, with its meaning in the guide's language and its example."""
    reference = render_field_reference(Renderer(KnowledgeBase(), SiteSettings()).environment(language), language)
    texts = guide_texts()
    for entry in model_fields():
        row = re.search(rf'<tr id="{field_anchor(entry.key)}">(.*?)</tr>', reference, re.S)
        assert row, entry.key
        meaning = texts[entry.key][language].replace("'", "&#39;").replace('"', "&#34;")
        assert meaning in re.sub(r"</?bdi[^>]*>", "", row.group(1)), (entry.key, language)
        assert ("Required" in row.group(1)) == entry.required or language != "en", entry.key


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_guide_page_asks_for_the_field_reference(language: str) -> None:
    """Every language of the guide holds the marker the build fills."""
    assert MARKER in GUIDES[language].read_text(encoding="utf-8")


# Samples -------------------------------------------------------------------


@dataclass
class Replay:
    """What replaying a guide did: the commands run and the records folder it left."""

    commands: list[str]
    records: Path


def _rihla(command: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(shlex.split(command)[1:])
        except SystemExit:
            pass
    return out.getvalue() + err.getvalue()


def _fill(path: Path, record: str) -> None:
    """Replace the record `rihla new` added at the end of `path` (from its `# New …` comment) with `record`."""
    text = path.read_text(encoding="utf-8")
    start = text.rindex("\n  # New ") + 1 if "\n  # New " in text else text.rindex("\n# New ") + 1
    path.write_text(text[:start] + record, encoding="utf-8")


def replay(guide: Path, folder: Path, *, update: bool = False) -> Replay:
    """Follow a guide page in `folder`, which holds a copy of the example records as `missions/`.

    With `update`, each sample output is replaced by what its command prints, and the page rewritten."""
    shutil.copytree(EXAMPLE_RECORDS, folder / "missions")
    commands = []
    text = guide.read_text(encoding="utf-8")
    pieces, copied = [], 0
    with contextlib.chdir(folder):
        for block in BLOCK.finditer(text):
            if block["action"] == "write":
                Path(block["file"]).parent.mkdir(parents=True, exist_ok=True)
                Path(block["file"]).write_text(block["body"], encoding="utf-8")
            elif block["action"] == "fill":
                _fill(Path(block["file"]), block["body"])
            elif block["lang"] == "console":
                printed = []
                for sample in re.split(r"^(?=\$ )", block["body"], flags=re.M):
                    if not sample.strip():
                        continue
                    command, _, expected = sample.partition("\n")
                    commands.append(command)
                    output = _rihla(command[2:])
                    printed.append(f"{command}\n{output}")
                    assert update or output == expected, f"{guide.name}: {command}"
                pieces.append(text[copied:block.start("body")] + "".join(printed))
                copied = block.end("body")
    if update:
        guide.write_text("".join(pieces) + text[copied:], encoding="utf-8")
    return Replay(commands, folder / "missions")


@pytest.mark.parametrize("language", ["fr", "nl", "ar"])
def test_guide_samples_are_what_the_commands_print(language: str, tmp_path: Path) -> None:
    """Each command of the guide prints what the guide shows, from the first step to the second mission."""
    done = replay(GUIDES[language], tmp_path)
    assert any(command.startswith("$ rihla new mission") for command in done.commands)
    assert done.commands[-1] == "$ rihla check"


@pytest.fixture(scope="module")
def english_walkthrough(tmp_path_factory: pytest.TempPathFactory) -> tuple[Replay, BuiltSite]:
    folder = tmp_path_factory.mktemp("walkthrough")
    done = replay(GUIDES["en"], folder / "project")
    site = build_site(folder, done.records)
    assert site.returncode == 0, site.output
    return done, site


def test_walkthrough_ends_with_the_second_mission_published(english_walkthrough: tuple[Replay, BuiltSite]) -> None:
    """Followed step by step, the English walk-through gives a site with the Estonia mission, its visit and lesson."""
    done, site = english_walkthrough
    assert [c.split()[3] for c in done.commands if c.startswith("$ rihla new")] == [
        "visit", "mission", "city", "organisation", "visit", "lesson", "action"
    ]
    # Short hyphenated names (X-Road) are kept on one line in a span of their own.
    page = re.sub(r'<span class="rihla-nowrap">([^<]*)</span>', r"\1", site.html("en", "missions/estonia-2024"))
    assert "Study mission to Estonia" in page and "X-Road at the Information System Authority" in page
    assert "Europe/Tallinn" in (site.site_dir / "en" / "missions" / "estonia-2024" / "estonia-2024-en.ics").read_text()
    tracker = site.html("en", "actions")
    assert "A catalogue of data services" in tracker and "Administrations that published their services" in tracker


@pytest.mark.parametrize("language", LANGUAGES)
def test_built_guide_holds_the_field_reference(english_walkthrough: tuple[Replay, BuiltSite], language: str) -> None:
    """The published guide of each language shows the reference, an indicator's fields included."""
    page = english_walkthrough[1].html(language, "publish")
    for entry in model_fields():
        assert f'id="{field_anchor(entry.key)}"' in page, (language, entry.key)
    assert MARKER not in page


def test_readme_layout_lists_every_records_file() -> None:
    """The README's layout names each shared records file the loader reads, and each file of the example mission."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("missions/            the records"):readme.index("docs/ ")]
    for section in SHARED_SECTIONS:
        assert f"{section}.yml" in layout, section
    for section in ("mission", *MISSION_SECTIONS):
        assert f"{section}.yml" in layout, section
    for path in EXAMPLE_RECORDS.rglob("*.yml"):
        assert path.name in layout, path


class _Sample(BaseModel):
    """A record kind the model does not have, with one field of each form the walker tells apart."""

    where: Optional[Annotated[str, Ref("city")]] = None
    among: list[Annotated[str, Ref("organisation")]] = Field(min_length=1)
    zone: TimeZone = "Europe/Tallinn"
    when: Optional[Day] = None
    figures: list[Indicator] = Field(default_factory=list)


def test_walker_finds_every_field_of_a_new_model_and_its_form() -> None:
    """A field added to the model is found with its form, requirement, default and the kind it names, nested ones too."""
    found = {entry.key: (entry.form, entry.required, entry.default, entry.refers_to) for entry in fields_of(_Sample, "sample")}
    assert {key: facts for key, facts in found.items() if not key.startswith("sample.figures.")} == {
        "sample.where": ("id", False, None, "city"),
        "sample.among": ("ids", True, None, "organisation"),
        "sample.zone": ("time-zone", False, "Europe/Tallinn", None),
        "sample.when": ("date", False, None, None),
        "sample.figures": ("records", False, None, None),
    }
    assert {key for key in found if key.startswith("sample.figures.")} == {f"sample.figures.{name}" for name in Indicator.model_fields}
    assert found["sample.figures.label"] == ("text", True, None, None)
    assert found["sample.figures.qualifier"][0] == "choice"


if __name__ == "__main__":
    import tempfile

    for page in GUIDES.values():
        with tempfile.TemporaryDirectory() as scratch:
            replay(page, Path(scratch), update=True)
        print(f"{page.relative_to(ROOT)}: sample outputs rewritten from the commands")
