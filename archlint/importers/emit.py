"""A draft as model YAML: deterministic, commented, loadable as it is.

Each entity is preceded by comments saying the file and line it came from and
each TODO. Text from imported files only ever appears as a quoted scalar or as a
one-line comment (`clip` escapes line breaks), so it cannot add YAML structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from archlint.importers.draft import SECTIONS, Draft, DraftEntity
from archlint.load.scalars import _plain_scalar
from archlint.model.errors import clip

_PLAIN = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_./@+-]*")
INDENT = "  "


def emit(draft: Draft, command: str) -> str:
    """The model text of a draft; `command` is how it was made, for the header."""
    lines = [f"# Drafted by `{clip(command, 200)}`."]
    if draft.sources:
        lines.append("# From: " + clip(", ".join(draft.sources), 400))
    lines.append("# Review every TODO below before relying on this model.")
    lines.extend(f"# {clip(note, 300)}" for note in draft.notes)
    lines.append("archlint: 1")
    for section in SECTIONS:
        entities = draft.entities(section)
        if not entities:
            continue
        lines.append("")
        lines.append(f"{section}:")
        for entity in entities:
            lines.extend(entity_lines(entity))
    return "\n".join(lines) + "\n"


def entity_lines(entity: DraftEntity) -> list[str]:
    lines = []
    if entity.origin is not None:
        lines.append(f"{INDENT}# from {clip(str(entity.origin), 300)}")
    lines.extend(f"{INDENT}# TODO: {clip(todo, 300)}" for todo in entity.todos)
    lines.append(f"{INDENT}{scalar(entity.id)}:")
    lines.extend(value_lines(entity.fields, 2))
    return lines


def value_lines(fields: Mapping[str, Any], depth: int) -> list[str]:
    """A mapping's entries in block style, one per line; lists of scalars in flow style."""
    pad = INDENT * depth
    lines = []
    for key, value in fields.items():
        if isinstance(value, Mapping):
            if value:
                lines.append(f"{pad}{scalar(key)}:")
                lines.extend(value_lines(value, depth + 1))
            else:
                lines.append(f"{pad}{scalar(key)}: {{}}")
        elif isinstance(value, Sequence) and not isinstance(value, str):
            items = ", ".join(scalar(item) for item in value)
            lines.append(f"{pad}{scalar(key)}: [{items}]")
        else:
            lines.append(f"{pad}{scalar(key)}: {scalar(value)}")
    return lines


def scalar(value: Any) -> str:
    """One scalar as YAML 1.2 text that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.fullmatch(text) and _plain_scalar(text) == text and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=True)
