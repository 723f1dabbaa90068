"""What each page type weighs on first load, per language: everything a phone downloads.

Builds the example site (or takes a built one with `--site`), serves it on
127.0.0.1 and opens one page of each type in each language in Chromium at
390 × 844, each in a fresh browser profile (nothing cached). It adds up every
response (the page, styles, scripts, fonts, images, Material's sitemap look-up,
the service worker) as served here and as a web server sends it: text
gzip-compressed, fonts and images as they are (already compressed). It prints
one row per page and language, which fonts were fetched, and the brief's
budgets (French ≤ 150 KB, Arabic ≤ 200 KB compressed) as met or not.

Run: `.venv/bin/python benchmarks/page_weights.py` (about a minute);
`--site site` measures an existing build.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, serve  # noqa: E402
from tests.helpers import EXAMPLE_RECORDS, LANGUAGES, site_config  # noqa: E402

PAGES = {
    "home": "",
    "brief": "missions/belgium-2022/",
    "visit": "visits/asa/",
    "organisation": "organisations/asa/",
    "directory": "directory/",
    "lessons": "lessons/",
    "actions": "actions/",
    "theme": "themes/simplification/",
    "publish": "publish/",
}
BUDGETS_KB = {("brief", "fr"): 150, ("brief", "ar"): 200}
"""First load of the brief, compressed, everything included (issue 15)."""
ALREADY_COMPRESSED = (".woff2", ".png", ".jpg", ".pdf", ".gz", ".zip")


@dataclass
class Weight:
    """The responses of one first load."""

    requests: int = 0
    raw: int = 0
    compressed: int = 0
    fonts: list[str] = field(default_factory=list)

    def add(self, url: str, body: bytes) -> None:
        self.requests += 1
        self.raw += len(body)
        path = url.split("?")[0].split("#")[0]
        packed = path.endswith(ALREADY_COMPRESSED)
        self.compressed += len(body) if packed else len(gzip.compress(body, compresslevel=6))
        if path.endswith(".woff2"):
            self.fonts.append(path.rsplit("/", 1)[-1])


def measure(browser, url: str) -> Weight:  # type: ignore[no-untyped-def]
    """The first load of `url` in a fresh profile, at phone size."""
    from tests.browser import _local_only

    weight = Weight()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.route("**/*", _local_only)

    def listener(response) -> None:  # type: ignore[no-untyped-def]
        if not response.ok:
            return
        try:
            weight.add(response.url, response.body())
        except Exception:  # a response whose body the browser discarded (a redirect)
            return

    context.on("response", listener)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return weight


def kb(value: int) -> str:
    return f"{value / 1000:.1f}"


def build(target: Path) -> Path:
    config = site_config(target, EXAMPLE_RECORDS)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RIHLA_PDF": "false"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], check=True, env=env, cwd=target)
    return target / "site"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build the example)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rihla-weights-") as scratch:
        site_dir = args.site or build(Path(scratch))
        print(f"First load at 390 × 844, nothing cached: {site_dir}")
        print(f"{'page':<13}{'lang':<6}{'requests':>9}{'KB served':>11}{'KB gzip':>9}  fonts")
        results: dict[tuple[str, str], Weight] = {}
        with serve(site_dir) as base, chromium() as browser:
            for name, address in PAGES.items():
                for language in LANGUAGES:
                    prefix = "" if language == LANGUAGES[0] else f"{language}/"
                    weight = results[(name, language)] = measure(browser, base + prefix + address)
                    fonts = ", ".join(sorted(set(weight.fonts))) or "none"
                    print(f"{name:<13}{language:<6}{weight.requests:>9}{kb(weight.raw):>11}{kb(weight.compressed):>9}  {fonts}")
        print()
        met = True
        for (name, language), budget in BUDGETS_KB.items():
            value = results[(name, language)].compressed / 1000
            verdict = "met" if value <= budget else "NOT met"
            met &= value <= budget
            print(f"{name} ({language}): {value:.1f} KB compressed, budget {budget} KB: {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
