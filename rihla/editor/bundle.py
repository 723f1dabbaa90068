"""The editor at `/admin/`: Decap CMS and Rihla's additions, written into the built site.

Nothing is fetched from the internet: Decap CMS (`decap-cms`) and the YAML
library the file format uses (`yaml`, eemeli) come from `node_modules`,
installed at the versions pinned in package.json by `npm ci`. The
configuration is written per interface language from the record model
(`rihla.editor.config`).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined
from mkdocs.exceptions import PluginError

from rihla.editor.config import N_, UnsupportedField, editor_config, find_record_files
from rihla.editor.locale import REGISTERED_LANGUAGES, registered_locale
from rihla.editor.settings import EditorSettings
from rihla.model.text import direction
from rihla.render.catalog import translations

if TYPE_CHECKING:
    from rihla.export.context import ExportContext

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

ADMIN_FOLDER = "admin"
STATIC = Path(__file__).resolve().parent / "static"
WRONG_FILE = N_("Nothing was saved: this form holds {held}, not the file in the address ({addressed}). "
                "Reload the page to open that file.")
"""Shown by rihla-editor.js when a save would write one file's form into another file."""
RIHLA_CHECKOUT = Path(__file__).resolve().parent.parent.parent


def node_modules(repository: Path) -> Path | None:
    """The `node_modules` holding Decap CMS: the site's folder's, else Rihla's own checkout's."""
    for folder in (repository / "node_modules", RIHLA_CHECKOUT / "node_modules"):
        if (folder / "decap-cms" / "dist" / "decap-cms.js").is_file() and (
            folder / "yaml" / "browser" / "dist"
        ).is_dir():
            return folder
    return None


def write_editor(site_dir: Path, records_dir: Path, settings: EditorSettings, languages: tuple[str, ...]) -> bool:
    """Write `/admin/` into the site; False when it is left out (not installed, or turned off)."""
    if settings.enabled is False:
        return False
    try:
        return _write_editor(site_dir, records_dir, settings, languages)
    except UnsupportedField as error:
        raise PluginError(f"Rihla editor: a record field has no form field: {error}") from None
    except OSError as error:
        raise PluginError(
            f"Rihla editor: cannot write {error.filename or site_dir / ADMIN_FOLDER}: {error.strerror}"
        ) from None


def _write_editor(site_dir: Path, records_dir: Path, settings: EditorSettings, languages: tuple[str, ...]) -> bool:
    modules = node_modules(settings.repository)
    if modules is None:
        if settings.enabled:
            raise PluginError(
                "mkdocs.yml: extra.rihla.editor.enabled: the editor needs Decap CMS; run `npm ci` "
                "(make node_modules/.installed), or write `auto` to leave it out where it is not installed"
            )
        log.info("Decap CMS is not installed (npm ci): the site has no editor at /admin/")
        return False
    target = site_dir / ADMIN_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    # Webpack's chunks load from beside decap-cms.js; the source maps and the duplicate `cms.js` build stay out.
    for chunk in (modules / "decap-cms" / "dist").glob("*decap-cms.js"):
        shutil.copyfile(chunk, target / chunk.name)
    shutil.copytree(modules / "yaml" / "browser" / "dist", target / "yaml", dirs_exist_ok=True)
    for script in ("rihla-editor.js", "rihla-format.js"):
        shutil.copyfile(STATIC / script, target / script)
    files = find_record_files(records_dir, settings.repository)
    for language in languages:
        config = editor_config(files, language, settings.backend, settings.local_backend)
        (target / f"config.{language}.json").write_text(
            json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    for language in REGISTERED_LANGUAGES:
        strings = registered_locale(language)
        (target / f"locale.{language}.json").write_text(json.dumps(strings, ensure_ascii=False), encoding="utf-8")
    env = Environment(loader=PackageLoader("rihla.editor", "templates"), autoescape=True, undefined=StrictUndefined)
    page = env.get_template("admin.html").render(
        languages=[(code, direction(code)) for code in languages],
        default_language=languages[0],
        registered=list(REGISTERED_LANGUAGES),
        messages={code: {"wrong_file": translations(code).gettext(WRONG_FILE)} for code in languages},
    )
    (target / "index.html").write_text(page, encoding="utf-8")
    log.info("Editor written to /%s/ (Decap CMS, %d interface languages)", ADMIN_FOLDER, len(languages))
    return True


class EditorApp:
    """Site output: the editor at /admin/, once for the whole site, by the build's process once
    it has built its own languages, while it waits for its language workers."""

    def __init__(self) -> None:
        self._written_early = False
        """Written by `finish_languages` in this build: `finish` has nothing left to do."""

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        """Nothing per language: one editor serves them all."""

    def finish_languages(self, context: ExportContext, site_dir: Path, languages: tuple[str, ...]) -> None:
        """In the build's process (which builds the default language; a worker writes no editor)."""
        if context.settings.default_language in languages:
            write_editor(site_dir, context.records_dir, context.editor, context.settings.languages)
            self._written_early = True

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        if self._written_early:
            self._written_early = False
            return
        write_editor(site_dir, context.records_dir, context.editor, context.settings.languages)
