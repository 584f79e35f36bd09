"""AL804 unmonitored-backup: a backup of important data has nothing that alerts when it fails."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from archlint.analysis.facts import Facts, capped, quoted_names
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup, Criticality, criticality_rank


class UnmonitoredBackup(Rule[Backup]):
    id = "AL804"
    name = "unmonitored-backup"
    severity = "medium"
    min_criticality = "high"
    summary = "A backup of important data has no `monitor` to alert when it fails or goes stale."
    rationale = (
        "Backups fail quietly: an expired token, a full disk, a renamed path, a cron job lost "
        "in a migration. Without a check that alerts when the last success is too old, the "
        "failure is found on the day of the restore, months later."
    )
    remediation = (
        "Add a dead man's switch and record it on the backup: `monitor: {kind: healthchecks, "
        "max_age: 26h}` (healthchecks.io, Uptime Kuma push monitors, email on failure)."
    )

    def candidates(self, backups: list[Backup], facts: Facts) -> list[Backup]:
        return [backup for backup in backups if backup.monitor is None]

    def check(self, backup: Backup, facts: Facts) -> Iterator[Problem]:
        if backup.monitor is not None:
            return
        # The engine scopes the rule by the backup's criticality: that of the data it carries.
        data = self.data_carried(backup, facts)
        if not data:
            return
        names = quoted_names([datastore_id for datastore_id, _criticality in data])
        yield Problem(
            f"nothing alerts when this backup of {names} fails or goes stale: it "
            "can stop for months unnoticed",
            fix="add `monitor: {kind: healthchecks, max_age: ...}` (or uptime-kuma, email)",
            evidence=capped([f"datastore '{d_id}': criticality {c}" for d_id, c in data]),
        )

    @classmethod
    def data_carried(cls, backup: Backup, facts: Facts) -> list[tuple[str, Criticality]]:
        """Each datastore whose data the backup carries, with its criticality: the most
        critical first, then by id (a copy of a repository carries thousands)."""
        source = backup.source
        datastore = facts.model.datastores.get(source) if isinstance(source, str) else None
        if datastore is not None:  # most backups: one datastore, nothing to merge or sort
            return [(datastore.id, facts.datastore_criticality(datastore))]
        return cls.merged_data(backup.sources, facts)

    @staticmethod
    def merged_data(sources: Iterable[str], facts: Facts) -> list[tuple[str, Criticality]]:
        """data_carried for any sources: the datastores behind each, merged and sorted."""
        criticality = {
            d.id: facts.datastore_criticality(d)
            for source in sources
            for d in facts.data_behind(source)
        }
        ranked = sorted((-criticality_rank(c), d_id) for d_id, c in criticality.items())
        return [(d_id, criticality[d_id]) for _rank, d_id in ranked]

    failing = (
        Example(
            description="The nightly dump of a critical database has no monitor.",
            findings=("ledger-dump",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  ledger: {kind: database, engine: postgresql, host: app, criticality: critical}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  ledger-dump: {source: ledger, target: nas-restic, method: dump, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="A healthchecks.io check alerts when no success is seen for 26 hours.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  ledger: {kind: database, engine: postgresql, host: app, criticality: critical}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  ledger-dump:
    source: ledger
    target: nas-restic
    method: dump
    schedule: daily
    monitor: {kind: healthchecks, max_age: 26h}
""",
        ),
        Example(
            description="Backups of low-criticality data are out of scope.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  downloads: {kind: files, host: app, criticality: low}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  downloads-restic: {source: downloads, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )
