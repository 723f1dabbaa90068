"""Each mission brief printed to PDF (A4), per language, by headless Chromium.

Chromium is the faithful printer here: it shapes Arabic and lays it out right to
left as the browser shows it, with the site's own print styles. Printing takes
about a second per page, so it is a setting (`extra.rihla.pdf` in mkdocs.yml, or
`RIHLA_PDF` in the environment, which wins):

- `auto` (default): print when Chromium and Playwright are installed, else not;
- `true`: print, and stop the build when Chromium is missing;
- `false`: never print.

Chromium is found on the PATH, or named by `chromium:` (`RIHLA_CHROMIUM`); its time limit
is `chromium_timeout:` (`RIHLA_CHROMIUM_TIMEOUT`), both under `extra.rihla`.

The brief links its PDF only when the build prints it; a print that fails stops
the build, so a link never points at a missing file. Links inside the PDF point
at the published site (`site_url`), never at the build machine.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rihla.export.context import ExportError
from rihla.export.local_server import serve_folder
from rihla.render.brief import file_name

if TYPE_CHECKING:
    from rihla.export.context import ExportContext

SETTING = "pdf"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
TIME_LIMIT_SETTING = "chromium_timeout"
TIME_LIMIT_VARIABLE = "RIHLA_CHROMIUM_TIMEOUT"
"""The variable the project's mkdocs.yml reads the limit from (`!ENV`), named in the message when it is reached."""
DEFAULT_TIME_LIMIT = 120.0
"""Seconds Chromium may take to start, or to load or print one brief (about a second each)."""
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}

# Run in the page before printing: internal links become addresses on the published
# site, or plain text when the site has no address (a PDF outlives the build folder).
_ABSOLUTE_LINKS = """([page, site]) => {
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (/^(https?:|mailto:|tel:|webcal:)/i.test(href)) continue;
    if (href.startsWith("#")) continue;
    if (!site) { link.removeAttribute("href"); continue; }
    link.setAttribute("href", new URL(href, site + page).href);
    link.setAttribute("data-rihla-internal", "");
  }
}"""


def chromium_path(configured: str | None = None) -> str | None:
    """Chromium's executable: `configured` (`extra.rihla.chromium`) when it exists, else the first
    of the usual names on the PATH; None: not found."""
    if configured:
        return configured if Path(configured).exists() or shutil.which(configured) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _playwright_installed() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def pdf_enabled(option: Any, chromium: str | None = None) -> bool:
    """Whether this build prints PDFs, from the setting's value (`true`, `false` or `auto`) and
    the Chromium found (`chromium_path`).

    Raises ExportError saying what to write when the value is none of them, or when PDFs
    are required and Chromium or Playwright is missing."""
    value = str("auto" if option is None else option).strip().lower()
    if value in _FALSE:
        return False
    available = chromium is not None and _playwright_installed()
    if value == "auto":
        return available
    if value in _TRUE:
        if not available:
            missing = "Chromium" if chromium is None else "Playwright (pip install -r requirements.txt)"
            raise ExportError(
                f"PDF briefs need {missing}; install it (Debian: apt-get install chromium), "
                "or write `auto` to print only where it is installed, or `false`"
            )
        return True
    raise ExportError(f"expected true, false or auto but received {value!r}")


def pdf_skip_reason(option: Any, chromium: str | None) -> str:
    """Why a build whose setting is `option` prints no PDF briefs (when it prints none)."""
    value = str("auto" if option is None else option).strip().lower()
    if value in _FALSE:
        return f"{SETTING}: false"
    if chromium is None:
        return f"Chromium not found ({SETTING}: auto)"
    return f"Playwright not installed ({SETTING}: auto)"


def _local_only(route: Any) -> None:
    """The print needs nothing from outside this machine; nothing else is fetched."""
    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


class MissionPdfs:
    """Prints every mission brief in each language, once the process building that language
    has built all its languages (a language worker prints its own, from its own folder)."""

    def __init__(self) -> None:
        self.printed: dict[str, int] = {}
        """Briefs printed per language, for the build's log."""

    def write_language(self, context: ExportContext, language: str, language_dir: Path) -> None:
        return

    def finish(self, context: ExportContext, site_dir: Path) -> None:
        return

    def summary(self, context: ExportContext, language: str) -> str | None:
        if not context.settings.pdf:
            return f"PDF briefs skipped: {context.pdf_skipped or 'pdf: false'}"
        count = self.printed.get(language, 0)
        return f"{count} PDF brief{'s' if count != 1 else ''}"

    def finish_languages(self, context: ExportContext, site_dir: Path, languages: tuple[str, ...]) -> None:
        settings = context.settings
        if not settings.pdf or not context.knowledge.missions:
            return
        from playwright.sync_api import Error, TimeoutError, sync_playwright

        limit = context.chromium_timeout

        jobs = []
        for language in languages:
            for mission in context.knowledge.missions.values():
                address = context.renderer.pages[("mission", mission.id)].url(language, settings.default_language)
                jobs.append((address, site_dir / address / file_name(mission, language, "pdf")))
        try:
            with serve_folder(site_dir) as base, sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=context.chromium, args=CHROMIUM_ARGS, timeout=limit * 1000
                )
                try:
                    browsing = browser.new_context()
                    browsing.set_default_timeout(limit * 1000)
                    browsing.route("**/*", _local_only)
                    page = browsing.new_page()
                    for address, target in jobs:
                        page.goto(base + address, wait_until="load")
                        page.evaluate("document.fonts.ready.then(() => true)")
                        page.evaluate(_ABSOLUTE_LINKS, [address, _site_base(settings.site_url)])
                        page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True,
                                 tagged=True, outline=True)
                finally:
                    browser.close()
        except TimeoutError:
            raise ExportError(f"Printing the mission briefs to PDF: Chromium did not answer within {limit:g} seconds "
                              f"and was stopped; set `{TIME_LIMIT_SETTING}` under extra.rihla in mkdocs.yml "
                              f"({TIME_LIMIT_VARIABLE} in the project's) to a larger number of seconds, or "
                              f"`{SETTING}: false` under extra.rihla in mkdocs.yml to build without them") from None
        except Error as error:
            raise ExportError(f"Printing the mission briefs to PDF failed ({error.message.splitlines()[0]}); "
                              f"set `{SETTING}: false` under extra.rihla in mkdocs.yml to build without them") from None
        missing = [str(target) for _, target in jobs if not target.is_file() or target.stat().st_size == 0]
        if missing:
            raise ExportError(f"Printing the mission briefs to PDF left no file at {missing[0]}")
        for language in languages:
            self.printed[language] = len(context.knowledge.missions)


def _site_base(site_url: str) -> str:
    return site_url if not site_url or site_url.endswith("/") else site_url + "/"
