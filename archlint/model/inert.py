"""Model text and file names made inert for output: the one place that escapes them.

Whatever a model holds, and whatever its files are called, what archlint prints
stays one line that cannot drive a terminal or a CI system:

- A character that is not printable (control characters, line and paragraph
  separators, bidi overrides, zero-width and other format characters, lone
  surrogates) is shown as an escape such as `\\x1b`, `\\n` or `\\u202e`. A byte
  of a file name that is not UTF-8, which Python decodes to a lone surrogate
  (`surrogateescape`), is shown as the byte: `\\xff`.
- `##[`, which GitHub's runner reads as a legacy workflow command anywhere in a
  line of a step's output, is written `#\\x23[`. The `::` form counts only at the
  start of a line (after blanks), where archlint puts fixed text or a path, and a
  path that could begin with it is shown as `./::...` (see `shown_path`).
"""

from __future__ import annotations

import functools

# The prefix of GitHub's legacy workflow commands (`##[add-mask]...`).
LEGACY_COMMAND = "##["
LEGACY_COMMAND_SHOWN = "#\\x23["
# Python's `surrogateescape` error handler decodes byte 0xNN (0x80 and up) to U+DCNN.
ESCAPED_BYTES = range(0xDC80, 0xDD00)


def escape_character(char: str) -> str:
    code = ord(char)
    if code in ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1]


def escaped(text: str, keep: str = "") -> str:
    """The text with every character that is not printable (except those in
    `keep`) shown as an escape, and `##[` defused (see the module's documentation)."""
    if not text.isprintable():
        text = "".join(
            char if char.isprintable() or char in keep else escape_character(char) for char in text
        )
    if LEGACY_COMMAND in text:
        text = text.replace(LEGACY_COMMAND, LEGACY_COMMAND_SHOWN)
    return text


def printable(text: str) -> str:
    """Text for a terminal or a log: escaped, but a tab stays a tab."""
    return escaped(text, keep="\t")


# Reports show one file's name once per finding: tens of thousands of times.
@functools.lru_cache(maxsize=1024)
def shown_path(path: str) -> str:
    """A file's name as archlint shows it: escaped, and prefixed with `./` unless it
    starts with a letter, a digit, `.`, `/`, `_` or `-`. A name that starts with
    `:`, a blank or an invisible character could otherwise begin a line of output
    with a workflow command (`::notice title=Approved::LGTM.yaml`)."""
    shown = escaped(path)
    if shown[:1].isalnum() or shown[:1] in ("", ".", "/", "_", "-"):
        return shown
    return "./" + shown
