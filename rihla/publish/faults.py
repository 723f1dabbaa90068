"""Operating-system errors as one line for staff: the path and what went wrong, never a traceback."""

from __future__ import annotations

import errno
from pathlib import Path

_AT_DESTINATION = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def describe_os_error(error: OSError, fallback_path: Path | None = None) -> str:
    """`site.rihla-staging/nl/index.html: No space left on device`.

    Python names the path of a failed `open` or `mkdir`, but not of a failed
    `write` (a disk fills up while a file is written): `fallback_path` says
    where the writing happened then.
    """
    path = error.filename if error.filename is not None else fallback_path
    if error.filename2 is not None and error.errno in _AT_DESTINATION:
        path = error.filename2  # a copy or a rename: the disk that is full or read-only is the destination's
    reason = error.strerror or str(error) or type(error).__name__
    return f"{path}: {reason}" if path is not None else reason
