"""criticality-inversion (AL603): every less critical dependency is named."""

from __future__ import annotations

from tests.rules.helpers import HOME, entities, findings


def test_names_every_less_critical_dependency() -> None:
    model = (
        HOME
        + """
services:
  dns: {host: app, criticality: low, depends_on: []}
  proxy: {host: app, criticality: medium, depends_on: [dns]}
  auth: {host: app, criticality: critical, depends_on: []}
  vault: {host: app, criticality: critical, depends_on: [proxy, dns, auth]}
"""
    )
    found = findings("criticality-inversion", model)
    assert entities(found) == ["proxy", "vault"]
    vault = next(finding for finding in found if finding.entity == "vault")
    assert vault.evidence == (
        "'vault' (critical) depends on 'dns' (low)",
        "'vault' (critical) depends on 'proxy' (medium)",
    )
