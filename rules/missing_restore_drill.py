"""AL401 missing-restore-drill: no restore drill lists an important service."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class MissingRestoreDrill(Rule[Service]):
    id = "AL401"
    name = "missing-restore-drill"
    severity = "medium"
    min_criticality = "high"
    summary = "No restore drill has ever restored the service."
    rationale = (
        "A backup that was never restored is a hope, not a plan. Missing files, a dump "
        "that does not load, a passphrase nobody can find or a restore that takes three "
        "days are discovered by the first restore; a drill makes that first restore a "
        "rehearsal instead of the emergency."
        " Drills dated after the --as-of date have not happened yet and are ignored (a "
        "year typo must not hide a failure); on the newest date, a pass wins."
    )
    remediation = (
        "Restore the service from its backups on a test machine, and record the drill "
        "under `drills` with `restores: [the service]`, its date, result and duration."
    )

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        criticality = facts.service_criticality(service)
        if facts.newest_drill(service.id) is not None:
            return
        yield Problem(
            f"no restore drill lists this service (criticality {criticality}): nobody knows "
            f"whether it can be restored or how long that takes",
            fix=f"restore it on a test machine and record the drill under `drills` with "
            f"`restores: [{service.id}]`",
            evidence=(
                f"service '{service.id}': criticality {criticality}",
                f"no drill has '{service.id}' in `restores`",
            ),
        )

    failing = (
        Example(
            description="A high-criticality service has never been restored in a drill.",
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: high, depends_on: []}
""",
        ),
        Example(
            description=(
                "A drill of the service's datastore is not a drill of the service: nobody checked "
                "that it runs again."
            ),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: critical, depends_on: [], data: [wiki-db]}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
drills:
  2026-10-wiki-db: {restores: [wiki-db], date: 2026-10-01, result: pass}
""",
        ),
    )
    passing = (
        Example(
            description="The service's restore was drilled.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: pass, duration: 2h}
""",
        ),
        Example(
            description="Below the criticality threshold (the default criticality is medium).",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: []}
""",
        ),
        Example(
            description=(
                "A failed drill still lists the service: that is failed-restore-drill's business."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: fail}
""",
        ),
    )
