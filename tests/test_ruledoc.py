"""A rule's documentation in its three forms: text (explain), Markdown (pages, SARIF), data."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from archlint.engine.ruledoc import (
    DOCS_URL,
    RULES_INDEX_PAGE,
    index_page_markdown,
    rule_data,
    rule_page_markdown,
    rule_page_path,
    rule_text,
    rule_url,
)
from archlint.engine.rulepack import RuleClass, load_rules

RULES = load_rules()
BY_NAME = {rule.name: rule for rule in RULES}


def words(text: str) -> str:
    """The text with line folds and indentation undone."""
    return " ".join(text.split())


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_text_and_page_carry_every_example_and_its_description(rule: RuleClass) -> None:
    text = words(rule_text(rule))
    page = rule_page_markdown(rule)
    for example in (*rule.failing, *rule.passing):
        assert words(example.description) in text
        assert f": {example.description}\n" in page
        assert f"```yaml\n{example.model.strip()}\n```" in page
    for name in rule.Options.model_fields:
        assert name.replace("_", "-") in text and f"`{name.replace('_', '-')}`" in page


def test_an_example_s_date_and_options_are_shown() -> None:
    stale = rule_text(BY_NAME["stale-restore-drill"])
    assert "  Checked as of 2026-11-26.\n" in stale
    assert "  Checked as of 2026-11-26 with max-age-days = 270.\n" in stale
    page = rule_page_markdown(BY_NAME["unprotected-data"])
    assert 'Checked with min-criticality = "low".' in page
    assert "unprotected-data reports `cache`." in page


def test_page_documents_options_as_the_configuration_writes_them() -> None:
    page = rule_page_markdown(BY_NAME["stale-restore-drill"])
    assert page.startswith(
        "# stale-restore-drill (AL402)\n\nSeverity **medium**; checks each service."
    )
    assert '| `min-criticality` | `"high"` |' in page
    assert '[rules.stale-restore-drill]\nmin-criticality = "high"\nmax-age-days = 180\n' in page


def test_page_addresses_follow_one_scheme() -> None:
    for rule in RULES:
        assert rule_url(rule.name) == f"{DOCS_URL}/rules/{rule.name}/"
        # A page at rules/NAME.md is served at rules/NAME/ with directory URLs.
        assert rule_page_path(rule.name) == f"rules/{rule.name}.md"
    assert RULES_INDEX_PAGE == "rules/index.md"


def test_index_links_every_rule_to_its_page() -> None:
    index = index_page_markdown(RULES)
    links = re.findall(r"^\| \[([a-z-]+)\]\(([a-z-]+)\.md\) \| (AL\d+) \|", index, re.MULTILINE)
    assert links == [(rule.name, rule.name, rule.id) for rule in RULES]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_data_is_json_and_says_what_the_text_says(rule: RuleClass) -> None:
    data = json.loads(json.dumps(rule_data(rule)))
    assert (data["id"], data["name"], data["url"]) == (rule.id, rule.name, rule_url(rule.name))
    scope = ["min-criticality"] if rule.min_criticality else []
    assert [option["name"] for option in data["options"]] == scope + [
        name.replace("_", "-") for name in rule.Options.model_fields
    ]
    examples = data["examples"]
    assert [example["kind"] for example in examples] == ["failing"] * len(rule.failing) + [
        "passing"
    ] * len(rule.passing)
    for example, declared in zip(examples, (*rule.failing, *rule.passing), strict=True):
        assert example["description"] == declared.description
        assert example["findings"] == list(declared.findings)
        assert yaml.safe_load(example["model"]) == yaml.safe_load(declared.model)
        as_of = declared.as_of.isoformat() if declared.as_of else None
        assert example["as_of"] == as_of


def test_data_gives_option_defaults_as_json_values() -> None:
    options = rule_data(BY_NAME["stale-restore-drill"])["options"]
    assert [(option["name"], option["default"]) for option in options] == [
        ("min-criticality", "high"),
        ("max-age-days", 180),
    ]
