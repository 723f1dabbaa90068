"""What the directory and the search cost a visitor, on a synthetic directory of 2,000 organisations.

Builds a synthetic knowledge base (benchmarks/synthetic.py) with 2,000
organisations into a temporary folder, serves the site on 127.0.0.1 and drives
Chromium. For each language it prints:

- the bytes downloaded to open the directory page (the page and everything it
  loads), as served here (no compression) and gzip-compressed as a web server
  would send them;
- the bytes a first search adds (Pagefind's script, its language's index
  chunks, the fragments of the first results), measured the same way;
- the time a filter takes to apply in Chromium (choosing a level of government,
  then typing a name), from the change to the end of the re-layout: the median
  of several runs.

Run: `python benchmarks/directory.py` (add `--keep /tmp/dir-bench` to keep the site).
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import Size, write_knowledge_base  # noqa: E402
from tests.browser import chromium, new_page, serve  # noqa: E402
from tests.helpers import LANGUAGES, site_config  # noqa: E402

QUERIES = {"fr": "simplification", "nl": "vereenvoudiging", "en": "simplification", "ar": "التبسيط"}
"""A first search per language: words of the synthetic texts."""
NAME_TYPED = {"fr": "agence", "nl": "agentschap", "en": "agency", "ar": "الوكالة"}


@dataclass
class Transfer:
    """The responses of one step: raw and gzip-compressed bytes, and how many."""

    raw: int = 0
    compressed: int = 0
    files: list[str] = field(default_factory=list)

    def add(self, url: str, body: bytes) -> None:
        self.raw += len(body)
        self.compressed += len(gzip.compress(body, compresslevel=6))
        self.files.append(url)


SITE_WIDE = ("/sitemap.xml",)
"""Fetched by Material's language menu on every page, not by the directory: counted apart."""


def record(page, transfer: Transfer, apart: Transfer | None = None):  # type: ignore[no-untyped-def]
    """Add every finished response of `page` to `transfer` (site-wide ones to `apart`); returns the listener."""

    def listener(response) -> None:  # type: ignore[no-untyped-def]
        if not response.ok:
            return
        target = apart if apart is not None and response.url.endswith(SITE_WIDE) else transfer
        try:
            target.add(response.url, response.body())
        except Exception:  # a response whose body the browser discarded (a redirect)
            pass

    page.on("response", listener)
    return listener


def kib(value: int) -> str:
    return f"{value / 1024:,.0f} KiB"


def measure_language(browser, base_url: str, language: str, runs: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    prefix = "" if language == LANGUAGES[0] else f"{language}/"
    page = new_page(browser)
    opening, site_wide = Transfer(), Transfer()
    listener = record(page, opening, site_wide)
    page.goto(base_url + prefix + "directory/", wait_until="load")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", listener)

    searching = Transfer()
    listener = record(page, searching)
    box = page.locator("[data-rihla-search] input")
    box.click()
    box.fill(QUERIES[language])
    page.wait_for_function(
        "q => document.querySelector('[data-rihla-search] .md-search-result__list').dataset.query === q",
        arg=QUERIES[language],
    )
    page.locator("[data-rihla-search] .md-search-result__item").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", listener)
    results = page.locator("[data-rihla-search] .md-search-result__meta").inner_text()
    page.keyboard.press("Escape")

    # Apply a filter, then undo it, `runs` times; time from the change to the end of the layout.
    level_times = page.evaluate(
        """(runs) => {
          const select = document.querySelector('#directory-level');
          const value = [...select.options].find((o) => o.value === 'regional') ? 'regional' : select.options[1].value;
          const times = [];
          for (let i = 0; i < runs; i++) {
            for (const next of [value, '']) {
              const start = performance.now();
              select.value = next;
              select.dispatchEvent(new Event('input', { bubbles: true }));
              document.documentElement.offsetHeight;  // wait for style and layout
              if (next) times.push(performance.now() - start);
            }
          }
          return times;
        }""",
        runs,
    )
    shown = page.locator("[data-directory-count]").inner_text()
    name_times = page.evaluate(
        """([runs, typed]) => {
          const box = document.querySelector('#directory-q');
          const times = [];
          for (let i = 0; i < runs; i++) {
            for (const next of [typed, '']) {
              const start = performance.now();
              box.value = next;
              box.dispatchEvent(new Event('input', { bubbles: true }));
              document.documentElement.offsetHeight;
              if (next) times.push(performance.now() - start);
            }
          }
          return times;
        }""",
        [runs, NAME_TYPED[language]],
    )
    rows = page.locator("[data-directory] tbody tr").count()
    page.context.close()
    return {
        "opening": opening,
        "site_wide": site_wide,
        "searching": searching,
        "results": results,
        "level_ms": statistics.median(level_times),
        "name_ms": statistics.median(name_times),
        "rows": rows,
        "shown": shown,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15, help="filter runs per language (the median is printed)")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    parser.add_argument("--reuse", action="store_true", help="measure the site already built in --keep")
    parser.add_argument("--details", action="store_true", help="list the files each step downloads")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="rihla-directory-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    # 2,000 organisations, some met over five missions; few lessons and actions: the directory is what is measured.
    size = Size("directory", missions=5, visits=250, organisations=args.organisations, lessons=20, actions=20, people=1000, cities=60)
    site_dir = folder / "site"
    if args.reuse and args.keep and site_dir.is_dir():
        built = "already built"
    else:
        records = write_knowledge_base(folder, size)
        config = site_config(folder, records, build_date="2024-01-01")
        started = time.perf_counter()
        build = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
            capture_output=True, text=True, cwd=folder, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if build.returncode != 0:
            raise SystemExit(build.stdout[-4000:] + build.stderr[-4000:])
        built = f"built in {time.perf_counter() - started:.0f} s"
    pages = sum(1 for _ in site_dir.rglob("index.html"))
    organisations = sum(1 for _ in (site_dir / "organisations").iterdir())
    print(f"Synthetic directory: {organisations:,} organisations, {pages:,} pages in {len(LANGUAGES)} languages, "
          f"{built} ({folder})")
    print()
    header = f"{'lang':<5}{'open directory page':>30}{'first search adds':>30}{'filter: level':>15}{'filter: name':>14}"
    print(header)
    print(f"{'':<5}{'raw / gzip (files)':>30}{'raw / gzip (files)':>30}{'median ms':>15}{'median ms':>14}")
    notes: list[Transfer] = []
    with serve(site_dir) as base_url, chromium() as browser:
        for language in LANGUAGES:
            m = measure_language(browser, base_url, language, args.runs)
            opening, searching = m["opening"], m["searching"]
            assert isinstance(opening, Transfer) and isinstance(searching, Transfer)
            print(
                f"{language:<5}"
                f"{kib(opening.raw) + ' / ' + kib(opening.compressed) + f' ({len(opening.files)})':>30}"
                f"{kib(searching.raw) + ' / ' + kib(searching.compressed) + f' ({len(searching.files)})':>30}"
                f"{m['level_ms']:>15.1f}{m['name_ms']:>14.1f}"
            )
            if args.details:
                for name, transfer in (("open", opening), ("search", searching)):
                    for url in transfer.files:
                        print(f"     {name}: {url.removeprefix(base_url)}")
            site_wide = m["site_wide"]
            assert isinstance(site_wide, Transfer)
            notes.append(site_wide)
    directory_html = (site_dir / "directory" / "index.html").stat().st_size
    json_size = (site_dir / "directory" / "organisations.json").stat().st_size
    print()
    directory_gzip = len(gzip.compress((site_dir / "directory" / "index.html").read_bytes(), compresslevel=6))
    print(f"French directory page alone: {kib(directory_html)} ({kib(directory_gzip)} gzip); its JSON: {kib(json_size)}.")
    fetched = max(notes, key=lambda t: t.raw)
    if fetched.raw:
        print(f"Not counted above: Material's language menu also fetched {', '.join(sorted(set(fetched.files)))} "
              f"({kib(fetched.raw)} / {kib(fetched.compressed)} gzip), on every page of the site.")
    print("Filter times: from the change to the end of style and layout, median of "
          f"{args.runs} runs, headless Chromium on this machine.")


if __name__ == "__main__":
    main()
