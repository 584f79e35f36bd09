"""implicit-dependencies (AL602): the criticality threshold is an option."""

from __future__ import annotations

from tests.rules.helpers import HOME, entities, findings


def test_threshold_is_an_option() -> None:
    model = (
        HOME
        + """
services:
  dns: {host: app, criticality: critical}
  wiki: {host: app, criticality: high}
  chat: {host: app}
  tiny: {host: app, criticality: low, depends_on: []}
"""
    )
    assert entities(findings("implicit-dependencies", model)) == ["dns", "wiki"]
    low = findings("implicit-dependencies", model, {"min-criticality": "low"})
    assert entities(low) == ["chat", "dns", "wiki"]
