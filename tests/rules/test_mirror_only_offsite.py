"""mirror-only-offsite (AL109): only when every off-site copy is a mirror."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings

MODEL = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: app}
  index: {kind: volume, host: app, rebuildable: true}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-sync: {tool: rclone, in: b2-eu}
backups:
  photos-restic: {source: [photos, index], target: nas-restic, method: file, schedule: daily}
  sync: {source: nas-restic, target: b2-sync, method: copy, copy_mode: mirror, schedule: daily}
"""


def test_names_the_mirror_and_skips_rebuildable_data() -> None:
    [finding] = findings("mirror-only-offsite", MODEL)
    assert finding.entity == "photos"
    assert "'b2-sync'" in finding.message
    assert finding.evidence == (
        "repository 'b2-sync' via photos-restic -> sync: mirrored by 'sync'",
    )


def test_a_versioned_copy_off_site_beside_the_mirror_is_enough() -> None:
    text = MODEL.replace(
        "  b2-sync: {tool: rclone, in: b2-eu}\n",
        "  b2-sync: {tool: rclone, in: b2-eu}\n  b2-restic: {tool: restic, in: b2-eu}\n",
    )
    text += "  b2-copy: {source: nas-restic, target: b2-restic, method: copy, schedule: daily}\n"
    assert check_rule("mirror-only-offsite", text) == []


def test_data_with_no_copy_off_site_is_left_to_single_domain_copies() -> None:
    text = MODEL.replace("in: b2-eu}", "host: nas}")
    assert check_rule("mirror-only-offsite", text) == []
