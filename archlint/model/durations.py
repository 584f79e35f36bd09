"""Durations: lengths of time such as 30m, 6h, 1d, 2w or 1h30m, and their field type.

- ``Duration.text`` is the value exactly as written ("90m" stays "90m", "1h30m"
  stays "1h30m"): messages then quote what the user can find in the file.
  Durations made by the program (a cron interval) are written with days,
  hours, minutes and seconds, largest first ("1d", "1d12h").
- Parts go from the largest unit to the smallest, each unit once.
- No whitespace inside ("1h 30m" is an error that suggests "1h30m"), so the
  JSON Schema pattern and the parser accept exactly the same strings.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import CoreSchema

from archlint.model.parsing import (
    Problem,
    TextCache,
    check_length,
    show,
    text_value_schema,
    without_spaces,
)

__all__ = [
    "DURATION_HELP",
    "DURATION_PATTERN",
    "Duration",
    "DurationField",
    "duration_seconds",
    "parse_duration",
]


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time in whole seconds; compared and hashed by ``seconds`` only."""

    seconds: int
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return text_value_schema(parse_duration)

    @classmethod
    def from_seconds(cls, seconds: int) -> Duration:
        """A duration computed by the program, with a canonical text such as "1d12h"."""
        if seconds < 0:
            raise ValueError(f"durations cannot be negative ({seconds} seconds)")
        return cls(seconds, _format_seconds(seconds))


_DURATION_UNITS: dict[str, int] = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
DURATION_PATTERN = r"^(?=[0-9])([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$"
_DURATION_RE = re.compile(DURATION_PATTERN)
_DURATION_PARTS_RE = re.compile(r"([0-9]+)([smhdw])")
DURATION_HELP = "use a number and a unit (s, m, h, d, w), e.g. 30m, 6h, 1d, 2w"

# Spellings people reach for, mapped to the unit they mean.
_DURATION_WORDS: dict[str, str] = {
    **dict.fromkeys(["sec", "secs", "second", "seconds"], "s"),
    **dict.fromkeys(["min", "mins", "minute", "minutes"], "m"),
    **dict.fromkeys(["hr", "hrs", "hour", "hours"], "h"),
    **dict.fromkeys(["day", "days"], "d"),
    **dict.fromkeys(["wk", "wks", "week", "weeks"], "w"),
}
_CALENDAR_WORDS = {"mo", "mon", "month", "months", "y", "yr", "yrs", "year", "years"}


def _format_seconds(seconds: int) -> str:
    # Weeks are left out on purpose: "31d" and "1461d" read better than "4w3d".
    if seconds == 0:
        return "0s"
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def duration_seconds(text: str) -> int:
    """Seconds of a duration text, or a Problem saying what is wrong with it."""
    if _DURATION_RE.fullmatch(text):
        return sum(
            int(number) * _DURATION_UNITS[unit] for number, unit in _DURATION_PARTS_RE.findall(text)
        )
    raise Problem(_duration_mistake(text))


def _duration_mistake(text: str) -> str:
    """The most helpful reason a text that is not a duration could have."""
    if text.startswith("-") and _DURATION_RE.fullmatch(text[1:]):
        return "durations cannot be negative"
    squeezed = without_spaces(text)
    if squeezed is not None and _DURATION_RE.fullmatch(squeezed):
        return f"remove the spaces: did you mean {squeezed}?"
    if re.fullmatch(r"([0-9]+[smhdw])+", text):
        return "write the parts from the largest unit to the smallest, each unit once, e.g. 1h30m"
    decimal = re.fullmatch(r"([0-9]+\.[0-9]+)([smhdw])", text)
    if decimal:
        seconds = Fraction(decimal[1]) * _DURATION_UNITS[decimal[2]]
        if seconds.denominator == 1:
            return f"use whole numbers: did you mean {_format_seconds(int(seconds))}?"
        return "use whole numbers of a smaller unit, e.g. 90m rather than 1.5h"
    if text.isdigit():
        return "add a unit (s, m, h, d, w), e.g. 30m, 6h, 1d, 2w"
    worded = re.fullmatch(r"([0-9]+)([A-Za-z]+)", text)
    if worded:
        return _unit_word_mistake(worded[1], worded[2])
    return DURATION_HELP


def _unit_word_mistake(number: str, word: str) -> str:
    lowered = word.lower()
    if word == "M":
        return f"units are lowercase: did you mean {number}m (minutes)? For months use 31d"
    if lowered in _CALENDAR_WORDS:
        return "months and years are not units: use days, e.g. 31d or 365d"
    if lowered in _DURATION_UNITS:
        return f"units are lowercase: did you mean {number}{lowered}?"
    if lowered in _DURATION_WORDS:
        return f"did you mean {number}{_DURATION_WORDS[lowered]}? ({DURATION_HELP})"
    return DURATION_HELP


def parse_duration(value: object) -> Duration:
    """A duration such as 30m, 6h, 1d, 2w or 1h30m; zero is allowed."""
    if isinstance(value, str):  # first: the common case, checked for every value
        return _DURATIONS[value]
    if isinstance(value, Duration):
        return value
    shown = show(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{shown} is not a duration: {DURATION_HELP}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{shown} is not a duration: {DURATION_HELP}")
    if value < 0:
        raise ValueError(f"{shown} is not a duration: durations cannot be negative")
    # A huge number makes an unreadable example: show a usual one instead.
    examples = (
        f"{value}m, {value}h or {value}d"
        if isinstance(value, int) and value < 10**6
        else "90m or 6h"
    )
    raise ValueError(f"{shown} is not a duration: add a unit (s, m, h, d, w), e.g. {examples}")


def _duration_of_text(value: str) -> Duration:
    shown = show(value)
    check_length(value, shown, "is not a duration")
    try:
        return Duration(duration_seconds(value), value)
    except Problem as problem:
        raise ValueError(problem.message(shown, "is not a duration")) from None


# Models repeat a few durations thousands of times; a Duration is immutable.
_DURATIONS = TextCache(_duration_of_text)


DurationField = Annotated[
    Duration,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": (
                "A duration: whole numbers with units s, m, h, d, w, "
                "largest unit first, e.g. 30m, 6h, 1d, 2w, 1h30m."
            ),
            "examples": ["30m", "6h", "1d", "2w", "1h30m"],
        }
    ),
]
