"""failed-restore-drill (AL403): the evidence names the newest drill."""

from __future__ import annotations

from tests.rules.helpers import HOME, findings


def test_evidence_names_the_drill() -> None:
    model = (
        HOME
        + """
services:
  wiki: {host: app, depends_on: []}
drills:
  b-pass: {restores: [wiki], date: 2026-09-01, result: pass}
  a-partial: {restores: [wiki], date: 2026-10-01, result: partial}
"""
    )
    [finding] = findings("failed-restore-drill", model)
    assert finding.evidence == ("drill 'a-partial' on 2026-10-01: partial",)


def test_a_drill_dated_after_the_as_of_date_does_not_hide_a_failure() -> None:
    # A year typo (2062 for 2026) must not make a pass the "newest" drill.
    model = (
        HOME
        + """
services:
  wiki: {host: app, depends_on: []}
drills:
  typo: {restores: [wiki], date: 2062-09-01, result: pass}
  real: {restores: [wiki], date: 2026-10-01, result: fail}
"""
    )
    [finding] = findings("failed-restore-drill", model)
    assert finding.evidence == ("drill 'real' on 2026-10-01: fail",)


def test_on_the_newest_date_a_pass_wins_whatever_the_ids() -> None:
    for passing, failing in (("a", "b"), ("b", "a")):
        model = (
            HOME
            + f"""
services:
  wiki: {{host: app, depends_on: []}}
drills:
  {passing}: {{restores: [wiki], date: 2026-10-01, result: pass}}
  {failing}: {{restores: [wiki], date: 2026-10-01, result: fail}}
"""
        )
        assert findings("failed-restore-drill", model) == []
