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
        "backup 'app-image' writes to repository 'nas-borg' (image of host 'app')",
        "backup 'db-dump' writes to repository 'nas-borg' (dump of datastore 'db')",
        "backup 'photos-nightly' writes to repository 'nas-borg' (file of datastore 'photos')",
    )
    assert finding.message.startswith("repository 'nas-borg' has no `verify` schedule")


def test_a_copy_names_the_repository_it_reads_as_a_repository() -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  nas-borg: {tool: borg, host: nas, verify: weekly}
  b2: {tool: restic, in: b2-eu}
backups:
  photos-nightly: {source: photos, target: nas-borg, method: file, schedule: daily}
  offsite: {source: nas-borg, target: b2, method: copy, schedule: daily}
"""
    [finding] = findings("unverified-repository", model)
    assert finding.entity == "b2"
    assert finding.evidence == (
        "backup 'offsite' writes to repository 'b2' (copy of repository 'nas-borg')",
    )
