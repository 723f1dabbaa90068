"""`mkdocs serve`: an edited record is picked up by exactly one rebuild, never by a rebuild loop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.preview import SERVE_FLAGS
from benchmarks.serve_check import DETECTED, RELOADED, SERVING, ServeLog, edit_record, fetch, free_port, stop_server
from tests.helpers import MINIMAL_RECORDS, site_config

BUILD_TIMEOUT = 300
"""Bounds the waits so that a broken server fails the test instead of hanging it; not a speed check."""
QUIET = 10
"""Seconds after the rebuild in which a build that wrote into a watched folder would have started another."""


@pytest.mark.slow
def test_edited_record_is_served_after_one_rebuild(tmp_path: Path) -> None:
    """Editing an organisation's name while serving rebuilds once and serves the new name."""
    records = tmp_path / "missions"
    shutil.copytree(MINIMAL_RECORDS, records)
    config = site_config(tmp_path, records)
    port = free_port()
    log = ServeLog(tmp_path / "serve.log")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # As `make serve` runs it: a preview rebuilding the changed pages of the default language.
    command = [sys.executable, "-m", "mkdocs", "serve", *SERVE_FLAGS, "-f", str(config), "-a", f"127.0.0.1:{port}"]
    with log.path.open("wb") as output:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        log.wait_for(SERVING, 1, BUILD_TIMEOUT, process)
        organisation, name = edit_record(records)
        log.wait_for(DETECTED, 1, 60, process)
        log.wait_for(RELOADED, 1, BUILD_TIMEOUT, process)
        page = fetch(f"http://127.0.0.1:{port}/organisations/{organisation}/")
        time.sleep(QUIET)
        assert name in page
        assert (log.count(DETECTED), log.count(RELOADED)) == (1, 1), log.text()
    finally:
        stop_server(process)
