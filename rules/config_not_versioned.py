"""AL502 config-not-versioned: configuration without a `git` backup."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class ConfigNotVersioned(Rule[Datastore]):
    id = "AL502"
    name = "config-not-versioned"
    severity = "low"
    summary = "No `git` backup versions the configuration."
    rationale = (
        "Configuration breaks by small edits: a wrong proxy route, a deleted DNS record, an "
        "upgrade that rewrote a file. A git history says what changed, when and why, can be "
        "reviewed and diffed, and lets one line be rolled back; a file or image backup "
        "restores the whole file as it was on some night, if the change is still within "
        "retention."
    )
    remediation = (
        "Commit the configuration to a git repository and push it to a repository on another "
        "machine: a backup with `method: git` (a git-autocommit timer catches forgotten "
        "pushes)."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        versioned = facts.sources_of_method("git")
        return [d for d in datastores if d.kind == "config" and d.id not in versioned]

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if datastore.kind != "config":
            return
        if any(backup.method == "git" for backup in facts.backups_of(datastore.id)):
            return
        # Name what protects it instead (images of its host included), to show that
        # the gap is the missing history, not necessarily a missing backup.
        protections = facts.protections(datastore)
        others = ", ".join(f"'{b.id}' ({b.method})" for b in protections)
        found = (
            f"its backups ({others}) keep no history of changes"
            if others
            else "nothing backs it up"
        )
        yield Problem(
            f"configuration is not versioned: {found}",
            fix="commit it to git and add a backup with `method: git` to a repository on "
            "another machine",
            evidence=tuple(f"backup '{b.id}': method {b.method}" for b in protections)
            or (f"no backup of '{datastore.id}'",),
        )

    failing = (
        Example(
            description=(
                "One configuration has only a file backup, and another has no backup at all."
            ),
            findings=("wiki-compose", "pihole-config"),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
  pi: {kind: server, in: home}
datastores:
  wiki-compose: {kind: config, format: compose, host: app}
  pihole-config: {kind: config, format: dns, host: pi}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-compose-restic: {source: wiki-compose, target: nas-restic, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "An image of the host protects the configuration but keeps no history of it."
            ),
            findings=("hass-config",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  hass: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  hass-config: {kind: config, host: hass}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  hass-image: {source: hass, target: nas-pbs, method: image, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "The configuration is versioned in git; the database next to it is not "
                "configuration."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-compose: {kind: config, format: compose, host: app}
  wiki-db: {kind: database, host: app}
repositories:
  infra-git: {tool: git, host: nas}
backups:
  wiki-compose-git: {source: wiki-compose, target: infra-git, method: git, schedule: hourly}
""",
        ),
    )
