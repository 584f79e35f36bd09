"""insufficient-copies (AL105): what counts as a copy, and the options."""

from __future__ import annotations

import pytest

from tests.rules.helpers import THREE_COPIES, findings, rule_class


def test_default_options() -> None:
    rule = rule_class("insufficient-copies")
    assert rule.min_criticality == "high"
    assert rule.Options().model_dump() == {"min_copies": 3}


def test_counts_live_data_and_each_repository() -> None:
    assert findings("insufficient-copies", THREE_COPIES) == []
    [finding] = findings("insufficient-copies", THREE_COPIES, {"min-copies": 4})
    assert finding.entity == "wiki"
    # The snapshot is not listed: it is no copy in this count.
    assert finding.evidence == (
        "live data 'wiki'",
        "repository 'nas-restic' via wiki-restic",
        "repository 'b2-offsite' via wiki-restic -> offsite",
    )


def test_threshold_is_an_option() -> None:
    [finding] = findings("insufficient-copies", THREE_COPIES, {"min-criticality": "medium"})
    assert (finding.entity, finding.evidence) == ("notes", ("live data 'notes'",))
    relaxed = {"min-criticality": "medium", "min-copies": 1}
    assert findings("insufficient-copies", THREE_COPIES, relaxed) == []


def test_rejects_a_nonsense_number() -> None:
    with pytest.raises(ValueError):
        rule_class("insufficient-copies").Options(min_copies=0)
