"""Edit to preview: seconds from saving a record to the served page showing the change.

Starts the preview as `make serve` does (`mkdocs serve` with the flags of
`SERVE_FLAGS`, PDFs off) on a copy of a knowledge base, then edits records of
different kinds in place, as staff would in an editor, one at a time:

1. an organisation's name (its page: `organisations/<id>/`),
2. a visit's title (`visits/<id>/`),
3. a lesson's statement (`lessons/`),
4. the text of an action's latest progress update (`actions/`),
5. a mission's title (`missions/<id>/`),

and again from the first. For each edit it measures the time from the moment the
file is written to the moment the page, fetched over HTTP every 50 ms, holds the
new text AND the server has said it reloads the browsers (a browser shows the
page only then). The median is what `make bench` prints.

    python benchmarks/preview.py --size M            # 5 edits on M
    python benchmarks/preview.py --size example --edits 10
    RIHLA_PREVIEW_LANGUAGES=all python benchmarks/preview.py --size M
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import rihla_config  # noqa: E402
from benchmarks.serve_check import RELOADED, SERVING, ServeLog, free_port, stop_server  # noqa: E402
from benchmarks.synthetic import SIZES, write_knowledge_base  # noqa: E402

SERVE_FLAGS = ("--strict", "--dirty")
"""The flags `make serve` gives `mkdocs serve` (see the Makefile)."""

POLL_SECONDS = 0.05
BUILD_DATE = "2030-01-01"
"""Fixed, and after every date of the synthetic bases (L's progress updates run into 2025)."""


@dataclass(frozen=True)
class RecordEdit:
    """Where one kind of edit goes: the file, the record, the keys down to its default-language text."""

    kind: str
    file: str
    """Glob under the records folder; the first file that matches is edited."""
    keys: tuple[str, ...]
    """Keys from the record's `id:` down to the text (the last one found wins for repeated keys: `updates`)."""
    page: str
    """The page that shows the text; `{id}` is the record's id."""
    last: bool = False
    """Edit the last text found under the record (an action's latest update), not the first."""


EDITS = (
    RecordEdit("organisation name", "organisations.yml", ("name",), "organisations/{id}/"),
    RecordEdit("visit title", "*/visits.yml", ("title",), "visits/{id}/"),
    RecordEdit("lesson statement", "*/lessons.yml", ("statement",), "lessons/"),
    RecordEdit("action progress", "*/actions.yml", ("text",), "actions/", last=True),
    RecordEdit("mission title", "*/mission.yml", ("title",), "missions/{id}/"),
)

_RECORD = re.compile(r"^\s*-?\s*id:\s*['\"]?([\w.-]+)", re.MULTILINE)


def apply_edit(records: Path, edit: RecordEdit, mark: str, language: str = "fr") -> str:
    """Put `mark` at the start of the first record's `language` text, in place, leaving the rest of the
    file as it was; returns the page (site-relative address) that shows it."""
    path = sorted(records.glob(edit.file))[0]
    text = path.read_text(encoding="utf-8")
    record = _RECORD.search(text)
    if record is None:
        raise SystemExit(f"{path}: no record to edit")
    following = _RECORD.search(text, record.end())
    end = following.start() if following else len(text)
    at = record.end()
    for key in edit.keys:
        keys = list(re.compile(rf"^\s*-?\s*{key}:", re.MULTILINE).finditer(text, at, end))
        if not keys:
            raise SystemExit(f"{path}: record {record.group(1)!r} has no {key!r}")
        at = (keys[-1] if edit.last else keys[0]).end()
    value = re.compile(rf"^\s*{language}:[ ]*", re.MULTILINE).search(text, at, end)
    if value is None:
        raise SystemExit(f"{path}: record {record.group(1)!r} has no {language!r} text under {edit.keys}")
    at = value.end()
    if text[at] in "\"'":
        at += 1
    elif text[at] in ">|":  # a block scalar: its text starts on the next line
        at = text.index("\n", at) + 1
        at += len(text[at:]) - len(text[at:].lstrip(" "))
    path.write_text(text[:at] + mark + " " + text[at:], encoding="utf-8")
    return edit.page.format(id=record.group(1))


def _page_text(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # 127.0.0.1 only
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _cpu_seconds(pid: int) -> float:
    """User + system seconds a running process has used so far (Linux), 0 where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_edit_to_preview(
    records_dir: Path, size_name: str, edits: int = 5, work: Path | None = None, timeout: float = 300,
    serve_flags: tuple[str, ...] = SERVE_FLAGS,
) -> list[float]:
    """Seconds from each save to the served page showing it, for `edits` edits of the kinds of `EDITS`.

    `records_dir` is copied first: the edits never touch it."""
    own_work = work is None
    work = work or Path(tempfile.mkdtemp(prefix=f"rihla-preview-{size_name}-"))
    records = work / "missions"
    shutil.copytree(records_dir, records, dirs_exist_ok=True)
    config = rihla_config(work / "serve", records)
    port = free_port()
    log = ServeLog(work / "serve.log")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RIHLA_BUILD_DATE": BUILD_DATE, "RIHLA_PDF": "false"}
    command = [sys.executable, "-m", "mkdocs", "serve", *serve_flags, "-f", str(config), "-a", f"127.0.0.1:{port}"]
    with log.path.open("wb") as output:
        process = subprocess.Popen(command, cwd=config.parent, env=env, stdout=output, stderr=subprocess.STDOUT)
    seconds: list[float] = []
    try:
        first = log.wait_for(SERVING, 1, 3600, process)
        print(f"[preview {size_name}] first build and serving: {first:.1f} s", flush=True)
        for number in range(edits):
            edit = EDITS[number % len(EDITS)]
            reloads = log.count(RELOADED)
            mark = f"RihlaEdit{number}x{int(time.time())}"
            page = apply_edit(records, edit, mark)
            saved, cpu = time.perf_counter(), _cpu_seconds(process.pid)
            shown = reloaded = None
            while shown is None or reloaded is None:
                now = time.perf_counter()
                if now - saved > timeout:
                    raise SystemExit(f"[preview {size_name}] {edit.kind}: not shown after {timeout:.0f} s; "
                                     f"log:\n{log.text()[-3000:]}")
                if process.poll() is not None:
                    raise SystemExit(f"mkdocs serve stopped; log:\n{log.text()[-3000:]}")
                if reloaded is None and log.count(RELOADED) > reloads:
                    reloaded = now
                if shown is None and mark in _page_text(f"http://127.0.0.1:{port}/{page}"):
                    shown = now
                time.sleep(POLL_SECONDS)
            seconds.append(max(shown, reloaded) - saved)
            # CPU seconds of the server for this edit: steadier than wall time on a busy machine.
            print(f"[preview {size_name}] {edit.kind}: {seconds[-1]:.2f} s, server CPU "
                  f"{_cpu_seconds(process.pid) - cpu:.2f} s ({page})", flush=True)
            time.sleep(1.0)  # let the watcher settle before the next save
        if "ERROR" in log.text():
            raise SystemExit(f"[preview {size_name}] the server logged an error; log:\n{log.text()[-3000:]}")
    finally:
        stop_server(process)
        if own_work:
            shutil.rmtree(work, ignore_errors=True)
    return seconds


def preview_records(size_name: str, work: Path) -> Path:
    """The records of a size: the example's, or the synthetic base `benchmarks/run.py` wrote (else written now)."""
    if size_name == "example":
        return ROOT / "missions"
    records = work / size_name / "missions"
    return records if records.is_dir() else write_knowledge_base(work / size_name, SIZES[size_name])


def preview_table(seconds: dict[str, list[float]]) -> str:
    """The Markdown table of edit-to-preview medians, one column per size."""
    sizes = list(seconds)
    rows = [
        ("edits (kinds in turn)", [str(len(seconds[s])) for s in sizes]),
        ("**edit to preview, median s**", [f"{statistics.median(seconds[s]):.2f}" for s in sizes]),
        ("edit to preview, min – max s", [f"{min(seconds[s]):.2f} – {max(seconds[s]):.2f}" for s in sizes]),
    ]
    lines = [f"| `make serve` | {' | '.join(sizes)} |", "|---|" + "---:|" * len(sizes)]
    lines += [f"| {label} | {' | '.join(values)} |" for label, values in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Seconds from saving a record to its preview in the browser.")
    parser.add_argument("--size", default="M", choices=["example", *sorted(SIZES)])
    parser.add_argument("--edits", type=int, default=5, help="edits, of kinds in turn (default 5)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--serve-flags", default=" ".join(SERVE_FLAGS),
                        help=f"flags for mkdocs serve (default: {' '.join(SERVE_FLAGS)!r}, as make serve)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rihla-preview-"))
    try:
        records = preview_records(args.size, work)
        seconds = measure_edit_to_preview(
            records, args.size, args.edits, work / "serve", serve_flags=tuple(args.serve_flags.split())
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(preview_table({args.size: seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
