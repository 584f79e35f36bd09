"""restore-dependency-cycle (AL601): the evidence is the cycle; each model is judged afresh."""

from __future__ import annotations

from pathlib import Path

from archlint.engine.findings import apply_rule
from tests.conftest import AS_OF
from tests.rules.helpers import HOME, entities, facts_of_text, findings, rule_class

RULE = "restore-dependency-cycle"


def test_evidence_is_every_edge_of_the_cycle() -> None:
    model = (
        HOME
        + """
services:
  c: {host: app, depends_on: [a]}
  b: {host: app, depends_on: [c]}
  a: {host: app, depends_on: [b]}
"""
    )
    [finding] = findings(RULE, model)
    assert finding.entity == "a"
    assert finding.evidence == ("'a' depends on 'b'", "'b' depends on 'c'", "'c' depends on 'a'")
    assert "a -> b -> c -> a" in finding.message


def test_cycles_are_recomputed_for_another_model(tmp_path: Path) -> None:
    # One rule object checks two models: the cycles of the first must not leak into the second.
    rule = rule_class(RULE)()
    first = facts_of_text(HOME + "services:\n  a: {host: app, depends_on: [a]}\n", AS_OF, tmp_path)
    second = facts_of_text(
        HOME + "services:\n  a: {host: app, depends_on: []}\n"
        "  b: {host: app, depends_on: [c]}\n  c: {host: app, depends_on: [b]}\n",
        AS_OF,
        tmp_path,
    )
    assert entities(apply_rule(rule, first.model, first)) == ["a"]
    assert entities(apply_rule(rule, second.model, second)) == ["b"]
