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
    # Rule ids, names, severities, kinds, files and fixes repeat across findings:
    # each distinct text is encoded once.
    encoded = Encoded()
    document = {
        "findings": [finding_json(finding, FINDING_DEPTH, encoded) for finding in result.findings],
        "summary": summary_json(result),
    }
    return json_text(document)


class Encoded(dict[str, str]):
    """Texts as JSON strings, each encoded when first asked for."""

    def __missing__(self, text: str) -> str:
        self[text] = found = encode_text(text)
        return found


def finding_json(finding: Finding, newline: str, encoded: Encoded | None = None) -> JSONText:
    """A finding as json.dumps(indent=2, sort_keys=True) writes it at the depth of
    `newline`, written directly: a report can hold tens of thousands of findings.
    `encoded` holds the texts that repeat from one finding to the next.

    The keys, sorted: cause {entity, kind}, entity, evidence [...], fix, kind,
    location {column, file, line}, message, name, rule and severity. One f-string
    builds the text in one step (a %-template is parsed again for every finding).
    """
    shared = Encoded() if encoded is None else encoded
    kind, entity = cause_of(finding)
    evidence = finding.evidence
    location = finding.location
    n1 = newline + "  "  # the depth of the finding's keys
    n2 = n1 + "  "  # the depth of the keys of cause and location, and of the evidence
    listed = f"[{n2}{(',' + n2).join(map(encode_text, evidence))}{n1}]" if evidence else "[]"
    return JSONText(
        f'{{{n1}"cause": {{{n2}"entity": {encode_text(entity)},{n2}"kind": {shared[kind]}{n1}}},'
        f'{n1}"entity": {encode_text(finding.entity)},{n1}"evidence": {listed},'
        f'{n1}"fix": {shared[finding.fix]},{n1}"kind": {shared[finding.kind]},'
        f'{n1}"location": {{{n2}"column": {location.column},'
        f'{n2}"file": {shared[location.file]},{n2}"line": {location.line}{n1}}},'
        f'{n1}"message": {encode_text(finding.message)},{n1}"name": {shared[finding.name]},'
        f'{n1}"rule": {shared[finding.rule]},{n1}"severity": {shared[finding.severity]}{newline}}}'
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
