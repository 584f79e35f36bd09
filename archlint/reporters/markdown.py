"""Markdown output: a summary fit for a pull-request comment or a job summary.

A headline, the counts by severity and a table of the findings with links to
each rule's documentation. Every piece of model text goes through
`markdown_text`, so a `|` or a line break in a message cannot break the table
and nothing in a model becomes HTML, a link or emphasis.
"""

from __future__ import annotations

from archlint.engine.causes import group_by_cause
from archlint.engine.findings import Finding, Result
from archlint.engine.rule import SEVERITIES, severity_rank
from archlint.engine.ruledoc import rule_url
from archlint.reporters.common import display_location
from archlint.reporters.style import Style, markdown_text

md = markdown_text


def render(result: Result, style: Style) -> str:
    return report(result)


def report(result: Result) -> str:
    total = len(result.findings)
    if total == 0:
        lines = ["## archlint: no findings", "", f"No findings. {checked(result)}"]
    else:
        noun = "finding" if total == 1 else "findings"
        lines = [f"## archlint: {total} {noun}", "", checked(result), ""]
        lines += severity_table(result)
        lines += ["", *by_cause(result.findings)]
    return "\n".join(lines) + "\n"


def checked(result: Result) -> str:
    extra = ""
    if result.waived:
        extra += f"; {len(result.waived)} waived"
    if result.baselined:
        extra += f"; {result.baselined} in the baseline, not shown"
    return f"{len(result.rules)} rules checked on {result.entities} entities{extra}."


def severity_table(result: Result) -> list[str]:
    counts = result.counts()
    rows = [f"| {severity} | {counts[severity]} |" for severity in reversed(SEVERITIES)]
    return ["| severity | findings |", "| --- | ---: |", *rows]


def by_cause(findings: tuple[Finding, ...]) -> list[str]:
    """One section per root cause that several findings share (see
    archlint.engine.causes), with a summary line and their table, then the others."""
    causes = group_by_cause(findings)
    if not any(cause.shared for cause in causes):
        return findings_table(findings)
    lines = []
    for cause in causes:
        if cause.shared:
            lines += [
                f"### Cause: {md(cause.kind)} {md(cause.entity)}",
                "",
                f"{md(cause.summary())}.",
                "",
                *findings_table(cause.findings),
                "",
            ]
    others = tuple(finding for cause in causes if not cause.shared for finding in cause.findings)
    if others:
        lines += ["### Other findings", "", *findings_table(others)]
    else:
        lines.pop()
    return lines


def findings_table(findings: tuple[Finding, ...]) -> list[str]:
    header = [
        "| severity | rule | entity | location | message |",
        "| --- | --- | --- | --- | --- |",
    ]
    # A reviewer reads the worst first; the sort is stable, so ties keep the
    # order of the files.
    ordered = sorted(findings, key=lambda finding: -severity_rank(finding.severity))
    return header + [finding_row(finding) for finding in ordered]


def finding_row(finding: Finding) -> str:
    rule = f"[{md(finding.name)}]({rule_url(finding.name)}) ({md(finding.rule)})"
    place = display_location(finding.location)
    cells = (
        finding.severity,
        rule,
        f"{md(finding.kind)} {md(finding.entity)}",
        md(place),
        md(finding.message) + (f"<br>Fix: {md(finding.fix)}" if finding.fix else ""),
    )
    return "| " + " | ".join(cells) + " |"
