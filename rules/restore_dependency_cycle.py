"""AL601 restore-dependency-cycle: services depend on each other, so none can be restored first."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.dependencies import CYCLES_COUNTED
from archlint.analysis.facts import Facts, capped
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class RestoreDependencyCycle(Rule[Service]):
    id = "AL601"
    name = "restore-dependency-cycle"
    severity = "high"
    summary = "Services depend on each other in a cycle, so there is no order to restore them in."
    rationale = (
        "After a disaster, services come back one at a time, each after the services it "
        "needs. When A needs B and B needs A (the password manager behind single sign-on "
        "that itself logs in through single sign-on), neither can be restored first, and "
        "the team finds the deadlock at the worst moment. Services that all depend on one "
        "another form one knot: it is one finding, on its first service by id, naming "
        "every cycle in it (the first few, and how many more), and its fix breaks them all."
    )
    remediation = (
        "Break the cycle: make one of the services work without the other (a local "
        "account, a static DNS entry, a break-glass credential) and remove that entry "
        "from its `depends_on`."
    )

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        for knot in facts.dependency_knots_from(service.id):
            cycles = "; ".join(" -> ".join(cycle) for cycle in knot.cycles)
            if knot.total is None:
                what, cycles = f"more than {CYCLES_COUNTED} cycles", f"{cycles}; and more"
            elif knot.total == 1:
                what = "a cycle"
            else:
                what = f"{knot.total} cycles"
                if knot.total > len(knot.cycles):
                    cycles += f"; and {knot.total - len(knot.cycles)} more"
            members = set(knot.services)
            removals = ", ".join(
                f"'{needed}' from the `depends_on` of '{needing}'"
                for needing, needed in knot.breaks
            )
            yield Problem(
                f"services depend on each other in {what} ({cycles}): no order restores them",
                fix=f"make each service work without the next and remove {removals}: that "
                "breaks every cycle",
                evidence=capped(
                    f"'{needing}' depends on '{needed}'"
                    for needing in knot.services
                    for needed in facts.dependencies.needs(needing)
                    if needed in members
                ),
            )

    failing = (
        Example(
            description=(
                "A cycle is reported once, on its first service by id, whatever order the "
                "model declares them in."
            ),
            findings=("authentik",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  vaultwarden: {host: app, depends_on: [authentik]}
  authentik: {host: app, depends_on: [vaultwarden]}
""",
        ),
        Example(
            description=(
                "Two separate cycles give two findings; a service that only leads into a cycle "
                "(web) is not part of it."
            ),
            findings=("a-dns", "x-mail"),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  web: {host: app, depends_on: [b-proxy]}
  a-dns: {host: app, depends_on: [c-dhcp]}
  b-proxy: {host: app, depends_on: [a-dns]}
  c-dhcp: {host: app, depends_on: [b-proxy]}
  x-mail: {host: app, depends_on: [y-spam]}
  y-spam: {host: app, depends_on: [x-mail]}
""",
        ),
        Example(
            description=(
                "One knot holding two cycles (dns -> proxy -> dns and dns -> sso -> dns) is one "
                "finding; its message names both, and its fix removes an entry of each."
            ),
            findings=("dns",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  dns: {host: app, depends_on: [proxy, sso]}
  proxy: {host: app, depends_on: [dns]}
  sso: {host: app, depends_on: [dns]}
""",
        ),
        Example(
            description="A service that depends on itself is a cycle too.",
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: [wiki]}
""",
        ),
    )
    passing = (
        Example(
            description="Shared dependencies form no cycle.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  dns: {host: app, depends_on: []}
  proxy: {host: app, depends_on: [dns]}
  authentik: {host: app, depends_on: [dns, proxy]}
  wiki: {host: app, depends_on: [dns, proxy, authentik]}
""",
        ),
    )
