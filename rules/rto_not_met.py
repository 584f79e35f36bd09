"""AL404 rto-not-met: the service's newest completed restore drill took longer than its rto."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class RtoNotMet(Rule[Service]):
    id = "AL404"
    name = "rto-not-met"
    severity = "high"
    summary = "The service's newest passed or partial restore drill took longer than its rto."
    rationale = (
        "The rto is the promise of how long the service may be down. A drill that "
        "restored it, but took longer than that, shows the promise will be broken in a "
        "real disaster too, when the restore is done under stress, with more data and "
        "perhaps by someone else."
        " Drills dated after the --as-of date have not happened yet and are ignored (a "
        "year typo must not hide a failure); on the newest date, a pass wins."
    )
    remediation = (
        "Make the restore faster (restore from a local repository or a host image, "
        "script the runbook, keep hardware ready) and repeat the drill, or agree a "
        "longer `rto` that the restore can actually meet."
    )

    def candidates(self, services: list[Service], facts: Facts) -> list[Service]:
        return [service for service in services if service.rto is not None]

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        if service.rto is None:
            return
        # A failed drill says nothing about how long a restore takes.
        drill = facts.newest_drill(service.id, ("pass", "partial"))
        if drill is None or drill.duration is None:
            return
        if drill.duration <= service.rto:
            return
        yield Problem(
            f"the newest completed restore drill, '{drill.id}' on {drill.date.isoformat()}, "
            f"took {drill.duration}, longer than the service's rto of {service.rto}",
            fix="make the restore faster and repeat the drill, or agree a longer `rto`",
            evidence=(
                f"drill '{drill.id}' on {drill.date.isoformat()}: {drill.result} "
                f"in {drill.duration}",
                f"service '{service.id}': rto {service.rto}",
            ),
        )

    failing = (
        Example(
            description="The drill took 6h, and the service's rto is 2h.",
            findings=("home-assistant",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
services:
  home-assistant: {host: pve, criticality: high, depends_on: [], rto: 2h}
drills:
  2026-10-hass: {restores: [home-assistant], date: 2026-10-01, result: pass, duration: 6h}
""",
        ),
        Example(
            description=(
                "A partial drill counts; a newer failed drill is skipped (failed-restore-drill "
                "reports it)."
            ),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: [], rto: 1h}
drills:
  2026-09-wiki: {restores: [wiki], date: 2026-09-01, result: partial, duration: 90m}
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: fail, duration: 30m}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "A drill exactly as long as the rto meets it; only the newest completed drill "
                "counts."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: [], rto: 2h}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass, duration: 5h}
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: pass, duration: 120m}
""",
        ),
        Example(
            description="No rto, or a drill without a duration: nothing to compare.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: []}
  chat: {host: app, depends_on: [], rto: 1h}
drills:
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: pass, duration: 9h}
  2026-10-chat: {restores: [chat], date: 2026-10-02, result: pass}
""",
        ),
    )
