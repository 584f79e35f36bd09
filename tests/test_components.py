"""Strongly connected components without networkx: the same groups, sinks first."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from archlint.analysis.components import strongly_connected

NODES = st.sampled_from([f"n{index}" for index in range(12)])
GRAPHS = st.dictionaries(NODES, st.lists(NODES, max_size=4), max_size=12)


@given(GRAPHS)
def test_the_components_are_networkx_components(successors: dict[str, list[str]]) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(successors)
    graph.add_edges_from((node, after) for node, edges in successors.items() for after in edges)
    found = strongly_connected(successors)
    assert sorted(map(sorted, found)) == sorted(
        map(sorted, nx.strongly_connected_components(graph))
    )


@given(GRAPHS)
def test_each_component_comes_after_every_component_it_reaches(
    successors: dict[str, list[str]],
) -> None:
    position = {
        node: rank for rank, group in enumerate(strongly_connected(successors)) for node in group
    }
    for node, edges in successors.items():
        for after in edges:
            assert position[after] <= position[node]


def test_a_long_chain_fits_the_stack() -> None:
    chain = {f"k{index}": [f"k{index + 1}"] for index in range(50_000)}
    found = strongly_connected(chain)
    assert len(found) == 50_001 and found[0] == ["k50000"] and found[-1] == ["k0"]


def test_a_cycle_is_one_component() -> None:
    assert sorted(map(sorted, strongly_connected({"a": ["b"], "b": ["a", "c"]}))) == [
        ["a", "b"],
        ["c"],
    ]
