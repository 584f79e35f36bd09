"""backup-on-live-storage (AL103): evidence, and storage that shares no machine."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings

VM_DATA_ON_HYPERVISOR = """
archlint: 1
domains:
  home: {kind: site}
  pve-ssd: {kind: disk, in: pve}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
datastores:
  wiki: {kind: files, host: app}
repositories:
  pve-local: {tool: restic, in: pve-ssd}
backups:
  wiki-restic: {source: wiki, target: pve-local, method: file, schedule: daily}
"""


def test_backup_of_vm_data_onto_its_hypervisor_names_the_machine() -> None:
    [finding] = findings("backup-on-live-storage", VM_DATA_ON_HYPERVISOR)
    assert finding.entity == "wiki-restic"
    assert finding.evidence == (
        "source 'wiki' on machine 'pve'",
        "target 'pve-local' on machine 'pve'",
    )


def test_offline_source_disk_does_not_share_the_machine() -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
  usb: {kind: disk, in: nas, offline: true}
hosts:
  nas: {kind: nas, in: home}
datastores:
  archive: {kind: files, in: usb}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  archive-restic: {source: archive, target: nas-restic, method: file}
"""
    assert check_rule("backup-on-live-storage", model) == []
