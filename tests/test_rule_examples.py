"""Every rule's documented examples are run, so documentation cannot drift from behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.engine.findings import run
from archlint.engine.pipeline import read_model
from archlint.engine.rule import Example
from archlint.engine.rulepack import RuleClass, load_rules
from tests.conftest import facts_of

RULES = load_rules()
CASES = [
    pytest.param(rule, example, id=f"{rule.name}-{kind}-{index}")
    for rule in RULES
    for kind, examples in (("fail", rule.failing), ("pass", rule.passing))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_reports_exactly_the_documented_entities(
    rule: RuleClass, example: Example, tmp_path: Path
) -> None:
    path = tmp_path / "archlint.yaml"
    path.write_text(example.model, encoding="utf-8")
    model = read_model(path)
    result = run(model, facts_of(path), RULES, [rule])
    reported = sorted((finding.name, finding.entity) for finding in result.findings)
    assert reported == sorted((rule.name, entity) for entity in example.findings)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_rule_documents_itself(rule: RuleClass) -> None:
    assert rule.failing and all(example.findings for example in rule.failing)
    assert rule.passing and not any(example.findings for example in rule.passing)
    assert rule.summary.endswith(".")
    assert len(rule.rationale) > 80 and len(rule.remediation) > 40


def test_ids_and_names_are_unique_and_stable() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    names = {rule.name: rule.id for rule in RULES}
    assert names["single-domain-copies"] == "AL101"
    assert names["snapshot-only"] == "AL102"
    assert names["orphaned-key"] == "AL201"
