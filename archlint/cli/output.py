"""Writing a command's output: to stdout, or to a file named by `-o`.

A regular file (new or existing) is replaced atomically: the text goes to a
temporary file beside it, which is renamed over it, so a reader never sees half
a report. Anything else that already exists at the name (a device such as
/dev/null or /dev/stdout, a FIFO) is written to in place: renaming a file over
it would replace the device node itself. A symbolic link is followed, and the
file it points to is the one written. Files the command read as its input are
never overwritten.

The text is written as UTF-8. A report replayed from the cache comes as the
UTF-8 bytes it was stored as (already checked, see archlint.engine.cache), and
is written as it is wherever the output takes UTF-8 unchanged.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

import click

from archlint.model.errors import UsageError


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Text, or UTF-8 text as bytes (a replayed report).
Text = str | bytes


def write_output(
    text: Text, output: Path | None, option: str = "--output", inputs: Iterable[Path] = ()
) -> None:
    """Write `text` to stdout, or to `output` (see the module's documentation)."""
    if output is None:
        write_stdout(text)
        return
    if not str(output):
        raise UsageError(f"{option}: the file name is empty")
    target = output.resolve()
    refuse_inputs(target, inputs, option, output)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise UsageError(f"{option}: cannot write {output}: {error.strerror}") from None
    if mode is None or stat.S_ISREG(mode):
        replace_file(text, target, option, output, mode)
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        write_in_place(text, target, option, output)
    else:
        raise UsageError(f"{option}: {output} is not a regular file, a device or a FIFO")


# A text stream encodes what it is given at once: a report of hundreds of
# megabytes, written whole, would exist twice (as text and as bytes).
PART_CHARS = 1 << 20


def parts(text: str) -> Iterator[str]:
    """The text in slices of at most PART_CHARS characters."""
    return (text[start : start + PART_CHARS] for start in range(0, len(text), PART_CHARS))


def write_stdout(text: Text) -> None:
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`)
        raise UsageError("standard output is closed: redirect it, or use -o FILE")
    try:
        if isinstance(text, bytes):
            binary = utf8_buffer(stream)
            if binary is not None:
                stream.flush()  # what the text layer holds comes first
                write_encoded(binary, text)
                binary.flush()
                return
            text = text.decode("utf-8")
        # The reporter decided about colour already; click must not strip it.
        for part in parts(text):
            click.echo(part, nl=False, color=True, file=stream)
        stream.flush()
    except BrokenPipeError:
        raise  # the reader left (`| head`): main() ends quietly
    except OSError as error:
        raise UsageError(f"cannot write to standard output: {error.strerror}") from None


def utf8_buffer(stream: TextIO) -> BinaryIO | None:
    """The binary stream under `stream` when writing UTF-8 bytes to it gives what
    writing their text would: it encodes as UTF-8 and does not translate line breaks
    (Windows writes "\\r\\n"). Else None."""
    encoding = getattr(stream, "encoding", None)
    binary: BinaryIO | None = getattr(stream, "buffer", None)
    if binary is None or not encoding or os.linesep != "\n":
        return None
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return None
    return binary if utf8 else None


def write_encoded(stream: BinaryIO, text: Text) -> None:
    """Write `text` as UTF-8, in parts (see PART_CHARS): text encoded, bytes as they are.

    Bytes go in parts too: one write of tens of megabytes costs the kernel several
    times what the same bytes cost in parts of a megabyte (measured: 15-45 ms
    against 6 ms for a 24 MB report to a file).
    """
    if isinstance(text, str):
        for part in parts(text):
            stream.write(part.encode("utf-8"))
    else:
        view = memoryview(text)
        for start in range(0, len(view), PART_CHARS):
            stream.write(view[start : start + PART_CHARS])


def refuse_inputs(target: Path, inputs: Iterable[Path], option: str, output: Path) -> None:
    if any(target == path.resolve() for path in inputs):
        raise UsageError(f"{option}: {output} is one of the model's files; choose another name")


def replace_file(text: Text, target: Path, option: str, output: Path, mode: int | None) -> None:
    directory = target.parent
    if not directory.is_dir():
        raise UsageError(f"{option}: directory '{output.parent}' does not exist")
    # A report that replaces a file keeps that file's permissions; a new one gets
    # what open() would give it under the umask (mkstemp's default is 0600).
    permissions = stat.S_IMODE(mode) if mode is not None else 0o666 & ~current_umask()
    import tempfile  # only for -o FILE: a report to stdout does not pay its import

    try:
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{target.name[:64]}.", suffix=".tmp"
        )
    except OSError as error:
        raise UsageError(f"{option}: cannot write {output}: {error.strerror}") from None
    try:
        os.chmod(temporary, permissions)
        with os.fdopen(handle, "wb") as stream:
            write_encoded(stream, text)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"{option}: cannot write {output}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_in_place(text: Text, target: Path, option: str, output: Path) -> None:
    try:
        with open(target, "wb") as stream:
            write_encoded(stream, text)
    except OSError as error:
        raise UsageError(f"{option}: cannot write {output}: {error.strerror}") from None
