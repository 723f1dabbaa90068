"""`make bench`: Rihla's four-language build against plain MkDocs, at three sizes.

For the example knowledge base and two synthetic ones (benchmarks/synthetic.py:
M, 20 missions, 400 visits, 500 organisations; L, 100 missions, 2,000 visits,
2,000 organisations, 300 lessons, 300 actions), in one run it measures:

- the full four-language build (`mkdocs build` with Rihla's hooks and i18n);
- the baseline (benchmarks/baseline.py): plain MkDocs + Material building the
  same pages (same count, same Markdown, all languages together) with the same
  nav, no hooks, no i18n: what MkDocs itself costs;
- the engine's own seconds, as the build reports them (RIHLA_PROFILE):
  loading and validating the records, planning and rendering the pages; and
  beside them what the build's site outputs (search index, PDFs, checks) cost;
- Rihla with each number of language workers asked for (`--workers 1,2`, set through
  RIHLA_WORKERS), in the same run as the baseline;
- peak memory of each build: the largest process's max RSS (wait4, which counts the
  children the build waited for: its language workers, Pagefind, Chromium), and the
  whole process tree's, summing each process's proportional share (PSS, so pages a
  forked worker shares with the build count once), sampled every 0.1 s in a build of
  its own: to read a process's PSS the kernel walks its pages (about 10 ms for a
  1 GB process), which, ten times a second for each process of a build with workers
  and Pagefind, took a third of a core from the build being timed (on 2 cores, L
  with 2 workers measured 134.8 and 135.8 s with it, 118 to 123 s without);
- the size of each site folder;
- `rihla check` on the records.

Builds of Rihla and the baseline alternate, so that a machine busy with other
work slows both alike; the table gives medians and the ratios between the two.
At L, the baseline and Rihla with the most workers (the build-time target's pair)
are built three times each (`--pairs-large`), even when the other builds run once:
one pair on these 2-core machines varies by about 10 %.
Wall-clock time is what a person waits; CPU time (user + system, children
included) is the steadier figure on a shared machine, so ratios are given for
both. With more than one worker, a Rihla build forks a language worker per group
of languages (rihla/publish/workers.py): its CPU time counts theirs, and the
engine's seconds are summed over the processes. The one process not counted is the detached one that deletes the
replaced site and the build's work files after a build has returned (`rihla/publish/staging.py`);
the benchmark waits for it to end before the next build. The table is Markdown, ready for a closing note.

    python benchmarks/run.py                     # example, M and L; 1 and 2 workers
    python benchmarks/run.py --sizes example,M --runs 1 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from benchmarks.baseline import Baseline, write_baseline  # noqa: E402
from benchmarks.synthetic import SIZES, write_knowledge_base  # noqa: E402
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml  # noqa: E402

BUILD_DATE = "2027-01-01"
"""Fixed, so that every run renders the same pages; after the last date of L's records (progress
updates may not be dated after the build)."""
ENGINE_PHASES = ("load_validate", "plan", "render")
RECORD_PAGE_FOLDERS = ("organisations", "visits", "missions")
"""Record pages whose size must not grow with the number of records (the nav lists sections only)."""


@dataclass(frozen=True)
class Measure:
    """One process run to its end."""

    wall: float
    cpu: float
    """User + system seconds of the process and the children it waited for."""
    max_rss_kb: int
    """The largest process's peak (wait4: the build and the children it waited for)."""
    tree_kb: int = 0
    """The process tree's peak: the sum of its processes' proportional set sizes, sampled."""


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it (Linux /proc)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            queue.extend(int(child) for child in Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except OSError:
            continue
    return found


def _tree_pss_kb(pid: int) -> int:
    total = 0
    for process in _descendants(pid):
        try:
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str], log: Path, sample_tree: bool = False
) -> Measure:
    """Run `command` and measure it (`sample_tree`: the process tree's memory too, which slows
    it); stop the benchmark, with the log's end, if it fails."""
    with log.open("wb") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        tree_kb = 0
        while True:
            # wait4 gives this child's own usage; getrusage(RUSAGE_CHILDREN) would mix every child so far.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if sample_tree else 0)
            if pid:
                break
            tree_kb = max(tree_kb, _tree_pss_kb(process.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}); end of {log}:\n{tail}")
    return Measure(wall=wall, cpu=usage.ru_utime + usage.ru_stime, max_rss_kb=usage.ru_maxrss, tree_kb=tree_kb)


def wait_for_detached_deletions(folder: Path, limit: float = 600.0) -> None:
    """Wait until the process a Rihla build leaves deleting the replaced site and its work files
    (`site.rihla-discarded-*`, rihla/publish/staging.py) is done, so that it does not slow the
    next build measured. The build has returned by then: what a person waits for is measured."""
    deadline = time.monotonic() + limit
    while any(".rihla-discarded-" in path.name for path in folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)


SKIP_OUTPUTS_HOOKS = ROOT / "benchmarks" / "skip_outputs_hooks.py"


def rihla_config(folder: Path, records: Path, *, skip_outputs: bool = False) -> Path:
    """The project's mkdocs.yml, reading `records` and building into `folder/site`."""
    config = read_mkdocs_yml(ROOT / "mkdocs.yml")
    config["docs_dir"] = str(ROOT / "docs")
    config["site_dir"] = str(folder / "site")
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(SKIP_OUTPUTS_HOOKS if skip_outputs else ROOT / "hooks.py")]
    config["extra"]["rihla"]["records"] = str(records)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mkdocs.yml"
    write_mkdocs_yml(config, path)
    return path


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under `folder`."""
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


@dataclass
class SizeResult:
    """Every measure taken on one knowledge base."""

    name: str
    records: str
    workers: tuple[int, ...] = (1, 2)
    pages: int = 0
    rihla_by_workers: dict[int, list[Measure]] = field(default_factory=dict)
    """Rihla's builds, by the number of language workers asked for."""
    baseline: list[Measure] = field(default_factory=list)
    memory_by_workers: dict[int, Measure] = field(default_factory=dict)
    """Rihla's builds whose process tree's memory was sampled (not timed), by number of workers."""
    baseline_memory: Optional[Measure] = None
    check: list[Measure] = field(default_factory=list)
    profiles_by_workers: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    site_bytes: int = 0
    site_files: int = 0
    baseline_bytes: int = 0
    baseline_files: int = 0
    record_page_kb: dict[str, float] = field(default_factory=dict)
    """Median HTML size of the record pages of each kind, default language."""

    def median(self, values: list[float]) -> float:
        return statistics.median(values) if values else float("nan")

    @property
    def rihla(self) -> list[Measure]:
        """The builds with the first number of workers (the engine's figures come from them)."""
        return self.rihla_by_workers.get(self.workers[0], [])

    @property
    def profiles(self) -> list[dict[str, Any]]:
        return self.profiles_by_workers.get(self.workers[0], [])

    @property
    def build_wall(self) -> float:
        return self.median([m.wall for m in self.rihla])

    @property
    def build_cpu(self) -> float:
        return self.median([m.cpu for m in self.rihla])

    def wall_with(self, workers: int) -> float:
        return self.median([m.wall for m in self.rihla_by_workers.get(workers, [])])

    def cpu_with(self, workers: int) -> float:
        return self.median([m.cpu for m in self.rihla_by_workers.get(workers, [])])

    def tree_mb(self, measure: Optional[Measure]) -> float:
        return measure.tree_kb / 1024 if measure is not None else float("nan")

    @property
    def baseline_wall(self) -> float:
        return self.median([m.wall for m in self.baseline])

    @property
    def baseline_cpu(self) -> float:
        return self.median([m.cpu for m in self.baseline])

    def peak_mb(self, measures: list[Measure]) -> float:
        return self.median([m.max_rss_kb / 1024 for m in measures])

    def phase(self, *names: str) -> float:
        return self.median([sum(p["seconds"].get(n, 0.0) for n in names) for p in self.profiles])

    @property
    def engine(self) -> float:
        return self.phase(*ENGINE_PHASES)

    @property
    def engine_cpu(self) -> float:
        return self.median([sum(p["cpu_seconds"].get(n, 0.0) for n in ENGINE_PHASES) for p in self.profiles])

    @property
    def outputs(self) -> float:
        return self.median([sum(v for k, v in p["seconds"].items() if k.startswith("output ")) for p in self.profiles])

    def outputs_by_name(self) -> dict[str, float]:
        names = sorted({k for p in self.profiles for k in p["seconds"] if k.startswith("output ") or k == "publish"})
        labels = {"publish": "staged site put in place of the previous one"}
        return {labels.get(name, name.removeprefix("output ")): self.phase(name) for name in names}


def bench_size(
    name: str, work: Path, runs: int, skip_baseline: bool, pdf: bool, skip_outputs: list[str], workers: tuple[int, ...],
    pairs: int = 0,
) -> SizeResult:
    """Measure one knowledge base: `runs` runs of every build, then more builds of the baseline
    and of Rihla with the most workers, alternating, until each has been measured `pairs` times
    (the ratio the target is set on, as a median of that many same-run pairs)."""
    folder = work / name
    if name == "example":
        records = ROOT / "missions"
    else:
        print(f"[{name}] writing the synthetic records…", flush=True)
        records = write_knowledge_base(folder, SIZES[name])
    result = SizeResult(name, str(records), workers)
    config = rihla_config(folder / "rihla", records, skip_outputs=bool(skip_outputs))
    baseline: Optional[Baseline] = None
    if not skip_baseline:
        print(f"[{name}] writing the baseline's pages…", flush=True)
        baseline = write_baseline(ROOT, records, folder / "baseline", BUILD_DATE)
        result.pages = baseline.pages
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "RIHLA_BUILD_DATE": BUILD_DATE,
        "RIHLA_PDF": "auto" if pdf else "false",
        "RIHLA_BENCH_SKIP_OUTPUTS": ",".join(skip_outputs),
    }
    python = sys.executable
    build = [python, "-m", "mkdocs", "build", "--strict", "-q", "-f"]

    def builds(run: int, counts: tuple[int, ...]) -> list[tuple[str, Optional[int], list[str], Path, dict[str, str]]]:
        steps: list[tuple[str, Optional[int], list[str], Path, dict[str, str]]] = [
            (f"rihla-{count}w", count, [*build, str(config)], config.parent,
             {**env, "RIHLA_WORKERS": str(count), "RIHLA_PROFILE": str(folder / f"profile-{count}w-{run}.json")})
            for count in counts
        ]
        if baseline is not None:
            steps.append(("baseline", None, [*build, str(baseline.config_file)], baseline.config_file.parent, env))
        if run % 2:
            steps.reverse()  # alternate who goes first: drift on a busy machine hits both
        return steps

    total = max(runs, pairs if baseline is not None else 0)
    for run in range(total):
        steps = builds(run, workers if run < runs else (max(workers),))
        for label, count, command, cwd, step_env in steps:
            print(f"[{name}] run {run + 1}/{total}: {label} build…", end=" ", flush=True)
            measure = run_measured(command, cwd=cwd, env=step_env, log=folder / f"{label}-{run}.log")
            print(f"{measure.wall:.1f} s", flush=True)
            wait_for_detached_deletions(cwd)
            if count is None:
                result.baseline.append(measure)
                continue
            result.rihla_by_workers.setdefault(count, []).append(measure)
            profile = Path(step_env["RIHLA_PROFILE"])
            result.profiles_by_workers.setdefault(count, []).append(json.loads(profile.read_text(encoding="utf-8")))
        if run >= runs:
            continue
        check = run_measured(
            [python, "-m", "rihla.cli", "check", str(records)], cwd=folder, env=env, log=folder / f"check-{run}.log"
        )
        result.check.append(check)
        print(f"[{name}] run {run + 1}/{total}: rihla check {check.wall:.2f} s", flush=True)
    for label, count, command, cwd, step_env in builds(0, workers):
        print(f"[{name}] memory: {label} build, process tree sampled…", end=" ", flush=True)
        step_env = {key: value for key, value in step_env.items() if key != "RIHLA_PROFILE"}
        measure = run_measured(command, cwd=cwd, env=step_env, log=folder / f"{label}-memory.log", sample_tree=True)
        print(f"{measure.tree_kb / 1024:,.0f} MB", flush=True)
        wait_for_detached_deletions(cwd)
        if count is None:
            result.baseline_memory = measure
        else:
            result.memory_by_workers[count] = measure
    result.site_bytes, result.site_files = folder_size(folder / "rihla" / "site")
    for kind in RECORD_PAGE_FOLDERS:
        sizes = [p.stat().st_size for p in (folder / "rihla" / "site" / kind).glob("*/index.html")]
        result.record_page_kb[kind] = statistics.median(sizes) / 1024 if sizes else float("nan")
    if baseline is not None:
        result.baseline_bytes, result.baseline_files = folder_size(baseline.site_dir)
    if not result.pages:
        result.pages = int(result.profiles[-1]["calls"].get("pages_generated", 0))
    return result


def _mb(value: float) -> str:
    return f"{value / 1e6:,.1f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "–"


Row = tuple[str, list[str]]


def markdown_table(results: list[SizeResult], rows: list[Row]) -> str:
    """A Markdown table: one column per knowledge base, one line per row."""
    header = [
        "| | " + " | ".join(r.name for r in results) + " |",
        "|---|" + "---:|" * len(results),
    ]
    return "\n".join([*header, *(f"| {label} | " + " | ".join(values) + " |" for label, values in rows)])


def worker_rows(results: list[SizeResult]) -> list[Row]:
    """Wall, CPU and memory of Rihla's build with each number of workers, against the baseline."""
    rows: list[Row] = [("baseline build, wall s", [f"{r.baseline_wall:.1f}" for r in results]),
                       ("baseline build, CPU s", [f"{r.baseline_cpu:.1f}" for r in results])]
    for count in results[0].workers if results else ():
        workers = f"{count} worker{'s' if count > 1 else ''}"
        rows += [
            (f"Rihla build, {workers}, wall s", [f"{r.wall_with(count):.1f}" for r in results]),
            (f"**Rihla / baseline, {workers}, wall**", [_ratio(r.wall_with(count), r.baseline_wall) for r in results]),
            (f"Rihla build, {workers}, CPU s", [f"{r.cpu_with(count):.1f}" for r in results]),
            (f"**Rihla / baseline, {workers}, CPU**", [_ratio(r.cpu_with(count), r.baseline_cpu) for r in results]),
            (f"peak memory, {workers}: largest process / process tree (PSS), MB",
             [f"{r.peak_mb(r.rihla_by_workers.get(count, [])):,.0f} / {r.tree_mb(r.memory_by_workers.get(count)):,.0f}"
              for r in results]),
        ]
    rows.append(("peak memory, baseline: largest process / process tree (PSS), MB",
                 [f"{r.peak_mb(r.baseline):,.0f} / {r.tree_mb(r.baseline_memory):,.0f}" for r in results]))
    return rows


def table(results: list[SizeResult]) -> str:
    """The Markdown table of the benchmark (engine figures from the builds with the first number of workers)."""
    first = results[0].workers[0] if results else 1
    workers = results[0].workers if results else ()
    rows: list[Row] = [
        ("runs (medians of): baseline / " + " / ".join(f"{count} w" for count in workers),
         [" / ".join(str(len(measures)) for measures in (r.baseline, *(r.rihla_by_workers.get(count, []) for count in workers)))
          for r in results]),
        ("pages built, all languages", [f"{r.pages:,}" for r in results]),
        *worker_rows(results),
        ("engine: load + validate, s", [f"{r.phase('load_validate'):.2f}" for r in results]),
        ("engine: plan + render pages, s", [f"{r.phase('plan', 'render'):.2f}" for r in results]),
        (f"**engine share of the build, wall ({first} worker{'s' if first > 1 else ''})**",
         [f"{100 * r.engine / r.build_wall:.1f} %" for r in results]),
        ("engine share of the build, CPU (its child processes included)", [f"{100 * r.engine_cpu / r.build_cpu:.1f} %" for r in results]),
        ("site outputs (search, PDFs, checks…), s", [f"{r.outputs:.1f}" for r in results]),
        (
            "Rihla build without site outputs / baseline, wall",
            [_ratio(r.build_wall - r.outputs, r.baseline_wall) for r in results],
        ),
        *(
            (f"median {kind[:-1]} page, KB", [f"{r.record_page_kb.get(kind, float('nan')):.1f}" for r in results])
            for kind in RECORD_PAGE_FOLDERS
        ),
        ("site/ Rihla, MB (files)", [f"{_mb(r.site_bytes)} ({r.site_files:,})" for r in results]),
        ("site/ baseline, MB (files)", [f"{_mb(r.baseline_bytes)} ({r.baseline_files:,})" for r in results]),
        ("**`rihla check`, wall s**", [f"{r.median([m.wall for m in r.check]):.2f}" for r in results]),
        ("`rihla check`, CPU s", [f"{r.median([m.cpu for m in r.check]):.2f}" for r in results]),
    ]
    return markdown_table(results, rows)


def verdicts(results: list[SizeResult]) -> list[str]:
    """The issue's targets, as measured in this run."""
    by_name = {r.name: r for r in results}
    lines = []
    m, l_ = by_name.get("M"), by_name.get("L")
    if m and l_ and m.pages and l_.pages:
        time_ratio, page_ratio = l_.build_wall / m.build_wall, l_.pages / m.pages
        lines.append(
            f"- linear growth: L/M build time {time_ratio:.2f} for {page_ratio:.2f} times the pages "
            f"→ {time_ratio / page_ratio:.2f} (target ≤ 1.30: {'met' if time_ratio / page_ratio <= 1.3 else 'NOT met'})"
        )
    if l_:
        for count in l_.workers:
            wall, cpu = l_.wall_with(count) / l_.baseline_wall, l_.cpu_with(count) / l_.baseline_cpu
            lines.append(
                f"- L build with {count} worker{'s' if count > 1 else ''} / baseline: {wall:.2f}× wall, {cpu:.2f}× CPU "
                f"(target ≤ 0.90 wall: {'met' if wall <= 0.9 else 'NOT met'})"
            )
        for count in l_.workers:
            measures = l_.rihla_by_workers.get(count, [])
            tree = l_.tree_mb(l_.memory_by_workers.get(count)) / l_.tree_mb(l_.baseline_memory)
            largest = l_.peak_mb(measures) / l_.peak_mb(l_.baseline)
            lines.append(
                f"- L peak memory with {count} worker{'s' if count > 1 else ''} / baseline: {tree:.2f}× process tree, "
                f"{largest:.2f}× largest process (target ≤ 1.5: {'met' if max(tree, largest) <= 1.5 else 'NOT met'})"
            )
        share, share_cpu = 100 * l_.engine / l_.build_wall, 100 * l_.engine_cpu / l_.build_cpu
        lines.append(
            f"- engine share of L: {share:.1f} % of the build's wall time (target < 10 %: "
            f"{'met' if share < 10 else 'NOT met'}); {share_cpu:.1f} % of its CPU time, counting the pages "
            f"child processes render beside the build ({'under' if share_cpu < 10 else 'NOT under'} 10 %)"
        )
        check, check_cpu = l_.median([x.wall for x in l_.check]), l_.median([x.cpu for x in l_.check])
        verdict = "met" if check < 2 else "NOT met"
        lines.append(f"- `rihla check` on L: {check:.2f} s wall, {check_cpu:.2f} s CPU (target < 2 s: {verdict})")
    for r in results:
        outputs = ", ".join(f"{k} {v:.1f} s" for k, v in r.outputs_by_name().items() if v >= 0.05)
        if outputs:
            lines.append(f"- {r.name}, seconds after the pages: {outputs}")
        lines.extend(f"- {r.name}, {count} workers: {share}" for count, profiles in sorted(r.profiles_by_workers.items())
                     if count > 1 and (share := _work_shares(profiles[-1])))
    return lines


def _work_shares(profile: dict[str, Any]) -> str:
    """How the processes of one build shared the work (the last run's profile): each one's languages,
    wall and CPU seconds (Pagefind's beside), and what the build's process did after its own."""
    processes = profile.get("processes") or []
    if len(processes) < 2:
        return ""
    parts = [
        f"{'build' if index == 0 else 'worker'} ({', '.join(p['languages'])}) {p['wall_seconds']:.1f} s wall, "
        f"{p['cpu_seconds']:.1f} s CPU + {p['children_cpu_seconds']:.1f} s Pagefind"
        for index, p in enumerate(processes)
    ]
    waited = profile.get("seconds", {}).get("language workers", 0.0)
    tail = profile.get("build_seconds", 0.0) - processes[0]["wall_seconds"] - waited
    return "; ".join(parts) + f"; then the build's process waited {waited:.1f} s and finished the site in {tail:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description="Rihla's build against plain MkDocs, at three sizes.")
    parser.add_argument("--sizes", default="example,M,L", help="comma-separated: example, M, L (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size for the example and M (default 3)")
    parser.add_argument("--runs-large", type=int, default=3, help="runs for L (default 3)")
    parser.add_argument(
        "--pairs-large", type=int, default=3,
        help="builds of the baseline and of Rihla with the most workers at L, alternating, beyond --runs-large "
             "if that is fewer: the ratio of the build-time target is their medians' (default 3)",
    )
    parser.add_argument(
        "--workers", default="1,2",
        help="comma-separated numbers of language workers to build Rihla with, each in the same run (default 1,2)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--skip-baseline", action="store_true", help="build Rihla only")
    parser.add_argument(
        "--skip-output", action="append", default=[], metavar="NAME",
        help="leave out a site output (a class of rihla/publish/outputs.py, e.g. PrivacyGuard); repeatable",
    )
    parser.add_argument(
        "--pdf", action="store_true",
        help="print the mission briefs to PDF as the project's default does (Chromium, seconds per brief and language)",
    )
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    try:
        workers = tuple(int(w) for w in args.workers.split(",") if w.strip())
    except ValueError:
        parser.error(f"--workers: expected numbers such as 1,2 but received {args.workers!r}")
    if not workers or min(workers) < 1:
        parser.error("--workers: expected numbers of 1 or more")
    for size in sizes:
        if size != "example" and size not in SIZES:
            parser.error(f"unknown size {size!r}; expected example, {', '.join(SIZES)}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="rihla-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    runs = {size: args.runs_large if size == "L" else args.runs for size in sizes}
    print(f"Working in {work} on {os.cpu_count()} cores", flush=True)
    started = time.perf_counter()
    try:
        results = [bench_size(size, work, runs[size], args.skip_baseline, args.pdf, args.skip_output, workers,
                              pairs=args.pairs_large if size == "L" else 0)
                   for size in sizes]
        # Imported here: benchmarks/preview.py imports this module's config writer.
        from benchmarks.preview import measure_edit_to_preview, preview_records, preview_table

        previews = {size: measure_edit_to_preview(preview_records(size, work), size, work=work / size / "preview")
                    for size in sizes}
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(results))
    print()
    print("\n".join(verdicts(results)))
    if args.skip_output:
        print(f"- left out of the Rihla builds (--skip-output): {', '.join(args.skip_output)}; "
              "these builds are not publishable sites")
    if not args.pdf:
        print("- PDF briefs were not printed (RIHLA_PDF=false): Chromium takes seconds per brief and language; "
              "run with --pdf to include them")
    print()
    print(preview_table(previews))
    print(f"\n(benchmark took {(time.perf_counter() - started) / 60:.1f} min)")
    if args.keep is not None:
        raw = [asdict(r) for r in results]
        (work / "results.json").write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
        print(f"(every measure: {work / 'results.json'})")


if __name__ == "__main__":
    main()
