"""Test helper: what `mkdocs serve --strict --dirty` does at each save, one build per line read.

MkDocs' server loads the configuration again and calls the same `build` at every
change it sees, in one process (the hooks module, and Rihla's `Publisher` in it,
live on); this does the same when the test writes a line, and answers `built` or
`failed` with the build's message. `tests/test_preview.py` drives it.

    python tests/serve_rebuilds.py mkdocs.yml site/
"""

from __future__ import annotations

import logging
import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"
"""Where `mkdocs serve` serves (its default address): it sets `site_url` to it."""


def main() -> None:
    config_file, site_dir = sys.argv[1:3]
    # As the `mkdocs` command does: what builds log goes to stderr (the test's log file).
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    sys.argv.append("--dirty")  # mkdocs-static-i18n reads it there for the languages after the first
    started = False
    for _line in sys.stdin:
        config = load_config(config_file=config_file, site_dir=site_dir, strict=True)
        if not started:
            config.plugins.on_startup(command="serve", dirty=True)
            started = True
        config.site_url = SERVE_URL
        try:
            build(config, serve_url=SERVE_URL, dirty=True)
        except BaseException as error:  # noqa: BLE001 - reported to the test, as serve logs it
            print(f"failed {error}".replace("\n", " "), flush=True)
        else:
            print("built", flush=True)


if __name__ == "__main__":
    main()
