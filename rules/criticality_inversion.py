"""AL603 criticality-inversion: a service depends on a less critical service."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Criticality, Service, criticality_rank


class CriticalityInversion(Rule[Service]):
    id = "AL603"
    name = "criticality-inversion"
    severity = "medium"
    summary = "The service depends on a service of lower criticality."
    rationale = (
        "Criticality decides how carefully a service is protected: how many copies, how "
        "often it is drilled, how fast it must come back. A critical service that needs a "
        "medium one can be restored no better than that dependency, which the rules and "
        "the people treat as less important."
    )
    remediation = (
        "Raise the dependency's `criticality` to at least this service's, or remove the "
        "dependency from `depends_on` if the service does not really need it."
    )

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        criticality = facts.service_criticality(service)
        # Direct dependencies only: an inversion further down a chain is reported on
        # the service where the criticality actually drops.
        lower: dict[str, Criticality] = {}
        for needed in facts.dependencies.needs(service.id):
            needed_criticality = facts.service_criticality(facts.model.services[needed])
            if criticality_rank(needed_criticality) < criticality_rank(criticality):
                lower[needed] = needed_criticality
        if not lower:
            return
        names = ", ".join(f"'{needed}' ({level})" for needed, level in lower.items())
        which = "which is" if len(lower) == 1 else "which are"
        yield Problem(
            f"criticality {criticality}, but depends on {names}, {which} protected less "
            f"carefully than this service needs",
            fix=f"raise the criticality of {', '.join(repr(needed) for needed in lower)} to at "
            f"least {criticality}, or remove the dependency",
            evidence=tuple(
                f"'{service.id}' ({criticality}) depends on '{needed}' ({level})"
                for needed, level in lower.items()
            ),
            cause=next(iter(lower)) if len(lower) == 1 else None,
        )

    failing = (
        Example(
            description=(
                "A high-criticality service depends on a medium one (and on a critical one, which "
                "is fine)."
            ),
            findings=("nextcloud",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  dns: {host: app, criticality: critical, depends_on: []}
  authentik: {host: app, criticality: medium, depends_on: [dns]}
  nextcloud: {host: app, criticality: high, depends_on: [dns, authentik]}
""",
        ),
        Example(
            description="The default criticality (low here, set in `defaults`) counts too.",
            findings=("vaultwarden",),
            model="""
archlint: 1
defaults:
  criticality: low
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  proxy: {host: app, depends_on: []}
  vaultwarden: {host: app, criticality: critical, depends_on: [proxy]}
""",
        ),
    )
    passing = (
        Example(
            description="Depending on an equally or more critical service is fine.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  dns: {host: app, criticality: critical, depends_on: []}
  authentik: {host: app, criticality: high, depends_on: [dns]}
  nextcloud: {host: app, criticality: high, depends_on: [dns, authentik]}
""",
        ),
    )
