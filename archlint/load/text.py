"""Reading one model file: its bytes, within the size limits, to checked UTF-8 text.

What comes out is text the YAML parser can take as it is: a regular file of
at most max_file_bytes (and of what is left of max_model_bytes), without a
byte order mark other than UTF-8's, NUL bytes, invalid UTF-8 or characters
YAML does not allow. Each problem is one located error for the whole file.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from archlint.load.files import reason
from archlint.load.limits import Limits
from archlint.model.errors import Location, ModelError

__all__ = ["FileError", "ModelTooBig", "read_text"]

UTF8_BOM = b"\xef\xbb\xbf"
# UTF-16 little and big endian; UTF-32 starts with one of them or with NULs.
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

# Characters YAML does not allow in a stream (the set PyYAML's reader rejects).
# Compiled by re.search when first needed, and cached there: compiling its ranges
# costs about 10 ms of every start-up, and an ASCII model never needs it.
_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


_PRINTABLE_ASCII = b"\t\n\r" + bytes(range(0x20, 0x7F))


class FileError(Exception):
    """A problem that stops one file from being read at all."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error))
        self.error = error


class ModelTooBig(FileError):
    """The files read so far and this one exceed max_model_bytes: reading stops."""


def read_text(path: Path, display: str, limits: Limits, budget: int) -> tuple[str, int]:
    """The file's text and size in bytes, checked to be a UTF-8 text file of at most
    max_file_bytes, and of at most `budget` bytes (what is left of max_model_bytes)."""
    at = Location(display, 1, 1)
    try:
        # O_NONBLOCK: a FIFO named x.yaml must not hang the linter. fstat on the
        # open descriptor leaves no window to swap the file after the check.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileError(ModelError(at, "file not found")) from None
    except (OSError, ValueError) as error:
        raise FileError(ModelError(at, f"cannot read file: {reason(error)}")) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise FileError(ModelError(at, "not a regular file"))
        if info.st_size > limits.max_file_bytes:
            raise FileError(ModelError(at, _too_big(info.st_size, limits)))
        if info.st_size > budget:
            raise ModelTooBig(ModelError(at, _model_too_big(limits)))
        # It may have grown since fstat: never read more than the limits allow.
        raw = handle.read(min(limits.max_file_bytes, budget) + 1)
    if len(raw) > limits.max_file_bytes:
        raise FileError(ModelError(at, _too_big(len(raw), limits)))
    if len(raw) > budget:
        raise ModelTooBig(ModelError(at, _model_too_big(limits)))
    return _decode(raw, display), len(raw)


def _too_big(size: int, limits: Limits) -> str:
    return f"file is too big: {size} bytes (the limit is {limits.max_file_bytes} bytes)"


def _model_too_big(limits: Limits) -> str:
    return (
        f"the model is too big: with this file, its files add up to more than "
        f"{limits.max_model_bytes} bytes, the limit for all files together; "
        "the files after it are not read"
    )


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    elif raw.startswith(WIDE_BOMS):
        # Editors on Windows save "Unicode" as UTF-16: say so, rather than
        # pointing at the first NUL byte of its wide characters.
        raise FileError(
            ModelError(
                Location(display, 1, 1),
                "the file is UTF-16 or UTF-32 (it starts with a byte order mark): save it as UTF-8",
            )
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        raise FileError(
            ModelError(
                _byte_location(raw, nul, display),
                "not a text file (it contains a NUL byte): a model file is UTF-8 YAML text",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileError(
            ModelError(
                _byte_location(raw, error.start, display),
                f"invalid UTF-8 (byte 0x{raw[error.start]:02x}): save the file as UTF-8",
            )
        ) from None
    # Checked here rather than left to the parser, whose reader errors carry
    # an offset that differs between libyaml and pure Python. Most models are
    # ASCII: deleting the allowed bytes is ten times quicker than the search.
    if raw.isascii() and not raw.translate(None, _PRINTABLE_ASCII):
        return text
    bad = re.search(_NON_PRINTABLE, text)
    if bad is not None:
        index = bad.start()
        line_start = text.rfind("\n", 0, index) + 1
        raise FileError(
            ModelError(
                Location(display, text.count("\n", 0, index) + 1, index - line_start + 1),
                f"character U+{ord(text[index]):04X} is not allowed in YAML text "
                '(write it as an escape in a double-quoted string, e.g. "\\x07")',
            )
        )
    return text


def _byte_location(raw: bytes, index: int, display: str) -> Location:
    """Line and column (in characters) of a byte offset into possibly broken UTF-8."""
    line_start = raw.rfind(b"\n", 0, index) + 1
    column = len(raw[line_start:index].decode("utf-8", errors="replace")) + 1
    return Location(display, raw.count(b"\n", 0, index) + 1, column)
