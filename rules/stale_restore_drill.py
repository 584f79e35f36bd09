"""AL402 stale-restore-drill: an important service's newest restore drill is too old."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from pydantic import Field

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule, RuleOptions
from archlint.model.entities import Service


class StaleRestoreDrill(Rule[Service]):
    id = "AL402"
    name = "stale-restore-drill"
    severity = "medium"
    min_criticality = "high"
    summary = "The service's newest restore drill is older than the allowed age."
    rationale = (
        "A restore that worked a year ago proves little today: the service was upgraded, "
        "its data grew, backups moved to another repository, keys were rotated and the "
        "people who did the drill may have left. Only a recent drill shows that the "
        "current backups restore the current service in the time it is allowed."
        " Drills dated after the --as-of date have not happened yet and are ignored (a "
        "year typo must not hide a failure); on the newest date, a pass wins."
    )
    remediation = (
        "Repeat the restore drill and record it under `drills` with today's date, or "
        "raise `max_age_days` if a longer drill cycle is an accepted policy."
    )

    class Options(RuleOptions):
        max_age_days: int = Field(
            default=180,
            ge=0,
            description="The oldest a newest drill may be, in days before the --as-of date.",
        )

    options: Options

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        drill = facts.newest_drill(service.id)
        if drill is None:
            return  # never drilled at all is missing-restore-drill's business
        age = (facts.as_of - drill.date).days
        if age <= self.options.max_age_days:
            return
        yield Problem(
            f"the newest restore drill, '{drill.id}' on {drill.date.isoformat()}, is {age} days "
            f"old on {facts.as_of.isoformat()}, more than the {self.options.max_age_days} "
            f"allowed: it no longer shows that today's backups restore today's service",
            fix="repeat the drill and record it",
            evidence=(
                f"drill '{drill.id}' on {drill.date.isoformat()}: {drill.result}",
                f"{age} days before {facts.as_of.isoformat()} (limit {self.options.max_age_days})",
            ),
        )

    # 180 days before the examples' date, 2026-11-26, is 2026-05-30.
    failing = (
        Example(
            description=(
                "The newest drill, on 2026-03-01, is 270 days old: more than the 180 allowed."
            ),
            as_of=date(2026, 11, 26),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass, duration: 2h}
""",
        ),
        Example(
            description="181 days old is one day over the limit; the older drill does not matter.",
            as_of=date(2026, 11, 26),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: critical, depends_on: []}
drills:
  2025-11-wiki: {restores: [wiki], date: 2025-11-20, result: pass}
  2026-05-wiki: {restores: [wiki], date: 2026-05-29, result: pass}
""",
        ),
    )
    passing = (
        Example(
            description="Exactly 180 days old is still within the limit.",
            as_of=date(2026, 11, 26),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2025-11-wiki: {restores: [wiki], date: 2025-11-20, result: pass}
  2026-05-wiki: {restores: [wiki], date: 2026-05-30, result: pass}
""",
        ),
        Example(
            description="Below the criticality threshold, an old drill is accepted.",
            as_of=date(2026, 11, 26),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: medium, depends_on: []}
drills:
  2025-01-wiki: {restores: [wiki], date: 2025-01-10, result: pass}
""",
        ),
        Example(
            description="Never drilled at all: missing-restore-drill reports it, not this rule.",
            as_of=date(2026, 11, 26),
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
            description="A longer drill cycle, set with max-age-days, accepts a 270-day-old drill.",
            options={"max-age-days": 270},
            as_of=date(2026, 11, 26),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass}
""",
        ),
    )
