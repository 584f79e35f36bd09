"""How a reporter should present its output."""

from __future__ import annotations

import re
from dataclasses import dataclass

# C0 and C1 control characters (and DEL), except tab: model text must not be
# able to move the cursor, recolour the terminal or forge extra lines.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Style:
    color: bool = False


def printable(text: str) -> str:
    """The text with control characters shown as escapes instead of acting."""
    return CONTROL_CHARACTERS.sub(lambda match: repr(match.group())[1:-1], text)
