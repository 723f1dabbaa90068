"""Time limits and waits that staff may set from the environment, read where they are used."""

from __future__ import annotations

import os

from rihla.export.context import ExportError


def seconds_from_environment(variable: str, default: float) -> float:
    """A time limit or a wait, in seconds, from an environment variable (`default` when unset)."""
    raw = os.environ.get(variable, "")
    if not raw.strip():
        return default
    try:
        return max(float(raw), 0.0)
    except ValueError:
        raise ExportError(
            f"environment variable {variable}: expected a number of seconds but received {raw!r}"
        ) from None
