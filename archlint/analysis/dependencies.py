"""Restore order: the `depends_on` graph of services, its cycles and a topological order."""

from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

from archlint.analysis.components import strongly_connected
from archlint.analysis.graph import names_of
from archlint.model.entities import Model

if TYPE_CHECKING:
    import networkx as nx

# A knot's message names its first cycles and counts the others, up to a bound:
# a knot of n services can hold exponentially many cycles.
CYCLES_SHOWN = 5
CYCLES_COUNTED = 1000
# Steps of the search for a knot's cycles before networkx's enumeration takes over.
CYCLE_SEARCH_STEPS = 100_000
NOTHING: frozenset[str] = frozenset()


class Knot(NamedTuple):
    """A strongly connected group of services: every one needs every other, transitively."""

    first: str  # the member first by id: the finding's entity, whatever the model's layout
    services: tuple[str, ...]  # sorted
    # The first cycles, each closed (a -> b -> a) and starting at its first service by id.
    cycles: tuple[tuple[str, ...], ...]
    total: int | None  # how many cycles it holds, when at most CYCLES_COUNTED; else None
    breaks: tuple[tuple[str, str], ...]  # (service, needed): removing these breaks every cycle


def service_needs(model: Model) -> dict[str, list[str]]:
    """Each service of the model, in the order the model declares them, and the
    services its `depends_on` names."""
    return {
        service_id: names_of(service, "depends_on")
        for service_id, service in model.services.items()
    }


class Dependencies:
    def __init__(self, needs: Mapping[str, Iterable[str]]) -> None:
        """`needs`: every service, and the services it depends on."""
        # Edges point from a service to the services it needs first. Plain lists:
        # networkx is imported only when its algorithms are needed (`graph`).
        self.needs_of: dict[str, list[str]] = {}
        self.needed_by: dict[str, list[str]] = {service: [] for service in sorted(needs)}
        for service in sorted(needs):
            self.needs_of[service] = list(dict.fromkeys(needs[service]))
            for needed in self.needs_of[service]:
                self.needed_by.setdefault(needed, []).append(service)

    @cached_property
    def graph(self) -> "nx.DiGraph":
        """The dependency graph for networkx's algorithms (orders, cycle enumeration)."""
        import networkx as nx  # here, not above: see archlint.analysis.components

        graph = nx.DiGraph()
        graph.add_nodes_from(self.needed_by)
        for service, needed in self.needs_of.items():
            graph.add_edges_from((service, each) for each in needed)
        return graph

    @cached_property
    def _components(self) -> list[list[str]]:
        """The strongly connected groups, sinks first: found once for the knots and for
        needed_among, each a walk of every service."""
        return strongly_connected(self.needs_of)

    def _knotted(self) -> list[list[str]]:
        """The strongly connected groups that hold a cycle."""
        return [
            component
            for component in self._components
            if len(component) > 1 or component[0] in self.needs_of.get(component[0], ())
        ]

    def cycles(self) -> list[tuple[str, ...]]:
        """One cycle per knot of mutually dependent services, each starting at its first id.

        A knot (strongly connected component) may hold several cycles; one
        finding per knot is what a user can act on, and the cycle shown is the
        shortest through its first service.
        """
        return sorted(
            self._shortest_cycle_through(min(component), set(component))
            for component in self._knotted()
        )

    def knots(self) -> list[Knot]:
        """Every knot of mutually dependent services, sorted by its first service.

        A knot's first service is its first by id. Declaration order would move the
        finding when the model is split into files differently, and nothing else
        tells the members of a symmetric knot apart; so a knot is the same finding
        whatever its members are called only as a whole (its set of services).
        """
        found = [self._knot(set(component)) for component in self._knotted()]
        return sorted(found, key=lambda knot: knot.first)

    def _knot(self, component: set[str]) -> Knot:
        first = min(component)
        shortest = self._shortest_cycle_through(first, component)
        counted = self._cycles_of(component)
        # Which cycles are found first depends on the search (networkx's on the hash
        # seed: it walks sets), so past the bound the cycles shown are found by id instead.
        candidates = (
            counted
            if len(counted) <= CYCLES_COUNTED
            else self._cycles_through(first, component, CYCLES_SHOWN)
        )
        others = sorted(cycle for cycle in candidates if cycle != shortest)
        return Knot(
            first=first,
            services=tuple(sorted(component)),
            cycles=(shortest, *others[: CYCLES_SHOWN - 1]),
            total=len(counted) if len(counted) <= CYCLES_COUNTED else None,
            breaks=self._back_edges(component),
        )

    def _cycles_of(self, component: set[str]) -> list[tuple[str, ...]]:
        """The knot's cycles, each closed and starting at its first service: every one
        when there are at most CYCLES_COUNTED, else CYCLES_COUNTED + 1 of them."""
        found = self._search_cycles(component)
        if found is not None:
            return found
        import networkx as nx  # here, not above: only a knot whose search runs long pays

        knot = self.graph.subgraph(sorted(component))
        return [_closed_from(cycle) for cycle in islice(nx.simple_cycles(knot), CYCLES_COUNTED + 1)]

    def _search_cycles(self, component: set[str]) -> list[tuple[str, ...]] | None:
        """The knot's cycles, each closed and starting at its first service, up to
        CYCLES_COUNTED + 1 of them; None when looking for them takes more than
        CYCLE_SEARCH_STEPS steps (a walk of simple paths can take exponentially long).

        Each cycle is found once, from its first service: a walk from each service
        in turn along simple paths through later services only, back to it.
        """
        needs = {
            service: sorted(n for n in self.needs_of.get(service, ()) if n in component)
            for service in component
        }
        found: list[tuple[str, ...]] = []
        steps = 0
        for start in sorted(component):
            path = [start]
            on_path = {start}
            pending = [iter(needs[start])]
            while pending:
                following = next(pending[-1], None)
                steps += 1
                if steps > CYCLE_SEARCH_STEPS:
                    return None
                if following is None:
                    pending.pop()
                    on_path.discard(path.pop())
                elif following == start:
                    found.append((*path, start))
                    if len(found) > CYCLES_COUNTED:
                        return found
                elif following > start and following not in on_path:
                    path.append(following)
                    on_path.add(following)
                    pending.append(iter(needs[following]))
        return found

    def _back_edges(self, component: set[str]) -> tuple[tuple[str, str], ...]:
        """The edges that a depth-first walk in id order finds going back up its path:
        without them the knot has no cycle left (no recursion: knots can be long)."""
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        breaks: list[tuple[str, str]] = []

        def successors(service: str) -> Iterator[str]:
            return iter(sorted(n for n in self.needs_of.get(service, ()) if n in component))

        for root in sorted(component):
            if root in state:
                continue
            state[root] = 1
            stack = [(root, successors(root))]
            while stack:
                node, pending = stack[-1]
                needed = next(pending, None)
                if needed is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(needed) == 1:
                    breaks.append((node, needed))
                elif needed not in state:
                    state[needed] = 1
                    stack.append((needed, successors(needed)))
        return tuple(sorted(breaks))

    def _shortest_cycle_through(self, start: str, knot: set[str]) -> tuple[str, ...]:
        """The shortest cycle from `start` back to itself inside its knot.

        Its first step is the first of start's needs (by id) from which start
        is nearest; each later step the first need (by id) one step nearer.
        One walk backwards from start gives every distance, so a knot costs
        time linear in its size however many needs start has.
        """
        distance = self._distances_to(start, knot)
        return self._way_back(start, start, distance, knot)

    def _cycles_through(self, start: str, knot: set[str], count: int) -> list[tuple[str, ...]]:
        """A cycle through `start` for each of its first `count` needs (by id) in the knot:
        that step, then the shortest way back (as in _shortest_cycle_through); sorted, as
        their second services are. Only those are shown, and a way back can be as long
        as the knot: one per need would cost the knot's size times start's needs."""
        distance = self._distances_to(start, knot)
        needs = sorted(need for need in self.needs_of[start] if need in knot)
        return [(start, *self._way_back(need, start, distance, knot)) for need in needs[:count]]

    def _distances_to(self, start: str, knot: set[str]) -> dict[str, int]:
        """How many steps each service of the knot is from needing `start`."""
        distance = {start: 0}
        frontier = deque([start])
        while frontier:
            node = frontier.popleft()
            for before in self.needed_by[node]:
                if before in knot and before not in distance:
                    distance[before] = distance[node] + 1
                    frontier.append(before)
        return distance

    def _way_back(
        self, node: str, start: str, distance: dict[str, int], knot: set[str]
    ) -> tuple[str, ...]:
        """From `node` to `start` by needs each one step nearer, the first by id: a
        shortest way, which meets start only at its end. From start itself, a cycle."""
        way = [node]
        while len(way) == 1 or way[-1] != start:
            # Inside a knot every service reaches start, so each has a distance;
            # a need on the shortest way back is exactly one step nearer.
            needs = [n for n in self.needs_of[way[-1]] if n in knot]
            way.append(min(needs, key=lambda n: (distance[n], n)))
        return tuple(way)

    def order(self, services: Iterable[str]) -> list[str]:
        """The services and everything they need, dependencies first, ties broken by id.

        Services in a cycle have no valid order; they are placed where the
        cycle is reached, in id order, so a plan can still be printed.
        """
        import networkx as nx  # here, not above: see archlint.analysis.components

        wanted = self._needed_by(services)
        condensed = nx.condensation(self.graph.subgraph(wanted))
        by_knot: dict[int, list[str]] = {}
        for service, knot in condensed.graph["mapping"].items():
            by_knot.setdefault(knot, []).append(service)
        first = {knot: min(members) for knot, members in by_knot.items()}
        # Condensation edges point at what is needed; reversed, needs come first.
        knots = nx.lexicographical_topological_sort(condensed.reverse(copy=False), key=first.get)
        return [service for knot in knots for service in sorted(by_knot[knot])]

    def _needed_by(self, services: Iterable[str]) -> set[str]:
        """The services and everything they need, directly or not.

        One walk from all of them at once: a walk per service would cross a
        long chain of dependencies once per service on it.
        """
        found = set(services)
        pending = list(found)
        while pending:
            for needed in self.needs_of.get(pending.pop(), ()):
                if needed not in found:
                    found.add(needed)
                    pending.append(needed)
        return found

    def needed_among(self, wanted: Collection[str]) -> dict[str, frozenset[str]]:
        """For every service, the services of `wanted` it needs, directly or not (itself
        excluded).

        Once for all services, over the strongly connected components, sinks first:
        a component's answer is the union of the answers of the components it needs,
        so a knot or a long chain is crossed once, not once per service on it. The
        work grows with the edges and the sizes of the answers.
        """
        found: dict[str, frozenset[str]] = {}
        with_itself: dict[str, frozenset[str]] = {}  # see _with_needed
        for members in self._components:
            if len(members) == 1:
                needs = self.needs_of.get(members[0], ())
                if not needs:
                    found[members[0]] = NOTHING
                    continue
                if len(needs) == 1 and needs[0] in found:  # answered: sinks come first
                    found[members[0]] = self._with_needed(needs[0], found, wanted, with_itself)
                    continue
            # Each member of a cycle needs every other member; a single service, only itself.
            inside = (
                frozenset(m for m in members if m in wanted) if len(members) > 1 else frozenset()
            )
            outside: set[str] = set()
            for member in members:
                for needed in self.needs_of.get(member, ()):
                    if needed in found:  # another component's, answered: sinks come first
                        outside |= found[needed]
                        if needed in wanted:
                            outside.add(needed)
            reached = inside | outside
            for member in members:
                found[member] = reached - {member} if member in inside else reached
        return found

    @staticmethod
    def _with_needed(
        needed: str,
        found: dict[str, frozenset[str]],
        wanted: Collection[str],
        with_itself: dict[str, frozenset[str]],
    ) -> frozenset[str]:
        """What a service needing only `needed` needs among `wanted`: one answer shared
        by the services that need it alone (the apps behind one proxy)."""
        if needed not in wanted:
            return found[needed]
        shared = with_itself.get(needed)
        if shared is None:
            shared = with_itself[needed] = found[needed] | {needed}
        return shared

    def needs(self, service: str) -> list[str]:
        """The services `service` depends on directly, sorted."""
        return sorted(self.needs_of.get(service, ()))


def _closed_from(cycle: list[str]) -> tuple[str, ...]:
    """A cycle as networkx gives it (a node list), rotated to start at its first service
    by id, closed."""
    start = cycle.index(min(cycle))
    rotated = cycle[start:] + cycle[:start]
    return (*rotated, rotated[0])
