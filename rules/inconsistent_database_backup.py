"""AL301 inconsistent-database-backup: no protection of a database is application-consistent."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup, Datastore


class InconsistentDatabaseBackup(Rule[Datastore]):
    id = "AL301"
    name = "inconsistent-database-backup"
    severity = "high"
    summary = "No protection of the database is application-consistent."
    rationale = (
        "A running database keeps part of its state in memory and in logs it has not yet "
        "applied. Files copied while it writes, a storage snapshot or a VM image taken "
        "without warning capture a crash-consistent state at best: it may replay, or it may "
        "come back corrupt, and the difference shows only on the day of the restore."
    )
    remediation = (
        "Add a `dump` backup (pg_dump, mysqldump, sqlite3 .backup, mongodump), or set "
        "`quiesce: true` on the file, snapshot or image backup whose hook stops or flushes "
        "the database first."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        return [datastore for datastore in datastores if datastore.kind == "database"]

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if datastore.kind != "database":
            return
        # Protections include images of the database's host.
        protections = facts.protections(datastore)
        if not protections:
            return  # data that nothing protects is unprotected-data's business
        if any(facts.consistency(backup) == "application" for backup in protections):
            return
        names = ", ".join(f"'{backup.id}'" for backup in protections)
        yield Problem(
            f"none of its protections ({names}) is application-consistent: a restore may "
            f"bring back a corrupt database",
            fix="add a `dump` backup of it, or set `quiesce: true` on a file, snapshot or "
            "image backup",
            evidence=tuple(describe(backup, datastore, facts) for backup in protections),
        )

    failing = (
        Example(
            description="Raw PostgreSQL files are copied while the server runs.",
            findings=("wiki-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-files: {source: wiki-db, target: nas-restic, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "Only a crash-consistent image of the database's VM and a storage snapshot protect "
                "it."
            ),
            findings=("hass-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  hass: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  hass-db: {kind: database, engine: sqlite, host: hass}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  hass-image: {source: hass, target: nas-pbs, method: image, runs_on: pve, schedule: daily}
  hass-db-snapshots: {source: hass-db, method: snapshot, schedule: hourly}
""",
        ),
    )
    passing = (
        Example(
            description="A dump of the database is application-consistent.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
""",
        ),
        Example(
            description=(
                "An image of the VM, taken with the guest agent freezing its file systems first."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  hass: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  hass-db: {kind: database, engine: sqlite, host: hass}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  hass-image:
    {source: hass, target: nas-pbs, method: image, runs_on: pve, quiesce: true, schedule: daily}
""",
        ),
        Example(
            description=(
                "Files need no application consistency; an unprotected database is "
                "unprotected-data's business."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  uploads: {kind: files, host: app}
  ledger: {kind: database, engine: sqlite, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  uploads-restic: {source: uploads, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )


def describe(backup: Backup, datastore: Datastore, facts: Facts) -> str:
    hosts = ", ".join(f"'{source}'" for source in backup.sources if source != datastore.id)
    what = f"image of host {hosts}" if datastore.id not in backup.sources else backup.method
    return f"backup '{backup.id}' ({what}): consistency {facts.consistency(backup)}"
