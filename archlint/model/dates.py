"""Dates: ISO dates YYYY-MM-DD such as 2026-09-12, and their field type.

YAML 1.2 has no timestamp type, so a date arrives from the loader as text;
a ``datetime.date`` made in Python is accepted as it is, a datetime is not.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from archlint.model.parsing import Problem, TextCache, check_length, show

__all__ = ["DateField", "parse_date"]

_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE_HELP = "use an ISO date YYYY-MM-DD, e.g. 2026-09-12"


def _date_from_text(text: str) -> datetime.date:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if match is None:
        raise Problem(_DATE_HELP)
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if year < 1:
        raise Problem(f"year {year} is out of range 1-9999")
    if not 1 <= month <= 12:
        raise Problem(f"month {month} is out of range 1-12")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        name = calendar.month_name[month]
        raise Problem(f"day {day} is out of range: {name} {year} has {days_in_month} days")
    return datetime.date(year, month, day)


def parse_date(value: object) -> datetime.date:
    """An ISO date YYYY-MM-DD (or a ``datetime.date``)."""
    if isinstance(value, str):
        return _DATES[value]
    if isinstance(value, datetime.datetime):
        # A datetime is a date too, but a time of day has no place in the model.
        raise ValueError(f"{value.isoformat()} is not a date: {_DATE_HELP}, without a time")
    if isinstance(value, datetime.date):
        return value
    raise ValueError(f"{show(value)} is not a date: {_DATE_HELP}")


def _date_of_text(value: str) -> datetime.date:
    shown = show(value)
    check_length(value, shown, "is not a date")
    try:
        return _date_from_text(value)
    except Problem as problem:
        raise ValueError(problem.message(shown, "is not a valid date")) from None


# Models repeat dates (drills of one day, waivers until one date); a date is immutable.
_DATES = TextCache(_date_of_text)


DateField = Annotated[
    datetime.date,
    PlainValidator(parse_date),
    PlainSerializer(lambda date: date.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": _DATE_PATTERN,
            "description": "An ISO date YYYY-MM-DD, e.g. 2026-09-12.",
            "examples": ["2026-09-12"],
        }
    ),
]
