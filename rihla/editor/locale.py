"""The editor's interface strings in the languages Decap CMS does not ship (Arabic).

Decap's strings are a nested object of English sentences
(`decap-cms-locales/src/en`). They are kept as a gettext catalogue beside the
site's own (`rihla/locales/<lang>/LC_MESSAGES/editor.po`): the context of each
entry is the string's key (`app.header.content`), the id its English text.
`make catalogs` refreshes the template `rihla/locales/editor.pot` from the
installed Decap; translators fill the `.po` with any PO editor. A string not
translated yet shows in English.
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from rihla.render.catalog import LOCALES_DIR

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

DOMAIN = "editor"
REGISTERED_LANGUAGES = ("ar",)
"""Interface languages Rihla adds to Decap's own (which include fr, nl and en)."""


def catalogue_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path() -> Path:
    return LOCALES_DIR / f"{DOMAIN}.pot"


def _flatten(strings: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in strings.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = str(value)
    return flat


def english_strings(node_modules: Path) -> dict[str, str]:
    """Decap's English strings by key, read from the installed `decap-cms-locales` (needs Node)."""
    source = node_modules / "decap-cms-locales" / "src" / "en" / "index.js"
    script = (
        f"import({json.dumps(source.resolve().as_uri())}).then(m => process.stdout.write(JSON.stringify(m.default)))"
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return _flatten(json.loads(result.stdout))


def write_template(strings: dict[str, str]) -> None:
    """The catalogue template of Decap's strings (`rihla/locales/editor.pot`)."""
    catalog = Catalog(project="Rihla editor", domain=DOMAIN)
    for key, text in sorted(strings.items()):
        catalog.add(text, context=key)
    with template_path().open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=0)


def registered_locale(language: str) -> dict[str, Any]:
    """Decap's nested strings for `language`, from its catalogue; English where not translated."""
    with template_path().open("rb") as handle:
        template = read_po(handle)
    translated: dict[tuple[str, str], str] = {}
    path = catalogue_path(language)
    if path.is_file():
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string and not message.fuzzy:
                    translated[(message.context or "", str(message.id))] = str(message.string)
    nested: dict[str, Any] = {}
    for message in template:
        if not message.id:
            continue
        key = message.context or ""
        node = nested
        *parents, leaf = key.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = translated.get((key, str(message.id)), str(message.id))
    return nested


if __name__ == "__main__":  # `make catalogs`: Decap's strings as installed by npm ci
    write_template(english_strings(Path("node_modules")))
