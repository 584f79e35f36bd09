"""GitHub Actions output: one workflow command per finding, so each becomes an
annotation on the model's line in the pull request.

    ::error file=models/home.yaml,line=9,col=3,title=orphaned-key (AL201)::after the loss...

Model text is escaped as GitHub's toolkit does it: in the message `%`, CR and
LF become %25, %0D and %0A; in a property `:` and `,` also become %3A and %2C.
A message therefore always stays on its command's line and cannot start a
second command, and a property cannot end early. Other control characters
(ANSI escapes, which the log viewer would render) are shown as escapes.
"""

from __future__ import annotations

import re

from archlint.engine.findings import Finding, Result
from archlint.reporters.common import LEVELS, report_path, summary
from archlint.reporters.style import Style, printable

# Annotation commands by SARIF level, so annotations match code scanning alerts.
COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def render(result: Result, style: Style) -> str:
    lines = [annotation(finding) for finding in result.findings]
    # A line that is not a command is plain log output.
    lines.append(printable(summary(result)))
    return "\n".join(lines) + "\n"


def annotation(finding: Finding) -> str:
    command = COMMANDS[LEVELS[finding.severity].sarif]
    properties = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (
            ("file", report_path(finding.location.file)),
            ("line", str(finding.location.line)),
            ("col", str(finding.location.column)),
            ("title", f"{finding.name} ({finding.rule})"),
        )
    )
    # The annotation shows the fix on a line of its own; the escape keeps it in the command.
    message = f"{finding.message}\nFix: {finding.fix}" if finding.fix else finding.message
    return f"::{command} {properties}::{escape_data(message)}"


def neutralised(value: str) -> str:
    """Line breaks kept (they are escaped next), every other control character shown."""
    return "\n".join(printable(line) for line in LINE_BREAK.split(value))


def escape_data(value: str) -> str:
    # `%` first, or the escapes added after it would be escaped again.
    return neutralised(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
