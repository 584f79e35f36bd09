"""AL105 insufficient-copies: fewer than three copies of important data."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule, RuleOptions
from archlint.model.entities import Datastore


class InsufficientCopies(Rule[Datastore]):
    id = "AL105"
    name = "insufficient-copies"
    severity = "medium"
    about_copies = True
    min_criticality = "high"
    summary = "Important data has fewer copies than required (live data plus repositories)."
    rationale = (
        "The 3-2-1 rule starts with three copies: the live data and two backups. With only "
        "one backup, a restore that fails (a corrupted repository, a lost key, an expired "
        "retention) while the live data is gone leaves nothing. Snapshots on the same disk "
        "are not a copy: they die with it."
    )
    remediation = (
        "Add a repository that holds the data: for example a `copy` backup of the existing "
        "repository to a bucket at another site, or a second backup job to another machine."
    )

    class Options(RuleOptions):
        min_copies: int = Field(
            default=3,
            ge=1,
            description="Copies required, counting the live data and each distinct repository.",
        )

    options: Options

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        # The copies are counted alike for the datastores kept alike.
        return facts.kept_alike(datastores, lambda d: self._too_few(d, facts))

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if not self._too_few(datastore, facts):
            return
        copies = facts.repository_copies(datastore)
        count = 1 + len(copies)
        held = "".join(f", '{copy.repository}'" for copy in copies)
        yield Problem(
            f"only {count} cop{'y' if count == 1 else 'ies'} (the live data{held}), fewer than "
            f"{self.options.min_copies}: one failed restore while the live data is gone loses it",
            fix="add a backup or a `copy` of it to another repository",
            evidence=(
                f"live data '{datastore.id}'",
                *(copy.describe() for copy in copies),
            ),
        )

    def _too_few(self, datastore: Datastore, facts: Facts) -> bool:
        """Whether the datastore is protected, with fewer copies than required."""
        if not facts.protections(datastore):
            return False  # data that nothing protects is unprotected-data's business
        # Snapshots share the live data's disk, so only repositories count beside it;
        # repository_copies lists each repository once, by its shortest chain.
        return 1 + len(facts.repository_copies(datastore)) < self.options.min_copies

    failing = (
        Example(
            description="Live data and one repository make two copies, fewer than three.",
            findings=("wiki-files",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, criticality: high, data: [wiki-files]}
datastores:
  wiki-files: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-restic: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
""",
        ),
        Example(
            description="Snapshots do not count, and two jobs into one repository are one copy.",
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
  backup-box: {kind: server, in: home}
datastores:
  photos: {kind: files, host: nas, criticality: critical}
repositories:
  borg: {tool: borg, host: backup-box}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
  photos-daily: {source: photos, target: borg, method: file, schedule: daily}
  photos-weekly: {source: photos, target: borg, method: file, schedule: weekly}
""",
        ),
    )
    passing = (
        Example(
            description="Live data, the NAS repository and its off-site copy make three copies.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, criticality: high, data: [wiki-files]}
datastores:
  wiki-files: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-offsite: {tool: restic, in: b2-eu}
backups:
  wiki-restic: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
""",
        ),
        Example(
            description="An image of the host counts as a repository that holds the data.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  wiki-files: {kind: files, host: app, criticality: high}
repositories:
  nas-restic: {tool: restic, host: nas}
  nas-pbs: {tool: pbs, host: nas}
backups:
  wiki-restic: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
  app-image: {source: app, target: nas-pbs, method: image, schedule: daily}
""",
        ),
        Example(
            description=(
                "Below the criticality threshold (medium), and unprotected (unprotected-data's "
                "business)."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  notes: {kind: files, host: app, criticality: medium}
  ledger: {kind: database, engine: sqlite, host: app, criticality: critical}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  notes-restic: {source: notes, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )
