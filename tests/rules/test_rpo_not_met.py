"""rpo-not-met (AL701): the chain in the evidence, and where the limit lies."""

from __future__ import annotations

import pytest

from tests.rules.helpers import check_rule, findings, rule_class

RULE = rule_class("rpo-not-met")


def test_evidence_lists_the_chain_and_the_sum() -> None:
    (finding,) = findings(RULE, RULE.failing[1].model)
    assert finding.entity == "photos"
    assert finding.evidence == (
        "backup 'photos-restic' (daily) -> repository 'nas-restic'",
        "backup 'offsite' (daily) -> repository 'b2-offsite'",
        "worst-case loss 2d > rpo 24h of service 'immich'",
    )


def test_uses_the_smallest_rpo_of_the_services() -> None:
    (finding,) = findings(RULE, RULE.failing[0].model)
    assert finding.evidence[-1] == "worst-case loss 7d > rpo 24h of service 'shop'"


def test_without_any_chain_off_the_machine_says_so() -> None:
    (finding,) = findings(RULE, RULE.failing[2].model)
    assert finding.entity == "hass-db"
    assert finding.evidence == (
        "no scheduled chain from 'hass-db' leaves machine 'pve'",
        "backup 'hass-db-manual' (no schedule) -> repository 'nas-restic'",
        "backup 'hass-vzdump' (daily) -> repository 'pve-local'",
        "rpo 24h of service 'home-assistant'",
    )


@pytest.mark.parametrize(("schedule", "reported"), [("6h", []), ("7h", ["db"])])
def test_rpo_is_missed_only_when_the_loss_is_strictly_greater(
    schedule: str, reported: list[str]
) -> None:
    model = f"""
archlint: 1
domains:
  home: {{kind: site}}
hosts:
  app: {{kind: server, in: home}}
  nas: {{kind: nas, in: home}}
services:
  shop: {{host: app, rpo: 6h, data: [db]}}
datastores:
  db: {{kind: database, host: app}}
repositories:
  nas-restic: {{tool: restic, host: nas}}
backups:
  db-dump: {{source: db, target: nas-restic, method: dump, schedule: {schedule}}}
"""
    assert check_rule(RULE, model) == [(RULE.name, entity) for entity in reported]


def test_an_explicit_rpo_on_unprotected_data_is_reported_whatever_the_criticality() -> None:
    for criticality in ("low", "medium", "high", "critical"):
        model = f"""
archlint: 1
domains:
  home: {{kind: site}}
hosts:
  app: {{kind: server, in: home}}
services:
  shop: {{host: app, rpo: 24h, criticality: {criticality}, data: [shop-db]}}
datastores:
  shop-db: {{kind: database, host: app}}
"""
        (finding,) = findings("rpo-not-met", model)
        assert finding.entity == "shop-db"
        assert finding.message == (
            "nothing protects it, so the rpo 24h of service 'shop' cannot be met: losing "
            "machine 'app' loses the data for good"
        )


def test_among_equal_objectives_the_first_service_by_id_is_named() -> None:
    # 24h and 1d are the same objective written twice: the message quotes the first
    # service by id, as written there, whatever order the model declares them in.
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  zeta: {host: app, rpo: 24h, data: [db]}
  alpha: {host: app, rpo: 1d, data: [db]}
  beta: {host: app, rpo: 2d, data: [db]}
datastores:
  db: {kind: database, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  db-dump: {source: db, target: nas-restic, method: dump, schedule: weekly}
"""
    (finding,) = findings(RULE, model)
    assert finding.evidence[-1] == "worst-case loss 7d > rpo 1d of service 'alpha'"
