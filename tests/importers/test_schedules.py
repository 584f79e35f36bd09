"""Schedules outside the tools: crontab lines, systemd timers, Kubernetes CronJobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.importers.draft import ImportOptions
from archlint.importers.schedules import Timing, Untranslatable, calendar_to_schedule, split_paths
from archlint.model.errors import InvalidModel
from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

HERE = FIXTURES / "schedules"


def read_schedules(paths: list[Path]) -> list[Timing]:
    """The schedules of files that must all be schedule files."""
    own, timings = split_paths(paths, ImportOptions())
    assert own == []
    return timings


@pytest.mark.parametrize(
    ("event", "cron"),
    [
        ("daily", "daily"),
        ("02:10", "10 2 * * *"),
        ("*-*-18 03:00", "0 3 18 * *"),
        ("Mon..Fri 21:30", "30 21 * * 1-5"),
        ("Sat,Sun *-*-* 04:00:00", "0 4 * * 6,0"),
        ("sun 01:00", "0 1 * * 0"),
        ("*:0/15", "0/15 * * * *"),
        ("02:00 Europe/Berlin", "0 2 * * *"),
        ("quarterly", "0 0 1 1,4,7,10 *"),
    ],
)
def test_calendar_events_that_cron_can_say(event: str, cron: str) -> None:
    assert calendar_to_schedule(event) == cron


@pytest.mark.parametrize("event", ["2026-*-* 03:00", "*-*~01 00:00", "03:00:30", "Fri..Mon 01:00"])
def test_calendar_events_that_cron_cannot_say(event: str) -> None:
    with pytest.raises(Untranslatable):
        calendar_to_schedule(event)


def test_timer_with_its_service_cronjob_and_untranslatable_timer() -> None:
    files = [
        HERE / name for name in ("backup.timer", "backup.service", "yearly.timer", "cronjob.yaml")
    ]
    timings = {timing.expression: timing for timing in read_schedules(files)}
    weekend = timings["Sat,Sun *-*-* 04:00:00"]
    assert (weekend.schedule, weekend.command) == (
        "0 4 * * 6,0",
        "/usr/bin/borgmatic --verbosity 0",
    )
    assert (str(weekend.origin.file), weekend.origin.line) == (str(HERE / "backup.timer"), 5)
    assert timings["2026-*-* 03:00"].schedule is None
    cronjob = timings["*/30 * * * *"]
    assert cronjob.command == "resticprofile -n photos backup"
    assert cronjob.origin.line == 10


def test_a_pasted_shell_session_is_a_located_error() -> None:
    with pytest.raises(InvalidModel) as error:
        read_schedules([HERE / "pasted-crontab"])
    problem = error.value.errors[0]
    assert (problem.location.line, "pasted shell session" in problem.message) == (2, True)


def test_a_timer_schedules_the_job_its_service_runs(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = FIXTURES / "borgmatic" / "legacy.yaml"
    result = archlint("import", "borgmatic", config, HERE / "backup.timer", HERE / "backup.service")
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert str(model.backups["home-to-borg"].schedule) == "0 4 * * 6,0"


def test_an_untranslatable_timer_is_a_todo_on_the_job(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = FIXTURES / "borgmatic" / "legacy.yaml"
    unit = tmp_path / "borgmatic.timer"
    unit.write_text("[Timer]\nOnCalendar=2026-*-* 03:00\n")
    result = archlint("import", "borgmatic", config, unit)
    assert result.code == 0, result.err
    todos = " ".join(comments_before(result.out, "home-to-borg"))
    assert "'2026-*-* 03:00'" in todos and "no cron expression can say" in todos


def test_corpus_timer_and_drop_in() -> None:
    timer = CORPUS / "ahurlbatt__homeserver" / "borgbackup" / "borgmatic.timer"
    drop_in = CORPUS / "ahurlbatt__homeserver" / "sanoid" / "timer.override.conf"
    if not timer.is_file():
        pytest.skip("the shared corpus is not next to this checkout")
    service = timer.with_suffix(".service")
    timings = read_schedules([timer, service, drop_in])
    assert [(t.schedule, t.origin.line) for t in timings] == [("10 2 * * *", 5), ("0 2 * * *", 3)]
    assert "borgmatic" in timings[0].command


def test_a_second_schedule_of_a_job_is_a_todo(archlint: Callable[..., Run], tmp_path: Path) -> None:
    config = FIXTURES / "borgmatic" / "legacy.yaml"
    crontab = tmp_path / "crontab"
    crontab.write_text("0 2 * * * borgmatic\n0 14 * * * borgmatic\n")
    result = archlint("import", "borgmatic", config, crontab)
    model = load_text(result.out, tmp_path)
    assert str(model.backups["home-to-borg"].schedule) == "0 2 * * *"
    todos = " ".join(comments_before(result.out, "home-to-borg"))
    assert f"{crontab}:2 also runs this on '0 14 * * *'" in todos
