"""How a reporter should present its output."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Model text must not be able to move the cursor, recolour the terminal, forge
# extra lines or workflow commands: every reporter shows it through `printable`.
from archlint.model.inert import LEGACY_COMMAND, printable

__all__ = ["Style", "json_text", "markdown_text", "printable", "printable_lines"]


@dataclass(frozen=True)
class Style:
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
    log. `##[` can only occur inside a string, where `#\\u0023[` is the same text."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    return text.replace(LEGACY_COMMAND, "#\\u0023[")
