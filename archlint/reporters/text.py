"""Text output like a good linter: `path:line:col: severity rule-name entity: message`.

Each finding is one line, followed by an indented `help:` line with its fix, as
ruff and rustc show theirs. On a terminal the findings are grouped by file and
coloured; otherwise every finding line stands alone, for grep and editors, and
the help lines (which start with a space) are easy to leave out.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable
from itertools import groupby

from archlint.engine.causes import group_by_cause
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
    terminal = style.color or style.width > 0
    lines = by_cause(
        result.findings,
        (lambda block: grouped(block, style, result.findings)) if terminal else plain,
        style,
    )
    if result.findings and terminal:
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


def grouped(
    findings: tuple[Finding, ...], style: Style, aligned: tuple[Finding, ...] = ()
) -> list[str]:
    """Findings under their file, in aligned columns, wrapped to the terminal's width.

    The columns fit `aligned` too (all the findings of the report), so that the
    blocks of one report line up with each other.
    """
    paint = Paint(style.color)
    place_width = max((len(place_of(finding)) for finding in (*findings, *aligned)), default=0)
    name_width = max((len(finding.name) for finding in (*findings, *aligned)), default=0)
    # The message starts past the place, severity and rule name columns.
    indent = 2 + place_width + 2 + 9 + name_width + 2
    lines: list[str] = []
    for file, group in groupby(findings, key=lambda f: f.location.file):
        if lines:
            lines.append("")
        lines.append(paint(BOLD, shown_path(file)))
        for finding in group:
            severity = paint(COLORS[finding.severity], f"{finding.severity:<8}")
            prefix = (
                f"  {paint(DIM, f'{place_of(finding):>{place_width}}')}  {severity} "
                f"{finding.name:<{name_width}}  "
            )
            entity = printable(finding.entity)
            text = f"{entity}: {printable(finding.message)}"
            first, *rest = wrap(text, indent, style.width)
            if first.startswith(entity):
                first = paint(BOLD, entity) + first[len(entity) :]
            lines.append(prefix + first)
            lines.extend(rest)
            if finding.fix:
                # Under the severity column, so the help reads apart from the message.
                help_indent = 2 + place_width + 2
                first, *rest = wrap(printable(finding.fix), help_indent + 6, style.width)
                lines.append(f"{' ' * help_indent}{paint(DIM, 'help:')} {first}")
                lines.extend(rest)
    return lines


def place_of(finding: Finding) -> str:
    return f"{finding.location.line}:{finding.location.column}"


def wrap(text: str, indent: int, width: int) -> list[str]:
    """`text` as lines that fit `width` after `indent` columns (the first line's indent
    is the caller's; the others carry it). Width 0: one line. Words are never broken:
    an id or a path stays whole even when it overflows."""
    if width <= 0:
        return [text]
    # On a narrow terminal the columns leave no room: continue at a small indent.
    if width - indent < 30:
        indent = 8
    lines = textwrap.wrap(
        text,
        width=max(width - indent, 20),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [lines[0], *(" " * indent + line for line in lines[1:])] if lines else [text]


class Paint:
    """ANSI styles when colour is on, the bare text when it is off."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text


def statistics(result: Result) -> str:
    """How many findings each rule gave, most first (as `ruff --statistics` prints):
    count, rule id, rule name and severity in aligned columns, then the summary."""
    counts = Counter((f.rule, f.name, f.severity) for f in result.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max((len(str(count)) for _, count in rows), default=0)
    id_width = max((len(rule) for (rule, _, _), _ in rows), default=0)
    name_width = max((len(name) for (_, name, _), _ in rows), default=0)
    lines = [
        f"{count:>{count_width}}  {rule:<{id_width}}  {name:<{name_width}}  {severity}"
        for (rule, name, severity), count in rows
    ]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def quiet(result: Result) -> str:
    """-q: the summary line alone."""
    return summary(result) + "\n"


def by_cause(
    findings: tuple[Finding, ...],
    block: Callable[[tuple[Finding, ...]], list[str]],
    style: Style,
) -> list[str]:
    """The findings, those that share a root cause under one heading that sums them
    up (see archlint.engine.causes), then the others; `block` renders each group.
    Without a shared cause, the findings as `block` renders them. On a terminal the
    heading is bold and wrapped to its width, under its own first word."""
    causes = group_by_cause(findings)
    if not any(cause.shared for cause in causes):
        return block(findings)
    lines: list[str] = []
    for cause in causes:
        if cause.shared:
            heading = wrap(f"Cause: {printable(cause.summary())}", len("Cause: "), style.width)
            lines += [f"{BOLD}{line}{RESET}" if style.color else line for line in heading]
            lines += [*block(cause.findings), ""]
    others = tuple(finding for cause in causes if not cause.shared for finding in cause.findings)
    if others:
        lines += ["Other findings:", *block(others)]
    else:
        lines.pop()  # no blank line before the summary's own
    return lines
