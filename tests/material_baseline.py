"""A plain Material site with the same theme settings as Rihla's, to tell Material's own
findings (validator, accessibility) from those Rihla's pages add.

Same theme, features, palette, languages (mkdocs-static-i18n, Arabic right to
left) and `nav` shape as mkdocs.yml, no Rihla hooks, overrides or styles, and
pages with the kinds of content Rihla's have: headings, a table, lists,
definition lists, links, a page in the nav and one outside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


from tests.helpers import LANGUAGES, ROOT
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml
from rihla.site_language import language_dir

_PAGE = """\
# {title}

{lead}

## {figures}

| {name} | {city} |
|---|---|
| ASA | Bruxelles |
| eWBS | Namur |

- [{link}](other.md)
- {item}

<dl><dt>{name}</dt><dd>ASA</dd></dl>
"""

_WORDS = {
    "fr": ("Missions d'étude", "Dossiers de mission et enseignements.", "Chiffres clés", "Nom", "Ville", "Autre page", "Un élément"),
    "nl": ("Studiemissies", "Missiedossiers en lessen.", "Kerncijfers", "Naam", "Stad", "Andere pagina", "Een element"),
    "en": ("Study missions", "Mission briefs and lessons.", "Key figures", "Name", "City", "Other page", "One item"),
    "ar": ("المهام الدراسية", "ملفات المهام والدروس.", "أرقام رئيسية", "الاسم", "المدينة", "صفحة أخرى", "عنصر"),
}


def build_material_baseline(folder: Path) -> Path:
    """Build the plain Material site under `folder`; returns its site folder."""
    project = read_mkdocs_yml(ROOT / "mkdocs.yml")
    theme = {key: value for key, value in project["theme"].items() if key != "custom_dir"}
    i18n = next(plugin["i18n"] for plugin in project["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)
    docs = folder / "docs"
    for language in LANGUAGES:
        suffix = "" if language == LANGUAGES[0] else f".{language}"
        title, lead, figures, name, city, link, item = _WORDS[language]
        page = _PAGE.format(title=title, lead=lead, figures=figures, name=name, city=city, link=link, item=item)
        for stem in ("index", "other", "outside"):
            path = docs / f"{stem}{suffix}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(page), encoding="utf-8")
    config = {
        "site_name": project["site_name"],
        "site_url": project.get("site_url"),
        "use_directory_urls": True,
        "theme": theme,
        "markdown_extensions": ["attr_list", "md_in_html", "admonition", "tables", "toc"],
        "plugins": [{"i18n": i18n}],
        "nav": ["index.md", "other.md"],
        "validation": {"nav": {"omitted_files": "ignore"}},
        "docs_dir": str(docs),
        "site_dir": str(folder / "site"),
    }
    config_path = folder / "mkdocs.yml"
    write_mkdocs_yml(config, config_path)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_path)],
        capture_output=True, text=True, env=env, cwd=folder, timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the plain Material site did not build:\n{result.stdout}{result.stderr}")
    return folder / "site"


def baseline_pages(site_dir: Path) -> list[Path]:
    """The baseline's pages in every language: home, a page in the nav, one outside it."""
    pages = []
    for language in LANGUAGES:
        prefix = language_dir(site_dir, language, LANGUAGES[0])
        pages += [prefix / "index.html", prefix / "other" / "index.html", prefix / "outside" / "index.html"]
    return pages
