"""Typed values written as YAML scalars: durations, sizes, dates and schedules.

The loader hands over plain str/int/float/bool/None (a date such as 2026-09-12
arrives as a string), so every parser here takes an arbitrary object and either
returns a value or raises ``ValueError`` with a message written for the person
who wrote the model: it quotes the bad value and shows what is accepted.

Decisions:

- ``Duration.text`` and ``Size.text`` are the value exactly as written ("90m"
  stays "90m", "1h30m" stays "1h30m"): messages then quote what the user can
  find in the file. Durations made by the program (a cron interval) are
  written with days, hours, minutes and seconds, largest first ("1d", "1d12h").
- No whitespace inside durations and sizes ("1h 30m", "20 GiB" are errors that
  suggest the spelling without spaces), so the JSON Schema pattern and the
  parser accept exactly the same strings.
- Duration parts go from the largest unit to the smallest, each unit once.
- Sizes with decimals are rounded to the nearest byte (1.3GiB is not whole).
- Each parser also accepts an already parsed value of its own type, so models
  built in Python (tests, ``model_copy``) validate too.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from archlint.model.errors import clip, did_you_mean, quoted

__all__ = [
    "DateField",
    "Duration",
    "DurationField",
    "Schedule",
    "ScheduleField",
    "Size",
    "SizeField",
    "parse_date",
    "parse_duration",
    "parse_schedule",
    "parse_size",
]


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time in whole seconds; compared and hashed by ``seconds`` only."""

    seconds: int
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text

    @classmethod
    def from_seconds(cls, seconds: int) -> Duration:
        """A duration computed by the program, with a canonical text such as "1d12h"."""
        if seconds < 0:
            raise ValueError(f"durations cannot be negative ({seconds} seconds)")
        return cls(seconds, _format_seconds(seconds))


@dataclass(frozen=True, order=True)
class Size:
    """An amount of storage in bytes; compared and hashed by ``bytes`` only."""

    bytes: int
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Schedule:
    """How often something runs, with the longest gap between two runs."""

    text: str
    kind: Literal["keyword", "interval", "cron"]
    interval: Duration

    def __str__(self) -> str:
        return self.text


class _Problem(Exception):
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
_MAX_VALUE_CHARS = 64
_MAX_SCHEDULE_CHARS = 256


def _show(value: object) -> str:
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


def _check_length(text: str, shown: str, headline: str, limit: int = _MAX_VALUE_CHARS) -> None:
    if len(text) > limit:
        raise ValueError(f"{shown} {headline}: it is {len(text)} characters long (at most {limit})")


def _without_spaces(text: str) -> str | None:
    """The text with whitespace removed, or None when it had none."""
    squeezed = re.sub(r"\s+", "", text)
    return squeezed if squeezed != text else None


# --- durations ------------------------------------------------------------------------

_DURATION_UNITS: dict[str, int] = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION_PATTERN = r"^(?=[0-9])([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$"
_DURATION_RE = re.compile(_DURATION_PATTERN)
_DURATION_PARTS_RE = re.compile(r"([0-9]+)([smhdw])")
_DURATION_HELP = "use a number and a unit (s, m, h, d, w), e.g. 30m, 6h, 1d, 2w"

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


def _duration_seconds(text: str) -> int:
    """Seconds of a duration text, or a _Problem saying what is wrong with it."""
    if _DURATION_RE.fullmatch(text):
        return sum(
            int(number) * _DURATION_UNITS[unit] for number, unit in _DURATION_PARTS_RE.findall(text)
        )
    raise _Problem(_duration_mistake(text))


def _duration_mistake(text: str) -> str:
    """The most helpful reason a text that is not a duration could have."""
    if text.startswith("-") and _DURATION_RE.fullmatch(text[1:]):
        return "durations cannot be negative"
    squeezed = _without_spaces(text)
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
    return _DURATION_HELP


def _unit_word_mistake(number: str, word: str) -> str:
    lowered = word.lower()
    if word == "M":
        return f"units are lowercase: did you mean {number}m (minutes)? For months use 31d"
    if lowered in _CALENDAR_WORDS:
        return "months and years are not units: use days, e.g. 31d or 365d"
    if lowered in _DURATION_UNITS:
        return f"units are lowercase: did you mean {number}{lowered}?"
    if lowered in _DURATION_WORDS:
        return f"did you mean {number}{_DURATION_WORDS[lowered]}? ({_DURATION_HELP})"
    return _DURATION_HELP


def parse_duration(value: object) -> Duration:
    """A duration such as 30m, 6h, 1d, 2w or 1h30m; zero is allowed."""
    if isinstance(value, Duration):
        return value
    shown = _show(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{shown} is not a duration: {_DURATION_HELP}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{shown} is not a duration: {_DURATION_HELP}")
    if not isinstance(value, str):
        if value < 0:
            raise ValueError(f"{shown} is not a duration: durations cannot be negative")
        # A huge number makes an unreadable example: show a usual one instead.
        examples = (
            f"{value}m, {value}h or {value}d"
            if isinstance(value, int) and value < 10**6
            else "90m or 6h"
        )
        raise ValueError(f"{shown} is not a duration: add a unit (s, m, h, d, w), e.g. {examples}")
    _check_length(value, shown, "is not a duration")
    try:
        return Duration(_duration_seconds(value), value)
    except _Problem as problem:
        raise ValueError(problem.message(shown, "is not a duration")) from None


# --- sizes ----------------------------------------------------------------------------

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
        raise _Problem(_size_mistake(text, match))
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
    for candidate in (_without_spaces(text), text.replace(",", ".")):
        if candidate and candidate != text and re.fullmatch(_SIZE_PATTERN, candidate):
            return f"did you mean {candidate}?"
    return _SIZE_HELP


def parse_size(value: object) -> Size:
    """A size such as 500MB, 20GiB or 1.5TiB (KB = 1000 bytes, KiB = 1024 bytes)."""
    if isinstance(value, Size):
        return value
    shown = _show(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{shown} is not a size: {_SIZE_HELP}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{shown} is not a size: {_SIZE_HELP}")
    if not isinstance(value, str):
        if value < 0:
            raise ValueError(f"{shown} is not a size: sizes cannot be negative")
        number = value if value < 10**6 else 20
        raise ValueError(f"{shown} is not a size: add a unit, e.g. {number}GB or {number}GiB")
    _check_length(value, shown, "is not a size")
    try:
        return Size(_size_bytes(value), value)
    except _Problem as problem:
        raise ValueError(problem.message(shown, "is not a size")) from None


# --- dates ----------------------------------------------------------------------------

_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE_HELP = "use an ISO date YYYY-MM-DD, e.g. 2026-09-12"


def _date_from_text(text: str) -> datetime.date:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if match is None:
        raise _Problem(_DATE_HELP)
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if year < 1:
        raise _Problem(f"year {year} is out of range 1-9999")
    if not 1 <= month <= 12:
        raise _Problem(f"month {month} is out of range 1-12")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        name = calendar.month_name[month]
        raise _Problem(f"day {day} is out of range: {name} {year} has {days_in_month} days")
    return datetime.date(year, month, day)


def parse_date(value: object) -> datetime.date:
    """An ISO date YYYY-MM-DD (or a ``datetime.date``)."""
    if isinstance(value, datetime.datetime):
        # A datetime is a date too, but a time of day has no place in the model.
        raise ValueError(f"{value.isoformat()} is not a date: {_DATE_HELP}, without a time")
    if isinstance(value, datetime.date):
        return value
    shown = _show(value)
    if not isinstance(value, str):
        raise ValueError(f"{shown} is not a date: {_DATE_HELP}")
    _check_length(value, shown, "is not a date")
    try:
        return _date_from_text(value)
    except _Problem as problem:
        raise ValueError(problem.message(shown, "is not a valid date")) from None


# --- schedules ------------------------------------------------------------------------

_KEYWORDS: dict[str, int] = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    # Months differ in length: the longest gap between two monthly runs is 31 days.
    "monthly": 31 * 86400,
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
    "use hourly, daily, weekly, monthly, an interval such as 6h, "
    "or a cron expression such as '0 3 * * *'"
)
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
        raise _Problem(f"{spec.name}: {token!r} is not a value: use {spec.what}{hint}")
    if not spec.low <= number <= spec.high:
        raise _Problem(f"{spec.name}: {number} is out of range {spec.low}-{spec.high}")
    return number


def _cron_step(spec: _CronField, token: str) -> int:
    if not (token.isdigit() and token.isascii()):
        raise _Problem(f"{spec.name}: step {token!r} is not a number")
    step = int(token)
    if step == 0:
        raise _Problem(f"{spec.name}: a step must be at least 1, not 0")
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
            raise _Problem(f"{spec.name}: in {item!r} the start is after the end")
    else:
        first = _cron_value(spec, base)
        # "a/n" means from a to the end of the field in steps of n (cronie, Vixie cron).
        last = spec.high if slash else first
    return set(range(first, last + 1, step))


def _cron_field(spec: _CronField, text: str) -> frozenset[int]:
    values: set[int] = set()
    for item in text.split(","):
        if not item:
            raise _Problem(f"{spec.name}: {text!r} has an empty item in its list")
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


def _cron_interval(text: str) -> Duration:
    fields = text.split()
    if len(fields) != len(_CRON_FIELDS):
        raise _Problem(
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
        raise _Problem(
            "no date matches its day-of-month, month and day-of-week fields", "never runs"
        )
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    return Duration.from_seconds(_longest_gap_minutes(day_gap, times) * 60)


def _macro_schedule(text: str) -> Schedule:
    expansion = _MACROS.get(text)
    if expansion is None:
        if text == "@reboot":
            raise _Problem("@reboot runs once at boot, it has no interval")
        known = ", ".join(_MACROS)
        raise _Problem(f"use one of {known}{did_you_mean(text.lower(), _MACROS)}")
    return Schedule(text, "cron", _cron_interval(expansion))


def _schedule_from_text(text: str) -> Schedule:
    text = " ".join(text.split())
    if text.startswith("@"):
        return _macro_schedule(text)
    if not text:
        raise _Problem(_SCHEDULE_HELP)
    # Two words are more likely a duration with a space ("1h 30m") than a cron.
    if text.count(" ") >= 2 or any(char in text for char in "*,/"):
        try:
            return Schedule(text, "cron", _cron_interval(text))
        except _Problem as problem:
            if problem.headline:
                raise
            raise _Problem(problem.reason, "is not a valid cron expression") from None
    if text in _KEYWORDS:
        return Schedule(text, "keyword", Duration.from_seconds(_KEYWORDS[text]))
    if text[:1].isdigit() or text.startswith("-"):
        return _interval_schedule(text)
    raise _Problem(f"{_SCHEDULE_HELP}{did_you_mean(text.lower(), _KEYWORDS)}")


def _interval_schedule(text: str) -> Schedule:
    try:
        seconds = _duration_seconds(text)
    except _Problem as problem:
        if problem.reason == _DURATION_HELP:
            raise _Problem(_SCHEDULE_HELP) from None
        raise
    if seconds == 0:
        raise _Problem("an interval must be longer than zero")
    return Schedule(text, "interval", Duration(seconds, text))


def parse_schedule(value: object) -> Schedule:
    """hourly, daily, weekly, monthly, an interval (6h) or a cron expression ("0 3 * * *")."""
    if isinstance(value, Schedule):
        return value
    shown = _show(value)
    if isinstance(value, bool):
        raise ValueError(
            f"{shown} is not a schedule: {_SCHEDULE_HELP} (leave the field out for no schedule)"
        )
    if isinstance(value, int | float):
        raise ValueError(
            f"{shown} is not a schedule: a number needs a unit to be an interval, "
            f"e.g. 6h or 1d; or {_SCHEDULE_HELP.removeprefix('use ')}"
        )
    if not isinstance(value, str):
        raise ValueError(f"{shown} is not a schedule: {_SCHEDULE_HELP}")
    _check_length(value, shown, "is not a schedule", _MAX_SCHEDULE_CHARS)
    try:
        return _schedule_from_text(value)
    except _Problem as problem:
        raise ValueError(problem.message(shown, "is not a schedule")) from None


# --- pydantic field types -------------------------------------------------------------

_SCHEDULE_JSON_SCHEMA = {
    "type": "string",
    "anyOf": [
        {"enum": list(_KEYWORDS)},
        {"pattern": _DURATION_PATTERN},
        {"enum": list(_MACROS)},
        {"pattern": r"^\s*\S+(\s+\S+){4}\s*$"},
    ],
    "description": (
        "How often it runs: hourly, daily, weekly, monthly; an interval such as 15m, 6h "
        "or 2d; or a five-field cron expression (minute hour day-of-month month "
        "day-of-week) such as '0 3 * * *', or @hourly, @daily, @weekly, @monthly, @yearly."
    ),
    "examples": ["daily", "6h", "0 3 * * *", "@weekly"],
}

DurationField = Annotated[
    Duration,
    PlainValidator(parse_duration),
    PlainSerializer(lambda duration: duration.text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _DURATION_PATTERN,
            "description": (
                "A duration: whole numbers with units s, m, h, d, w, "
                "largest unit first, e.g. 30m, 6h, 1d, 2w, 1h30m."
            ),
            "examples": ["30m", "6h", "1d", "2w", "1h30m"],
        }
    ),
]

SizeField = Annotated[
    Size,
    PlainValidator(parse_size),
    PlainSerializer(lambda size: size.text, return_type=str),
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

ScheduleField = Annotated[
    Schedule,
    PlainValidator(parse_schedule),
    PlainSerializer(lambda schedule: schedule.text, return_type=str),
    WithJsonSchema(_SCHEDULE_JSON_SCHEMA),
]

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
