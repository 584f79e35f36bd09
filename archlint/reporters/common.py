"""What several reporters share: severity levels, a model file's path as a CI
system names it, and the one-line summary of a check.

Reporters import this module, never each other.
"""

import os
from pathlib import Path, PurePath
from typing import NamedTuple

from archlint.engine.findings import Result
from archlint.engine.rule import Severity
from archlint.model.errors import Location
from archlint.model.inert import shown_path


class Level(NamedTuple):
    """How one archlint severity appears in SARIF (and so in GitHub annotations)."""

    sarif: str  # result.level and defaultConfiguration.level
    security_severity: str  # GitHub's 0.1-10.0 score, a string as GitHub requires


# The one place where severities become SARIF levels and GitHub scores; the
# GitHub reporter derives its annotation commands from `sarif`. GitHub ranks
# the score in CVSS bands (7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low,
# above that critical), so each severity lands in its own band.
LEVELS: dict[Severity, Level] = {
    "critical": Level("error", "9.0"),
    "high": Level("error", "7.0"),
    "medium": Level("warning", "5.0"),
    "low": Level("note", "3.0"),
    "info": Level("note", "1.0"),
}


def absolute(file: str) -> str:
    # abspath, not resolve: symlinks inside the checkout keep the name git knows.
    return os.path.abspath(file)


def relative_path(file: str) -> str | None:
    """The file's POSIX path relative to the working directory, where CI runs
    from the repository's root; None for a file outside it."""
    try:
        relative = PurePath(absolute(file)).relative_to(os.path.abspath(os.getcwd()))
    except ValueError:
        return None
    return relative.as_posix()


def report_path(file: str) -> str:
    """The path a CI system knows the file by: relative when it can be. Raw: a
    format that shows it escapes it in its own way (SARIF URIs, GitHub properties)."""
    relative = relative_path(file)
    return relative if relative is not None else Path(absolute(file)).as_posix()


def display_path(file: str) -> str:
    """The path a CI system shows for the file, made inert as every path archlint
    shows (archlint.model.inert.shown_path)."""
    return shown_path(report_path(file))


def display_location(location: Location) -> str:
    """`path:line:column`, with the path as a CI system shows it."""
    return f"{display_path(location.file)}:{location.line}:{location.column}"


def summary(result: Result) -> str:
    counts = result.counts()
    total = len(result.findings)
    waived = f"; {len(result.waived)} waived" if result.waived else ""
    baselined = f"; {result.baselined} baselined" if result.baselined else ""
    checked = f"{len(result.rules)} rules on {result.entities} entities"
    if total == 0:
        return f"No findings ({checked}{waived}{baselined})."
    parts = ", ".join(f"{n} {s}" for s, n in reversed(counts.items()) if n)
    noun = "finding" if total == 1 else "findings"
    return f"Found {total} {noun} ({parts}) from {checked}{waived}{baselined}."
