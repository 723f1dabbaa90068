"""The site as an app a phone keeps and reads offline (a progressive web app).

- `manifest.webmanifest` in each language's folder (`/`, `/nl/`, …): the app's
  name, language and direction, its start page (that language's home) and icons;
  `partials/rihla/head.html` links each page to its language's.
- `sw.js` at the site's root, from `templates/offline/sw.js`: the service worker
  that `assets/rihla/offline.js` registers. It keeps what the reader opens and, on
  a brief's "Keep for offline", the whole brief. Its cache is named after this
  build's version, a digest of every file of the site: a new build that changes
  anything changes `sw.js`, which browsers check on each visit, and the new worker
  fetches again what the reader kept before it deletes the older caches. An
  unchanged site gives the same `sw.js`, byte for byte (the search index and the
  PDFs, which differ between identical builds, follow from the pages).

A site opened from files (`make offline`, file://) has no service worker: browsers
run none there, and `offline.js` does not try.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from rihla.export.site_files import Stamp, file_stamp, files_of_languages, in_path_order, site_stamps
from rihla.model.text import direction
from rihla.render.catalog import translations
from rihla.site_language import site_dir_of

if TYPE_CHECKING:
    from rihla.export.context import ExportContext
    from rihla.render.settings import SiteSettings

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

MANIFEST = "manifest.webmanifest"
SERVICE_WORKER = "sw.js"
CACHE_PREFIX = "rihla-build-"
KEPT_CACHE = "rihla-kept"
PATIENCE_MS = 4000
"""How long a page waits on a slow network before the kept copy is shown."""
ICONS = (("assets/rihla/icon-192.png", "192x192"), ("assets/rihla/icon-512.png", "512x512"))
THEME_COLOR = "#3f51b5"
"""Material's indigo, the palette of mkdocs.yml."""


DERIVED = ("pagefind",)
"""Folders left out of the version: the search index is made from the pages (which are in
it), and differs from one identical build to the next."""
DERIVED_SUFFIXES = (".pdf",)
"""Files left out of the version: a PDF is printed from its brief (which is in it) and carries
the time it was printed."""


FileDigests = dict[str, tuple[Stamp, bytes]]
"""Files digested so far, by their path in the site: their stamp when read, and their digest."""


def _counted(relative: str) -> bool:
    """Whether a file (its path in the site) counts in the site's version."""
    derived = relative.endswith(DERIVED_SUFFIXES) or any(part in DERIVED for part in relative.split("/"))
    return relative != SERVICE_WORKER and not derived


def _file_digest(path: Path) -> bytes:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


def site_version(site_dir: Path, known: FileDigests | None = None) -> str:
    """A digest of the built site's files (paths and contents): the same for the same site.

    `known`: files digested before (by the processes that built their languages); each is read
    again only when its stamp changed since."""
    known = known or {}
    digest = hashlib.blake2b(digest_size=8)
    stamps = site_stamps(site_dir)
    for relative in in_path_order(stamps):
        if not _counted(relative):
            continue
        stamp, file_digest = known.get(relative, (None, b""))
        if stamp != stamps[relative]:
            file_digest = _file_digest(site_dir / relative)
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(file_digest)
    return digest.hexdigest()


def _worker_environment() -> Environment:
    # JavaScript, not HTML: no HTML escaping; values go in through `tojson`.
    return Environment(loader=PackageLoader("rihla.render", "templates"), autoescape=False, undefined=StrictUndefined)


class OfflineApp:
    """Site output: a web app manifest per language, then the service worker once all is built.

    The service worker is named after a digest of every file (`site_version`); each process
    digests the files of the languages it built (a language worker, beside the others), and
    the build's process reads again only what was written since.
    """

    def __init__(self) -> None:
        self.digests: FileDigests = {}

    def _digest_languages(self, site_dir: Path, languages: tuple[str, ...], settings: SiteSettings) -> None:
        """Digest the files of `languages` not digested as they are now (a language worker: in its own folder)."""
        for name, path in files_of_languages(site_dir, languages, settings.languages, settings.default_language,
                                             with_bundle=False):
            if _counted(name):
                stamp = file_stamp(path)  # before reading: a change during the read shows at the end
                if self.digests.get(name, (None, b""))[0] != stamp:
                    self.digests[name] = (stamp, _file_digest(path))

    def finish_languages(self, context: ExportContext, site_dir: Path, languages: tuple[str, ...]) -> None:
        """Digest what was written in `languages` since each was written (by outputs that finish languages)."""
        self._digest_languages(site_dir, languages, context.settings)

    def results(self) -> FileDigests:
        return self.digests

    def add_results(self, results: FileDigests) -> None:
        self.digests.update(results)

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        settings = context.settings
        to_root = "" if language == settings.default_language else "../"
        gettext = translations(language).gettext
        manifest = {
            "id": "./",
            "name": context.site_name or "Rihla",
            "short_name": context.site_name or "Rihla",
            "description": gettext("Mission briefs, interlocutors and follow-up, also without a network"),
            "lang": language,
            "dir": direction(language),
            "start_url": "./",
            "scope": to_root or "./",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOR,
            "icons": [
                {"src": to_root + src, "sizes": sizes, "type": "image/png", "purpose": "any maskable"}
                for src, sizes in ICONS
            ],
        }
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        (language_dir / MANIFEST).write_text(text, encoding="utf-8")
        # Digested now, while the language's search index is made in the background.
        self._digest_languages(site_dir_of(language_dir, language, settings.default_language), (language,), settings)

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        version = site_version(site_dir, self.digests)
        worker = _worker_environment().get_template("offline/sw.js").render(
            version=version, cache_prefix=CACHE_PREFIX, kept_cache=KEPT_CACHE, patience_ms=PATIENCE_MS
        )
        (site_dir / SERVICE_WORKER).write_text(worker + "\n", encoding="utf-8")
        log.info("Service worker %s for build %s", SERVICE_WORKER, version)
