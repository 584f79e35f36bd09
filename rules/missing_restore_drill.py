"""AL401 missing-restore-drill: no restore drill lists an important service."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule, RuleOptions, at_least
from archlint.model.entities import Criticality, Service


class MissingRestoreDrill(Rule[Service]):
    id = "AL401"
    name = "missing-restore-drill"
    severity = "medium"
    entity_kind = "service"
    summary = "No restore drill has ever restored the service."
    rationale = (
        "A backup that was never restored is a hope, not a plan. Missing files, a dump "
        "that does not load, a passphrase nobody can find or a restore that takes three "
        "days are discovered by the first restore; a drill makes that first restore a "
        "rehearsal instead of the emergency."
    )
    remediation = (
        "Restore the service from its backups on a test machine, and record the drill "
        "under `drills` with `restores: [the service]`, its date, result and duration."
    )

    class Options(RuleOptions):
        min_criticality: Criticality = Field(
            default="high", description="Ignore services below this criticality."
        )

    options: Options

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        criticality = facts.service_criticality(service)
        if not at_least(criticality, self.options.min_criticality):
            return
        if facts.newest_drill(service.id) is not None:
            return
        yield Problem(
            f"no restore drill lists this service (criticality {criticality}), so nobody knows "
            f"whether it can be restored or how long that takes; restore it on a test machine "
            f"and record the drill under `drills` with `restores: [{service.id}]`",
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
