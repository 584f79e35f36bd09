"""inconsistent-database-backup (AL301): evidence per protection, and explicit consistency."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings


def test_evidence_gives_each_protection_and_its_consistency() -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  db1: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  shop-db: {kind: database, engine: mysql, host: db1}
repositories:
  nas-restic: {tool: restic, host: nas}
  nas-pbs: {tool: pbs, host: nas}
backups:
  shop-files: {source: shop-db, target: nas-restic, method: file, schedule: daily}
  db1-image: {source: db1, target: nas-pbs, method: image, runs_on: pve, schedule: daily}
"""
    [finding] = findings("inconsistent-database-backup", model)
    assert finding.evidence == (
        "backup 'shop-files' (file): consistency none",
        "backup 'db1-image' (image of host 'db1'): consistency crash",
    )


def test_an_explicit_application_consistency_counts() -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  ldap: {kind: database, engine: other, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  ldap-export:
    {source: ldap, target: nas-restic, method: file, consistency: application, schedule: daily}
"""
    assert check_rule("inconsistent-database-backup", model) == []
