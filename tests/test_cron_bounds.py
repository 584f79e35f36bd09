"""Cron gaps are computed with bit sets over the 28-year window; they must
equal a plain walk over every day of the window, and stay fast for thousands
of distinct day patterns."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.model import cron
from archlint.model.parsing import Problem
from bench.shapes import distinct_schedules
from tests.conftest import Run
from tests.steps import LINEAR, Steps, counting, growth


def walked_gap_minutes(text: str) -> int:
    """The longest gap in minutes by walking every day and time of the window; 0: never runs."""
    fields = text.split()
    minutes, hours, days, months, weekdays = (
        cron._cron_field(spec, part) for spec, part in zip(cron._CRON_FIELDS, fields, strict=True)
    )
    either = not fields[2].startswith("*") and not fields[4].startswith("*")
    matching = []
    for year in range(cron._WINDOW_FIRST_YEAR, cron._WINDOW_LAST_YEAR + 1):
        for month in sorted(months):
            first = datetime.date(year, month, 1).toordinal()
            for day in range(1, calendar.monthrange(year, month)[1] + 1):
                ordinal = first + day - 1
                on_day, on_weekday = day in days, ordinal % 7 in weekdays
                if (on_day or on_weekday) if either else (on_day and on_weekday):
                    matching.append(ordinal)
    if not matching:
        return 0
    following = [*matching[1:], matching[0] + cron._WINDOW_DAYS]
    day_gap = max(later - earlier for earlier, later in zip(matching, following, strict=True))
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    within_day = max((later - earlier for earlier, later in pairwise(times)), default=0)
    return max(within_day, day_gap * 24 * 60 - times[-1] + times[0])


def field(low: int, high: int, names: list[str]) -> st.SearchStrategy[str]:
    value = st.integers(low, high).map(str) | st.sampled_from(names or [str(low)])
    item = st.one_of(
        value,
        st.just("*"),
        st.integers(1, high - low + 1).map(lambda step: f"*/{step}"),
        st.tuples(st.integers(low, high), st.integers(low, high), st.integers(1, 9)).map(
            lambda t: f"{min(t[:2])}-{max(t[:2])}" + (f"/{t[2]}" if t[2] > 1 else "")
        ),
        st.tuples(st.integers(low, high), st.integers(1, 9)).map(lambda t: f"{t[0]}/{t[1]}"),
    )
    return st.lists(item, min_size=1, max_size=4).map(",".join)


MONTHS = ["jan", "Feb", "MAR", "jun", "dec"]
WEEKDAYS = ["sun", "mon", "Fri", "SAT"]


@st.composite
def cron_expressions(draw: st.DrawFn) -> str:
    return " ".join(
        [
            draw(field(0, 59, [])),
            draw(field(0, 23, [])),
            draw(field(1, 31, [])),
            draw(field(1, 12, MONTHS)),
            draw(field(0, 7, WEEKDAYS)),
        ]
    )


@settings(max_examples=200, deadline=None)
@given(cron_expressions())
def test_gap_equals_walking_every_day(text: str) -> None:
    walked = walked_gap_minutes(text)
    try:
        computed = cron.cron_interval(text).seconds
    except Problem:
        assert walked == 0, text
        return
    assert computed == walked * 60, text


@settings(max_examples=100, deadline=None)
@given(
    st.frozensets(st.integers(1, 31), min_size=1),
    st.frozensets(st.integers(1, 12), min_size=1),
    st.frozensets(st.integers(0, 6), min_size=1),
    st.booleans(),
    st.sampled_from(["0 0", "*/7 3-5", "59 23", "0,30 */6"]),
)
def test_gap_equals_walking_for_any_day_sets(
    days: frozenset[int],
    months: frozenset[int],
    weekdays: frozenset[int],
    restricted_weekday: bool,
    time_fields: str,
) -> None:
    """Day, month and weekday sets drawn directly: patterns that short lists seldom reach."""

    def listed(values: frozenset[int]) -> str:
        return ",".join(map(str, sorted(values)))

    week = listed(weekdays) if restricted_weekday else "*"
    text = f"{time_fields} {listed(days)} {listed(months)} {week}"
    walked = walked_gap_minutes(text)
    try:
        computed = cron.cron_interval(text).seconds
    except Problem:
        assert walked == 0, text
        return
    assert computed == walked * 60, text


def distinct_day_patterns(count: int) -> list[str]:
    """`count` cron lines whose days of the month are all different sets."""
    return [
        f"{n % 60} {n % 24} {','.join(str(day + 1) for day in range(28) if (n + 1) >> day & 1)} * *"
        for n in range(count)
    ]


# A walk over the window takes a step per day of it for each pattern (about 5 ms:
# 20 s for 4,000 patterns); the bit sets take a few hundred steps per pattern.
WALK_STEPS = cron._WINDOW_DAYS


def test_distinct_day_patterns_cost_no_walk_over_the_window() -> None:
    counted: list[tuple[int, Steps]] = []
    for count in (250, 1000):
        lines = distinct_day_patterns(count)
        assert len({line.split()[2] for line in lines}) == count
        cron._longest_day_gap.cache_clear()
        with counting() as steps:
            for line in lines:
                cron.cron_interval(line)
        assert steps.lines < count * WALK_STEPS / 10
        counted.append((count, steps))
    assert growth(*counted) < LINEAR


def test_many_distinct_schedules_report_the_one_real_error_with_bounded_work(
    tmp_path: Path, archlint: Callable[..., Run]
) -> None:
    """The bench shape: every schedule runs on its own days; one unknown field at the end."""
    counted: list[tuple[int, Steps]] = []
    for count in (300, 1200):
        directory = tmp_path / str(count)
        directory.mkdir()
        arguments = distinct_schedules(directory, count)
        text = (directory / "model.yaml").read_text()
        patterns = {
            line.split("'")[1].split()[2] for line in text.splitlines() if "schedule: '" in line
        }
        assert len(patterns) == count
        cron._longest_day_gap.cache_clear()
        with counting() as steps:
            run = archlint(*arguments)
        # The whole check, loading and validating included, costs less per schedule
        # than a walk over the window would for one.
        assert steps.lines < count * WALK_STEPS / 4
        counted.append((count, steps))
        assert run.code == 2
        errors = [line for line in run.err.splitlines() if ": error: " in line]
        assert len(errors) == 1
        line = next(n for n, x in enumerate(text.splitlines(), 1) if x.startswith("  broken:"))
        assert errors[0].endswith(f"model.yaml:{line}:65: error: unknown field 'colour'")
    assert growth(*counted) < LINEAR
