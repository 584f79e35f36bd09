"""Schedules: how often something runs, and the longest gap between two runs.

A schedule is a keyword (hourly, daily, weekly, monthly), an interval written
as a duration (6h), a cron expression ("0 3 * * *", `archlint.model.cron`) or
a cron macro (@daily). Each comes with its field type for the entities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import CoreSchema

from archlint.model.cron import cron_interval
from archlint.model.durations import DURATION_HELP, DURATION_PATTERN, Duration, duration_seconds
from archlint.model.errors import did_you_mean
from archlint.model.parsing import (
    MAX_SCHEDULE_CHARS,
    Problem,
    TextCache,
    check_length,
    show,
    text_value_schema,
)

__all__ = ["Schedule", "ScheduleField", "parse_schedule"]


@dataclass(frozen=True)
class Schedule:
    """How often something runs, with the longest gap between two runs."""

    text: str
    kind: Literal["keyword", "interval", "cron"]
    interval: Duration

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return text_value_schema(parse_schedule)


_KEYWORDS: dict[str, int] = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    # Months differ in length: the longest gap between two monthly runs is 31 days.
    "monthly": 31 * 86400,
    # Streaming replication: every change is sent as it happens.
    "continuous": 0,
}
_MACROS: dict[str, str] = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
_SCHEDULE_HELP = (
    "use hourly, daily, weekly, monthly, continuous, an interval such as 6h, "
    "or a cron expression such as '0 3 * * *'"
)


def _macro_schedule(text: str) -> Schedule:
    expansion = _MACROS.get(text)
    if expansion is None:
        if text == "@reboot":
            raise Problem("@reboot runs once at boot, it has no interval")
        known = ", ".join(_MACROS)
        raise Problem(f"use one of {known}{did_you_mean(text.lower(), _MACROS)}")
    return Schedule(text, "cron", cron_interval(expansion))


def _schedule_from_text(text: str) -> Schedule:
    text = " ".join(text.split())
    if text.startswith("@"):
        return _macro_schedule(text)
    if not text:
        raise Problem(_SCHEDULE_HELP)
    # Two words are more likely a duration with a space ("1h 30m") than a cron.
    if text.count(" ") >= 2 or any(char in text for char in "*,/"):
        try:
            return Schedule(text, "cron", cron_interval(text))
        except Problem as problem:
            if problem.headline:
                raise
            raise Problem(problem.reason, "is not a valid cron expression") from None
    if text in _KEYWORDS:
        return Schedule(text, "keyword", Duration.from_seconds(_KEYWORDS[text]))
    if text[:1].isdigit() or text.startswith("-"):
        return _interval_schedule(text)
    raise Problem(f"{_SCHEDULE_HELP}{did_you_mean(text.lower(), _KEYWORDS)}")


def _interval_schedule(text: str) -> Schedule:
    try:
        seconds = duration_seconds(text)
    except Problem as problem:
        if problem.reason == DURATION_HELP:
            raise Problem(_SCHEDULE_HELP) from None
        raise
    if seconds == 0:
        raise Problem("an interval must be longer than zero")
    return Schedule(text, "interval", Duration(seconds, text))


def parse_schedule(value: object) -> Schedule:
    """hourly, daily, weekly, monthly, an interval (6h) or a cron expression ("0 3 * * *")."""
    if isinstance(value, str):  # first: the common case, checked for every value
        return _SCHEDULES[value]
    if isinstance(value, Schedule):
        return value
    shown = show(value)
    if isinstance(value, bool):
        raise ValueError(
            f"{shown} is not a schedule: {_SCHEDULE_HELP} (leave the field out for no schedule)"
        )
    if isinstance(value, int | float):
        raise ValueError(
            f"{shown} is not a schedule: a number needs a unit to be an interval, "
            f"e.g. 6h or 1d; or {_SCHEDULE_HELP.removeprefix('use ')}"
        )
    raise ValueError(f"{shown} is not a schedule: {_SCHEDULE_HELP}")


def _schedule_of_text(value: str) -> Schedule:
    shown = show(value)
    check_length(value, shown, "is not a schedule", MAX_SCHEDULE_CHARS)
    try:
        return _schedule_from_text(value)
    except Problem as problem:
        raise ValueError(problem.message(shown, "is not a schedule")) from None


# Models repeat a few schedules thousands of times; a Schedule is immutable.
_SCHEDULES = TextCache(_schedule_of_text)


_SCHEDULE_JSON_SCHEMA = {
    "type": "string",
    "anyOf": [
        {"enum": list(_KEYWORDS)},
        {"pattern": DURATION_PATTERN},
        {"enum": list(_MACROS)},
        {"pattern": r"^\s*\S+(\s+\S+){4}\s*$"},
    ],
    "description": (
        "How often it runs: hourly, daily, weekly, monthly; continuous (streaming "
        "replication); an interval such as 15m, 6h or 2d; or a five-field cron "
        "expression (minute hour day-of-month month day-of-week) such as '0 3 * * *', "
        "or @hourly, @daily, @weekly, @monthly, @yearly."
    ),
    "examples": ["daily", "6h", "0 3 * * *", "@weekly", "continuous"],
}

ScheduleField = Annotated[
    Schedule,
    WithJsonSchema(_SCHEDULE_JSON_SCHEMA),
]
