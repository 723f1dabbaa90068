"""Where a build's time goes, measured inside the engine rather than guessed.

Every build keeps a :class:`BuildProfile`: the seconds spent in each phase of
the engine (loading and validating the records, planning and rendering the
pages, finishing pages, writing each site output) and how often it ran.
Timing a phase costs two clock reads, so it is always on; the figures are
written only when the environment variable `RIHLA_PROFILE` names a file, as
JSON, once every language is built. `benchmarks/run.py` reads that file to
tell the engine's share of a build from what MkDocs and its plugins cost.
"""

from __future__ import annotations

import json
import resource
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rihla.publish.knobs import profile_path

ENGINE_PHASES = ("load_validate", "plan", "render")
"""The engine's own work: loading and validating the records, and generating the pages."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class BuildProfile:
    """Seconds and calls per phase of one build, all languages together."""

    path: Path | None = None
    started: float = field(default_factory=time.perf_counter)
    started_cpu: float = field(default_factory=time.process_time)
    started_children_cpu: float = field(default_factory=_children_cpu)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cpu_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """This process's CPU time per phase: steadier than wall-clock time on a busy machine."""
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    languages: dict[str, float] = field(default_factory=dict)
    """Wall-clock seconds of each language's MkDocs build, in build order."""
    language_cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each language's MkDocs build (its process's, Pagefind and Chromium not counted)."""
    processes: list[dict[str, Any]] = field(default_factory=list)
    """Each process's languages, wall and CPU seconds (its own and its waited children's: Pagefind,
    Chromium): how evenly the language workers shared the work. The build's process comes first."""
    _language_started: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def from_environment(cls) -> BuildProfile:
        return cls(path=profile_path())  # RIHLA_PROFILE, set by the benchmark (knobs.py)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block under `name` (seconds add up over calls)."""
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start
            self.cpu_seconds[name] += time.process_time() - start_cpu
            self.calls[name] += 1

    def add_worker(self, report: dict[str, Any]) -> None:
        """Add a language worker's figures (`report()` in the worker): its phases' seconds and
        calls add to this process's, so a phase's seconds are summed over the processes that
        ran it side by side; its languages' times are listed with the others."""
        for name, value in report.get("seconds", {}).items():
            self.seconds[name] += value
        for name, value in report.get("cpu_seconds", {}).items():
            self.cpu_seconds[name] += value
        for name, value in report.get("calls", {}).items():
            self.calls[name] += value
        self.languages.update(report.get("languages", {}))
        self.language_cpu.update(report.get("language_cpu", {}))
        self.processes.extend(report.get("processes", []))

    def count(self, name: str, number: int) -> None:
        """Add to a counter that is not a phase (`pages`: pages rendered, all languages together)."""
        self.calls[name] += number

    def start_language(self, language: str) -> None:
        self._language_started[language] = (time.perf_counter(), time.process_time())

    def end_language(self, language: str) -> None:
        started = self._language_started.get(language)
        if started is not None:
            self.languages[language] = time.perf_counter() - started[0]
            self.language_cpu[language] = time.process_time() - started[1]

    def this_process(self, languages: tuple[str, ...]) -> dict[str, Any]:
        """This process's share: its languages, and its seconds since `on_config`."""
        return {
            "languages": list(languages),
            "wall_seconds": round(time.perf_counter() - self.started, 4),
            "cpu_seconds": round(time.process_time() - self.started_cpu, 4),
            "children_cpu_seconds": round(_children_cpu() - self.started_children_cpu, 4),
        }

    def report(self) -> dict[str, Any]:
        """The profile as plain data: phases, engine total, languages, wall time since `on_config`."""
        engine = sum(self.seconds.get(name, 0.0) for name in ENGINE_PHASES)
        engine_cpu = sum(self.cpu_seconds.get(name, 0.0) for name in ENGINE_PHASES)
        return {
            "seconds": {name: round(value, 4) for name, value in sorted(self.seconds.items())},
            "cpu_seconds": {name: round(value, 4) for name, value in sorted(self.cpu_seconds.items())},
            "calls": dict(sorted(self.calls.items())),
            "engine_seconds": round(engine, 4),
            "engine_cpu_seconds": round(engine_cpu, 4),
            "languages": {code: round(value, 4) for code, value in self.languages.items()},
            "language_cpu": {code: round(value, 4) for code, value in self.language_cpu.items()},
            "processes": self.processes,
            "build_seconds": round(time.perf_counter() - self.started, 4),
            "build_cpu_seconds": round(time.process_time() - self.started_cpu, 4),
        }

    def write(self) -> None:
        """Write the report where `RIHLA_PROFILE` says, if it says anywhere."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.report(), indent=2) + "\n", encoding="utf-8")
