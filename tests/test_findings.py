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


def test_waivers_apply_to_the_entity_of_their_own_kind(write: Callable[..., Path]) -> None:
    # A datastore and a backup each waive a rule about them; the other findings stay.
    unscheduled = MODEL.replace(
        "  music-snap: {source: music, method: snapshot, schedule: hourly}",
        "  music-snap: {source: music, method: snapshot}",
    )
    waiving = unscheduled.replace(
        "  photos: {kind: files, host: nas}",
        "  photos: {kind: files, host: nas, waive: [{rule: snapshot-only, reason: test}]}",
    ).replace(
        "  music-snap: {source: music, method: snapshot}",
        "  music-snap: {source: music, method: snapshot,"
        " waive: [{rule: unscheduled-backup, reason: test}]}",
    )
    rules = load_rules()
    plain = write(unscheduled, "plain.yaml")
    before = {
        (f.name, f.entity) for f in run(read_model(plain), facts_of(plain), rules, rules).findings
    }
    path = write(waiving, "archlint.yaml")
    result = run(read_model(path), facts_of(path), rules, rules)
    waived = {(f.name, f.entity) for f in result.waived}
    assert waived == {("snapshot-only", "photos"), ("unscheduled-backup", "music-snap")}
    assert {(f.name, f.entity) for f in result.findings} == before - waived
