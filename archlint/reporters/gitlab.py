"""GitLab Code Quality output: the JSON array GitLab reads from a job's
`artifacts:reports:codequality` for the merge-request widget and diff view.

Each finding carries the fields GitLab documents (it ignores the rest of the
Code Climate specification): description, check_name, fingerprint, severity,
location.path and location.lines.begin. GitLab shows findings that share a
fingerprint as one, so fingerprints are made unique per finding.
"""

from __future__ import annotations

import hashlib
from typing import Any

from archlint.engine.findings import Finding, Result
from archlint.engine.rule import Severity
from archlint.reporters.common import display_path
from archlint.reporters.style import Style, json_text

# GitLab's scale has five steps like archlint's, one step higher at the top:
# a critical finding (data that cannot be recovered) blocks like a blocker.
SEVERITIES: dict[Severity, str] = {
    "critical": "blocker",
    "high": "critical",
    "medium": "major",
    "low": "minor",
    "info": "info",
}


def render(result: Result, style: Style) -> str:
    fingerprints = unique_fingerprints(result.findings)
    issues = [
        issue(finding, fingerprint)
        for finding, fingerprint in zip(result.findings, fingerprints, strict=True)
    ]
    return json_text(issues)


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    fix = f". Fix: {finding.fix}." if finding.fix else ""
    return {
        # GitLab's widget shows the description but not the check name.
        "description": f"{finding.name}: {finding.message}{fix}",
        "check_name": finding.name,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {
            "path": display_path(finding.location.file),
            "lines": {"begin": max(1, finding.location.line)},
        },
    }


def unique_fingerprints(findings: tuple[Finding, ...]) -> list[str]:
    """Each finding's fingerprint; a repeat (the same rule and entity in two
    models checked together) gets one derived from its occurrence number, so it
    stays stable across runs and unique in the report."""
    seen: dict[str, int] = {}
    fingerprints = []
    for finding in findings:
        base = finding.fingerprint
        count = seen.get(base, 0)
        seen[base] = count + 1
        if count == 0:
            fingerprints.append(base)
        else:
            fingerprints.append(hashlib.sha256(f"{base}\0{count}".encode()).hexdigest())
    return fingerprints
