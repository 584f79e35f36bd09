"""AL701 rpo-not-met: losing the data's machine can lose more recent data than its RPO allows."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup, Datastore


class RpoNotMet(Rule[Datastore]):
    id = "AL701"
    name = "rpo-not-met"
    severity = "high"
    summary = "When the data's machine fails, more recent data can be lost than the RPO allows."
    rationale = (
        "The recovery point objective is the promise of how much recent work a failure may "
        "cost. When the machine holding the data dies, only copies on another machine count, "
        "and a change is only safe once every backup on the way there has run: a daily dump "
        "copied off the machine by a daily job can be two days old. A backup without a "
        "schedule runs when someone remembers, which meets no RPO. An objective declared on data "
        "that nothing protects is reported too, whatever its criticality: nothing meets it."
    )
    remediation = (
        "Run the backups of the chain more often, so that their schedule intervals add up to "
        "at most the RPO, or add a backup scheduled at least that often straight to a "
        "repository on another machine."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        # Only data whose best chain misses the tightest objective of the services using
        # it is reported; check words the few that do.
        misses = facts.recovery_points.misses
        return [datastore for datastore in datastores if misses(datastore)]

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        # The decision is misses' (data at a provider has no machine of ours to lose; the
        # common case meets its objective), before any message is worded.
        if not facts.recovery_points.misses(datastore):
            return
        machine = facts.placement_of(datastore).machine
        # The tightest objective of the services using the data (the first by id among equals).
        tightest = facts.recovery_points.objective(datastore)
        assert machine is not None and tightest is not None  # as misses found them
        rpo, service = tightest
        protections = facts.protections(datastore)
        point = facts.worst_case_loss(datastore) if protections else None
        objective = f"rpo {rpo} of service '{service}'"
        if not protections:
            # Someone declared an objective and nothing meets it: reported whatever the
            # criticality (unprotected-data has a threshold; an explicit rpo has none).
            yield Problem(
                f"nothing protects it, so the {objective} cannot be met: losing machine "
                f"'{machine}' loses the data for good",
                fix=f"add a backup scheduled at least every {rpo} to a repository on another "
                f"machine",
                evidence=(f"no backup has source '{datastore.id}'", objective),
            )
            return
        if point is None:
            yield Problem(
                f"no scheduled chain of backups leaves machine '{machine}': losing it loses the "
                f"data with every copy, and the {objective} cannot be met",
                fix=f"add a backup scheduled at least every {rpo} to a repository on another "
                f"machine",
                evidence=(
                    f"no scheduled chain from '{datastore.id}' leaves machine '{machine}'",
                    *(link(backup) for backup in protections),
                    objective,
                ),
            )
            return
        chain = [facts.model.backups[backup_id] for backup_id in point.chain]
        yield Problem(
            f"losing machine '{machine}' can lose up to {point.loss} of recent data, more "
            f"than the {objective}: the best chain off the machine, "
            f"{' -> '.join(repr(b.id) for b in chain)} to repository '{point.repository}', "
            f"adds up to {point.loss}",
            fix=f"schedule its backups so that they add up to at most {rpo}, or add a backup "
            f"every {rpo} to a repository on another machine",
            evidence=(
                *(link(backup) for backup in chain),
                f"worst-case loss {point.loss} > {objective}",
            ),
        )

    failing = (
        Example(
            description=(
                "A weekly dump cannot meet the 24h RPO of the stricter of the two services using "
                "the data."
            ),
            findings=("shop-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  shop: {host: app, rpo: 24h, data: [shop-db]}
  reports: {host: app, rpo: 2w, data: [shop-db]}
datastores:
  shop-db: {kind: database, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  shop-dump: {source: shop-db, target: nas-restic, method: dump, schedule: weekly}
""",
        ),
        Example(
            description=(
                "Daily into a repository on the same machine, then daily off it: up to 2d of data "
                "lost."
            ),
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
  b2: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
services:
  immich: {host: nas, rpo: 24h, data: [photos]}
datastores:
  photos: {kind: files, in: tank}
repositories:
  nas-restic: {tool: restic, in: tank}
  b2-offsite: {tool: restic, in: b2}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
""",
        ),
        Example(
            description=(
                "The only backup off the machine has no schedule, and an image on the hypervisor's "
                "own disk stays on the machine."
            ),
            findings=("hass-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  pve-ssd: {kind: disk, in: pve}
hosts:
  pve: {kind: hypervisor, in: home}
  hass: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
services:
  home-assistant: {host: hass, rpo: 24h, data: [hass-db]}
datastores:
  hass-db: {kind: database, host: hass}
repositories:
  pve-local: {tool: other, in: pve-ssd}
  nas-restic: {tool: restic, host: nas}
backups:
  hass-vzdump: {source: hass, target: pve-local, method: image, schedule: daily}
  hass-db-manual: {source: hass-db, target: nas-restic, method: dump}
""",
        ),
        Example(
            description=(
                "Low-criticality data with an explicit RPO and no backup at all: the objective "
                "is reported even below unprotected-data's threshold."
            ),
            findings=("notes",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  notes-app: {host: app, criticality: low, rpo: 24h, data: [notes]}
datastores:
  notes: {kind: files, host: app}
""",
        ),
    )
    passing = (
        Example(
            description="A daily chain meets a 24h RPO (equal is enough).",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  shop: {host: app, rpo: 24h, data: [shop-db]}
datastores:
  shop-db: {kind: database, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  shop-dump: {source: shop-db, target: nas-restic, method: dump, schedule: daily}
""",
        ),
        Example(
            description="A nightly image of the host counts as the first link of a chain.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, rpo: 1d, data: [wiki-files]}
datastores:
  wiki-files: {kind: files, host: app}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  app-image: {source: app, target: nas-pbs, method: image, schedule: "0 1 * * *"}
""",
        ),
        Example(
            description="Data at a provider has no machine of ours to lose: skipped.",
            model="""
archlint: 1
domains:
  b2: {kind: site, provider: backblaze}
  wasabi: {kind: site, provider: wasabi}
hosts:
  app: {kind: server, in: b2}
services:
  media: {host: app, rpo: 1h, data: [media-bucket]}
datastores:
  media-bucket: {kind: object-store, in: b2}
repositories:
  wasabi-copy: {tool: rclone, in: wasabi}
backups:
  bucket-sync: {source: media-bucket, target: wasabi-copy, method: file, schedule: weekly}
""",
        ),
        Example(
            description="No service using the data sets an RPO: nothing to meet.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  shop: {host: app, data: [shop-db]}
datastores:
  shop-db: {kind: database, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  shop-dump: {source: shop-db, target: nas-restic, method: dump, schedule: monthly}
""",
        ),
    )


def link(backup: Backup) -> str:
    """One link of a chain: the backup, its schedule and where it writes."""
    schedule = str(backup.schedule) if backup.schedule is not None else "no schedule"
    targets = ", ".join(f"'{target}'" for target in backup.targets)
    target = f"repository {targets}" if targets else "local snapshot"
    return f"backup '{backup.id}' ({schedule}) -> {target}"
