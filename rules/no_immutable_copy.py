"""AL107 no-immutable-copy: every copy of important data can be deleted by a writer."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class NoImmutableCopy(Rule[Datastore]):
    id = "AL107"
    name = "no-immutable-copy"
    severity = "medium"
    about_copies = True
    min_criticality = "high"
    summary = "No copy of the data is in an immutable repository or on offline media."
    rationale = (
        "Ransomware and intruders go for the backups first: whoever holds the credentials "
        "that write a backup can delete or encrypt it too. A copy survives them only when "
        "nobody can rewrite it (object lock, WORM, append-only) or nothing is connected to "
        "it (a disk on a shelf, a tape in a safe)."
    )
    remediation = (
        "Make one repository that holds the data `immutable: true` (B2 or S3 Object Lock, "
        "borg or restic append-only, a PBS with protected snapshots), or add a copy to a disk "
        "or domain kept `offline: true`."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        # What the copies are kept in is the same for the datastores kept alike.
        data = [datastore for datastore in datastores if datastore.kind != "config"]
        return facts.kept_alike(data, lambda d: all_writable(d, facts))

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if datastore.kind == "config":
            return  # configuration is rebuilt from git history; not this rule's concern
        if not all_writable(datastore, facts):
            return
        copies = facts.copies(datastore)
        names = ", ".join(
            f"'{copy.repository}'" if copy.repository else "a local snapshot" for copy in copies
        )
        yield Problem(
            f"no copy ({names}) is immutable or offline: whoever holds the credentials that "
            f"write them (ransomware, an intruder) can delete every one",
            fix="make one repository that holds it `immutable: true`, or add a copy on "
            "offline media",
            cause=copies[0].repository if len(copies) == 1 else None,
            evidence=tuple(f"{copy.describe()}: writable, online" for copy in copies),
        )

    failing = (
        Example(
            description=(
                "Every copy of an important database (NAS repository and its off-site copy) is "
                "writable and online."
            ),
            findings=("wiki-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, criticality: high, data: [wiki-db]}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-offsite: {tool: restic, in: b2-eu}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
""",
        ),
        Example(
            description="Snapshots are no exception: they sit on the live, online disk.",
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas, criticality: critical}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
""",
        ),
    )
    passing = (
        Example(
            description="The off-site copy is object-locked.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app, criticality: high}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-offsite: {tool: restic, in: b2-eu, immutable: true}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
""",
        ),
        Example(
            description="A USB disk kept in a drawer is offline.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  usb: {kind: disk, in: nas, offline: true}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app, criticality: high}
repositories:
  nas-restic: {tool: restic, host: nas}
  usb-restic: {tool: restic, in: usb}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
  usb-copy: {source: nas-restic, target: usb-restic, method: copy, schedule: weekly}
""",
        ),
        Example(
            description=(
                "Configuration, data below the threshold and unprotected data are out of scope."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  compose: {kind: config, format: compose, host: app, criticality: high}
  notes: {kind: files, host: app, criticality: medium}
  ledger: {kind: database, engine: sqlite, host: app, criticality: critical}
repositories:
  infra-git: {tool: git, host: nas}
  nas-restic: {tool: restic, host: nas}
backups:
  compose-git: {source: compose, target: infra-git, method: git, schedule: hourly}
  notes-restic: {source: notes, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )


def all_writable(datastore: Datastore, facts: Facts) -> bool:
    """Whether the datastore is protected, and every copy of it writable and online."""
    if not facts.protections(datastore):
        return False  # data that nothing protects is unprotected-data's business
    return not any(facts.is_immutable_or_offline(copy) for copy in facts.copies(datastore))
