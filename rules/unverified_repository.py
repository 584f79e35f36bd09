"""AL405 unverified-repository: backups go to a repository whose integrity is never checked."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup, Repository


class UnverifiedRepository(Rule[Repository]):
    id = "AL405"
    name = "unverified-repository"
    severity = "medium"
    summary = "Backups are written to the repository but its integrity is never checked."
    rationale = (
        "Repositories rot quietly: a bad disk sector, an interrupted upload, a bug in the "
        "backup tool or a pruning mistake can leave snapshots that cannot be read. Without "
        "a regular integrity check the damage is found on the day of the restore, when "
        "it is too late to take another backup."
    )
    remediation = (
        "Schedule the tool's integrity check (`restic check`, `borg check`, a PBS verify "
        "job, a ZFS scrub) and record how often it runs as the repository's `verify`."
    )

    def check(self, repository: Repository, facts: Facts) -> Iterator[Problem]:
        # Git checks every object's hash on clone and fetch: it verifies itself.
        if repository.tool == "git" or repository.verify is not None:
            return
        writers = facts.writers(repository.id)
        if not writers:
            return  # a repository nothing writes to is unused-repository's business
        names = ", ".join(f"'{backup.id}'" for backup in writers)
        yield Problem(
            f"repository '{repository.id}' has no `verify` schedule, and backups {names} write "
            f"to it: damaged or missing backups are found only during a restore",
            fix=f"schedule the integrity check of repository '{repository.id}' and record it, "
            "e.g. `verify: weekly`",
            evidence=tuple(
                f"backup '{backup.id}' writes to repository '{repository.id}' "
                f"({backup.method} of {describe_sources(backup, facts)})"
                for backup in writers
            ),
        )

    failing = (
        Example(
            description="Nightly backups go into a borg repository that is never verified.",
            findings=("nas-borg",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-borg: {tool: borg, host: nas}
backups:
  photos-nightly: {source: photos, target: nas-borg, method: file, schedule: daily}
""",
        ),
        Example(
            description="A repository filled only by a copy of another one is written to as well.",
            findings=("b2-offsite",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas, verify: weekly}
  b2-offsite: {tool: restic, in: b2-eu, immutable: true}
backups:
  photos-nightly: {source: photos, target: nas-restic, method: file, schedule: daily}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="The repository is verified weekly.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-borg: {tool: borg, host: nas, verify: weekly}
backups:
  photos-nightly: {source: photos, target: nas-borg, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "Git repositories are exempt; an empty repository is unused-repository's business."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  compose: {kind: config, format: compose, host: app}
repositories:
  infra-git: {tool: git, host: nas}
  spare-borg: {tool: borg, host: nas}
backups:
  compose-git: {source: compose, target: infra-git, method: git}
""",
        ),
    )


def describe_sources(backup: Backup, facts: Facts) -> str:
    """What the backup reads, each source named with its kind: a copy reads a repository."""
    return ", ".join(f"{facts.model.kind_of(source)} '{source}'" for source in backup.sources)
