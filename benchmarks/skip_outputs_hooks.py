"""Benchmark only: the project's hooks.py, minus the site outputs named in RIHLA_BENCH_SKIP_OUTPUTS.

`benchmarks/run.py --skip-output NAME` builds with this file as the hook, to
tell what one site output (a class listed by `rihla/publish/outputs.py`, such
as `PrivacyGuard`) costs, or to measure the rest of a build while one output is
too slow to wait for. A site built this way is not a site to publish: the
output left out did not run. The project's builds never read this file.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

_ROOT = Path(__file__).resolve().parent.parent
_SKIP = {name.strip() for name in os.environ.get("RIHLA_BENCH_SKIP_OUTPUTS", "").split(",") if name.strip()}

# Load the project's hooks as MkDocs would: with the project folder on sys.path while it runs.
sys.path.insert(0, str(_ROOT))
try:
    _spec = importlib.util.spec_from_file_location("rihla_project_hooks", _ROOT / "hooks.py")
    assert _spec is not None and _spec.loader is not None
    _hooks = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_hooks)
finally:
    sys.path.remove(str(_ROOT))

globals().update({name: getattr(_hooks, name) for name in dir(_hooks) if name.startswith("on_")})


@event_priority(getattr(_hooks.on_config, "mkdocs_priority", 0))
def on_config(config: Any) -> Any:  # noqa: F811 - wraps the project's on_config
    config = _hooks.on_config(config)
    session = _hooks.publisher.session
    if session is not None and _SKIP:
        session.outputs = [output for output in session.outputs if type(output).__name__ not in _SKIP]
    return config
