"""AL803 unscheduled-backup: the backup has no schedule."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup


class UnscheduledBackup(Rule[Backup]):
    id = "AL803"
    name = "unscheduled-backup"
    severity = "medium"
    summary = "The backup has no schedule: it runs only when someone remembers."
    rationale = (
        "A manual backup is as recent as the last time somebody thought of it, which after a "
        "failure is always longer ago than expected. It meets no recovery point objective, "
        "and nothing notices when it silently stops happening."
    )
    remediation = (
        "Give the backup a `schedule` (`daily`, an interval such as `6h`, or a cron line) "
        "and run it from a timer; for media attached by hand, schedule a reminder and "
        "rotate the media."
    )

    def check(self, backup: Backup, facts: Facts) -> Iterator[Problem]:
        if backup.is_scheduled:
            return  # a schedule of its own, or right `after` another backup
        targets = ", ".join(f"'{target}'" for target in backup.targets)
        target = f"repository {targets}" if targets else "a local snapshot"
        sources = ", ".join(f"'{source}'" for source in backup.sources)
        yield Problem(
            f"the backup of {sources} to {target} has no schedule: it runs only when "
            f"someone remembers and meets no RPO",
            fix="add a `schedule`, e.g. `schedule: daily`",
            evidence=(f"backup '{backup.id}': {sources} -> {target}, no schedule",),
        )

    failing = (
        Example(
            description="Configuration is pushed to git by hand, now and then.",
            findings=("traefik-git",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  github: {kind: site, provider: github}
hosts:
  docker: {kind: server, in: home}
datastores:
  traefik-config: {kind: config, format: proxy, host: docker}
repositories:
  github-homelab: {tool: git, in: github}
backups:
  traefik-git: {source: traefik-config, target: github-homelab, method: git}
""",
        ),
    )
    passing = (
        Example(
            description="A copy chained `after` a scheduled backup runs when that one does.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
hosts:
  app: {kind: server, in: home}
  vps: {kind: server, in: away}
datastores:
  wiki: {kind: files, host: app, path: /srv/wiki}
repositories:
  local: {tool: restic, host: app}
  remote: {tool: restic, host: vps}
backups:
  wiki-local: {source: wiki, target: local, method: file, schedule: daily}
  wiki-sync: {source: local, target: remote, method: copy, after: wiki-local, duration: 1h}
""",
        ),
        Example(
            description="The same push runs hourly.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  github: {kind: site, provider: github}
hosts:
  docker: {kind: server, in: home}
datastores:
  traefik-config: {kind: config, format: proxy, host: docker}
repositories:
  github-homelab: {tool: git, in: github}
backups:
  traefik-git: {source: traefik-config, target: github-homelab, method: git, schedule: hourly}
""",
        ),
    )
