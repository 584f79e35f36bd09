"""SARIF 2.1.0 output, as GitHub code scanning and other SARIF viewers read it.

The log validates against the OASIS schema (tests/schemas/) and carries what
GitHub documents for third-party tools: rule metadata with help text, one
result per finding with a location relative to the working directory, and a
partial fingerprint that identifies the finding by rule and entity, never by
line. Keys and results are sorted and there is no timestamp, so the same model
gives byte-identical output.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archlint import __version__
from archlint.engine.findings import Finding, Result
from archlint.engine.ruledoc import DOCS_URL, help_markdown, help_text, rule_url
from archlint.engine.rulepack import RuleClass
from archlint.reporters.common import LEVELS, absolute, relative_path
from archlint.reporters.style import Style, json_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "archlintFingerprint/v1"
# GitHub shows at most 1024 characters of a rule's short and full description.
DESCRIPTION_LIMIT = 1024


def render(result: Result, style: Style) -> str:
    # The rules that ran, with or without findings, so viewers show what was checked.
    rules = sorted(result.rules, key=lambda rule: rule.id)
    index = {rule.id: position for position, rule in enumerate(rules)}
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
        "results": [result_json(finding, index.get(finding.rule)) for finding in result.findings],
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


def result_json(finding: Finding, rule_index: int | None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity].sarif,
        "message": {"text": message_text(with_fix(finding))},
        "locations": [{"physicalLocation": physical_location(finding)}],
        # GitHub itself matches alerts by the primaryLocationLineHash that its
        # upload action adds; this key is for every other consumer.
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "entity": finding.entity,
            "kind": finding.kind,
            "evidence": list(finding.evidence),
            # The level folds critical into high; the severity keeps them apart.
            "severity": finding.severity,
        },
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    return result


def with_fix(finding: Finding) -> str:
    """The message, then the fix as a second sentence: a SARIF `fixes` entry is
    for edits to the files, and archlint's fixes are advice."""
    return f"{finding.message}. Fix: {finding.fix}." if finding.fix else finding.message


def message_text(message: str) -> str:
    """A plain text SARIF message: `{` and `}` are doubled, as SARIF requires,
    so that model text is never read as a message placeholder."""
    return message.replace("{", "{{").replace("}", "}}")


def physical_location(finding: Finding) -> dict[str, Any]:
    location = finding.location
    return {
        "artifactLocation": artifact_location(location.file),
        # Locations are 1-based; the clamp keeps the schema's minimum of 1 for
        # any location a future loader might leave at 0.
        "region": {"startLine": max(1, location.line), "startColumn": max(1, location.column)},
    }


def artifact_location(file: str) -> dict[str, str]:
    relative = relative_path(file)
    if relative is None:
        # Outside the working directory a relative URI would point elsewhere.
        return {"uri": Path(absolute(file)).as_uri()}
    # fsencode gives back the bytes of a name that is not UTF-8, so each of
    # them is percent-encoded as itself.
    return {"uri": quote(os.fsencode(relative)), "uriBaseId": "%SRCROOT%"}
