"""Strongly connected components of a small directed graph given as successor lists.

networkx has the same algorithm; this one exists so that `archlint check` on a
model without cycles does not import networkx (about a third of its start-up
time). networkx stays where its other algorithms are needed: cycle
enumeration, condensation orders for plans and runbooks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def strongly_connected(successors: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of the graph, each listed once, sinks first.

    Tarjan's algorithm, iterative so that a chain of any length fits the Python
    stack. A component comes after every component it reaches, which is the
    order a computation over "what this needs" wants. Nodes named only as
    successors count as nodes without successors. Deterministic: nodes are
    visited in the order of the mapping, successors in their listed order.
    """
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in successors:
        if root in index:
            continue
        index[root] = lowest[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        path = [(root, iter(successors.get(root, ())))]
        while path:
            node, pending = path[-1]
            following = next(pending, None)
            if following is None:
                path.pop()
                if path:
                    parent = path[-1][0]
                    lowest[parent] = min(lowest[parent], lowest[node])
                if lowest[node] == index[node]:
                    found.append(_pop_component(node, stack, on_stack))
            elif following not in index:
                index[following] = lowest[following] = len(index)
                stack.append(following)
                on_stack.add(following)
                path.append((following, iter(successors.get(following, ()))))
            elif following in on_stack:
                lowest[node] = min(lowest[node], index[following])
    return found


def _pop_component(root: str, stack: list[str], on_stack: set[str]) -> list[str]:
    """The nodes above and including `root` on Tarjan's stack: one component."""
    component = []
    while True:
        node = stack.pop()
        on_stack.discard(node)
        component.append(node)
        if node == root:
            return component
