"""unprotected-host (AL503): the evidence shows the services a host runs through its VMs."""

from __future__ import annotations

from tests.rules.helpers import findings, rule_class


def test_evidence_shows_services_on_its_vms() -> None:
    rule = rule_class("unprotected-host")
    found = {f.entity: f.evidence for f in findings(rule, rule.failing[0].model)}
    assert found == {
        "docker": ("service 'wiki' on host 'docker'",),
        "pve": ("service 'wiki' on host 'docker' (a VM of 'pve')",),
    }
