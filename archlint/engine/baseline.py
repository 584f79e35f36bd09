"""Baselines: the findings a team has accepted for now, so that CI fails on new ones only.

A baseline records each finding's fingerprint, which names the rule, the entity
and what tells two findings on it apart, never a line number: reordering the
model or adding comments does not invalidate it. The rule, name, entity and
kind are written next to each fingerprint for the people who review the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from archlint.engine.findings import Finding
from archlint.engine.trusted import read_trusted_bytes
from archlint.model.errors import UsageError

BASELINE_VERSION = 1
FINGERPRINT = re.compile(r"[0-9a-f]{64}")
# A baseline of a 10,000-service model is a few megabytes; a file far larger
# than that is not one, and is not read into memory.
MAX_BASELINE_BYTES = 64 * 1024 * 1024


def render_baseline(findings: Iterable[Finding]) -> str:
    """The baseline document: one entry per fingerprint, sorted so diffs stay small."""
    entries = {
        finding.fingerprint: {
            "fingerprint": finding.fingerprint,
            "rule": finding.rule,
            "name": finding.name,
            "entity": finding.entity,
            "kind": finding.kind,
        }
        for finding in findings
    }
    ordered = sorted(
        entries.values(), key=lambda e: (e["rule"], e["kind"], e["entity"], e["fingerprint"])
    )
    document = {"version": BASELINE_VERSION, "findings": ordered}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_baseline(path: Path) -> frozenset[str]:
    """The fingerprints a baseline file records; a UsageError says what is wrong with it."""
    document = parse(read_text(path), path)
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise UsageError(
            f"--baseline: {path} is not an archlint baseline: expected "
            '{"version": 1, "findings": [...]} (write one with --write-baseline)'
        )
    version = document.get("version")
    if version != BASELINE_VERSION or isinstance(version, bool):
        raise UsageError(
            f"--baseline: {path} has version {version!r}; "
            f"this archlint reads version {BASELINE_VERSION}"
        )
    return frozenset(
        fingerprint(entry, index, path) for index, entry in enumerate(document["findings"])
    )


def read_text(path: Path) -> str:
    try:
        return read_trusted_bytes(path, "--baseline", MAX_BASELINE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"--baseline: {path} not found (write one with --write-baseline)"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"--baseline: {path} is not UTF-8 text") from None


def parse(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"--baseline: {path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise UsageError(f"--baseline: {path} is nested too deeply to be a baseline") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise UsageError(f"--baseline: {path} holds a number too long to read") from None


def fingerprint(entry: Any, index: int, path: Path) -> str:
    value = entry.get("fingerprint") if isinstance(entry, dict) else None
    if not isinstance(value, str) or not FINGERPRINT.fullmatch(value):
        raise UsageError(
            f"--baseline: {path}: finding {index + 1} has no valid `fingerprint` "
            "(64 hexadecimal digits)"
        )
    return value
