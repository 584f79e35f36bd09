"""unmonitored-backup (AL804): backups of important data, direct, copied or imaged."""

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
  ledger: {kind: database, engine: postgresql, host: app, criticality: critical}
  cache: {kind: files, host: nas, criticality: low}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2: {tool: restic, in: b2-eu}
backups:
  dump: {source: ledger, target: nas-restic, method: dump, schedule: daily, monitor: {kind: email}}
  offsite: {source: nas-restic, target: b2, method: copy, schedule: daily}
  app-image: {source: app, target: nas-restic, method: image, schedule: weekly}
  cache-copy: {source: cache, target: nas-restic, method: file, schedule: daily}
"""


def test_copies_and_images_of_important_data_need_a_monitor_too() -> None:
    found = sorted(findings("unmonitored-backup", MODEL), key=lambda f: f.entity)
    assert [f.entity for f in found] == ["app-image", "offsite"]
    # Most critical first; the low-criticality data beside it is named too.
    assert found[1].evidence == (
        "datastore 'ledger': criticality critical",
        "datastore 'cache': criticality low",
    )


def test_the_threshold_is_an_option() -> None:
    low = check_rule("unmonitored-backup", MODEL, {"min-criticality": "low"})
    assert sorted(entity for _rule, entity in low) == ["app-image", "cache-copy", "offsite"]
