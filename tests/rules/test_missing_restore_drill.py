"""missing-restore-drill (AL401): the threshold and the evidence."""

from __future__ import annotations

from tests.rules.helpers import HOME, entities, findings

SERVICES = (
    HOME
    + """
services:
  dns: {host: app, criticality: critical, depends_on: []}
  wiki: {host: app, criticality: high, depends_on: []}
  chat: {host: app, criticality: medium, depends_on: []}
"""
)


def test_threshold_is_an_option() -> None:
    assert entities(findings("missing-restore-drill", SERVICES)) == ["dns", "wiki"]
    critical = findings("missing-restore-drill", SERVICES, {"min-criticality": "critical"})
    assert entities(critical) == ["dns"]
    medium = findings("missing-restore-drill", SERVICES, {"min-criticality": "medium"})
    assert entities(medium) == ["chat", "dns", "wiki"]


def test_evidence_names_the_service() -> None:
    [finding] = findings("missing-restore-drill", SERVICES, {"min-criticality": "critical"})
    assert finding.evidence == (
        "service 'dns': criticality critical",
        "no drill has 'dns' in `restores`",
    )
