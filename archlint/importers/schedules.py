"""Schedules kept outside the backup tools: crontab lines, systemd timers, Kubernetes CronJobs.

borgmatic has no schedule of its own, resticprofile's can be replaced by a timer,
and a CronJob runs any of them in a cluster. When such files are given on the
same command line as a tool's configuration, the importer reads them here and
attaches each schedule to the jobs its command runs. A systemd `OnCalendar`
expression becomes a cron expression when it can be one; when it cannot (years,
seconds, the last days of a month), the job gets a TODO quoting it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.yamlread import parse_documents, read_text
from archlint.model.located import LocatedList, LocatedMap
from archlint.model.schedules import parse_schedule

__all__ = ["Timing", "attach", "calendar_to_schedule", "split_paths"]


@dataclass(frozen=True)
class Timing:
    """One schedule found outside a tool: when, what it runs, and where it was written."""

    schedule: str | None  # as a model schedule, None when it cannot be one
    expression: str  # as written in the file
    command: str  # the command it runs ("" when the file does not say)
    origin: Origin


class Untranslatable(Exception):
    """An OnCalendar expression that no five-field cron expression can say."""


_CRON_LINE = re.compile(r"^\s*(@\w+|(\S+\s+){4}\S+)\s+(\S.*)$")
_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z]+$")
_PROMPT = re.compile(r"^\s*(\S+@\S+[:~]\S*\s*[$#]|[$#>])\s+\S")
_ENV_LINE = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=")
_UNIT_SECTION = re.compile(r"^\s*\[(Unit|Timer|Service|Install)\]\s*$", re.MULTILINE)
_CRONJOB = re.compile(r"^kind:\s*[\"']?CronJob\b", re.MULTILINE)
_WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 0}
_SHORTHANDS = {
    "minutely": "* * * * *",
    "hourly": "hourly",
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "monthly",
    "yearly": "@yearly",
    "annually": "@yearly",
    "quarterly": "0 0 1 1,4,7,10 *",
    "semiannually": "0 0 1 1,7 *",
}
_ZERO_SECONDS = ("0", "00")


def is_schedule_file(path: Path, text: str) -> bool:
    """Whether a file is a crontab, a systemd unit or drop-in, or a Kubernetes CronJob."""
    name = path.name.lower()
    if path.suffix in (".timer", ".service") or _UNIT_SECTION.search(text):
        return True
    if _CRONJOB.search(text):
        return True
    if "crontab" in name or path.suffix == ".cron" or path.parent.name == "cron.d":
        return True
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return (
        bool(lines)
        and all(_is_cron_line(line) or _ENV_LINE.match(line) for line in lines)
        and any(_is_cron_line(line) for line in lines)
    )


def split_paths(paths: list[Path], options: ImportOptions) -> tuple[list[Path], list[Timing]]:
    """The tool's own files, and the schedules read from the others."""
    own: list[Path] = []
    units: list[tuple[Path, str]] = []
    timings: list[Timing] = []
    for path in paths:
        text = read_text(path, str(path), options.limits)
        if not is_schedule_file(path, text):
            own.append(path)
        elif _UNIT_SECTION.search(text) or path.suffix in (".timer", ".service"):
            units.append((path, text))
        elif _CRONJOB.search(text):
            timings.extend(_cronjobs(path, text, options))
        else:
            timings.extend(_crontab(path, text))
    timings.extend(_timers(units))
    return own, timings


def attach(
    draft: Draft,
    timings: Iterable[Timing],
    runs: Callable[[Timing], list[str]],
) -> None:
    """Give each job the schedule that runs it; `runs` says which backups a command runs.

    A schedule that runs no imported job is kept as a note at the top of the model,
    and a second schedule of the same job as a TODO on it, so that nothing given on
    the command line disappears silently.
    """
    scheduled: dict[str, Timing] = {}
    for timing in timings:
        backups = runs(timing)
        if not backups:
            draft.notes.append(
                f"TODO: {timing.origin} schedules {timing.expression!r} for "
                f"{timing.command or 'a unit whose command was not given'!r}, "
                "which runs no job imported here"
            )
            continue
        for backup in backups:
            entity = draft[backup]
            if timing.schedule is None:
                draft.todo(
                    backup,
                    f"{timing.origin} runs this on {timing.expression!r}, which no cron "
                    "expression can say: write its schedule",
                )
                continue
            first = scheduled.setdefault(backup, timing)
            if first is not timing:
                draft.todo(
                    backup,
                    f"{timing.origin} also runs this on {timing.expression!r} (the schedule "
                    f"is from {first.origin}): write the combined schedule",
                )
                continue
            entity.fields["schedule"] = timing.schedule
            entity.todos = [todo for todo in entity.todos if not todo.startswith("no schedule")]
            described = entity.fields.get("description", "")
            entity.fields["description"] = f"{described}; schedule from {timing.origin}".lstrip(
                "; "
            )


def command_words(command: str) -> list[str]:
    """A command line as words (shell quoting respected, unbalanced quotes tolerated)."""
    try:
        return shlex.split(command, comments=False)
    except ValueError:
        return command.split()


# -- OnCalendar ----------------------------------------------------------------


def calendar_to_schedule(expression: str) -> str:
    """A systemd (or Proxmox) calendar event as a model schedule; raises Untranslatable."""
    text = " ".join(expression.split())
    if text.lower() in _SHORTHANDS:
        return _SHORTHANDS[text.lower()]
    words = text.split(" ")
    if ("/" in words[-1] and words[-1][:1].isalpha()) or words[-1] in ("UTC", "GMT"):
        words = words[:-1]  # a time zone: the schedule's gaps do not depend on it
    weekday, date, time = "*", "*-*", "00:00:00"
    for word in words:
        if word[:1].isalpha():
            weekday = _weekdays(word)
        elif ":" in word:
            time = word
        elif "-" in word:
            date = word
        else:
            raise Untranslatable(f"{word!r} is neither a weekday, a date nor a time")
    minute, hour = _time(time)
    day, month = _date(date)
    cron = f"{minute} {hour} {day} {month} {weekday}"
    try:
        parse_schedule(cron)
    except ValueError as error:
        raise Untranslatable(str(error)) from None
    return cron


def _weekdays(word: str) -> str:
    parts = []
    for item in word.lower().split(","):
        first, _, last = item.partition("..")
        if first[:3] not in _WEEKDAYS or (last and last[:3] not in _WEEKDAYS):
            raise Untranslatable(f"{item!r} is not a weekday")
        start = _WEEKDAYS[first[:3]]
        if not last:
            parts.append(str(start))
            continue
        end = _WEEKDAYS[last[:3]]
        end = 7 if end == 0 else end  # Mon..Sun: cron's 7 is Sunday too
        if end < start:
            raise Untranslatable(f"{item!r} wraps around the week")
        parts.append(f"{start}-{end}")
    return ",".join(parts)


def _date(word: str) -> tuple[str, str]:
    parts = word.split("-")
    if len(parts) == 3:
        if parts[0] != "*":
            raise Untranslatable("a year cannot be said in cron")
        parts = parts[1:]
    if len(parts) != 2 or "~" in word:
        raise Untranslatable(f"{word!r} is not a date cron can say")
    month, day = (_component(part) for part in parts)
    return day, month


def _time(word: str) -> tuple[str, str]:
    parts = word.split(":")
    if len(parts) == 3:
        if parts[2] not in _ZERO_SECONDS:
            raise Untranslatable("seconds cannot be said in cron")
        parts = parts[:2]
    if len(parts) != 2:
        raise Untranslatable(f"{word!r} is not a time")
    hour, minute = (_component(part) for part in parts)
    return minute, hour


def _component(text: str) -> str:
    items = []
    for item in text.split(","):
        if item == "*":
            items.append("*")
            continue
        base, slash, step = item.partition("/")
        first, dots, last = base.partition("..")
        if not _numeric(first) or (dots and not _numeric(last)) or (slash and not step.isdigit()):
            raise Untranslatable(f"{item!r} is not something cron can say")
        value = "*" if first == "*" else str(int(first))
        if dots:
            value = f"{value}-{int(last)}"
        items.append(f"{value}/{int(step)}" if slash else value)
    return ",".join(items)


def _numeric(text: str) -> bool:
    return text == "*" or text.isdigit()


# -- crontab ------------------------------------------------------------------


def _is_cron_line(line: str) -> bool:
    found = _CRON_LINE.match(line)
    if not found:
        return False
    if found.group(1).startswith("@"):
        return True
    return all(_CRON_FIELD.match(field) for field in found.group(1).split())


def _crontab(path: Path, text: str) -> list[Timing]:
    timings = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or _ENV_LINE.match(line):
            continue
        found = _CRON_LINE.match(line)
        if _PROMPT.match(line):
            fail(
                Origin(str(path), number),
                "this looks like a pasted shell session: keep only the crontab's own lines",
            )
        if not found or not _is_cron_line(line):
            fail(
                Origin(str(path), number),
                "not a crontab line: expected five time fields (or @daily, ...) and a command",
            )
        expression, command = found.group(1), found.group(3)
        at = Origin(str(path), number)
        timings.append(Timing(_cron_schedule(expression), expression, command, at))
    return timings


def _cron_schedule(expression: str) -> str | None:
    try:
        parse_schedule(expression)
    except ValueError:
        return None
    return expression


# -- systemd ------------------------------------------------------------------


@dataclass
class _Unit:
    path: Path
    sections: dict[str, list[tuple[str, str, int]]]  # section -> [(key, value, line)]

    def values(self, section: str, key: str) -> list[tuple[str, int]]:
        """A key's values in order; an empty assignment resets the list (as systemd does)."""
        found: list[tuple[str, int]] = []
        for name, value, line in self.sections.get(section, []):
            if name == key:
                found = [] if not value else [*found, (value, line)]
        return found


def _parse_unit(path: Path, text: str) -> _Unit:
    sections: dict[str, list[tuple[str, str, int]]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
            continue
        key, equals, value = line.partition("=")
        if current is None or not equals:
            fail(
                Origin(str(path), number),
                "not a systemd unit line: expected [Section] or Key=value",
            )
        sections[current].append((key.strip(), value.strip(), number))
    return _Unit(path, sections)


def _unit_name(path: Path) -> str:
    """The unit a file configures: its own name, or a drop-in directory's unit."""
    if path.suffix in (".timer", ".service"):
        return path.stem
    if path.parent.name.endswith((".timer.d", ".service.d")):
        return PurePath(path.parent.name.removesuffix(".d")).stem
    return ""


def _timers(units: list[tuple[Path, str]]) -> list[Timing]:
    parsed = [_parse_unit(path, text) for path, text in units]
    commands: dict[str, str] = {}
    for unit in parsed:
        starts = unit.values("Service", "ExecStart")
        if starts and unit.path.suffix != ".timer":
            commands[_unit_name(unit.path)] = starts[-1][0].lstrip("-@:+!")
    timings = []
    for unit in parsed:
        name = _unit_name(unit.path)
        target = unit.values("Timer", "Unit")
        service = target[-1][0].removesuffix(".service") if target else name
        command = commands.get(service) or (f"{service}.service" if service else "")
        for value, line in unit.values("Timer", "OnCalendar"):
            at = Origin(str(unit.path), line)
            try:
                schedule: str | None = calendar_to_schedule(value)
            except Untranslatable:
                schedule = None
            timings.append(Timing(schedule, value, command, at))
        for key in ("OnUnitActiveSec", "OnUnitInactiveSec"):
            for value, line in unit.values("Timer", key):
                interval = _interval(value)
                timings.append(
                    Timing(interval, f"{key}={value}", command, Origin(str(unit.path), line))
                )
    return timings


def _interval(value: str) -> str | None:
    text = value.replace(" ", "")
    for long, short in (("days", "d"), ("day", "d"), ("hours", "h"), ("hour", "h"), ("min", "m")):
        text = text.replace(long, short)
    try:
        parse_schedule(text)
    except ValueError:
        return None
    return text


# -- Kubernetes -----------------------------------------------------------------


def _cronjobs(path: Path, text: str, options: ImportOptions) -> list[Timing]:
    timings = []
    for document in parse_documents(text, str(path), options.limits):
        if document.get("kind") != "CronJob":
            continue
        spec = document.get("spec")
        if not isinstance(spec, LocatedMap) or not isinstance(spec.get("schedule"), str):
            fail(Origin(str(path), document.location.line), "a CronJob without spec.schedule")
        expression = str(spec["schedule"])
        at_location = spec.value_locations["schedule"]
        at = Origin(at_location.file, at_location.line, at_location.column)
        timings.append(Timing(_cron_schedule(expression), expression, _job_command(spec), at))
    return timings


def _job_command(spec: LocatedMap) -> str:
    """The command of the CronJob's containers, joined (init containers are set-up)."""
    node = spec
    for key in ("jobTemplate", "spec", "template", "spec"):
        child = node.get(key)
        if not isinstance(child, LocatedMap):
            return ""
        node = child
    containers = node.get("containers")
    words: list[str] = []
    for container in containers if isinstance(containers, LocatedList) else []:
        if isinstance(container, LocatedMap):
            for key in ("command", "args"):
                value = container.get(key)
                if isinstance(value, LocatedList):
                    words.extend(shlex.quote(str(item)) for item in value)
                elif isinstance(value, str):
                    words.append(value)
    return " ".join(words)
