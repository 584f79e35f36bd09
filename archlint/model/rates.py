"""Bandwidths: how fast data moves, such as 100Mbit/s or 50MB/s, and their field type.

A bandwidth is a size per second (`50MB/s`, `1GiB/s`, archlint.model.sizes)
or a bit rate (`100Mbit/s`, `1Gbit/s`, powers of 1000), as network links are
usually sold. ``Rate.text`` is the value exactly as written; ``bytes_per_second``
is what restore-time estimates divide by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import CoreSchema

from archlint.model.parsing import check_length, show, text_value_schema
from archlint.model.sizes import parse_size

__all__ = ["Rate", "RateField", "parse_rate"]

_BITS: dict[str, int] = {"bit": 1, "kbit": 1000, "Mbit": 1000**2, "Gbit": 1000**3, "Tbit": 1000**4}
_RATE_PATTERN = (
    r"^[0-9]+(\.[0-9]+)?((B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)|(bit|kbit|Mbit|Gbit|Tbit))/s$"
)
_BIT_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(bit|kbit|Mbit|Gbit|Tbit)/s")
_RATE_HELP = "use a size per second or a bit rate, e.g. 50MB/s, 1GiB/s, 100Mbit/s, 1Gbit/s"


@dataclass(frozen=True, order=True)
class Rate:
    """A bandwidth in bytes per second (at least one); compared by that only."""

    bytes_per_second: int
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return text_value_schema(parse_rate)


def _rate_bytes(text: str) -> int:
    match = _BIT_RE.fullmatch(text)
    if match is not None:
        exact = Fraction(match[1]) * _BITS[match[2]] / 8
        return int((exact + Fraction(1, 2)) // 1)
    if not text.endswith("/s"):
        raise ValueError(_RATE_HELP)
    try:
        return parse_size(text.removesuffix("/s")).bytes
    except ValueError:
        raise ValueError(_RATE_HELP) from None


def parse_rate(value: object) -> Rate:
    """A bandwidth such as 50MB/s or 100Mbit/s."""
    if isinstance(value, Rate):
        return value
    shown = show(value)
    if not isinstance(value, str):
        raise ValueError(f"{shown} is not a bandwidth: {_RATE_HELP}")
    check_length(value, shown, "is not a bandwidth")
    try:
        rate = _rate_bytes(value)
    except ValueError:
        raise ValueError(f"{shown} is not a bandwidth: {_RATE_HELP}") from None
    if rate <= 0:
        raise ValueError(f"{shown} is not a bandwidth: it must be faster than zero")
    return Rate(rate, value)


RateField = Annotated[
    Rate,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _RATE_PATTERN,
            "description": (
                "A bandwidth: a size per second (50MB/s, 1GiB/s) or a bit rate "
                "(100Mbit/s, 1Gbit/s, powers of 1000)."
            ),
            "examples": ["50MB/s", "100Mbit/s", "1Gbit/s"],
        }
    ),
]
