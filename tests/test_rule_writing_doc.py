"""The rule module that configuration.md shows as a user's rule pack loads, passes
its own examples, reports through `archlint check --rules`, and `archlint rules` and
`archlint explain` show it with its pack."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from archlint.engine.rulepack import load_pack
from tests.conftest import Run
from tests.rules.helpers import run_example

CONFIGURATION = Path(__file__).resolve().parent.parent / "site" / "docs" / "configuration.md"


def documented_pack(directory: Path) -> Path:
    """The Python block of the section "Writing a rule", saved as a rule pack."""
    text = CONFIGURATION.read_text(encoding="utf-8")
    section = text[text.index("## Writing a rule") :]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found is not None, "no python block under 'Writing a rule'"
    pack = directory / "org-rules"
    pack.mkdir()
    (pack / "repository_without_key.py").write_text(found.group(1), encoding="utf-8")
    return pack


def test_documented_rule_passes_its_own_examples(tmp_path: Path) -> None:
    [rule] = load_pack(documented_pack(tmp_path))
    assert (rule.id, rule.name, rule.entity_kind) == (
        "ORG101",
        "repository-without-key",
        "repository",
    )
    for example in (*rule.failing, *rule.passing):
        assert run_example(rule, example) == [(rule.name, e) for e in example.findings]


def test_documented_rule_reports_through_the_command_line(
    tmp_path: Path, archlint: Callable[..., Run]
) -> None:
    pack = documented_pack(tmp_path)
    [rule] = load_pack(pack)
    model = tmp_path / "model.yaml"
    model.write_text(rule.failing[0].model, encoding="utf-8")
    run = archlint("check", model, "--rules", pack, "--select", "ORG101")
    assert run.code == 1
    assert f"{model}:10:3: medium repository-without-key nas-restic:" in run.out


def test_documented_rule_is_listed_and_explained_with_its_pack(
    tmp_path: Path, archlint: Callable[..., Run]
) -> None:
    pack = documented_pack(tmp_path)
    listed = archlint("rules", "--rules", pack)
    assert listed.code == 0
    assert "ORG101  repository-without-key" in listed.out
    assert "AL101" in listed.out  # with the built-in rules
    explained = archlint("explain", "repository-without-key", "--rules", pack)
    assert explained.code == 0
    assert "A repository names no `key`: its copies are not encrypted." in explained.out
    assert "nas-restic: {tool: restic, host: nas}" in explained.out  # the failing example
    # Without the pack the rule is unknown, as before.
    assert archlint("explain", "repository-without-key").code == 2
