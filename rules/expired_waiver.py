"""AL801 expired-waiver: a waiver's `until` date has passed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Entity


class ExpiredWaiver(Rule[Entity]):
    id = "AL801"
    name = "expired-waiver"
    severity = "low"
    summary = "A waiver's `until` date has passed, so the finding it waived is reported again."
    rationale = (
        "A waiver with a date is a promise: the gap is accepted until then, and will be fixed "
        "or looked at again by that day. When the date passes the finding comes back, and "
        "this finding says why, so that the team either fixes the gap or decides again, "
        "with a reason, instead of silently extending the deadline."
    )
    remediation = (
        "Fix what the waived rule reports and remove the waiver; or, if the reason still "
        "holds, set a new `until` date (and update the `reason`)."
    )

    def candidates(self, entities: list[Entity], facts: Facts) -> list[Entity]:
        return [entity for entity in entities if entity.waive]

    def check(self, entity: Entity, facts: Facts) -> Iterator[Problem]:
        for waiver in entity.waive:
            # A waiver still waives on its `until` day; it has expired the day after.
            if waiver.until is None or waiver.until >= facts.as_of:
                continue
            yield Problem(
                f"the waiver of '{waiver.rule}' ended on {waiver.until} (today is "
                f"{facts.as_of}): its findings are reported again",
                fix="fix the findings and remove the waiver, or set a new `until` date if the "
                "reason still holds",
                evidence=(
                    f"waiver of '{waiver.rule}' until {waiver.until}",
                    f"as of {facts.as_of}",
                ),
                key=waiver.rule,
            )

    failing = (
        Example(
            description=(
                "The waiver ended long before the check date (and snapshot-only is reported again)."
            ),
            as_of=date(2026, 11, 26),
            findings=("media",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  media:
    kind: files
    host: nas
    waive:
      - {rule: snapshot-only, reason: films can be ripped again, until: 2024-01-31}
backups:
  media-snapshots: {source: media, method: snapshot, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="One waiver is still running and the other has no end date.",
            as_of=date(2026, 11, 26),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas:
    kind: nas
    in: home
    waive:
      - {rule: AL102, reason: accepted for good}
datastores:
  media:
    kind: files
    host: nas
    waive:
      - {rule: snapshot-only, reason: films can be ripped again, until: 2099-12-31}
backups:
  media-snapshots: {source: media, method: snapshot, schedule: daily}
""",
        ),
    )
