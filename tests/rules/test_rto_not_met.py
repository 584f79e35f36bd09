"""rto-not-met (AL404): evidence, and which drill is judged."""

from __future__ import annotations

from tests.rules.helpers import HOME, findings


def test_evidence_names_the_drill_and_the_rto() -> None:
    model = (
        HOME
        + """
services:
  wiki: {host: app, depends_on: [], rto: 4h}
drills:
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: partial, duration: 1d}
"""
    )
    [finding] = findings("rto-not-met", model)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "drill '2026-10-wiki' on 2026-10-01: partial in 1d",
        "service 'wiki': rto 4h",
    )


def test_skips_a_newest_drill_without_duration() -> None:
    # The newest completed drill has no duration: an older slow one is not judged.
    model = (
        HOME
        + """
services:
  wiki: {host: app, depends_on: [], rto: 4h}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass, duration: 1d}
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: pass}
"""
    )
    assert findings("rto-not-met", model) == []
