"""single-domain-copies (AL101): evidence, and the criticality threshold."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings, rule_class

RULE = rule_class("single-domain-copies")


def test_evidence_places_the_live_data_and_every_copy() -> None:
    (finding,) = findings(RULE, RULE.failing[0].model)
    assert finding.entity == "wiki-files"
    assert finding.evidence == (
        "live data at site 'home'",
        "repository 'nas-restic' via wiki-nightly at site 'home'",
    )


def test_threshold_is_an_option() -> None:
    assert check_rule(RULE, RULE.failing[0].model, {"min-criticality": "critical"}) == []
    low_cache = RULE.passing[1].model
    assert check_rule(RULE, low_cache, {"min-criticality": "low"}) == [(RULE.name, "cache")]
