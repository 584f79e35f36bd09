"""Gating: baselines that survive unrelated edits, and --exit-zero."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

Archlint = Callable[..., Run]
Write = Callable[..., Path]

MODEL = """archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, path: /tank/photos}
  music: {kind: files, in: tank}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
  music-hourly: {source: music, method: snapshot, schedule: hourly}
"""
# The same model, with its lines moved: a comment on top and the datastores swapped.
MOVED = "# Our NAS, as it is.\n\n" + MODEL.replace(
    "  photos: {kind: files, in: tank, path: /tank/photos}\n  music: {kind: files, in: tank}\n",
    "  music: {kind: files, in: tank}\n\n  # family photos\n"
    "  photos: {kind: files, in: tank, path: /tank/photos}\n",
)
# The same model plus one new problem: a third datastore with only snapshots.
ONE_MORE = (
    MODEL.replace(
        "  music: {kind: files, in: tank}\n",
        "  music: {kind: files, in: tank}\n  videos: {kind: files, in: tank}\n",
    )
    + "  videos-hourly: {source: videos, method: snapshot, schedule: hourly}\n"
)
AS_OF = ("--as-of", "2026-11-26")


def findings(run: Run) -> list[tuple[str, str]]:
    return [(f["name"], f["entity"]) for f in json.loads(run.out)["findings"]]


@pytest.fixture
def baseline(archlint: Archlint, write: Write, tmp_path: Path) -> Path:
    """A baseline of MODEL's two findings, written by the command line."""
    path = tmp_path / "archlint-baseline.json"
    run = archlint("check", write(MODEL), *AS_OF, "--write-baseline", path)
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1].endswith("; 2 baselined).")
    assert f"Recorded 2 findings in the baseline {path}." in run.err
    return path


def test_the_baseline_records_each_finding_by_fingerprint(baseline: Path) -> None:
    document = json.loads(baseline.read_text(encoding="utf-8"))
    assert document["version"] == 1
    entries = document["findings"]
    assert [(e["rule"], e["name"], e["entity"], e["kind"]) for e in entries] == [
        ("AL102", "snapshot-only", "music", "datastore"),
        ("AL102", "snapshot-only", "photos", "datastore"),
    ]
    assert all(len(e["fingerprint"]) == 64 for e in entries)
    assert sorted(baseline.parent.iterdir()) == sorted(
        [baseline, baseline.parent / "archlint.yaml"]
    )  # written atomically: no temporary file left behind


def test_baselined_findings_do_not_fail_and_are_counted(
    archlint: Archlint, write: Write, baseline: Path
) -> None:
    path = write(MODEL)
    run = archlint("check", path, *AS_OF, "--baseline", baseline)
    assert run.code == 0
    assert run.out.endswith("; 2 baselined).\n")
    document = json.loads(
        archlint("check", path, *AS_OF, "--baseline", baseline, "--format", "json").out
    )
    assert document["findings"] == [] and document["summary"]["baselined"] == 2


def test_a_new_problem_fails_on_that_problem_alone(
    archlint: Archlint, write: Write, baseline: Path
) -> None:
    path = write(ONE_MORE)
    run = archlint("check", path, *AS_OF, "--baseline", baseline, "--format", "json")
    assert run.code == 1
    assert findings(run) == [("snapshot-only", "videos")]
    assert json.loads(run.out)["summary"]["baselined"] == 2


def test_moving_lines_keeps_findings_baselined(
    archlint: Archlint, write: Write, baseline: Path
) -> None:
    path = write(MOVED)
    unbaselined = archlint("check", path, *AS_OF, "--format", "json")
    assert sorted(findings(unbaselined)) == [
        ("snapshot-only", "music"),
        ("snapshot-only", "photos"),
    ]
    run = archlint("check", path, *AS_OF, "--baseline", baseline)
    assert run.code == 0 and run.out.endswith("; 2 baselined).\n")


def test_writing_a_baseline_again_refreshes_it(
    archlint: Archlint, write: Write, baseline: Path
) -> None:
    path = write(ONE_MORE)
    run = archlint("check", path, *AS_OF, "--baseline", baseline, "--write-baseline", baseline)
    assert run.code == 0
    entities = [e["entity"] for e in json.loads(baseline.read_text())["findings"]]
    assert entities == ["music", "photos", "videos"]
    assert archlint("check", path, *AS_OF, "--baseline", baseline).code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found (write one with --write-baseline)"),
        ("{", "not valid JSON"),
        ("[]", "is not an archlint baseline"),
        ('{"version": 1}', "is not an archlint baseline"),
        ('{"version": 2, "findings": []}', "has version 2; this archlint reads version 1"),
        ('{"version": true, "findings": []}', "has version True"),
        ('{"version": 1, "findings": [{"rule": "AL102"}]}', "finding 1 has no valid"),
        ('{"version": 1, "findings": [{"fingerprint": "abc"}]}', "finding 1 has no valid"),
        ('{"version": 1, "findings": ["x"]}', "finding 1 has no valid"),
    ],
)
def test_a_missing_or_corrupt_baseline_exits_2(
    archlint: Archlint, write: Write, tmp_path: Path, content: str | None, message: str
) -> None:
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    run = archlint("check", write(MODEL), "--baseline", baseline)
    assert run.code == 2 and run.out == ""
    assert f"--baseline: {baseline}" in run.err and message in run.err
    assert "Traceback" not in run.err


def test_writing_a_baseline_into_a_missing_directory_exits_2(
    archlint: Archlint, write: Write, tmp_path: Path
) -> None:
    run = archlint("check", write(MODEL), "--write-baseline", tmp_path / "no" / "b.json")
    assert run.code == 2 and "--write-baseline: directory" in run.err


def test_exit_zero_reports_findings_but_exits_0(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(MODEL), "--exit-zero", "--fail-on", "info")
    assert run.code == 0 and "snapshot-only" in run.out


def test_exit_zero_still_exits_2_on_invalid_input(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(MODEL + "services:\n  wiki: {host: nsa}\n"), "--exit-zero")
    assert run.code == 2 and "no host named 'nsa'" in run.err
