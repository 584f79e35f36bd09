"""restore-dependency-cycle (AL601): the evidence is the cycle; each model is judged afresh."""

from __future__ import annotations

import os
import subprocess
import sys
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
    assert finding.entity == "a"  # first by id, whatever the declaration order
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


def test_one_finding_per_knot_names_every_cycle_and_breaks_them_all() -> None:
    model = (
        HOME
        + """
services:
  dns: {host: app, depends_on: [proxy, sso]}
  proxy: {host: app, depends_on: [dns]}
  sso: {host: app, depends_on: [dns, proxy]}
"""
    )
    [finding] = findings(RULE, model)
    assert finding.entity == "dns"
    assert finding.message == (
        "services depend on each other in 3 cycles (dns -> proxy -> dns; "
        "dns -> sso -> dns; dns -> sso -> proxy -> dns): no order restores them"
    )
    assert finding.fix == (
        "make each service work without the next and remove 'dns' from the `depends_on` of "
        "'proxy', 'dns' from the `depends_on` of 'sso': that breaks every cycle"
    )


def test_a_knot_with_many_cycles_names_the_first_and_counts_the_others() -> None:
    # Every service needs every other one: 7 services hold 1,172 cycles.
    names = [f"s{n}" for n in range(7)]
    services = "".join(
        f"  {name}: {{host: app, depends_on: [{', '.join(n for n in names if n != name)}]}}\n"
        for name in names
    )
    [finding] = findings(RULE, HOME + "services:\n" + services)
    assert finding.message.startswith("services depend on each other in more than 1000 cycles")
    assert finding.message.count(" -> s0;") + finding.message.count(" -> s0)") == 5
    assert finding.message.endswith("; and more): no order restores them")
    assert finding.evidence[-1] == "and 22 more"


def test_a_knot_past_the_cycle_bound_reads_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    # Eight services that each need all the others hold about 8,000 cycles, past
    # CYCLES_COUNTED; networkx finds them in an order that follows the hash seed.
    names = [f"s{n}" for n in range(8)]
    services = "".join(
        f"  {name}: {{host: app, depends_on: [{', '.join(n for n in names if n != name)}]}}\n"
        for name in names
    )
    model = tmp_path / "model.yaml"
    model.write_text(HOME + "services:\n" + services)
    command = [sys.executable, "-m", "archlint", "check", str(model), "--select", RULE]
    outputs = {
        subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}
        ).stdout
        for seed in ("1", "2", "3")
    }
    [output] = outputs
    assert "1000 cycles (s0 -> s1 -> s0; s0 -> s2 -> s0; s0 -> s3 -> s0; s0 -> s4 -> s0;" in output
