"""Cron expressions: five fields (minute hour day-of-month month day-of-week) to
the longest gap between two runs.

Fields take numbers, ranges, lists, steps and month and day names as cronie
and Vixie cron do; when both day fields are restricted either one may match.
The gap is exact: it is measured over a window in which the calendar repeats
every alignment of dates, weekdays and leap days, with the window's days held
as the bits of an integer, so a schedule costs a few integer operations and no
walk over its ten thousand days.
"""

import calendar
import datetime
import functools
from itertools import pairwise
from typing import NamedTuple

from archlint.model.durations import Duration
from archlint.model.errors import did_you_mean
from archlint.model.parsing import Problem

__all__ = ["cron_interval"]

_CRON_FIELD_NAMES = "minute hour day-of-month month day-of-week"


class _CronField(NamedTuple):
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


@functools.cache
def _window_masks() -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """The window's days as bit sets by day of the month, month and weekday.

    Bit i stands for the i-th day of the window. With these a schedule's run
    days are a few operations on integers instead of a walk over 10,227 days.
    They are built a month at a time, not a day at a time: a date object per
    day cost more than all the schedules of a large model, and a step per day
    2 ms of every check that reads a cron expression.
    """
    months = dict.fromkeys(range(1, 13), 0)
    # The first days of the months at least 28, 29, 30 and 31 days long.
    firsts = dict.fromkeys(range(28, 32), 0)
    start = 0  # the index of the month's first day
    for year in range(_WINDOW_FIRST_YEAR, _WINDOW_LAST_YEAR + 1):
        for month in range(1, 13):
            length = calendar.monthrange(year, month)[1]
            months[month] |= ((1 << length) - 1) << start
            for at_least in range(28, length + 1):
                firsts[at_least] |= 1 << start
            start += length
    # The d-th days are the first days, d - 1 days on, of the months that have a d-th day.
    days = {day: firsts[max(day, 28)] << (day - 1) for day in range(1, 32)}
    # Ordinal 1 (0001-01-01) is a Monday, so ordinal % 7 is cron's weekday.
    first = datetime.date(_WINDOW_FIRST_YEAR, 1, 1).toordinal()
    weekdays = {weekday: bytearray(_WINDOW_DAYS) for weekday in range(7)}
    for weekday, row in weekdays.items():
        offset = (weekday - first) % 7
        row[offset::7] = b"\1" * len(range(offset, _WINDOW_DAYS, 7))
    return days, months, _bit_sets(weekdays)


def _bit_sets(rows: dict[int, bytearray]) -> dict[int, int]:
    """Each row of 0 and 1 bytes, indexed by day, as an integer with bit i for byte i."""
    # Written most significant bit first: the last day of the window comes first.
    return {value: int(row[::-1].translate(_BINARY_DIGITS), 2) for value, row in rows.items()}


_BINARY_DIGITS = bytes.maketrans(b"\0\1", b"01")


def _union(masks: dict[int, int], values: frozenset[int]) -> int:
    union = 0
    for value in values:
        union |= masks[value]
    return union


@functools.lru_cache(maxsize=256)
def _longest_day_gap(
    months: frozenset[int], days: frozenset[int], weekdays: frozenset[int], either: bool
) -> int:
    """The most days between two consecutive run days; 0 when no day matches.

    Cached: a model repeats a handful of day patterns across thousands of schedules.
    """
    day_masks, month_masks, weekday_masks = _window_masks()
    on_day, on_weekday = _union(day_masks, days), _union(weekday_masks, weekdays)
    on_both = (on_day | on_weekday) if either else (on_day & on_weekday)
    matching = _union(month_masks, months) & on_both
    if not matching:
        return 0
    first, last = (matching & -matching).bit_length() - 1, matching.bit_length() - 1
    # Two run days are one day further apart than the days without a run between
    # them. (The days before the first run and after the last one are a shorter
    # gap than the one that wraps around.)
    between = _longest_run(matching ^ ((1 << _WINDOW_DAYS) - 1)) + 1
    # The schedule repeats with the window, so the run day after the last one
    # is the first one shifted by the window; this also covers a single day.
    return max(between, _WINDOW_DAYS - last + first)


def _longest_run(bits: int) -> int:
    """The length of the longest run of one bits, in a few operations per power of two.

    levels[j] has bit i set when bits i to i + 2**j - 1 are all set; the
    longest run is then found greedily from the largest power down.
    """
    levels = [bits]
    while levels[-1]:
        levels.append(levels[-1] & (levels[-1] >> (1 << (len(levels) - 1))))
    length, starts = 0, -1  # -1 has every bit set: a run of 0 starts anywhere
    for power in reversed(range(len(levels) - 1)):
        longer = starts & (levels[power] >> length)
        if longer:
            starts, length = longer, length + (1 << power)
    return length


def _longest_gap_minutes(day_gap: int, hours: frozenset[int], minutes: frozenset[int]) -> int:
    """The longest gap between runs, from the longest day gap and the hours and minutes.

    Runs fall at every minute of every hour, so within a day the longest gap is
    either between two minutes of one hour or from the last minute of an hour
    to the first one of the next hour that runs.
    """
    hour_list, minute_list = sorted(hours), sorted(minutes)
    first_minute, last_minute = minute_list[0], minute_list[-1]
    within_hour = max((b - a for a, b in pairwise(minute_list)), default=0)
    hour_gap = max((b - a for a, b in pairwise(hour_list)), default=0)
    across_hours = hour_gap * 60 - last_minute + first_minute if hour_gap else 0
    first = hour_list[0] * 60 + first_minute
    last = hour_list[-1] * 60 + last_minute
    across_days = day_gap * _MINUTES_PER_DAY - last + first
    return max(within_hour, across_hours, across_days)


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
    return Duration.from_seconds(_longest_gap_minutes(day_gap, hours, minutes) * 60)
