"""Sizes: amounts of storage such as 500MB, 20GiB or 1.5TiB, and their field type.

KB, MB, ... are powers of 1000 and KiB, MiB, ... powers of 1024. ``Size.text``
is the value exactly as written. Decimals are rounded to the nearest byte
(1.3GiB is not whole). No whitespace inside ("20 GiB" is an error that
suggests "20GiB"), so the JSON Schema pattern and the parser accept exactly
the same strings.
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

__all__ = ["Size", "SizeField", "parse_size"]


@dataclass(frozen=True, order=True)
class Size:
    """An amount of storage in bytes; compared and hashed by ``bytes`` only."""

    bytes: int
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return text_value_schema(parse_size)


_SIZE_UNITS: dict[str, int] = {
    "B": 1,
    "KB": 1000,
    "MB": 1000**2,
    "GB": 1000**3,
    "TB": 1000**4,
    "PB": 1000**5,
    "KiB": 1024,
    "MiB": 1024**2,
    "GiB": 1024**3,
    "TiB": 1024**4,
    "PiB": 1024**5,
}
_SIZE_PATTERN = r"^[0-9]+(\.[0-9]+)?(B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)$"
_SIZE_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)([A-Za-z]+)")
_SIZE_HELP = (
    "use a number and a unit (B, KB, MB, GB, TB, PB or KiB, MiB, GiB, TiB, PiB), "
    "e.g. 500MB, 20GiB, 1.5TiB"
)


def _size_unit_suggestions(unit: str) -> list[str]:
    """The correctly spelled units a wrongly spelled one may mean."""
    lowered = unit.lower()
    if lowered in {"b", "byte", "bytes"}:
        return ["B"]
    exact = [name for name in _SIZE_UNITS if name.lower() == lowered]
    if exact:
        return exact
    prefix = lowered[:1].upper()
    if not prefix or prefix not in "KMGTP":
        return []
    if lowered in {prefix.lower(), f"{prefix.lower()}i"}:
        # "20G" is ambiguous and "20Gi" (Kubernetes) means binary.
        return [f"{prefix}B", f"{prefix}iB"] if len(lowered) == 1 else [f"{prefix}iB"]
    return []


def _size_bytes(text: str) -> int:
    match = _SIZE_RE.fullmatch(text)
    if match is None or match[2] not in _SIZE_UNITS:
        raise Problem(_size_mistake(text, match))
    exact = Fraction(match[1]) * _SIZE_UNITS[match[2]]
    # Round half up to the nearest byte: 1.3GiB is not a whole number of bytes.
    return int((exact + Fraction(1, 2)) // 1)


def _size_mistake(text: str, match: re.Match[str] | None) -> str:
    if match is not None:
        suggestions = _size_unit_suggestions(match[2])
        spelled = " or ".join(f"{match[1]}{unit}" for unit in suggestions)
        if [unit.lower() for unit in suggestions] == [match[2].lower()]:
            return f"units are case-sensitive: did you mean {spelled}?"
        if suggestions:
            return f"did you mean {spelled}?"
        return _SIZE_HELP
    if text.startswith("-") and _SIZE_RE.fullmatch(text[1:]):
        return "sizes cannot be negative"
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return f"add a unit, e.g. {text}GB or {text}GiB"
    for candidate in (without_spaces(text), text.replace(",", ".")):
        if candidate and candidate != text and re.fullmatch(_SIZE_PATTERN, candidate):
            return f"did you mean {candidate}?"
    return _SIZE_HELP


def parse_size(value: object) -> Size:
    """A size such as 500MB, 20GiB or 1.5TiB (KB = 1000 bytes, KiB = 1024 bytes)."""
    if isinstance(value, str):  # first: the common case, checked for every value
        return _SIZES[value]
    if isinstance(value, Size):
        return value
    shown = show(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{shown} is not a size: {_SIZE_HELP}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{shown} is not a size: {_SIZE_HELP}")
    if value < 0:
        raise ValueError(f"{shown} is not a size: sizes cannot be negative")
    number = value if value < 10**6 else 20
    raise ValueError(f"{shown} is not a size: add a unit, e.g. {number}GB or {number}GiB")


def _size_of_text(value: str) -> Size:
    shown = show(value)
    check_length(value, shown, "is not a size")
    try:
        return Size(_size_bytes(value), value)
    except Problem as problem:
        raise ValueError(problem.message(shown, "is not a size")) from None


# Models repeat a few sizes thousands of times; a Size is immutable.
_SIZES = TextCache(_size_of_text)


SizeField = Annotated[
    Size,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _SIZE_PATTERN,
            "description": (
                "A size: a number and a unit, B, KB, MB, GB, TB, PB (powers of 1000) or "
                "KiB, MiB, GiB, TiB, PiB (powers of 1024), e.g. 500MB, 20GiB, 1.5TiB."
            ),
            "examples": ["500MB", "20GiB", "1.5TiB"],
        }
    ),
]
