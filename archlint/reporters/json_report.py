"""JSON output: every finding with its evidence and location, plus a summary.

Keys and findings are sorted, so the same model gives byte-identical output.
"""

from __future__ import annotations

from typing import Any

from archlint.engine.causes import cause_of
from archlint.engine.findings import Finding, Result
from archlint.reporters.style import JSONText, Style, encode_text, json_text

# Where a finding sits in the document: {"findings": [<here>, ...]}.
FINDING_DEPTH = "\n    "


def render(result: Result, style: Style) -> str:
    document = {
        "findings": [finding_json(finding, FINDING_DEPTH) for finding in result.findings],
        "summary": summary_json(result),
    }
    return json_text(document)


def finding_json(finding: Finding, newline: str) -> JSONText:
    """A finding as json.dumps(indent=2, sort_keys=True) writes it at the depth of
    `newline`, written directly: a report can hold tens of thousands of findings.

    The object has the keys cause {entity, kind}, entity, evidence [...], fix,
    kind, location {column, file, line}, message, name, rule and severity.
    """
    inner = newline + "  "
    field = "," + inner
    deeper = inner + "  "
    kind, entity = cause_of(finding)
    evidence = (
        f"[{deeper}{(',' + deeper).join(map(encode_text, finding.evidence))}{inner}]"
        if finding.evidence
        else "[]"
    )
    location = finding.location
    return JSONText(
        f'{{{inner}"cause": {{{deeper}"entity": {encode_text(entity)},'
        f'{deeper}"kind": {encode_text(kind)}{inner}}}'
        f'{field}"entity": {encode_text(finding.entity)}'
        f'{field}"evidence": {evidence}'
        f'{field}"fix": {encode_text(finding.fix)}'
        f'{field}"kind": {encode_text(finding.kind)}'
        f'{field}"location": {{{deeper}"column": {location.column:d},'
        f'{deeper}"file": {encode_text(location.file)},{deeper}"line": {location.line:d}{inner}}}'
        f'{field}"message": {encode_text(finding.message)}'
        f'{field}"name": {encode_text(finding.name)}'
        f'{field}"rule": {encode_text(finding.rule)}'
        f'{field}"severity": {encode_text(finding.severity)}{newline}}}'
    )


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
