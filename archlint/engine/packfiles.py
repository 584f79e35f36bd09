"""Where rule packs' files are, without importing them (the rule engine is not loaded).

The result cache keys on the content of every pack's files; a cache hit must
find them without paying for the rule engine that archlint.engine.rulepack
imports to load them.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
from pathlib import Path

from archlint.model.errors import UsageError


def builtin_pack_directory() -> Path:
    """Where the built-in pack is: archlint/builtin_rules/ when installed, rules/ in a checkout.

    An installed archlint (a wheel, or an editable install whose package-dir maps
    archlint.builtin_rules to rules/) can import the pack as a package. A plain
    checkout run as `python -m archlint` cannot, so it reads rules/ beside the
    package, which only exists where the repository's pyproject.toml does too.
    """
    try:
        package = importlib.import_module("archlint.builtin_rules")
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parents[2]
        if (checkout / "pyproject.toml").is_file() and (checkout / "rules").is_dir():
            return checkout / "rules"
        raise UsageError("the built-in rule pack is missing: reinstall archlint") from None
    return Path(next(iter(package.__path__)))


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None for anything else or a file not read.

    Opened without blocking and checked before reading: a name in a cache entry,
    or a `.py` name in a rule pack, may be a FIFO or a device, which must neither
    hang the run nor be read.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        return hashlib.file_digest(stream, "sha256").hexdigest()


def pack_digest(directory: Path) -> list[list[str | None]]:
    """The name and content hash of every Python file of a rule pack, helpers included."""
    files = sorted(directory.rglob("*.py"))
    return [[file.relative_to(directory).as_posix(), file_digest(file)] for file in files]
