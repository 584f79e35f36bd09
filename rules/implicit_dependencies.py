"""AL602 implicit-dependencies: an important service does not say what it depends on."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule, RuleOptions, at_least
from archlint.model.entities import Criticality, Service


class ImplicitDependencies(Rule[Service]):
    id = "AL602"
    name = "implicit-dependencies"
    severity = "low"
    entity_kind = "service"
    summary = "The service has no `depends_on`, so its place in the restore order is unknown."
    rationale = (
        "The restore order, the runbook and the dependency checks all read `depends_on`. "
        "When it is missing, nobody can tell whether the service needs nothing or whether "
        "nobody wrote down that it needs DNS, the proxy and single sign-on; the gap shows "
        "up during the restore, as a service that will not start."
    )
    remediation = (
        "List the services this one needs before it can run in `depends_on`, or write "
        "`depends_on: []` to state that it needs none."
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
        # An explicit `depends_on: []` is a statement; only an absent field is implicit.
        if service.depends_on is not None:
            return
        yield Problem(
            f"this service (criticality {criticality}) has no `depends_on`, so the restore "
            f"order cannot tell what must run before it; list the services it needs, or "
            f"write `depends_on: []` if it needs none",
            evidence=(f"service '{service.id}': criticality {criticality}, no `depends_on`",),
        )

    failing = (
        Example(
            description="A high-criticality service does not say what it depends on.",
            findings=("nextcloud",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  dns: {host: app, criticality: critical, depends_on: []}
  nextcloud: {host: app, criticality: high}
""",
        ),
    )
    passing = (
        Example(
            description="An explicit empty `depends_on` list is fine.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  dns: {host: app, criticality: critical, depends_on: []}
  nextcloud: {host: app, criticality: high, depends_on: [dns]}
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
  monitoring: {host: app}
""",
        ),
    )
