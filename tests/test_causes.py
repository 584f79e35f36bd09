"""Root causes: findings that share one are grouped in text and Markdown, and
JSON names the cause of each finding."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from archlint.engine.causes import cause_of, group_by_cause
from archlint.engine.findings import Finding
from archlint.model.errors import Location
from tests.conftest import Run

Archlint = Callable[..., Run]
Write = Callable[..., Path]

# One repository on the machine of the data it backs up: four findings, one cause.
SHARED = """archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
  docs: {kind: files, host: nas}
repositories:
  nas-restic: {tool: restic, host: nas, verify: weekly}
backups:
  photos-backup: {source: photos, target: nas-restic, method: file, schedule: daily}
  docs-backup: {source: docs, target: nas-restic, method: file, schedule: daily}
"""


def test_json_names_the_cause_of_each_finding(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(SHARED), "--format", "json")
    assert run.code == 1
    found = {(f["name"], f["entity"]): f["cause"] for f in json.loads(run.out)["findings"]}
    nas_restic = {"kind": "repository", "entity": "nas-restic"}
    assert found == {
        ("single-domain-copies", "photos"): nas_restic,
        ("single-domain-copies", "docs"): nas_restic,
        ("backup-on-live-storage", "photos-backup"): nas_restic,
        ("backup-on-live-storage", "docs-backup"): nas_restic,
    }


def test_text_puts_findings_of_one_cause_under_one_heading(
    archlint: Archlint, write: Write
) -> None:
    lines = archlint("check", write(SHARED)).out.splitlines()
    assert lines[0] == (
        "Cause: repository 'nas-restic': 4 findings (4 high) from "
        "backup-on-live-storage (2), single-domain-copies (2)"
    )
    findings = [line for line in lines[1:] if not line.startswith(" ")]
    # Piped, each finding stays one line that starts with its place.
    assert [line.split(": ")[1].split()[1:3] for line in findings[:-1]] == [
        ["single-domain-copies", "photos"],
        ["single-domain-copies", "docs"],
        ["backup-on-live-storage", "photos-backup"],
        ["backup-on-live-storage", "docs-backup"],
    ]
    assert findings[-1].startswith("Found 4 findings")


def test_markdown_gives_each_shared_cause_a_section(archlint: Archlint, write: Write) -> None:
    text = archlint("check", write(SHARED), "--format", "markdown").out
    assert "### Cause: repository nas-restic\n\nrepository 'nas-restic': 4 findings" in text
    assert "### Other findings" not in text


def test_findings_without_a_shared_cause_are_not_grouped(archlint: Archlint, write: Write) -> None:
    model = """archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas, criticality: high}
repositories:
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass, immutable: true, verify: monthly}
keys:
  restic-pass: {kind: passphrase, stored_in: [nas]}
backups:
  photos-offsite: {source: photos, target: b2-offsite, method: file, schedule: daily}
"""
    assert archlint("check", write(model)).code == 1
    text = archlint("check", write(model)).out
    assert "Cause:" not in text
    markdown = archlint("check", write(model), "--format", "markdown").out
    assert "### Cause" not in markdown


def test_the_cause_leaves_the_fingerprint_alone(archlint: Archlint, write: Write) -> None:
    finding = Finding(Location("m.yaml", 3, 3), "AL103", "x", "b", "backup", "high", "m")
    caused = finding._replace(cause="repo", cause_kind="repository")
    assert caused.fingerprint == finding.fingerprint
    # Without a cause (e.g. drift findings), the entity is its own cause.
    assert cause_of(finding) == ("backup", "b")
    assert cause_of(caused) == ("repository", "repo")
    (group,) = group_by_cause([finding, caused, finding])[1:]
    assert group.entity == "repo" and not group.shared
