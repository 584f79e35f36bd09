"""Text output like a good linter: `path:line:col: severity rule-name entity: message`.

Each finding is one line, followed by an indented `help:` line with its fix, as
ruff and rustc show theirs. On a terminal the findings are grouped by file and
coloured; otherwise every finding line stands alone, for grep and editors, and
the help lines (which start with a space) are easy to leave out.
"""

from __future__ import annotations

from itertools import groupby

from archlint.engine.findings import Finding, Result
from archlint.model.inert import shown_path
from archlint.reporters.common import summary
from archlint.reporters.style import Style, printable

COLORS = {
    "critical": "\x1b[1;35m",
    "high": "\x1b[1;31m",
    "medium": "\x1b[33m",
    "low": "\x1b[36m",
    "info": "\x1b[2m",
}
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def render(result: Result, style: Style) -> str:
    lines = grouped(result.findings) if style.color else plain(result.findings)
    if result.findings and style.color:
        lines.append("")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def plain(findings: tuple[Finding, ...]) -> list[str]:
    lines = []
    for finding in findings:
        lines.append(
            printable(
                f"{finding.location}: {finding.severity} {finding.name} "
                f"{finding.entity}: {finding.message}"
            )
        )
        if finding.fix:
            lines.append(f"  help: {printable(finding.fix)}")
    return lines


def grouped(findings: tuple[Finding, ...]) -> list[str]:
    lines: list[str] = []
    for file, group in groupby(findings, key=lambda f: f.location.file):
        if lines:
            lines.append("")
        lines.append(f"{BOLD}{shown_path(file)}{RESET}")
        for finding in group:
            place = f"{finding.location.line}:{finding.location.column}"
            severity = f"{COLORS[finding.severity]}{finding.severity:<8}{RESET}"
            lines.append(
                f"  {DIM}{place:>7}{RESET}  {severity} {finding.name:<24} "
                f"{BOLD}{printable(finding.entity)}{RESET}: {printable(finding.message)}"
            )
            if finding.fix:
                # Under the message, past the place and severity columns.
                lines.append(f"{' ' * 20}{DIM}help:{RESET} {printable(finding.fix)}")
    return lines
