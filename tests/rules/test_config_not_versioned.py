"""config-not-versioned (AL502): the evidence names the protections that keep no history."""

from __future__ import annotations

from tests.rules.helpers import findings, rule_class


def test_names_the_protections_that_keep_no_history() -> None:
    rule = rule_class("config-not-versioned")
    (finding,) = findings(rule, rule.failing[1].model)
    assert finding.entity == "hass-config"
    assert finding.evidence == ("backup 'hass-image': method image",)
