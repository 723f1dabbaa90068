"""Driving Debian's Chromium against a built site served on 127.0.0.1.

Without Chromium the browser tests are skipped on a workstation and fail in CI
(`CI` set), so that a missing browser can never pass for a green run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from rihla.export.local_server import serve_folder

CHROMIUM = os.environ.get("RIHLA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip without Chromium, except in CI where its absence is a failure."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def serve(site_dir: Path) -> AbstractContextManager[str]:
    """Serve a folder on 127.0.0.1 on a free port; yields the base URL (ending with `/`)."""
    return serve_folder(site_dir)


def _local_only(route) -> None:  # type: ignore[no-untyped-def]
    """Let requests to this machine through and abort every other host."""
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
        route.continue_()
    else:
        route.abort()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (Playwright), every host but 127.0.0.1 blocked."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
    """A page of the given viewport size with only local requests allowed."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route("**/*", _local_only)
    return context.new_page()
