"""AL403 failed-restore-drill: the service's newest restore drill did not pass."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class FailedRestoreDrill(Rule[Service]):
    id = "AL403"
    name = "failed-restore-drill"
    severity = "high"
    summary = "The service's newest restore drill failed or only partly succeeded."
    rationale = (
        "A failed or partial drill is the best news a backup architecture can get before "
        "a disaster: it found a gap while there was still time. Until a later drill "
        "passes, the gap is still there, and a real restore of this service is expected "
        "to fail the same way."
        " Drills dated after the --as-of date have not happened yet and are ignored (a "
        "year typo must not hide a failure); on the newest date, a pass wins."
    )
    remediation = (
        "Fix what the drill found (missing data, a lost key, a broken runbook), repeat "
        "the drill, and record it under `drills` with `result: pass`."
    )

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        drill = facts.newest_drill(service.id)
        if drill is None or drill.result == "pass":
            return
        yield Problem(
            f"the newest restore drill, '{drill.id}' on {drill.date.isoformat()}, ended with "
            f"result '{drill.result}' and no later drill passed: a real restore would fail too",
            fix="fix what the drill found, repeat it and record a pass",
            evidence=(f"drill '{drill.id}' on {drill.date.isoformat()}: {drill.result}",),
        )

    failing = (
        Example(
            description="The newest restore drill of a critical service failed.",
            findings=("vaultwarden",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  vaultwarden: {host: app, criticality: critical, depends_on: []}
drills:
  2026-08-vaultwarden: {restores: [vaultwarden], date: 2026-08-15, result: fail}
""",
        ),
        Example(
            description=(
                "A partial result counts and an older pass does not make up for it, whatever the "
                "criticality."
            ),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: low, depends_on: []}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass}
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: partial}
""",
        ),
        Example(
            description=(
                "A pass dated after the as-of date (a year typo) has not happened: the failed "
                "drill is still the newest."
            ),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: []}
drills:
  wiki-typo: {restores: [wiki], date: 2062-10-01, result: pass}
  wiki-real: {restores: [wiki], date: 2026-10-01, result: fail}
""",
        ),
    )
    passing = (
        Example(
            description="Two drills on the same newest day: the pass wins, whatever the ids.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, depends_on: []}
drills:
  a-first-try: {restores: [wiki], date: 2026-10-01, result: fail}
  b-second-try: {restores: [wiki], date: 2026-10-01, result: pass}
  z-earlier: {restores: [wiki], date: 2026-09-01, result: fail}
""",
        ),
        Example(
            description="The failure was fixed and the repeated drill passed.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  vaultwarden: {host: app, criticality: critical, depends_on: []}
drills:
  2026-08-vaultwarden: {restores: [vaultwarden], date: 2026-08-15, result: fail}
  2026-09-vaultwarden: {restores: [vaultwarden], date: 2026-09-20, result: pass}
""",
        ),
        Example(
            description="Never drilled: missing-restore-drill's business, not this rule's.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  vaultwarden: {host: app, criticality: critical, depends_on: []}
""",
        ),
    )
