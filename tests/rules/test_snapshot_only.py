"""snapshot-only (AL102): the evidence names each snapshot kept with the source."""

from __future__ import annotations

import pytest

from tests.rules.helpers import findings, rule_class

RULE = rule_class("snapshot-only")


@pytest.mark.parametrize(("index", "backup"), [(0, "photos-hourly"), (1, "photos-send")])
def test_evidence_names_the_snapshot(index: int, backup: str) -> None:
    (finding,) = findings(RULE, RULE.failing[index].model)
    assert finding.entity == "photos"
    assert finding.evidence == (f"backup '{backup}': snapshot kept with the source",)
