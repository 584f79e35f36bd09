"""Durations, sizes, dates and schedules: parsing, messages and pydantic fields."""

from __future__ import annotations

import datetime
import re
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from archlint.model.dates import DateField, parse_date
from archlint.model.durations import Duration, DurationField, parse_duration
from archlint.model.schedules import Schedule, ScheduleField, parse_schedule
from archlint.model.sizes import Size, SizeField, parse_size

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY

# --- durations ------------------------------------------------------------------------

VALID_DURATIONS = [
    ("0m", 0),
    ("0s", 0),
    ("90s", 90),
    ("30m", 30 * MINUTE),
    ("90m", 90 * MINUTE),
    ("6h", 6 * HOUR),
    ("1d", DAY),
    ("2w", 2 * WEEK),
    ("1h30m", HOUR + 30 * MINUTE),
    ("1w2d3h4m5s", WEEK + 2 * DAY + 3 * HOUR + 4 * MINUTE + 5),
    ("1d12h", DAY + 12 * HOUR),
    ("06h", 6 * HOUR),
]


@pytest.mark.parametrize(("text", "seconds"), VALID_DURATIONS)
def test_duration_parses_to_seconds_and_keeps_its_text(text: str, seconds: int) -> None:
    duration = parse_duration(text)
    assert duration.seconds == seconds
    assert duration.text == text
    assert str(duration) == text


INVALID_DURATIONS: list[tuple[object, str]] = [
    ("6x", "'6x' is not a duration: use a number and a unit (s, m, h, d, w), e.g. 30m"),
    ("", "is not a duration: use a number and a unit"),
    ("h", "is not a duration: use a number and a unit"),
    ("-1h", "'-1h' is not a duration: durations cannot be negative"),
    ("1h 30m", "remove the spaces: did you mean 1h30m?"),
    (" 6h", "remove the spaces: did you mean 6h?"),
    ("30m1h", "from the largest unit to the smallest"),
    ("1h1h", "each unit once"),
    ("1.5h", "use whole numbers: did you mean 1h30m?"),
    ("0.5d", "did you mean 12h?"),
    ("0.1s", "use whole numbers of a smaller unit"),
    ("6H", "units are lowercase: did you mean 6h?"),
    ("6M", "did you mean 6m (minutes)?"),
    ("6hours", "did you mean 6h?"),
    ("2weeks", "did you mean 2w?"),
    ("10min", "did you mean 10m?"),
    ("1mo", "months and years are not units"),
    ("1y", "months and years are not units"),
    ("6", "'6' is not a duration: add a unit"),
    (6, "6 is not a duration: add a unit (s, m, h, d, w), e.g. 6m, 6h or 6d"),
    (0, "0 is not a duration: add a unit"),
    (-1, "-1 is not a duration: durations cannot be negative"),
    (1.5, "1.5 is not a duration: add a unit"),
    (float("inf"), "inf is not a duration"),
    (True, "true is not a duration"),
    (False, "false is not a duration"),
    (None, "an empty value is not a duration"),
    ([1], "a list is not a duration"),
    ({"h": 1}, "a mapping is not a duration"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_DURATIONS)
def test_invalid_duration_is_explained(value: object, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(value)
    assert fragment in str(caught.value)


def test_durations_compare_and_hash_by_seconds_only() -> None:
    assert parse_duration("90m") == parse_duration("1h30m")
    assert hash(parse_duration("1d")) == hash(parse_duration("24h"))
    assert parse_duration("59m") < parse_duration("1h") < parse_duration("1h1s")
    assert max(parse_duration("2d"), parse_duration("1w")).text == "1w"


def test_parse_duration_returns_a_duration_unchanged() -> None:
    duration = Duration(5, "5s")
    assert parse_duration(duration) is duration


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (59, "59s"),
        (60, "1m"),
        (5400, "1h30m"),
        (DAY, "1d"),
        (DAY + 12 * HOUR, "1d12h"),
        (WEEK, "7d"),
        (1461 * DAY, "1461d"),
        (DAY + 1, "1d1s"),
    ],
)
def test_computed_durations_have_a_canonical_text(seconds: int, text: str) -> None:
    duration = Duration.from_seconds(seconds)
    assert (duration.seconds, duration.text) == (seconds, text)


def test_computed_durations_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        Duration.from_seconds(-1)


# --- sizes ----------------------------------------------------------------------------

VALID_SIZES = [
    ("0B", 0),
    ("512B", 512),
    ("1KB", 1000),
    ("1KiB", 1024),
    ("500MB", 500 * 10**6),
    ("20GB", 20 * 10**9),
    ("20GiB", 20 * 2**30),
    ("2TiB", 2 * 2**40),
    ("1.5TiB", 3 * 2**39),
    ("3PB", 3 * 10**15),
    ("1PiB", 2**50),
    ("2MiB", 2 * 2**20),
    ("7TB", 7 * 10**12),
    ("0.5KB", 500),
    # 1.3GiB is 1395864371.2 bytes: rounded to the nearest byte.
    ("1.3GiB", 1395864371),
    # 0.0005KB is 0.5 bytes: halves round up.
    ("0.0005KB", 1),
]


@pytest.mark.parametrize(("text", "size"), VALID_SIZES)
def test_size_parses_to_bytes_and_keeps_its_text(text: str, size: int) -> None:
    parsed = parse_size(text)
    assert parsed.bytes == size
    assert parsed.text == text
    assert str(parsed) == text


INVALID_SIZES: list[tuple[object, str]] = [
    ("20gb", "'20gb' is not a size: units are case-sensitive: did you mean 20GB?"),
    ("20kB", "did you mean 20KB?"),
    ("20gib", "did you mean 20GiB?"),
    ("20G", "did you mean 20GB or 20GiB?"),
    ("20Gi", "did you mean 20GiB?"),
    ("20bytes", "did you mean 20B?"),
    ("20 GiB", "did you mean 20GiB?"),
    ("1,5GiB", "did you mean 1.5GiB?"),
    ("-5GB", "'-5GB' is not a size: sizes cannot be negative"),
    ("20", "'20' is not a size: add a unit, e.g. 20GB or 20GiB"),
    ("20xyz", "use a number and a unit (B, KB, MB, GB, TB, PB or KiB, MiB, GiB, TiB, PiB)"),
    ("GiB", "is not a size: use a number and a unit"),
    (".5GB", "is not a size: use a number and a unit"),
    ("", "is not a size"),
    (20, "20 is not a size: add a unit, e.g. 20GB or 20GiB"),
    (1.5, "1.5 is not a size: add a unit"),
    (-3, "-3 is not a size: sizes cannot be negative"),
    (float("nan"), "nan is not a size"),
    (True, "true is not a size"),
    (None, "an empty value is not a size"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_SIZES)
def test_invalid_size_is_explained(value: object, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size(value)
    assert fragment in str(caught.value)


def test_sizes_compare_by_bytes_only() -> None:
    assert parse_size("1000MB") == parse_size("1GB")
    assert parse_size("1GB") < parse_size("1GiB") < parse_size("1.1GB")
    size = Size(1, "1B")
    assert parse_size(size) is size


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-09-12", datetime.date(2026, 9, 12)),
        ("2024-02-29", datetime.date(2024, 2, 29)),
        ("0001-01-01", datetime.date(1, 1, 1)),
        (datetime.date(2026, 1, 31), datetime.date(2026, 1, 31)),
    ],
)
def test_date_parses(value: object, expected: datetime.date) -> None:
    assert parse_date(value) == expected


INVALID_DATES: list[tuple[object, str]] = [
    ("2026-02-30", "'2026-02-30' is not a valid date: day 30 is out of range"),
    ("2026-02-29", "February 2026 has 28 days"),
    ("2026-04-31", "April 2026 has 30 days"),
    ("2026-01-00", "day 0 is out of range"),
    ("2026-13-01", "month 13 is out of range 1-12"),
    ("2026-00-10", "month 0 is out of range 1-12"),
    ("0000-01-01", "year 0 is out of range"),
    ("2026-9-12", "use an ISO date YYYY-MM-DD, e.g. 2026-09-12"),
    ("12.09.2026", "use an ISO date YYYY-MM-DD"),
    ("2026-09-12T10:00", "use an ISO date YYYY-MM-DD"),
    ("", "use an ISO date YYYY-MM-DD"),
    (20260912, "20260912 is not a date: use an ISO date"),
    (True, "true is not a date"),
    (None, "an empty value is not a date"),
    (datetime.datetime(2026, 9, 12, 10, 0), "without a time"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_DATES)
def test_invalid_date_is_explained(value: object, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value)
    assert fragment in str(caught.value)


# --- schedules ------------------------------------------------------------------------

VALID_SCHEDULES = [
    # text, kind, longest gap in seconds
    ("hourly", "keyword", HOUR),
    ("daily", "keyword", DAY),
    ("weekly", "keyword", WEEK),
    ("monthly", "keyword", 31 * DAY),
    ("15m", "interval", 15 * MINUTE),
    ("6h", "interval", 6 * HOUR),
    ("2d", "interval", 2 * DAY),
    ("1h30m", "interval", 90 * MINUTE),
    ("0 3 * * *", "cron", DAY),
    ("*/15 * * * *", "cron", 15 * MINUTE),
    ("* * * * *", "cron", MINUTE),
    ("0 3 * * 0", "cron", WEEK),
    ("0 3 * * 7", "cron", WEEK),
    ("0 12 * * 0,7", "cron", WEEK),
    ("0 3 1 * *", "cron", 31 * DAY),
    ("0 */6 * * *", "cron", 6 * HOUR),
    ("0 2,14 * * *", "cron", 12 * HOUR),
    ("0 3 * * 1-5", "cron", 3 * DAY),
    ("30 8 * * mon-fri", "cron", 3 * DAY),
    ("0 3 * * SUN", "cron", WEEK),
    ("0 0 * * 1,3,5", "cron", 3 * DAY),
    ("0 0 29 2 *", "cron", 1461 * DAY),
    ("0 0 29 feb *", "cron", 1461 * DAY),
    ("0 9-17 * * *", "cron", 16 * HOUR),
    ("0 9-17/4 * * *", "cron", 16 * HOUR),
    ("5/20 * * * *", "cron", 20 * MINUTE),
    ("0 0 1,15 * *", "cron", 17 * DAY),
    ("0 0 1 1,7 *", "cron", 184 * DAY),
    ("0 0 1 */3 *", "cron", 92 * DAY),
    ("0 0 31 * *", "cron", 61 * DAY),
    ("0 0 */2 * *", "cron", 2 * DAY),
    # Mar 31 to Jan 1, outside a leap year.
    ("0 0 * JAN-Mar *", "cron", 276 * DAY),
    # Both day fields restricted: the 1st of the month OR a Monday.
    ("0 0 1 * 1", "cron", WEEK),
    ("0 0 13 * fri", "cron", WEEK),
    ("0 0 29 * 1", "cron", WEEK),
    # Restricted to February: Feb 29 or a Monday in February.
    ("0 0 29 2 1", "cron", 350 * DAY),
    # A day field starting with * does not count as restricted: Sun, Tue, Thu, Sat.
    ("0 0 * * */2", "cron", 2 * DAY),
    # ... so both must match: the 13th (every weekday matches), not every day.
    ("0 0 13 * */1", "cron", 31 * DAY),
    # ... and a Friday (every day of the month matches), not every day.
    ("0 0 */1 * 5", "cron", WEEK),
    # The 1st, 15th or 29th of January that is a Sunday: 2023-01-29 to 2034-01-01.
    ("0 0 */14 1 0", "cron", 3990 * DAY),
    ("@hourly", "cron", HOUR),
    ("@daily", "cron", DAY),
    ("@midnight", "cron", DAY),
    ("@weekly", "cron", WEEK),
    ("@monthly", "cron", 31 * DAY),
    ("@yearly", "cron", 366 * DAY),
    ("@annually", "cron", 366 * DAY),
]


@pytest.mark.parametrize(("text", "kind", "seconds"), VALID_SCHEDULES)
def test_schedule_has_its_kind_and_longest_gap(text: str, kind: str, seconds: int) -> None:
    schedule = parse_schedule(text)
    assert schedule.kind == kind
    assert schedule.interval.seconds == seconds
    assert schedule.text == text
    assert str(schedule) == text


def test_cron_text_is_kept_with_its_whitespace_collapsed() -> None:
    assert parse_schedule("  0  3\t* * *  ").text == "0 3 * * *"


def test_interval_schedule_keeps_the_duration_text() -> None:
    assert parse_schedule("90m").interval.text == "90m"


def test_cron_interval_has_canonical_text() -> None:
    assert parse_schedule("0 3 * * 1-5").interval.text == "3d"


INVALID_SCHEDULES: list[tuple[object, str]] = [
    ("0 0 30 2 *", "'0 0 30 2 *' never runs"),
    ("0 0 31 4,6,9,11 *", "never runs"),
    ("0 0 32 * *", "day-of-month: 32 is out of range 1-31"),
    ("0 0 0 * *", "day-of-month: 0 is out of range 1-31"),
    ("60 * * * *", "minute: 60 is out of range 0-59"),
    ("0 24 * * *", "hour: 24 is out of range 0-23"),
    ("0 0 * 13 *", "month: 13 is out of range 1-12"),
    ("0 3 * * 8", "day-of-week: 8 is out of range 0-7"),
    ("*/0 * * * *", "minute: a step must be at least 1, not 0"),
    ("0 0-23/0 * * *", "hour: a step must be at least 1"),
    ("*/x * * * *", "minute: step 'x' is not a number"),
    ("5-1 * * * *", "minute: in '5-1' the start is after the end"),
    ("0 3 * foo *", "month: 'foo' is not a value: use 1-12 or jan-dec"),
    ("0 3 * mon *", "month: 'mon' is not a value"),
    ("0 3 * * jan", "day-of-week: 'jan' is not a value"),
    ("0 3 * * monday", "(did you mean 'mon'?)"),
    ("0 3 * * 1,,2", "day-of-week: '1,,2' has an empty item"),
    (
        "0 3 * *",
        "'0 3 * *' is not a valid cron expression: it has 4 fields, a cron expression has 5",
    ),
    ("0 0 3 * * *", "it has 6 fields"),
    ("*/15", "it has 1 field,"),
    ("@reboot", "@reboot runs once at boot, it has no interval"),
    ("@dayly", "did you mean '@daily'?"),
    ("Daily", "did you mean 'daily'?"),
    ("fortnightly", "'fortnightly' is not a schedule: use hourly, daily, weekly, monthly"),
    ("", "is not a schedule: use hourly"),
    ("0m", "'0m' is not a schedule: an interval must be longer than zero"),
    ("6x", "'6x' is not a schedule: use hourly, daily, weekly, monthly, continuous, an interval"),
    ("-1h", "durations cannot be negative"),
    ("1h 30m", "remove the spaces: did you mean 1h30m?"),
    ("6", "'6' is not a schedule: add a unit"),
    (6, "6 is not a schedule: a number needs a unit to be an interval"),
    (1.5, "1.5 is not a schedule: a number needs a unit"),
    (True, "true is not a schedule"),
    (False, "leave the field out for no schedule"),
    (None, "an empty value is not a schedule"),
    (["daily"], "a list is not a schedule"),
]


@pytest.mark.parametrize(("value", "fragment"), INVALID_SCHEDULES)
def test_invalid_schedule_is_explained(value: object, fragment: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_schedule(value)
    assert fragment in str(caught.value)


def test_parse_schedule_returns_a_schedule_unchanged() -> None:
    schedule = Schedule("daily", "keyword", Duration(DAY, "1d"))
    assert parse_schedule(schedule) is schedule


def _brute_force_longest_gap(
    minutes: list[int],
    hours: list[int],
    days: list[int] | int | None,
    months: list[int] | None,
    weekdays: list[int] | None,
) -> int | None:
    """The longest gap in seconds, found by listing every run over two 28-year cycles.

    ``days`` is a list, a step n for "*/n" or None for "*". Written independently of
    archlint.model.cron: dates come from timedelta steps and weekdays from isoweekday(),
    and two full cycles hold every gap, the one across cycles included.
    """
    either = isinstance(days, list) and weekdays is not None
    day_numbers = range(1, 32, days) if isinstance(days, int) else days
    sundays_as_zero = {weekday % 7 for weekday in weekdays or []}
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    start = datetime.date(2001, 1, 1)
    runs: list[int] = []
    for offset in range((datetime.date(2057, 1, 1) - start).days):
        day = start + datetime.timedelta(days=offset)
        if months is not None and day.month not in months:
            continue
        day_ok = day_numbers is None or day.day in day_numbers
        weekday_ok = weekdays is None or day.isoweekday() % 7 in sundays_as_zero
        if (day_ok or weekday_ok) if either else (day_ok and weekday_ok):
            runs.extend(offset * 24 * 60 + time_of_day for time_of_day in times)
    if not runs:
        return None
    return max(later - earlier for earlier, later in pairwise(runs)) * 60


def _cron_list(values: list[int] | int | None) -> str:
    if values is None:
        return "*"
    if isinstance(values, int):
        return f"*/{values}"
    return ",".join(str(value) for value in values)


def _some(low: int, high: int, most: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(low, high), min_size=1, max_size=most, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    minutes=_some(0, 59, 2),
    hours=_some(0, 23, 3),
    days=st.none() | _some(1, 31, 3) | st.integers(2, 16),
    months=st.none() | _some(1, 12, 3),
    weekdays=st.none() | _some(0, 7, 3),
)
def test_cron_interval_matches_brute_force(
    minutes: list[int],
    hours: list[int],
    days: list[int] | int | None,
    months: list[int] | None,
    weekdays: list[int] | None,
) -> None:
    text = " ".join(_cron_list(field) for field in (minutes, hours, days, months, weekdays))
    expected = _brute_force_longest_gap(minutes, hours, days, months, weekdays)
    if expected is None:
        with pytest.raises(ValueError, match="never runs"):
            parse_schedule(text)
    else:
        assert parse_schedule(text).interval.seconds == expected


@pytest.mark.parametrize("text", ["0 0 */14 1 0", "0 0 */7 2 1", "0 0 */11 3 6", "0 0 */13 1 5"])
def test_cron_interval_counts_the_gap_across_the_28_year_cycle(text: str) -> None:
    # Found by search: for these the longest gap spans the end of the 28-year window.
    minute, hour, step, month, weekday = text.split()
    expected = _brute_force_longest_gap(
        [int(minute)], [int(hour)], int(step.removeprefix("*/")), [int(month)], [int(weekday)]
    )
    assert parse_schedule(text).interval.seconds == expected


# --- pydantic fields ------------------------------------------------------------------


class Strict(BaseModel, strict=True):
    rpo: DurationField
    size: SizeField
    schedule: ScheduleField
    date: DateField
    verify: ScheduleField | None = None


VALID_INPUT: dict[str, Any] = {
    "rpo": "6h",
    "size": "20GiB",
    "schedule": "0 3 * * *",
    "date": "2026-09-12",
}


def test_fields_parse_in_a_strict_model() -> None:
    model = Strict.model_validate(VALID_INPUT)
    assert model.rpo == Duration(6 * HOUR, "6h")
    assert model.size == Size(20 * 2**30, "20GiB")
    assert model.schedule.interval.seconds == DAY
    assert model.date == datetime.date(2026, 9, 12)
    assert model.verify is None


def test_fields_serialise_to_their_text() -> None:
    model = Strict.model_validate({**VALID_INPUT, "rpo": "90m", "verify": "weekly"})
    expected = {**VALID_INPUT, "rpo": "90m", "verify": "weekly"}
    assert model.model_dump() == expected
    assert Strict.model_validate_json(model.model_dump_json()) == model


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("rpo", "6x", "'6x' is not a duration"),
        ("rpo", 6, "6 is not a duration: add a unit"),
        ("size", "20gb", "did you mean 20GB?"),
        ("schedule", "0 0 30 2 *", "never runs"),
        ("schedule", True, "true is not a schedule"),
        ("date", "2026-02-30", "February 2026 has 28 days"),
        ("verify", "often", "'often' is not a schedule"),
    ],
)
def test_invalid_field_carries_the_parser_error(field: str, value: object, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Strict.model_validate({**VALID_INPUT, field: value})
    [error] = caught.value.errors()
    assert error["loc"] == (field,)
    assert error["type"] == "value_error"
    cause = error["ctx"]["error"]
    assert isinstance(cause, ValueError)
    assert fragment in str(cause)


@pytest.mark.parametrize(
    ("field", "fragment"),
    [
        ("rpo", "A duration: whole numbers with units s, m, h, d, w"),
        ("size", "A size: a number and a unit"),
        ("schedule", "How often it runs: hourly, daily, weekly, monthly"),
        ("date", "An ISO date YYYY-MM-DD"),
    ],
)
def test_json_schema_describes_the_accepted_strings(field: str, fragment: str) -> None:
    schema = Strict.model_json_schema()["properties"][field]
    assert schema["type"] == "string"
    assert fragment in schema["description"]
    assert schema["examples"]


def _pattern(field_type: object) -> str:
    pattern = TypeAdapter(field_type).json_schema()["pattern"]
    assert isinstance(pattern, str)
    return pattern


@pytest.mark.parametrize(
    ("field_type", "valid", "invalid"),
    [
        (DurationField, VALID_DURATIONS, INVALID_DURATIONS),
        (SizeField, VALID_SIZES, INVALID_SIZES),
        (DateField, [("2026-09-12", None)], INVALID_DATES[7:11]),
    ],
)
def test_json_schema_pattern_agrees_with_the_parser(
    field_type: object, valid: list[tuple[str, object]], invalid: list[tuple[object, str]]
) -> None:
    pattern = re.compile(_pattern(field_type))
    for text, _ in valid:
        assert pattern.search(text), text
    for value, _ in invalid:
        if isinstance(value, str):
            assert not pattern.search(value), value


def test_schedule_json_schema_accepts_every_valid_schedule() -> None:
    alternatives = TypeAdapter(ScheduleField).json_schema()["anyOf"]
    for text, _, _ in VALID_SCHEDULES:
        assert any(
            text in alternative.get("enum", [])
            or ("pattern" in alternative and re.search(alternative["pattern"], text))
            for alternative in alternatives
        ), text
