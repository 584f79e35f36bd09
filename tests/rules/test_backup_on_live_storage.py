"""backup-on-live-storage (AL103): evidence, and storage that shares no machine."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings, rule_class

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
        "after the loss of machine 'pve', no backup of 'wiki' survives",
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


def test_a_local_repository_beside_an_off_machine_copy_is_not_reported() -> None:
    # Textbook 3-2-1: a fast local repository, and a copy of it that leaves the machine.
    model = (
        VM_DATA_ON_HYPERVISOR.replace(
            "  home: {kind: site}\n",
            "  home: {kind: site}\n  b2: {kind: site, provider: backblaze}\n",
        ).replace("repositories:\n", "repositories:\n  b2-restic: {tool: restic, in: b2}\n")
        + "  offsite: {source: pve-local, target: b2-restic, method: copy, schedule: daily}\n"
    )
    assert findings("backup-on-live-storage", model) == []


def test_a_copy_between_repositories_of_one_machine_names_the_repositories() -> None:
    model = rule_class("backup-on-live-storage").failing[2].model
    [finding] = findings("backup-on-live-storage", model)
    assert (finding.entity, finding.message) == (
        "restic-copy",
        "copies repository 'restic-a' to repository 'restic-b' on the same machine 'nas': "
        "losing 'nas' loses both; no backup of 'wiki' survives the loss of 'nas'",
    )


def test_min_criticality_compares_the_data_the_backup_carries() -> None:
    low = VM_DATA_ON_HYPERVISOR.replace(
        "{kind: files, host: app}", "{kind: files, host: app, criticality: low}"
    )
    assert findings("backup-on-live-storage", low, {"min-criticality": "high"}) == []
    high = low.replace("criticality: low", "criticality: high")
    assert [
        f.entity for f in findings("backup-on-live-storage", high, {"min-criticality": "high"})
    ] == ["wiki-restic"]
