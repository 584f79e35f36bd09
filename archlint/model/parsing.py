"""What the typed-value parsers (durations, sizes, dates, schedules) share.

The loader hands over plain str/int/float/bool/None (a date such as 2026-09-12
arrives as a string), so every parser takes an arbitrary object and either
returns a value or raises ``ValueError`` with a message written for the person
who wrote the model: it quotes the bad value and shows what is accepted. Each
parser also accepts an already parsed value of its own type, so models built
in Python (tests, ``model_copy``) validate too.

This module holds the pieces of that contract: how a value is quoted, the cap
on how long a value may be, and the `Problem` a parser's helpers raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import attrgetter
from typing import TypeVar

from pydantic_core import CoreSchema, core_schema

from archlint.model.errors import clip, quoted

__all__ = [
    "MAX_SCHEDULE_CHARS",
    "Problem",
    "TextCache",
    "check_length",
    "show",
    "text_value_schema",
    "without_spaces",
]

_Value = TypeVar("_Value")


class TextCache(dict[str, _Value]):
    """Values parsed from their text, for the few texts a model repeats
    thousands of times (pydantic calls a parser for every value): a parser
    reads it as `cache[text]`, a dict lookup, cheaper than an lru_cache call.
    It keeps at most `limit` values, so a hostile model cannot grow it without
    bound; a text that fails to parse raises each time."""

    def __init__(self, parse: Callable[[str], _Value], limit: int = 4096) -> None:
        super().__init__()
        self.parse = parse
        self.limit = limit

    def __missing__(self, text: str) -> _Value:
        value = self.parse(text)
        if len(self) < self.limit:
            self[text] = value
        return value


class Problem(Exception):
    """Why a piece of text is invalid; the public parser adds the value it was given.

    ``headline`` replaces the parser's own "is not a ..." when a more precise one
    fits, such as "is not a valid cron expression" or "never runs".
    """

    def __init__(self, reason: str, headline: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.headline = headline

    def message(self, shown: str, headline: str) -> str:
        return f"{shown} {self.headline or headline}: {self.reason}"


# The longest text each parser looks at. Real values are a few characters (a cron
# line a few dozen); anything longer is rejected before parsing, which keeps the
# work per value small and every number within what int() converts.
MAX_VALUE_CHARS = 64
MAX_SCHEDULE_CHARS = 256


def show(value: object) -> str:
    """A value as the user wrote it in YAML, for messages (long ones cut short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, int | float):
        return clip(str(value))
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def check_length(text: str, shown: str, headline: str, limit: int = MAX_VALUE_CHARS) -> None:
    if len(text) > limit:
        raise ValueError(f"{shown} {headline}: it is {len(text)} characters long (at most {limit})")


def without_spaces(text: str) -> str | None:
    """The text with whitespace removed, or None when it had none."""
    squeezed = re.sub(r"\s+", "", text)
    return squeezed if squeezed != text else None


def text_value_schema(parse: Callable[[object], object]) -> CoreSchema:
    """How pydantic reads and writes a value kept with its text (a duration, a
    size, a rate, a schedule): `parse` reads it, and it is written as its text.

    The value's class returns it from `__get_pydantic_core_schema__`, rather
    than a field type's `PlainValidator` and `PlainSerializer`: for those,
    pydantic builds a schema of the class's own dataclass fields, for every
    field of the type, that nothing uses (3 ms of every check's start-up).
    """
    return core_schema.no_info_plain_validator_function(
        parse,
        serialization=core_schema.plain_serializer_function_ser_schema(
            attrgetter("text"), return_schema=core_schema.str_schema()
        ),
    )
