"""Every rule's documented examples are run, with their options and date, so
documentation cannot drift from behaviour; and every rule documents itself."""

from __future__ import annotations

import pytest

from archlint.engine.config import settings_from_options
from archlint.engine.rule import Example
from archlint.engine.rulepack import RuleClass
from tests.rules.helpers import RULES, run_example

CASES = [
    pytest.param(rule, example, id=f"{rule.name}-{kind}-{index}")
    for rule in RULES
    for kind, examples in (("fail", rule.failing), ("pass", rule.passing))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example_reports_exactly_the_documented_entities(rule: RuleClass, example: Example) -> None:
    assert run_example(rule, example) == sorted((rule.name, entity) for entity in example.findings)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_rule_documents_itself(rule: RuleClass) -> None:
    assert rule.failing and all(example.findings for example in rule.failing)
    assert rule.passing and not any(example.findings for example in rule.passing)
    assert rule.summary.endswith(".")
    assert len(rule.rationale) > 80 and len(rule.remediation) > 40
    for example in (*rule.failing, *rule.passing):
        assert example.description.endswith(".") and "\n" not in example.description
        # Raises on an option the rule does not have.
        settings_from_options(rule, example.options, f"{rule.name} example")


# Ids and names are stable: waivers, configurations and baselines name them.
CATALOGUE = {
    ("AL101", "single-domain-copies", "high", "datastore"),
    ("AL102", "snapshot-only", "high", "datastore"),
    ("AL103", "backup-on-live-storage", "high", "backup"),
    ("AL104", "unprotected-data", "high", "datastore"),
    ("AL105", "insufficient-copies", "medium", "datastore"),
    ("AL106", "unencrypted-offsite-copy", "high", "repository"),
    ("AL107", "no-immutable-copy", "medium", "datastore"),
    ("AL108", "single-host-compromise", "high", "datastore"),
    ("AL201", "orphaned-key", "critical", "key"),
    ("AL202", "circular-key-dependency", "critical", "key"),
    ("AL203", "unused-key", "low", "key"),
    ("AL301", "inconsistent-database-backup", "high", "datastore"),
    ("AL401", "missing-restore-drill", "medium", "service"),
    ("AL402", "stale-restore-drill", "medium", "service"),
    ("AL403", "failed-restore-drill", "high", "service"),
    ("AL404", "rto-not-met", "high", "service"),
    ("AL405", "unverified-repository", "medium", "repository"),
    ("AL501", "unprotected-config", "medium", "service"),
    ("AL502", "config-not-versioned", "low", "datastore"),
    ("AL503", "unprotected-host", "medium", "host"),
    ("AL601", "restore-dependency-cycle", "high", "service"),
    ("AL602", "implicit-dependencies", "low", "service"),
    ("AL603", "criticality-inversion", "medium", "service"),
    ("AL701", "rpo-not-met", "high", "datastore"),
    ("AL801", "expired-waiver", "low", "entity"),
    ("AL802", "unused-repository", "low", "repository"),
    ("AL803", "unscheduled-backup", "medium", "backup"),
}


def test_ids_names_severities_and_kinds_are_stable() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    described = {(rule.id, rule.name, rule.severity, rule.entity_kind) for rule in RULES}
    assert described >= CATALOGUE
