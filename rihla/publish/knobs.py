"""Environment variables for the tests and benchmarks only, read here and nowhere else.

Staff never set these; the settings staff use are in mkdocs.yml (`rihla/publish/config.py`,
`!ENV` there for the environment). `RIHLA_BENCH_SKIP_OUTPUTS` is read by the benchmark's own
hooks file (`benchmarks/skip_outputs_hooks.py`), never by the engine.
"""

from __future__ import annotations

import os
from pathlib import Path

PROFILE_VARIABLE = "RIHLA_PROFILE"
"""Names the JSON file a build writes its seconds per phase to (`profiling.py`; the benchmark sets it)."""
PAUSE_IN_SWAP_VARIABLE = "RIHLA_PAUSE_IN_SWAP"
"""`before` or `after`: the build pauses a minute at that moment of the site's swap (`staging.py`),
so that a fault test can kill it there."""


def profile_path() -> Path | None:
    """Where to write the build's profile, if a benchmark asks."""
    value = os.environ.get(PROFILE_VARIABLE)
    return Path(value) if value else None


def pause_in_swap(moment: str) -> bool:
    """Whether a fault test asks the build to pause at `moment` of the swap."""
    return os.environ.get(PAUSE_IN_SWAP_VARIABLE) == moment
