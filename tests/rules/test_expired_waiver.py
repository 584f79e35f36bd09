"""expired-waiver (AL801): judged on the --as-of date, one finding per waiver."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run
from tests.rules.helpers import findings

Archlint = Callable[..., Run]
Write = Callable[..., Path]

WAIVED = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  media:
    kind: files
    host: nas
    waive:
      - {rule: snapshot-only, reason: films can be ripped again, until: 2026-09-30}
      - {rule: AL101, reason: one site is enough for films, until: 2026-10-31}
backups:
  media-snapshots: {source: media, method: snapshot, schedule: daily}
"""
SELECT = "expired-waiver,snapshot-only"


def reported(run: Run) -> list[tuple[str, str]]:
    return [(f["name"], f["entity"]) for f in json.loads(run.out)["findings"]]


def test_expired_waiver_and_the_waived_finding_are_both_reported(
    archlint: Archlint, write: Write
) -> None:
    path = write(WAIVED)
    run = archlint("check", path, "--as-of", "2026-10-01", "--select", SELECT, "--format", "json")
    assert run.code == 1
    assert sorted(reported(run)) == [("expired-waiver", "media"), ("snapshot-only", "media")]


def test_a_waiver_still_waives_on_its_until_day(archlint: Archlint, write: Write) -> None:
    path = write(WAIVED)
    run = archlint("check", path, "--as-of", "2026-09-30", "--select", SELECT, "--format", "json")
    assert (run.code, reported(run)) == (0, [])


def test_one_finding_per_waiver() -> None:
    found = findings("expired-waiver", WAIVED)  # as of 2026-11-26: both expired
    assert sorted(f.evidence for f in found) == [
        ("waiver of 'AL101' until 2026-10-31", "as of 2026-11-26"),
        ("waiver of 'snapshot-only' until 2026-09-30", "as of 2026-11-26"),
    ]
    assert {(f.rule, f.entity, f.severity) for f in found} == {("AL801", "media", "low")}
