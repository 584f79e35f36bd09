"""SARIF 2.1.0 output, as GitHub code scanning and other SARIF viewers read it.

The log validates against the OASIS schema (tests/schemas/) and carries what
GitHub documents for third-party tools: rule metadata with help text, one
result per finding with a location relative to the working directory, and a
partial fingerprint that identifies the finding by rule and entity, never by
line. Keys and results are sorted and there is no timestamp, so the same model
gives byte-identical output.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archlint import __version__
from archlint.engine.findings import Finding, Result
from archlint.engine.ruledoc import DOCS_URL, help_markdown, help_text, rule_url
from archlint.engine.rulepack import RuleClass
from archlint.reporters.common import LEVELS, absolute, relative_path
from archlint.reporters.style import JSONText, Style, encode_text, json_text, write_json

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "archlintFingerprint/v1"
# GitHub shows at most 1024 characters of a rule's short and full description.
DESCRIPTION_LIMIT = 1024


# Where a result sits in the log: {"runs": [{"results": [<here>, ...]}]}.
RESULT_DEPTH = "\n        "
# ... and an artifactLocation: {"locations": [{"physicalLocation": {<here>}}]}.
ARTIFACT_DEPTH = RESULT_DEPTH + " " * 8


def render(result: Result, style: Style) -> str:
    # The rules that ran, with or without findings, so viewers show what was checked.
    rules = sorted(result.rules, key=lambda rule: rule.id)
    index = {rule.id: position for position, rule in enumerate(rules)}
    # Each file's artifactLocation, written once: thousands of findings share a file.
    artifacts: dict[str, str] = {}
    results = []
    for finding in result.findings:
        file = finding.location.file
        artifact = artifacts.get(file)
        if artifact is None:
            artifact = artifacts[file] = artifact_json(file, ARTIFACT_DEPTH)
        results.append(result_json(finding, index.get(finding.rule), artifact, RESULT_DEPTH))
    run = {
        "tool": {
            "driver": {
                "name": "archlint",
                "version": __version__,
                "informationUri": DOCS_URL,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        # archlint counts columns in characters, not in UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json_text(log)


def rule_descriptor(rule: RuleClass) -> dict[str, Any]:
    level = LEVELS[rule.severity]
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": clip(rule.summary)},
        "fullDescription": {"text": clip(rule.rationale)},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "helpUri": rule_url(rule.name),
        "defaultConfiguration": {"level": level.sarif},
        "properties": {
            "tags": sorted({"backup", "reliability", "security", rule.entity_kind}),
            "security-severity": level.security_severity,
        },
    }


def clip(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def result_json(finding: Finding, rule_index: int | None, artifact: str, newline: str) -> JSONText:
    """A result as json.dumps(indent=2, sort_keys=True) writes it at the depth of
    `newline`, written directly: a log can hold tens of thousands of results.
    `artifact` is its file's artifactLocation, written at its depth.
    """
    location = finding.location
    evidence = finding.evidence
    inner = newline + "    "  # the depth of the evidence list's items
    return JSONText(
        result_template(newline)
        % (
            encode_text(LEVELS[finding.severity].sarif),
            artifact,
            # Locations are 1-based; the clamp keeps the schema's minimum of 1
            # for any location a future loader might leave at 0.
            location.column if location.column > 1 else 1,
            location.line if location.line > 1 else 1,
            encode_text(message_text(with_fix(finding))),
            encode_text(finding.fingerprint),
            encode_text(finding.entity),
            f"[{inner}  {(',' + inner + '  ').join(map(encode_text, evidence))}{inner}]"
            if evidence
            else "[]",
            encode_text(finding.kind),
            encode_text(finding.severity),
            encode_text(finding.rule),
            f',{newline}  "ruleIndex": {rule_index:d}' if rule_index is not None else "",
        )
    )


@functools.cache
def result_template(newline: str) -> str:
    """The text of a result at the depth of `newline`, with a %s for each value.

    The keys, sorted: level, locations [{physicalLocation {artifactLocation,
    region {startColumn, startLine}}}], message {text}, partialFingerprints,
    properties {entity, evidence, kind, severity}, ruleId and ruleIndex (when
    the rule is known). GitHub itself matches alerts by the primaryLocationLineHash
    that its upload action adds; the fingerprint is for every other consumer. The
    severity keeps critical and high apart, which the level folds together.
    """
    n1 = newline + "  "
    n2, n3, n4, n5 = n1 + "  ", n1 + "    ", n1 + "      ", n1 + "        "
    return (
        f'{{{n1}"level": %s,'
        f'{n1}"locations": [{n2}{{{n3}"physicalLocation": {{'
        f'{n4}"artifactLocation": %s,'
        f'{n4}"region": {{{n5}"startColumn": %d,{n5}"startLine": %d{n4}}}'
        f"{n3}}}{n2}}}{n1}],"
        f'{n1}"message": {{{n2}"text": %s{n1}}},'
        f'{n1}"partialFingerprints": {{{n2}{encode_text(FINGERPRINT_KEY)}: %s{n1}}},'
        f'{n1}"properties": {{{n2}"entity": %s,{n2}"evidence": %s,'
        f'{n2}"kind": %s,{n2}"severity": %s{n1}}},'
        f'{n1}"ruleId": %s%s{newline}}}'
    )


def with_fix(finding: Finding) -> str:
    """The message, then the fix as a second sentence: a SARIF `fixes` entry is
    for edits to the files, and archlint's fixes are advice."""
    return f"{finding.message}. Fix: {finding.fix}." if finding.fix else finding.message


def message_text(message: str) -> str:
    """A plain text SARIF message: `{` and `}` are doubled, as SARIF requires,
    so that model text is never read as a message placeholder."""
    return message.replace("{", "{{").replace("}", "}}")


def artifact_json(file: str, newline: str) -> str:
    """The file's artifactLocation as JSON at the depth of `newline`."""
    pieces: list[str] = []
    write_json(artifact_location(file), newline, pieces)
    return "".join(pieces)


def artifact_location(file: str) -> dict[str, str]:
    relative = relative_path(file)
    if relative is None:
        # Outside the working directory a relative URI would point elsewhere.
        return {"uri": Path(absolute(file)).as_uri()}
    # fsencode gives back the bytes of a name that is not UTF-8, so each of
    # them is percent-encoded as itself.
    return {"uri": quote(os.fsencode(relative)), "uriBaseId": "%SRCROOT%"}
