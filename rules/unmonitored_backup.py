"""AL804 unmonitored-backup: a backup of important data has nothing that alerts when it fails."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts, capped
from archlint.analysis.graph import named_by
from archlint.engine.rule import Example, Problem, Rule, RuleOptions
from archlint.model.entities import Backup, Criticality, Datastore, criticality_rank


class UnmonitoredBackup(Rule[Backup]):
    id = "AL804"
    name = "unmonitored-backup"
    severity = "medium"
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

    class Options(RuleOptions):
        min_data_criticality: Criticality = Field(
            default="high", description="Only backups of data at least this critical."
        )

    options: Options

    def check(self, backup: Backup, facts: Facts) -> Iterator[Problem]:
        if backup.monitor is not None:
            return
        protected = protected_data(backup, facts)
        minimum = criticality_rank(self.options.min_data_criticality)
        important = [
            ds for ds in protected if criticality_rank(facts.datastore_criticality(ds)) >= minimum
        ]
        if not important:
            return
        names = ", ".join(f"'{ds.id}'" for ds in important[:5])
        more = f" and {len(important) - 5} more" if len(important) > 5 else ""
        yield Problem(
            f"nothing alerts when this backup of {names}{more} fails or goes stale: it can "
            "stop for months unnoticed",
            fix="add `monitor: {kind: healthchecks, max_age: ...}` (or uptime-kuma, email)",
            evidence=capped(
                f"datastore '{ds.id}': criticality {facts.datastore_criticality(ds)}"
                for ds in important
            ),
        )

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


def protected_data(backup: Backup, facts: Facts) -> list[Datastore]:
    """The datastores whose copies the backup makes or carries, sorted by id."""
    found: dict[str, Datastore] = {}
    for source in backup.sources:
        datastore = facts.model.datastores.get(source)
        if datastore is not None:
            found[source] = datastore
        elif source in facts.model.repositories:
            found |= {copy.datastore: held(copy, facts) for copy in facts.held_by(source)}
        elif source in facts.model.hosts:
            found |= {ds.id: ds for ds in data_on(source, facts)}
    return [found[ds] for ds in sorted(found)]


def held(copy: Copy, facts: Facts) -> Datastore:
    return facts.model.datastores[copy.datastore]


def data_on(host: str, facts: Facts) -> list[Datastore]:
    """The datastores on the host itself or on one of its disks (not on its VMs)."""
    places = [host, *(d for d in named_by(facts.graph, host, "in") if d in facts.model.domains)]
    return [
        facts.model.datastores[entity]
        for place in places
        for relation in ("host", "in")
        for entity in named_by(facts.graph, place, relation)
        if entity in facts.model.datastores
    ]
