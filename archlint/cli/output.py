"""Writing a command's output: to stdout, or atomically to a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from archlint.model.errors import UsageError


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(text: str, output: Path | None, option: str = "--output") -> None:
    """Write to stdout, or atomically to a file: a temporary file renamed into place."""
    if output is None:
        # The reporter decided about colour already; click must not strip it.
        click.echo(text, nl=False, color=True)
        return
    directory = output.parent
    if not directory.is_dir():
        raise UsageError(f"{option}: directory '{directory}' does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file readable by its owner only; a report is an
        # ordinary file, so it gets the mode open() would give it under the umask.
        os.chmod(temporary, 0o666 & ~current_umask())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
