"""The build's privacy check on a built site: the engine's reading against the old one, in one run.

The check (`rihla.export.privacy_guard`) reads every file of the site and looks for the records'
private values in it as written and as each encoding writes them. The engine searches the written
text whole once and decodes only windows around escapes; the old reading
(`tests/privacy_guard_reference.py`) decoded and searched every view of every file whole. This
script times both over the same files, alternating, and prints the median CPU and wall seconds of
a whole pass and their ratio; it also checks that both report the same leaks.

The synthetic records hold e-mails and internal notes but no phone numbers: `--phones` adds that
many private phone numbers to the values looked for (default 500), so that the digit search is timed too.

    python benchmarks/privacy_check.py                     # builds an M site in a temporary folder
    python benchmarks/privacy_check.py --keep /tmp/m       # … and keeps it, or reuses it when built
    python benchmarks/privacy_check.py --site SITE --records MISSIONS --runs 7
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import BUILD_DATE, rihla_config  # noqa: E402
from benchmarks.synthetic import SIZES, write_knowledge_base  # noqa: E402
from rihla.export.privacy_guard import Leak, PrivateValueSearch, private_values  # noqa: E402
from rihla.load import load_knowledge_base  # noqa: E402
from rihla.load.privacy import PrivateValue  # noqa: E402
from tests import privacy_guard_reference as reference  # noqa: E402

Reader = Callable[[Path, str], list[Leak]]


def build(folder: Path, size: str) -> tuple[Path, Path]:
    """A site of `size` built under `folder` (reused when already there): (site folder, records folder)."""
    records = folder / "missions"
    site = folder / "rihla" / "site"
    if site.is_dir() and records.is_dir():
        return site, records
    print(f"writing the {size} records and building the site (PDFs off, one worker)…", flush=True)
    records = write_knowledge_base(folder, SIZES[size])
    config = rihla_config(folder / "rihla", records)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RIHLA_BUILD_DATE": BUILD_DATE, "RIHLA_PDF": "false",
           "RIHLA_WORKERS": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)], env=env, check=True)
    return site, records


def phone_values(count: int) -> list[PrivateValue]:
    """Private phone numbers of made-up people, Belgian and Estonian."""
    return [
        PrivateValue("person", f"caller-{n}", "phone",
                     f"+32 2 {500 + n % 400} {n % 97:02d} {n % 89:02d}" if n % 2 else f"+372 5{n % 1000:03d} {n:04d}",
                     "contact_public")
        for n in range(count)
    ]


def check(files: list[tuple[Path, str]], read: Reader) -> tuple[float, float, list[Leak]]:
    """(CPU seconds, wall seconds, leaks) of one pass over `files`."""
    wall, cpu = time.perf_counter(), time.process_time()
    leaks = [leak for path, name in files for leak in read(path, name)]
    return time.process_time() - cpu, time.perf_counter() - wall, leaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="M", choices=sorted(SIZES), help="synthetic size to build (default M)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (reused when already built)")
    parser.add_argument("--site", type=Path, help="a built site to read instead of building one")
    parser.add_argument("--records", type=Path, help="the records folder of --site")
    parser.add_argument("--runs", type=int, default=5, help="passes of each reading (default 5)")
    parser.add_argument("--phones", type=int, default=500, help="private phone numbers added (default 500)")
    args = parser.parse_args()
    if (args.site is None) != (args.records is None):
        parser.error("--site and --records go together")
    work = None
    if args.site is not None:
        site, records = args.site, args.records
    else:
        work = args.keep or Path(tempfile.mkdtemp(prefix="rihla-privacy-"))
        site, records = build(work, args.size)
    try:
        values = private_values(load_knowledge_base(records)) + phone_values(args.phones)
        search = PrivateValueSearch(values)
        files = [(path, path.relative_to(site).as_posix()) for path in sorted(site.rglob("*")) if path.is_file()]
        megabytes = sum(path.stat().st_size for path, _name in files) / 1e6
        print(f"{len(files):,} files ({megabytes:,.0f} MB), {len(values):,} private values; {args.runs} runs each",
              flush=True)
        readers: dict[str, Reader] = {
            "old (every view whole)": lambda path, name: reference.leaks_in(search, path, name),
            "new (windows)": search.leaks_in,
        }
        cpu: dict[str, list[float]] = {label: [] for label in readers}
        wall: dict[str, list[float]] = {label: [] for label in readers}
        found: dict[str, list[Leak]] = {}
        for run in range(args.runs):
            order = list(readers) if run % 2 == 0 else list(reversed(readers))  # a busy machine slows both alike
            for label in order:
                seconds, elapsed, leaks = check(files, readers[label])
                cpu[label].append(seconds)
                wall[label].append(elapsed)
                found[label] = leaks
                print(f"  run {run + 1}: {label}: {seconds:.2f} s CPU", flush=True)
        old, new = readers
        print("\n| reading | median CPU s | median wall s |\n|---|---:|---:|")
        for label in readers:
            print(f"| {label} | {statistics.median(cpu[label]):.2f} | {statistics.median(wall[label]):.2f} |")
        ratio = statistics.median(cpu[new]) / statistics.median(cpu[old])
        print(f"\nnew / old CPU: {ratio:.2f}× ({1 / ratio:.2f}× faster); "
              f"same leaks: {found[old] == found[new]} ({len(found[new])} found)")
        print(f"load average: {', '.join(f'{load:.2f}' for load in os.getloadavg())} on {os.cpu_count()} cores")
        if found[old] != found[new]:
            sys.exit("the two readings disagree")
    finally:
        if work is not None and args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
