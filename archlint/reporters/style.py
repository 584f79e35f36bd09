"""How a reporter should present its output."""

import json
import re
from typing import Any, NamedTuple

# Model text must not be able to move the cursor, recolour the terminal, forge
# extra lines or workflow commands: every reporter shows it through `printable`.
from archlint.model.inert import LEGACY_COMMAND, printable

__all__ = [
    "JSONText",
    "Style",
    "encode_text",
    "inert_json",
    "joined_json",
    "json_text",
    "markdown_text",
    "printable",
    "printable_lines",
]


class Style(NamedTuple):
    color: bool = False
    # The terminal's width when the output goes to one: long lines are wrapped
    # to it. 0 when piped or written to a file: one finding per line.
    width: int = 0


def printable_lines(lines: list[str]) -> str:
    """Lines of model text joined for a terminal, each made printable."""
    return "\n".join(printable(line) for line in lines) + "\n"


# Characters that Markdown (and a table cell) would interpret.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
# What GitHub turns into a mention, a reference or a link in plain text: @user
# and @org/team, #123 and owner/repo#123, GH-123, e-mail addresses (through
# their @), bare www. and scheme:// URLs. A <wbr> (an empty element that shows
# nothing) splits each one into two text nodes, which no autolinker or mention
# filter joins again; a zero-width character would be stripped or would change
# the text, and a backslash escape only reaches the Markdown parser.
AUTOLINK_TRIGGERS = re.compile(r"(?i)(@|#|\bgh-(?=\d)|\bwww(?=\.)|:(?=//))")
WORD_BREAK = "<wbr>"


def markdown_text(text: str) -> str:
    """Model text as literal Markdown: no markup, no HTML, no table breaks, and
    no mention, issue reference or autolink (see AUTOLINK_TRIGGERS)."""
    literal = MARKDOWN_SPECIAL.sub(r"\\\1", printable(text).replace("\t", " "))
    return AUTOLINK_TRIGGERS.sub(rf"\1{WORD_BREAK}", literal)


def json_text(document: Any) -> str:
    """JSON output: sorted keys, and every non-ASCII or control character escaped,
    so model text stays inert even when the JSON is printed to a terminal or a CI
    log. `##[` can only occur inside a string, where `#\\u0023[` is the same text.

    The text is exactly what `json.dumps(document, indent=2, sort_keys=True)`
    writes; `write_json` writes it several times faster (see there).
    """
    pieces: list[str] = []
    write_json(document, "\n", pieces)
    pieces.append("\n")
    return joined_json(pieces)


def joined_json(pieces: list[str]) -> str:
    """JSON text written in pieces, joined and made inert (see inert_json)."""
    return inert_json("".join(pieces))


def inert_json(text: str) -> str:
    """JSON text with `##[` escaped (see json_text)."""
    # Looking for "#" first finds most reports free of it at memchr's speed (a
    # search for all of "##[" reads a large report ten times slower).
    if "#" in text:
        text = text.replace(LEGACY_COMMAND, "#\\u0023[")
    return text


# The json module's C string encoder (ensure_ascii): text as a JSON string.
encode_text = json.encoder.encode_basestring_ascii


class JSONText(str):
    """A value already written as JSON by a reporter's fast path, for `write_json`
    to place as it is. It must be written at the depth where it is placed (its
    inner lines indented as json.dumps would), and not inside a dict or list
    subclass, which `write_json` leaves to json.dumps."""

    __slots__ = ()


def write_json(value: Any, newline: str, pieces: list[str]) -> None:
    """Append `value` as json.dumps(indent=2, sort_keys=True) writes it, at the depth
    of `newline` (a line break and the current indent).

    The standard library indents in pure Python, a generator step per value:
    seconds for a report of 26,000 findings. This writes the common values
    (dicts, lists, text, integers) without a call per value, and leaves any
    other value to json.dumps.
    """
    kind = type(value)
    if kind is dict:
        if not value:
            pieces.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key in sorted(value):
            item = value[key]
            name = encode_text(key if type(key) is str else json_key(key))
            # Text and integers inline: most values are, and a call per value costs.
            if type(item) is str:
                pieces.append(f"{separator}{name}: {encode_text(item)}")
            elif type(item) is int:
                pieces.append(f"{separator}{name}: {int.__repr__(item)}")
            else:
                pieces.append(f"{separator}{name}: ")
                write_json(item, inner, pieces)
            separator = "," + inner
        pieces.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            pieces.append("[]")
            return
        inner = newline + "  "
        if all(type(item) is str for item in value):
            pieces.append(f"[{inner}{(',' + inner).join(map(encode_text, value))}{newline}]")
        else:
            separator = "[" + inner
            for item in value:
                pieces.append(separator)
                write_json(item, inner, pieces)
                separator = "," + inner
            pieces.append(newline + "]")
    elif kind is str:
        pieces.append(encode_text(value))
    elif kind is JSONText:
        pieces.append(value)
    elif kind is int:
        pieces.append(int.__repr__(value))
    else:  # None, booleans, floats, subclasses and the rest, as json.dumps writes them
        pieces.append(json.dumps(value, indent=2, sort_keys=True).replace("\n", newline))


def json_key(key: Any) -> str:
    """A key that is not text as json.dumps writes it (after sorting by the key itself)."""
    if key is None or isinstance(key, (bool, int, float)):
        return str(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
