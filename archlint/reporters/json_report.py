"""JSON output: every finding with its evidence and location, plus a summary.

Keys and findings are sorted, so the same model gives byte-identical output.
"""

from __future__ import annotations

import functools
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
    `encoded` holds the texts that repeat from one finding to the next."""
    shared = Encoded() if encoded is None else encoded
    kind, entity = cause_of(finding)
    evidence = finding.evidence
    inner = newline + "    "  # the depth of the evidence list's items
    location = finding.location
    return JSONText(
        finding_template(newline)
        % (
            encode_text(entity),
            shared[kind],
            encode_text(finding.entity),
            f"[{inner}{(',' + inner).join(map(encode_text, evidence))}{newline}  ]"
            if evidence
            else "[]",
            shared[finding.fix],
            shared[finding.kind],
            location.column,
            shared[location.file],
            location.line,
            encode_text(finding.message),
            shared[finding.name],
            shared[finding.rule],
            shared[finding.severity],
        )
    )


@functools.cache
def finding_template(newline: str) -> str:
    """The text of a finding at the depth of `newline`, with a %s (%d) for each value.

    The keys, sorted: cause {entity, kind}, entity, evidence [...], fix, kind,
    location {column, file, line}, message, name, rule and severity.
    """
    n1 = newline + "  "
    n2 = n1 + "  "
    return (
        f'{{{n1}"cause": {{{n2}"entity": %s,{n2}"kind": %s{n1}}},'
        f'{n1}"entity": %s,{n1}"evidence": %s,{n1}"fix": %s,{n1}"kind": %s,'
        f'{n1}"location": {{{n2}"column": %d,{n2}"file": %s,{n2}"line": %d{n1}}},'
        f'{n1}"message": %s,{n1}"name": %s,{n1}"rule": %s,{n1}"severity": %s{newline}}}'
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
