"""Reading the files a user trusts (configuration, baselines): they may be wrong,
but they must never hang archlint or make it read without bound.

Only regular files are read. `stat` says nothing true about the size of a FIFO
(reading one may wait for ever) or of /dev/zero (it never ends), so those are
refused, and the read itself stops one byte past the limit whatever the file
claims to be.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from archlint.model.errors import UsageError


def read_trusted_bytes(path: Path, what: str, limit: int) -> bytes:
    """The bytes of the regular file `path`; `what` names it in errors."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise UsageError(f"{what}: {path} is not a regular file")
        # O_NONBLOCK: should the file turn into a FIFO after the stat, open must not wait.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise UsageError(f"{what}: {path} cannot be read: {error.strerror}") from None
    if len(data) > limit:
        raise UsageError(f"{what}: {path} is larger than {limit} bytes")
    return data
