"""Restore order: the `depends_on` graph of services, its cycles and a topological order."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from archlint.analysis.graph import ReferenceGraph, names
from archlint.model.entities import Model


class Dependencies:
    def __init__(self, model: Model, graph: ReferenceGraph) -> None:
        # Edges point from a service to the services it needs first.
        self.graph = nx.DiGraph()
        self.graph.add_nodes_from(sorted(model.services))
        for service in sorted(model.services):
            for needed in names(graph, service, "depends_on"):
                self.graph.add_edge(service, needed)

    def cycles(self) -> list[tuple[str, ...]]:
        """One cycle per knot of mutually dependent services, each starting at its first id.

        A knot (strongly connected component) may hold several cycles; one
        finding per knot is what a user can act on, and the cycle shown is the
        shortest through its first service.
        """
        found = []
        for component in nx.strongly_connected_components(self.graph):
            first = min(component)
            if len(component) == 1 and not self.graph.has_edge(first, first):
                continue
            found.append(self._shortest_cycle_through(first, component))
        return sorted(found)

    def _shortest_cycle_through(self, start: str, component: Iterable[str]) -> tuple[str, ...]:
        knot = self.graph.subgraph(component)
        best: list[str] | None = None
        for needed in sorted(knot.successors(start)):
            path = nx.shortest_path(knot, needed, start)
            if best is None or len(path) < len(best):
                best = path
        assert best is not None
        return (start, *best)

    def order(self, services: Iterable[str]) -> list[str]:
        """The services and everything they need, dependencies first, ties broken by id.

        Services in a cycle have no valid order; they are placed where the
        cycle is reached, in id order, so a plan can still be printed.
        """
        wanted = set(services)
        for service in list(wanted):
            wanted |= nx.descendants(self.graph, service)
        condensed = nx.condensation(self.graph.subgraph(wanted))
        by_knot: dict[int, list[str]] = {}
        for service, knot in condensed.graph["mapping"].items():
            by_knot.setdefault(knot, []).append(service)
        first = {knot: min(members) for knot, members in by_knot.items()}
        # Condensation edges point at what is needed; reversed, needs come first.
        knots = nx.lexicographical_topological_sort(condensed.reverse(copy=False), key=first.get)
        return [service for knot in knots for service in sorted(by_knot[knot])]

    def needs(self, service: str) -> list[str]:
        """The services `service` depends on directly, sorted."""
        return sorted(self.graph.successors(service))
