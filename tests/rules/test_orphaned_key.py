"""orphaned-key (AL201): the evidence names each failure and where the key was kept.

Where orphaned-key ends and circular-key-dependency begins is tested with the latter.
"""

from __future__ import annotations

from tests.rules.helpers import findings, rule_class

RULE = rule_class("orphaned-key")


def test_evidence_names_each_failure_that_loses_every_place_of_the_key() -> None:
    (finding,) = findings(RULE, RULE.failing[0].model)
    assert (finding.rule, finding.entity, finding.severity) == ("AL201", "restic-pass", "critical")
    assert finding.evidence == (
        "loss of site 'home': datastore 'photos' is lost, key kept only in 'nas'",
        "loss of machine 'nas': datastore 'photos' is lost, key kept only in 'nas'",
    )


def test_a_key_file_on_the_system_disk_dies_with_that_disk() -> None:
    (finding,) = findings(RULE, RULE.failing[1].model)
    assert finding.entity == "tank-key"
    assert finding.evidence == (
        "loss of disk 'system-ssd': datastore 'photos' is lost, key kept only in 'system-ssd'",
    )
