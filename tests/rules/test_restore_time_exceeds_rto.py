"""restore-time-exceeds-rto (AL406): latency + size / bandwidth of the fastest surviving copy."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings

MODEL = """
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site, bandwidth: 10MB/s}
hosts:
  nas: {kind: nas, in: home}
  vps: {kind: server, in: away}
services:
  photos: {host: nas, data: [library, db], rto: 2h}
datastores:
  library: {kind: files, host: nas, size: 36GB}
  db: {kind: database, engine: sqlite, host: nas, size: 36GB}
repositories:
  vps-restic: {tool: restic, host: vps}
  glacier: {tool: s3, in: away, restore_latency: 12h, bandwidth: 1GB/s}
backups:
  library-vps: {source: [library, db], target: vps-restic, method: file, schedule: daily}
  library-glacier: {source: [library, db], target: glacier, method: file, schedule: daily}
"""


def test_the_data_of_the_service_adds_up() -> None:
    # Each datastore takes 1h from the vps (36 GB at 10 MB/s): 2h in all, within the rto.
    assert check_rule("restore-time-exceeds-rto", MODEL) == []
    [finding] = findings("restore-time-exceeds-rto", MODEL.replace("rto: 2h", "rto: 1h30m"))
    assert finding.entity == "photos"
    assert "after the loss of site 'home'," in finding.message
    assert "about 2h" in finding.message
    assert finding.evidence == (
        "datastore 'library' from 'vps-restic': about 1h",
        "datastore 'db' from 'vps-restic': about 1h",
    )


def test_an_unknown_size_or_speed_is_not_held_against_the_service() -> None:
    text = MODEL.replace("rto: 2h", "rto: 1h")
    assert check_rule("restore-time-exceeds-rto", text.replace(", size: 36GB}", "}")) == []
    assert check_rule("restore-time-exceeds-rto", text.replace(", bandwidth: 10MB/s", "")) == []
