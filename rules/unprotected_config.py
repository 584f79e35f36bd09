"""AL501 unprotected-config: a service's configuration is missing from the model or unprotected."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class UnprotectedConfig(Rule[Service]):
    id = "AL501"
    name = "unprotected-config"
    severity = "medium"
    min_criticality = "medium"
    summary = "The service lists no configuration datastore, or one of them has no protection."
    rationale = (
        "Restoring a database is not restoring a service: it also takes the compose file, "
        "the environment, the proxy routes and the DNS records that make it run. "
        "Configuration is small, changes rarely and is easy to forget, and rebuilding it from "
        "memory during an outage is slow and error-prone. A service whose `data` lists no "
        "configuration has its configuration unaccounted for."
    )
    remediation = (
        "List the service's configuration as a `kind: config` datastore in its `data`, and "
        "protect each one, preferably with a `git` backup to a repository on another machine."
    )

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        configs = [
            facts.model.datastores[d]
            for d in service.data
            if d in facts.model.datastores and facts.model.datastores[d].kind == "config"
        ]
        if not configs:
            yield Problem(
                "lists no configuration (`kind: config`) datastore in its `data`: nothing "
                "says how it is rebuilt",
                fix="add its configuration as a `kind: config` datastore to `data` and back "
                "it up, e.g. with `git`",
                evidence=(f"data: {', '.join(service.data) or 'none'}",),
            )
            return
        unprotected = [c for c in configs if not facts.protections(c)]
        if not unprotected:
            return
        names = ", ".join(f"'{c.id}'" for c in unprotected)
        yield Problem(
            f"the configuration {names} has no protection: no backup names it and no image "
            f"covers its host",
            fix=f"add a `git` backup of '{unprotected[0].id}' to a repository on another machine",
            evidence=tuple(f"config datastore '{c.id}': no protection" for c in unprotected),
            cause=unprotected[0].id if len(unprotected) == 1 else None,
        )

    failing = (
        Example(
            description="The compose file that starts the service is in no backup.",
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, data: [wiki-files, wiki-compose]}
datastores:
  wiki-files: {kind: files, host: app}
  wiki-compose: {kind: config, format: compose, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-files-restic: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
""",
        ),
        Example(
            description="The service lists no configuration at all.",
            findings=("wiki",),
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
  wiki-files-restic: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="The compose file is versioned in git and the files are backed up.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, data: [wiki-files, wiki-compose]}
datastores:
  wiki-files: {kind: files, host: app}
  wiki-compose: {kind: config, format: compose, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  infra-git: {tool: git, host: nas}
backups:
  wiki-files-restic: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
  wiki-compose-git: {source: wiki-compose, target: infra-git, method: git, schedule: hourly}
""",
        ),
        Example(
            description="An image of the host protects the configuration on it too.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, data: [wiki-compose]}
datastores:
  wiki-compose: {kind: config, format: compose, host: app}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  app-image: {source: app, target: nas-pbs, method: image, schedule: daily}
""",
        ),
        Example(
            description="Below the criticality threshold.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  jellyfin: {host: app, criticality: low, data: [jellyfin-config]}
datastores:
  jellyfin-config: {kind: config, host: app}
""",
        ),
    )
