"""JSON output: every finding with its evidence and location, plus a summary.

Keys and findings are sorted, so the same model gives byte-identical output.
"""

from __future__ import annotations

import io
from typing import Any

from archlint.engine.causes import cause_of
from archlint.engine.findings import Finding, Result
from archlint.reporters.style import Style, encode_text, inert_json, joined_json, write_json

# The document as json.dumps(indent=2, sort_keys=True) writes it, around the findings:
# {"findings": [<finding>, <finding>, ...], "summary": {...}}.
FINDINGS_START = b'{\n  "findings": ['
FIRST_FINDING = b"\n    "
NEXT_FINDING = b",\n    "
FINDINGS_END = b"\n  ]"
SUMMARY_KEY = ',\n  "summary": '
SUMMARY_DEPTH = "\n  "
# A finding's evidence, at the depth of the finding's keys (see finding_json).
EVIDENCE_START = "[\n        "
NEXT_EVIDENCE = ",\n        "
EVIDENCE_END = "\n      ]"


def render(result: Result, style: Style) -> str:
    """The report as text, for the callers of REPORTERS (`check` writes document's bytes)."""
    return document(result).decode("ascii")


def document(result: Result) -> bytes:
    """The report as the bytes a check writes (ASCII: json_text escapes every other
    character), written finding by finding into one growing buffer. A report can
    hold hundreds of thousands of findings: the buffer is the only copy of their
    text, where a join holds the pieces and the whole at once."""
    # Rule ids, names, severities, kinds, files and fixes repeat across findings:
    # each distinct text is encoded once.
    encoded = Encoded()
    buffer = io.BytesIO()
    write = buffer.write
    write(FINDINGS_START)
    separator = FIRST_FINDING
    for finding in result.findings:
        write(separator)
        # No `##[` spans two findings (it can only be inside a string): each is made inert alone.
        write(inert_json(finding_json(finding, encoded)).encode())
        separator = NEXT_FINDING
    write(FINDINGS_END if result.findings else b"]")
    pieces = [SUMMARY_KEY]
    write_json(summary_json(result), SUMMARY_DEPTH, pieces)
    pieces.append("\n}\n")
    write(joined_json(pieces).encode())
    return buffer.getvalue()


class Encoded(dict[str, str]):
    """Texts as JSON strings, each encoded when first asked for."""

    def __missing__(self, text: str) -> str:
        self[text] = found = encode_text(text)
        return found


def finding_json(finding: Finding, encoded: Encoded) -> str:
    """A finding as json.dumps(indent=2, sort_keys=True) writes it in the list of
    findings, written directly: a report can hold tens of thousands of findings.
    `encoded` holds the texts that repeat from one finding to the next.

    The keys, sorted: cause {entity, kind}, entity, evidence [...], fix, kind,
    location {column, file, line}, message, name, rule and severity. One f-string
    builds the text in one step, its line breaks and indents written in it (a
    %-template is parsed again for every finding, and each indent passed in is
    one more piece to join).
    """
    kind, entity = cause_of(finding)
    evidence = finding.evidence
    location = finding.location
    listed = (
        f"{EVIDENCE_START}{NEXT_EVIDENCE.join(map(encode_text, evidence))}{EVIDENCE_END}"
        if evidence
        else "[]"
    )
    return (
        "{"
        f'\n      "cause": {{'
        f'\n        "entity": {encode_text(entity)},'
        f'\n        "kind": {encoded[kind]}'
        "\n      },"
        f'\n      "entity": {encode_text(finding.entity)},'
        f'\n      "evidence": {listed},'
        f'\n      "fix": {encoded[finding.fix]},'
        f'\n      "kind": {encoded[finding.kind]},'
        '\n      "location": {'
        f'\n        "column": {location.column},'
        f'\n        "file": {encoded[location.file]},'
        f'\n        "line": {location.line}'
        "\n      },"
        f'\n      "message": {encode_text(finding.message)},'
        f'\n      "name": {encoded[finding.name]},'
        f'\n      "rule": {encoded[finding.rule]},'
        f'\n      "severity": {encoded[finding.severity]}'
        "\n    }"
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
