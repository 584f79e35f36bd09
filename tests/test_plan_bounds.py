"""`plan`, `simulate` and the unrecoverable-dependency rule stay linear in long dependency
chains and big knots, and the cycle shown for a knot is the shortest one through its first
service."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.analysis.dependencies import Dependencies
from archlint.analysis.facts import Facts
from archlint.analysis.runbook import build_runbook
from archlint.analysis.simulation import check_scenario, simulate
from bench.shapes import HEADER, dependency_chain, knot_needs
from rules.unrecoverable_dependency import UnrecoverableDependency
from tests.conftest import Run, facts_of
from tests.steps import LINEAR, Steps, counting, growth


def services_model(path: Path, count: int, needs: Callable[[int], Iterable[int]]) -> Path:
    """`count` services on one host; service s{n} depends on s{m} for each m in needs(n)."""
    lines = [HEADER, "hosts:\n  app: {kind: server, in: home}\nservices:\n"]
    for n in range(count):
        named = ", ".join(f"s{m}" for m in needs(n))
        lines.append(f"  s{n}: {{host: app, depends_on: [{named}]}}\n")
    path.write_text("".join(lines))
    return path


def chain_facts(directory: Path, count: int) -> Facts:
    """s{n} needs s{n-1}."""
    path = directory / f"chain{count}.yaml"
    return facts_of(services_model(path, count, lambda n: [n - 1] if n else []))


def restore_orders(facts: Facts) -> tuple[list[str], list[str]]:
    """The services in the order of the runbook and of the simulation of losing the host."""
    runbook = build_runbook(facts)
    simulation = simulate(facts, check_scenario(facts, ["app"], []))
    return (
        [step.service for step in runbook.services],
        [outcome.service for outcome in simulation.services],
    )


def test_restore_order_of_a_long_chain_is_linear(tmp_path: Path) -> None:
    # A walk per service crossed the chain: 4,500,000 steps for 3,000 services.
    counted: list[tuple[int, Steps]] = []
    for count in (250, 1000):
        facts = chain_facts(tmp_path, count)
        with counting() as steps:
            orders = restore_orders(facts)
        order = [f"s{n}" for n in range(count)]
        assert orders == (order, order)
        counted.append((count, steps))
    assert growth(*counted) < LINEAR


def test_restore_order_of_a_chain_past_the_recursion_limit(tmp_path: Path) -> None:
    # 3,000 is past Python's recursion limit: a recursive walk would crash.
    order = [f"s{n}" for n in range(3000)]
    assert restore_orders(chain_facts(tmp_path, 3000)) == (order, order)


def test_a_knot_with_many_ways_back_is_linear(tmp_path: Path) -> None:
    """s0 needs half the services, each of them needs the next, and a chain leads from
    there back to s0 (bench.shapes.knot_needs).

    A shortest path from each of s0's needs crossed the chain once per need.
    """
    counted: list[tuple[int, Steps]] = []
    for count in (750, 3000):
        facts = facts_of(services_model(tmp_path / f"knot{count}.yaml", count, knot_needs(count)))
        with counting() as steps:
            cycles = facts.dependencies.cycles()
        half = count // 2
        assert cycles == [("s0", "s1", *(f"s{n}" for n in range(half + 1, count)), "s0")]
        counted.append((count, steps))
    assert growth(*counted) < LINEAR


def test_plan_and_simulate_on_the_bench_chain(tmp_path: Path, archlint: Callable[..., Run]) -> None:
    """The bench's shape is a valid model: every service restorable, in chain order."""
    plan = archlint(*dependency_chain(tmp_path, 300, "plan"), "--format", "json")
    assert plan.code == 0, plan.err
    assert [s["service"] for s in json.loads(plan.out)["services"]] == [f"s{n}" for n in range(300)]
    run = archlint(*dependency_chain(tmp_path, 300, "simulate"), "--format", "json")
    assert run.code == 0, run.err
    outcomes = json.loads(run.out)["services"]
    assert [(o["service"], o["restorable"]) for o in outcomes] == [
        (f"s{n}", True) for n in range(300)
    ]
    # A valid model: findings (exit 1), no errors (exit 2).
    assert archlint("check", tmp_path / "model.yaml").code == 1


def shortest_cycle_length(graph: nx.DiGraph, start: str) -> int:
    """Edges of the shortest cycle through start, by a shortest path from each need."""
    return min(
        len(nx.shortest_path(graph, needed, start))
        for needed in graph.successors(start)
        if nx.has_path(graph, needed, start)
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40))
def test_cycle_is_a_shortest_one_through_the_first_service(edges: list[tuple[int, int]]) -> None:
    needs: dict[str, list[str]] = {f"s{n:02}": [] for n in range(12)}
    for a, b in edges:
        needs[f"s{a:02}"].append(f"s{b:02}")
    cycles = Dependencies(needs).cycles()
    graph = nx.DiGraph([(service, needed) for service in needs for needed in needs[service]])
    knots = [
        knot
        for knot in nx.strongly_connected_components(graph)
        if len(knot) > 1 or graph.has_edge(min(knot), min(knot))
    ]
    assert [cycle[0] for cycle in cycles] == sorted(min(knot) for knot in knots)
    for cycle in cycles:
        start = cycle[0]
        assert cycle[-1] == start
        assert all(graph.has_edge(a, b) for a, b in pairwise(cycle))
        assert len(cycle) - 1 == shortest_cycle_length(graph, start)
        # Ties are broken by id: a need of start with a smaller id is further away.
        for needed in graph.successors(start):
            if needed < cycle[1] and nx.has_path(graph, needed, start):
                assert len(nx.shortest_path(graph, needed, start)) > len(cycle) - 1


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40),
    st.sets(st.integers(0, 11)),
)
def test_needed_among_is_what_each_service_reaches(
    edges: list[tuple[int, int]], wanted_numbers: set[int]
) -> None:
    needs: dict[str, list[str]] = {f"s{n:02}": [] for n in range(12)}
    for a, b in edges:
        needs[f"s{a:02}"].append(f"s{b:02}")
    wanted = {f"s{n:02}" for n in wanted_numbers}
    found = Dependencies(needs).needed_among(wanted)
    graph = nx.DiGraph([(service, needed) for service in needs for needed in needs[service]])
    graph.add_nodes_from(needs)
    for service in needs:
        assert found[service] == (nx.descendants(graph, service) - {service}) & wanted


def test_unrecoverable_dependency_in_a_knot_is_linear(tmp_path: Path) -> None:
    # A walk per service over everything it needs crossed the knot once per
    # service: 2,250,000 steps of the walk for 1,500 services.
    rule = UnrecoverableDependency()
    counted: list[tuple[int, Steps]] = []
    for count in (250, 1000):
        facts = facts_of(services_model(tmp_path / f"knot{count}.yaml", count, knot_needs(count)))
        services = list(facts.model.services.values())
        with counting() as steps:
            problems = [problem for service in services for problem in rule.check(service, facts)]
        assert problems == []
        counted.append((count, steps))
    assert growth(*counted) < LINEAR
