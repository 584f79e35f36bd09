"""Findings: fingerprints that survive unrelated edits, and the findings stage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archlint.engine.findings import Finding, run
from archlint.engine.pipeline import read_model
from archlint.engine.rulepack import load_rules
from tests.conftest import facts_of

MODEL = """archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
  music: {kind: files, host: nas}
backups:
  photos-snap: {source: photos, method: snapshot, schedule: hourly}
  music-snap: {source: music, method: snapshot, schedule: hourly}
"""


def findings(path: Path) -> list[Finding]:
    rules = load_rules()
    return list(run(read_model(path), facts_of(path), rules, rules).findings)


def test_fingerprints_survive_moved_lines(write: Callable[..., Path]) -> None:
    before = findings(write(MODEL, "a.yaml"))
    moved = MODEL.replace("domains:", "# a comment\n\n\ndomains:").replace(
        "  photos: {kind: files, host: nas}\n  music: {kind: files, host: nas}\n",
        "  music: {kind: files, host: nas}\n  photos: {kind: files, host: nas}\n",
    )
    after = findings(write(moved, "b.yaml"))
    assert [f.location.line for f in before] != [f.location.line for f in after]
    assert {f.fingerprint for f in before} == {f.fingerprint for f in after}


def test_fingerprints_tell_findings_apart(write: Callable[..., Path]) -> None:
    found = findings(write(MODEL))
    assert len({f.fingerprint for f in found}) == len(found) >= 2
    assert all(len(f.fingerprint) == 64 for f in found)
