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
