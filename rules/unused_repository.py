"""AL802 unused-repository: no backup writes to the repository."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Repository


class UnusedRepository(Rule[Repository]):
    id = "AL802"
    name = "unused-repository"
    severity = "low"
    summary = "No backup writes to the repository."
    rationale = (
        "An empty repository in the model reads like protection that does not exist: the "
        "off-site bucket that was created and never connected is the classic example. "
        "Either a backup that should write there is missing from the model (or from the "
        "real setup), or the repository is a leftover that costs money and attention."
    )
    remediation = (
        "Point the backup that should use it at it (`target: <this repository>`), or remove "
        "the repository from the model."
    )

    def check(self, repository: Repository, facts: Facts) -> Iterator[Problem]:
        if facts.writers(repository.id):
            return
        yield Problem(
            "no backup writes to this repository: it holds no copy of anything",
            fix=f"add a backup with `target: {repository.id}`, or remove the repository",
            evidence=(f"no backup has target '{repository.id}'",),
        )

    failing = (
        Example(
            description="The off-site bucket was created and never used.",
            findings=("b2-bucket",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
repositories:
  b2-bucket: {tool: s3, in: b2}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "Written by a copy job: a repository source counts as a writer of the target."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-bucket: {tool: restic, in: b2}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  offsite: {source: nas-restic, target: b2-bucket, method: copy, schedule: daily}
""",
        ),
    )
