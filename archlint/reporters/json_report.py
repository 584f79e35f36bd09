"""JSON output: every finding with its evidence and location, plus a summary.

Keys and findings are sorted, so the same model gives byte-identical output.
"""

from __future__ import annotations

from typing import Any

from archlint.engine.causes import cause_of
from archlint.engine.findings import Finding, Result
from archlint.reporters.style import Style, json_text


def render(result: Result, style: Style) -> str:
    document = {
        "findings": [finding_json(finding) for finding in result.findings],
        "summary": summary_json(result),
    }
    return json_text(document)


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity,
        "entity": finding.entity,
        "kind": finding.kind,
        "message": finding.message,
        "fix": finding.fix,
        "evidence": list(finding.evidence),
        "cause": dict(zip(("kind", "entity"), cause_of(finding), strict=True)),
        "location": {
            "file": finding.location.file,
            "line": finding.location.line,
            "column": finding.location.column,
        },
    }


def summary_json(result: Result) -> dict[str, Any]:
    return {
        "findings": len(result.findings),
        "by_severity": result.counts(),
        "waived": len(result.waived),
        "baselined": result.baselined,
        "rules": len(result.rules),
        "entities": result.entities,
        "files": list(result.files),
    }
