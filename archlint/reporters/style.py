"""How a reporter should present its output."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# C0 and C1 control characters (and DEL), except tab: model text must not be
# able to move the cursor, recolour the terminal or forge extra lines.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Style:
    color: bool = False
    # The terminal's width when the output goes to one: long lines are wrapped
    # to it. 0 when piped or written to a file: one finding per line.
    width: int = 0


def printable(text: str) -> str:
    """The text with control characters shown as escapes instead of acting."""
    return CONTROL_CHARACTERS.sub(lambda match: repr(match.group())[1:-1], text)


def printable_lines(lines: list[str]) -> str:
    """Lines of model text joined for a terminal, each made printable."""
    return "\n".join(printable(line) for line in lines) + "\n"


# Characters that Markdown (and a table cell) would interpret.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")


def markdown_text(text: str) -> str:
    """Model text as literal Markdown: no markup, no HTML, no table breaks."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", printable(text).replace("\t", " "))


def json_text(document: Any) -> str:
    """JSON output: sorted keys, and every non-ASCII or control character escaped,
    so model text stays inert even when the JSON is printed to a terminal."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
