"""SARIF 2.1.0 output, as GitHub code scanning and other SARIF viewers read it.

The log validates against the OASIS schema (tests/schemas/) and carries what
GitHub documents for third-party tools: rule metadata with help text, one
result per finding with a location relative to the working directory, and a
partial fingerprint that identifies the finding by rule and entity, never by
line. Keys and results are sorted and there is no timestamp, so the same model
gives byte-identical output.

This module also holds what the CI formats share: the severity table and the
path of a model file as a CI system names it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from archlint import __version__
from archlint.engine.findings import Finding, Result
from archlint.engine.rule import DOCS_URL, Severity, rule_url
from archlint.engine.rulepack import RuleClass, load_rules
from archlint.model.errors import Location
from archlint.reporters.style import Style, json_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "archlintFingerprint/v1"
# GitHub shows at most 1024 characters of a rule's short and full description.
DESCRIPTION_LIMIT = 1024


@dataclass(frozen=True)
class Level:
    """How one archlint severity appears in SARIF (and so in GitHub annotations)."""

    sarif: str  # result.level and defaultConfiguration.level
    security_severity: str  # GitHub's 0.1-10.0 score, a string as GitHub requires


# The one place where severities become SARIF levels and GitHub scores; the
# GitHub reporter derives its annotation commands from `sarif`. GitHub ranks
# the score in CVSS bands (7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low,
# above that critical), so each severity lands in its own band.
LEVELS: dict[Severity, Level] = {
    "critical": Level("error", "9.0"),
    "high": Level("error", "7.0"),
    "medium": Level("warning", "5.0"),
    "low": Level("note", "3.0"),
    "info": Level("note", "1.0"),
}


def render(result: Result, style: Style) -> str:
    rules = described_rules(result)
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


def described_rules(result: Result) -> list[RuleClass]:
    """Every loaded rule, not only those with findings, so viewers can show what
    was checked; the rules that ran are added in case they came from another pack."""
    by_id = {rule.id: rule for rule in load_rules()}
    by_id.update((rule.id, rule) for rule in result.rules)
    return [by_id[rule_id] for rule_id in sorted(by_id)]


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


def help_text(rule: RuleClass) -> str:
    return (
        f"{rule.summary}\n\nWhy it matters: {rule.rationale}\n\n"
        f"How to fix it: {rule.remediation}\n\nDocumentation: {rule_url(rule.name)}"
    )


def help_markdown(rule: RuleClass) -> str:
    # Rule documentation is written in Markdown by the rule's author (rule packs
    # are trusted code), so it is used as it is.
    return (
        f"**{rule.summary}**\n\n## Why it matters\n\n{rule.rationale}\n\n"
        f"## How to fix it\n\n{rule.remediation}\n\n"
        f"[Documentation of {rule.name}]({rule_url(rule.name)})"
    )


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
    return {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}


def absolute(file: str) -> str:
    # abspath, not resolve: symlinks inside the checkout keep the name git knows.
    return os.path.abspath(file)


def relative_path(file: str) -> str | None:
    """The file's POSIX path relative to the working directory, where CI runs
    from the repository's root; None for a file outside it."""
    try:
        relative = PurePath(absolute(file)).relative_to(os.path.abspath(os.getcwd()))
    except ValueError:
        return None
    return relative.as_posix()


def display_path(file: str) -> str:
    """The path a CI system shows for the file: relative when it can be."""
    relative = relative_path(file)
    return relative if relative is not None else Path(absolute(file)).as_posix()


def display_location(location: Location) -> str:
    """`path:line:column`, with the path as a CI system shows it."""
    return f"{display_path(location.file)}:{location.line}:{location.column}"
