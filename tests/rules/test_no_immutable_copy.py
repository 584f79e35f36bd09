"""no-immutable-copy (AL107): every writable copy is listed; the threshold is an option."""

from __future__ import annotations

from tests.rules.helpers import THREE_COPIES, entities, findings, rule_class


def test_default_options() -> None:
    rule = rule_class("no-immutable-copy")
    assert rule.min_criticality == "high"
    assert rule.Options().model_dump() == {}


def test_lists_every_writable_copy() -> None:
    [finding] = findings("no-immutable-copy", THREE_COPIES)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "local snapshot via wiki-snapshots: writable, online",
        "repository 'nas-restic' via wiki-restic: writable, online",
        "repository 'b2-offsite' via wiki-restic -> offsite: writable, online",
    )
    medium = findings("no-immutable-copy", THREE_COPIES, {"min-criticality": "medium"})
    assert entities(medium) == ["notes", "wiki"]
