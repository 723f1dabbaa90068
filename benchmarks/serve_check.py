"""`mkdocs serve` on a large knowledge base: one record edited, one rebuild, no loop.

Writes a synthetic knowledge base (L by default: 100 missions, 2,000 visits,
2,000 organisations), starts `mkdocs serve --strict` on 127.0.0.1 in the
background, and once the site is served:

1. edits one record (the French name of one organisation, in
   `organisations.yml`), as a member of staff would;
2. waits for the server to notice ("Detected file changes") and to finish
   ("Reloading browsers"), then checks that the served page shows the new name;
3. waits a quiet period and checks that nothing else was rebuilt: a build that
   wrote into a watched folder (the records, `docs/`, the theme) would start
   another rebuild by itself, and again, without end.

It prints the time of the first build and of the rebuild, and exits 1 when a
check fails. Every wait is bounded; the server is stopped in all cases.

    python benchmarks/serve_check.py               # L, as the issue asks
    python benchmarks/serve_check.py --size M      # quicker
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import BUILD_DATE, rihla_config  # noqa: E402
from benchmarks.synthetic import SIZES, write_knowledge_base  # noqa: E402

DETECTED = "Detected file changes"
RELOADED = "Reloading browsers"
SERVING = "Serving on "
MARK = "Rihla serve check"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServeLog:
    """The server's output, read from its log file as it grows."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace") if self.path.exists() else ""

    def count(self, needle: str) -> int:
        return self.text().count(needle)

    def wait_for(self, needle: str, times: int, timeout: float, process: subprocess.Popen[bytes]) -> float:
        """Seconds until `needle` has appeared `times` times; stops the check on timeout or exit."""
        start = time.perf_counter()
        while self.count(needle) < times:
            if process.poll() is not None:
                raise SystemExit(f"mkdocs serve stopped (exit {process.returncode}); log:\n{self.text()[-3000:]}")
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"no {needle!r} after {timeout:.0f} s; log:\n{self.text()[-3000:]}")
            time.sleep(0.5)
        return time.perf_counter() - start


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop `mkdocs serve` as Ctrl-C does; kill it if it has not stopped within 30 s."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # 127.0.0.1 only
        return response.read().decode("utf-8")


def edit_record(records: Path) -> tuple[str, str]:
    """Give the first organisation of the shared records a new French name, in place, as staff would
    in an editor (the rest of the file untouched); returns its id and the new name."""
    for path in sorted(records.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        organisations = (yaml.safe_load(text) or {}).get("organisations") or []
        if not organisations or "fr" not in (organisations[0].get("name") or {}):
            continue
        record, old = organisations[0]["id"], organisations[0]["name"]["fr"]
        section = re.compile(r"^organisations:", re.MULTILINE).search(text)
        start = text.index(f"id: {record}", section.end() if section else 0)
        at = text.index(old, start)
        name = f"{MARK} {int(time.time())}"
        path.write_text(text[:at] + name + text[at + len(old):], encoding="utf-8")
        return record, name
    raise SystemExit(f"{records}: no organisation with a French name to edit")


def main() -> int:
    parser = argparse.ArgumentParser(description="mkdocs serve: one record edited, exactly one rebuild.")
    parser.add_argument("--size", default="L", choices=["example", *sorted(SIZES)])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for each build (default 1800)")
    parser.add_argument("--quiet", type=float, default=20, help="seconds without a rebuild that prove there is no loop")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--skip-output", action="append", default=[], metavar="NAME",
        help="leave out a site output, as benchmarks/run.py does (e.g. PrivacyGuard); repeatable",
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="rihla-serve-"))
    print(f"[serve] writing the {args.size} knowledge base in {work}…", flush=True)
    if args.size == "example":
        records = work / args.size / "missions"  # a copy: the check edits it
        shutil.copytree(ROOT / "missions", records, dirs_exist_ok=True)
    else:
        records = write_knowledge_base(work / args.size, SIZES[args.size])
    config = rihla_config(work / args.size / "serve", records, skip_outputs=bool(args.skip_output))
    port = free_port()
    log = ServeLog(work / args.size / "serve.log")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "RIHLA_BUILD_DATE": BUILD_DATE,
        "RIHLA_PDF": "false",
        "RIHLA_BENCH_SKIP_OUTPUTS": ",".join(args.skip_output),
    }
    command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    failures: list[str] = []
    with log.path.open("wb") as output:
        process = subprocess.Popen(command, cwd=config.parent, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        first = log.wait_for(SERVING, 1, args.timeout, process)
        print(f"[serve] first build and serving: {first:.1f} s", flush=True)
        base = f"http://127.0.0.1:{port}/"
        if MARK in fetch(f"{base}directory/"):
            failures.append("the directory shows the edit before it was made")

        organisation, name = edit_record(records)
        print(f"[serve] edited the French name of organisation {organisation!r}", flush=True)
        log.wait_for(DETECTED, 1, 60, process)
        rebuild = log.wait_for(RELOADED, 1, args.timeout, process)
        print(f"[serve] edit detected and site rebuilt: {rebuild:.1f} s", flush=True)
        for url in (f"{base}organisations/{organisation}/", f"{base}directory/"):
            if name not in fetch(url):
                failures.append(f"{url} does not show the edited name")

        time.sleep(args.quiet)
        detected, reloaded = log.count(DETECTED), log.count(RELOADED)
        print(f"[serve] after {args.quiet:.0f} s more: {detected} rebuild(s) started, {reloaded} finished", flush=True)
        if detected != 1 or reloaded != 1:
            failures.append(
                f"expected exactly one rebuild for one edit, saw {detected} started and {reloaded} finished"
            )
        if "ERROR" in log.text():
            failures.append("the server logged an error")
    finally:
        stop_server(process)
    for failure in failures:
        print(f"[serve] FAILED: {failure}", flush=True)
    if not failures:
        print("[serve] OK: one edit, one rebuild, the edit is served, no rebuild loop", flush=True)
    if args.keep is None and not failures:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"[serve] log: {log.path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
