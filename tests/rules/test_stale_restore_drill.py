"""stale-restore-drill (AL402): judged on the --as-of date; its options."""

from __future__ import annotations

from datetime import date

from tests.rules.helpers import HOME, findings

STALE = (
    HOME
    + """
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass}
"""
)


def test_is_judged_on_the_as_of_date() -> None:
    # 2026-03-01 is 270 days before AS_OF (2026-11-26), and 180 days before 2026-08-28.
    [finding] = findings("stale-restore-drill", STALE)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "drill '2026-03-wiki' on 2026-03-01: pass",
        "270 days before 2026-11-26 (limit 180)",
    )
    assert findings("stale-restore-drill", STALE, as_of=date(2026, 8, 28)) == []
    assert len(findings("stale-restore-drill", STALE, as_of=date(2026, 8, 29))) == 1


def test_age_is_an_option() -> None:
    assert findings("stale-restore-drill", STALE, {"max-age-days": 270}) == []
    assert len(findings("stale-restore-drill", STALE, {"max-age-days": 269})) == 1


def test_threshold_is_an_option() -> None:
    assert findings("stale-restore-drill", STALE, {"min-criticality": "critical"}) == []


def test_judges_the_newest_drill_whatever_its_result() -> None:
    model = STALE + "  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: fail}\n"
    assert findings("stale-restore-drill", model) == []
