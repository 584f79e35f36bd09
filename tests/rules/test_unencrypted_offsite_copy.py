"""unencrypted-offsite-copy (AL106): one finding per repository, naming only the exposed data."""

from __future__ import annotations

from tests.rules.helpers import findings

MIXED_BUCKET = """
archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site, provider: hetzner}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  vps: {kind: server, in: cloud}
datastores:
  photos: {kind: files, host: app}
  documents: {kind: files, host: app}
  compose: {kind: config, format: compose, host: app}
  secrets: {kind: secrets, host: app, key: sops-age}
  vps-data: {kind: files, host: vps}
repositories:
  bucket: {tool: rclone, in: cloud}
keys:
  sops-age: {kind: age, stored_in: [alice]}
backups:
  photos-sync: {source: photos, target: bucket, method: file, schedule: daily}
  documents-sync: {source: documents, target: bucket, method: file, schedule: daily}
  compose-sync: {source: compose, target: bucket, method: file, schedule: daily}
  secrets-sync: {source: secrets, target: bucket, method: file, schedule: daily}
  vps-sync: {source: vps-data, target: bucket, method: file, schedule: daily}
"""


def test_one_finding_per_repository_listing_only_the_exposed_data() -> None:
    [finding] = findings("unencrypted-offsite-copy", MIXED_BUCKET)
    assert finding.entity == "bucket"
    # Not the config, not the encrypted secrets, not the data that lives at the same site.
    assert finding.evidence == (
        "datastore 'documents' live at site 'home', copied to site 'cloud' via documents-sync",
        "datastore 'photos' live at site 'home', copied to site 'cloud' via photos-sync",
    )


REGION_BUCKET = """
archlint: 1
domains:
  eu-west: {kind: region, provider: aws}
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  s3-bucket: {tool: rclone, in: eu-west}
backups:
  photos-rclone: {source: photos, target: s3-bucket, method: file, schedule: daily}
"""


def test_a_region_level_bucket_is_off_site_for_every_rule() -> None:
    # single-domain-copies counts it off-site, so this rule must see it off-site too.
    assert findings("single-domain-copies", REGION_BUCKET) == []
    (finding,) = findings("unencrypted-offsite-copy", REGION_BUCKET)
    assert finding.entity == "s3-bucket"
    assert finding.evidence == (
        "datastore 'photos' live at site 'home', copied to region 'eu-west' via photos-rclone",
    )


def test_a_region_level_bucket_is_not_away_from_a_site_inside_that_region() -> None:
    inside = REGION_BUCKET.replace("home: {kind: site}", "home: {kind: site, in: eu-west}")
    assert findings("unencrypted-offsite-copy", inside) == []
    assert [f.entity for f in findings("single-domain-copies", inside)] == ["photos"]
