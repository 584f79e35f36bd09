"""AL102 snapshot-only: the data's only protection is snapshots on its own storage."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup, Datastore


class SnapshotOnly(Rule[Datastore]):
    id = "AL102"
    name = "snapshot-only"
    severity = "high"
    about_copies = True
    summary = "The data is protected only by snapshots kept on its own disk and host."
    rationale = (
        "A snapshot shares the disk, the pool and the machine of the data it protects. It "
        "undoes a deleted file or a bad upgrade, but when the disk dies, the pool is "
        "corrupted or the machine is lost, the data and all its snapshots go together. "
        "Snapshots are a convenience, not a backup."
    )
    remediation = (
        "Keep the snapshots, and add a backup to a repository on another machine: a `file` "
        "or `dump` backup to a backup repository, or send the snapshots to another machine "
        "(`snapshot` or `replication` with a `target` there)."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        # Data protected only by snapshots has a snapshot among its protections: a backup
        # whose source is the data or its host.
        snapshotted = facts.sources_of_method("snapshot")
        if not snapshotted:
            return []
        return [
            datastore
            for datastore in datastores
            if datastore.id in snapshotted or facts.placement_of(datastore).host in snapshotted
        ]

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        protections = facts.protections(datastore)
        machine = facts.placement_of(datastore).machine
        if not protections or not all(self.stays_local(b, machine, facts) for b in protections):
            return
        placement = facts.placement_of(datastore)
        failures = [f for f in sorted(placement.losses) if f != placement.site]
        names = ", ".join(f"'{backup.id}'" for backup in protections)
        yield Problem(
            f"only protected by snapshots on its own storage ({names}): a failure of "
            f"{' or '.join(repr(f) for f in failures) or 'its storage'} takes the data and its "
            f"snapshots together",
            fix="add a backup to a repository on another machine",
            evidence=tuple(f"backup '{b.id}': snapshot kept with the source" for b in protections),
        )

    @staticmethod
    def stays_local(backup: Backup, machine: str | None, facts: Facts) -> bool:
        if backup.method != "snapshot":
            return False
        return all(facts.placement(target).machine == machine for target in backup.targets)

    failing = (
        Example(
            description="Hourly snapshots on the same pool are the data's only protection.",
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, path: /tank/photos}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
""",
        ),
        Example(
            description="Snapshots sent to another pool of the same machine still die with it.",
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
  backup-pool: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank}
repositories:
  local-zfs: {tool: zfs, in: backup-pool}
backups:
  photos-send: {source: photos, target: local-zfs, method: snapshot, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "Besides the snapshots, a nightly backup goes to a repository on another machine."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
  backup-box: {kind: server, in: home}
datastores:
  photos: {kind: files, in: tank, path: /tank/photos}
repositories:
  borg: {tool: borg, host: backup-box}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
  photos-nightly: {source: photos, target: borg, method: file, schedule: daily}
""",
        ),
        Example(
            description="No protection at all is unprotected-data's business, not this rule's.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
""",
        ),
    )
