"""AL602 implicit-dependencies: an important service does not say what it depends on."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class ImplicitDependencies(Rule[Service]):
    id = "AL602"
    name = "implicit-dependencies"
    severity = "low"
    min_criticality = "high"
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

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        criticality = facts.service_criticality(service)
        # An explicit `depends_on: []` is a statement; only an absent field is implicit.
        if service.depends_on is not None:
            return
        yield Problem(
            f"criticality {criticality} and no `depends_on`: the restore order cannot tell "
            f"what must run before it",
            fix="list the services it needs in `depends_on`, or write `depends_on: []` if it "
            "needs none",
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
