"""unverified-repository (AL405): the evidence lists every backup that writes to it."""

from __future__ import annotations

from tests.rules.helpers import HOME, findings


def test_evidence_lists_its_writers() -> None:
    model = (
        HOME
        + """
datastores:
  photos: {kind: files, host: app}
  db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-borg: {tool: borg, host: nas}
backups:
  photos-nightly: {source: photos, target: nas-borg, method: file, schedule: daily}
  db-dump: {source: db, target: nas-borg, method: dump, schedule: daily}
  app-image: {source: app, target: nas-borg, method: image, schedule: weekly}
"""
    )
    [finding] = findings("unverified-repository", model)
    assert finding.entity == "nas-borg" and finding.kind == "repository"
    assert finding.evidence == (
        "backup 'app-image' writes to it (image of 'app')",
        "backup 'db-dump' writes to it (dump of 'db')",
        "backup 'photos-nightly' writes to it (file of 'photos')",
    )
