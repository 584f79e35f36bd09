"""Cron expressions: five fields (minute hour day-of-month month day-of-week) to
the longest gap between two runs.

Fields take numbers, ranges, lists, steps and month and day names as cronie
and Vixie cron do; when both day fields are restricted either one may match.
The gap is exact: it is measured over a window in which the calendar repeats
every alignment of dates, weekdays and leap days.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass
from itertools import pairwise

from archlint.model.durations import Duration
from archlint.model.errors import did_you_mean
from archlint.model.parsing import Problem

__all__ = ["cron_interval"]

_CRON_FIELD_NAMES = "minute hour day-of-month month day-of-week"


@dataclass(frozen=True)
class _CronField:
    name: str
    low: int
    high: int
    names: dict[str, int]
    what: str  # how to write a value of this field, for messages


_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_DAY_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
_MINUTE = _CronField("minute", 0, 59, {}, "0-59")
_HOUR = _CronField("hour", 0, 23, {}, "0-23")
_DAY_OF_MONTH = _CronField("day-of-month", 1, 31, {}, "1-31")
_MONTH = _CronField("month", 1, 12, _MONTH_NAMES, "1-12 or jan-dec")
_DAY_OF_WEEK = _CronField("day-of-week", 0, 7, _DAY_NAMES, "0-7 (0 and 7 are Sunday) or sun-sat")
_CRON_FIELDS = (_MINUTE, _HOUR, _DAY_OF_MONTH, _MONTH, _DAY_OF_WEEK)

# From 2001 to 2099 the Gregorian calendar repeats every 28 years (no century
# exceptions to the leap rule, and 28 years are exactly 1461 weeks), so this window
# holds every alignment of dates, weekdays and leap days a cron schedule can meet.
_WINDOW_FIRST_YEAR = 2001
_WINDOW_LAST_YEAR = 2028
_WINDOW_DAYS = (
    datetime.date(_WINDOW_LAST_YEAR + 1, 1, 1) - datetime.date(_WINDOW_FIRST_YEAR, 1, 1)
).days
_MINUTES_PER_DAY = 24 * 60


def _cron_value(spec: _CronField, token: str) -> int:
    if token.isdigit() and token.isascii():
        number = int(token)
    elif token.lower() in spec.names:
        return spec.names[token.lower()]
    else:
        hint = did_you_mean(token.lower()[:3], spec.names) if spec.names else ""
        raise Problem(f"{spec.name}: {token!r} is not a value: use {spec.what}{hint}")
    if not spec.low <= number <= spec.high:
        raise Problem(f"{spec.name}: {number} is out of range {spec.low}-{spec.high}")
    return number


def _cron_step(spec: _CronField, token: str) -> int:
    if not (token.isdigit() and token.isascii()):
        raise Problem(f"{spec.name}: step {token!r} is not a number")
    step = int(token)
    if step == 0:
        raise Problem(f"{spec.name}: a step must be at least 1, not 0")
    return step


def _cron_item(spec: _CronField, item: str) -> set[int]:
    """The values of one comma-separated item: *, */n, a, a-b, a-b/n or a/n."""
    base, slash, step_text = item.partition("/")
    step = _cron_step(spec, step_text) if slash else 1
    if base == "*":
        first, last = spec.low, spec.high
    elif "-" in base:
        start, _, end = base.partition("-")
        first, last = _cron_value(spec, start), _cron_value(spec, end)
        if first > last:
            raise Problem(f"{spec.name}: in {item!r} the start is after the end")
    else:
        first = _cron_value(spec, base)
        # "a/n" means from a to the end of the field in steps of n (cronie, Vixie cron).
        last = spec.high if slash else first
    return set(range(first, last + 1, step))


def _cron_field(spec: _CronField, text: str) -> frozenset[int]:
    values: set[int] = set()
    for item in text.split(","):
        if not item:
            raise Problem(f"{spec.name}: {text!r} has an empty item in its list")
        values |= _cron_item(spec, item)
    if spec is _DAY_OF_WEEK and 7 in values:
        values = (values - {7}) | {0}
    return frozenset(values)


def _matching_days(
    months: frozenset[int], days: frozenset[int], weekdays: frozenset[int], either: bool
) -> list[int]:
    """Ordinals of the days in the window on which the schedule runs."""
    matches: list[int] = []
    for year in range(_WINDOW_FIRST_YEAR, _WINDOW_LAST_YEAR + 1):
        for month in sorted(months):
            first = datetime.date(year, month, 1).toordinal()
            for day in range(1, calendar.monthrange(year, month)[1] + 1):
                ordinal = first + day - 1
                # Ordinal 1 (0001-01-01) is a Monday, so ordinal % 7 is cron's weekday.
                on_day, on_weekday = day in days, ordinal % 7 in weekdays
                if (on_day or on_weekday) if either else (on_day and on_weekday):
                    matches.append(ordinal)
    return matches


@functools.lru_cache(maxsize=256)
def _longest_day_gap(
    months: frozenset[int], days: frozenset[int], weekdays: frozenset[int], either: bool
) -> int:
    """The most days between two consecutive run days; 0 when no day matches.

    Cached: a model repeats a handful of day patterns across thousands of
    schedules, and walking the 28-year window is the expensive part.
    """
    matching = _matching_days(months, days, weekdays, either)
    if not matching:
        return 0
    # The schedule repeats with the window, so the run day after the last one
    # is the first one shifted by the window; this also covers a single day.
    following = [*matching[1:], matching[0] + _WINDOW_DAYS]
    return max(later - earlier for earlier, later in zip(matching, following, strict=True))


def _longest_gap_minutes(day_gap: int, times: list[int]) -> int:
    """The longest gap between runs, from the longest day gap and the sorted times of a day."""
    within_day = max((later - earlier for earlier, later in pairwise(times)), default=0)
    across_days = day_gap * _MINUTES_PER_DAY - times[-1] + times[0]
    return max(within_day, across_days)


def cron_interval(text: str) -> Duration:
    """The longest gap between two runs; Problem if the expression is invalid or never runs."""
    fields = text.split()
    if len(fields) != len(_CRON_FIELDS):
        raise Problem(
            f"it has {len(fields)} field{'s' if len(fields) != 1 else ''}, "
            f"a cron expression has 5: {_CRON_FIELD_NAMES}"
        )
    minutes, hours, days, months, weekdays = (
        _cron_field(spec, part) for spec, part in zip(_CRON_FIELDS, fields, strict=True)
    )
    # Vixie cron: when both day fields are restricted, either one may match.
    either = not fields[2].startswith("*") and not fields[4].startswith("*")
    day_gap = _longest_day_gap(months, days, weekdays, either)
    if not day_gap:
        raise Problem(
            "no date matches its day-of-month, month and day-of-week fields", "never runs"
        )
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    return Duration.from_seconds(_longest_gap_minutes(day_gap, times) * 60)
