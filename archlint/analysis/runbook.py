"""The restore runbook, for `archlint plan`: what to restore, in which order, from where.

Keys and the secret stores that keep them come first, then every service in
an order that respects `depends_on` (critical services first among those the
order leaves free), each datastore with the copies it can be restored from
(nearest first) and the keys that unlock them, then the data with a copy that
no service lists.

With a scenario (`plan --lose`), the runbook covers that failure only: what it
destroyed, from the copies that survive it and are readable, with the keys
that survive it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import NOTHING_LOST, Scenario
from archlint.model.entities import Datastore, criticality_rank


@dataclass(frozen=True)
class Source:
    repository: str | None  # None: a snapshot kept with the data
    # The backups that put the copy there; a long chain of copies is shown by its ends
    # and the number of backups between (Route), so a plan stays linear in the copies.
    via: str
    site: str | None
    keys: tuple[str, ...]  # the keys that unlock this copy


@dataclass(frozen=True)
class DataStep:
    datastore: str
    kind: str
    host: str | None
    path: str | None
    sources: tuple[Source, ...]
    rebuildable: bool  # rebuilt without a copy (a cache, an index)
    # With a scenario: the copies it destroyed or locked (their keys are lost).
    lost_copies: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyStep:
    key: str
    kind: str
    stored_in: tuple[str, ...]  # with a scenario: the places that survive it
    lost_in: tuple[str, ...] = ()  # with a scenario: the places it destroyed


@dataclass(frozen=True)
class ServiceStep:
    service: str
    host: str
    criticality: str
    rto: str | None
    depends_on: tuple[str, ...]
    data: tuple[DataStep, ...]


@dataclass(frozen=True)
class Runbook:
    keys: tuple[KeyStep, ...]
    secret_stores: tuple[DataStep, ...]  # datastores that keep keys: restore them first
    services: tuple[ServiceStep, ...]
    cycles: tuple[tuple[str, ...], ...]  # dependency cycles that make the order a guess
    other_data: tuple[DataStep, ...] = ()  # data with a copy that no service lists
    lost: tuple[str, ...] = ()  # the scenario of `plan --lose`, if any
    unrecoverable: tuple[str, ...] = ()  # with a scenario: destroyed data no copy restores
    # A key needed to restore a datastore that is itself only inside a copy restored
    # at the same step or later.
    warnings: tuple[str, ...] = ()


def build_runbook(facts: Facts, scenario: Scenario | None = None) -> Runbook:
    """The full runbook, or with a scenario the runbook for that failure only."""
    model = facts.model
    planner = Planner(facts, scenario)
    services = tuple(planner.service_step(s) for s in planner.services())
    listed = {d for s in services for d in model.services[s.service].data}
    other_data = tuple(
        planner.data_step(datastore)
        for _id, datastore in sorted(model.datastores.items())
        if _id not in listed and planner.restores(datastore) and facts.copies(datastore)
    )
    secret_stores = planner.secret_stores([*(d for s in services for d in s.data), *other_data])
    stores = {step.datastore for step in secret_stores}
    other_data = tuple(step for step in other_data if step.datastore not in stores)
    steps = [*secret_stores, *(d for s in services for d in s.data), *other_data]
    return Runbook(
        keys=tuple(planner.key_step(key) for key in planner.keys_needed(steps)),
        secret_stores=secret_stores,
        services=services,
        cycles=tuple(facts.dependency_cycles()),
        other_data=other_data,
        lost=tuple(sorted(planner.scenario.lost)),
        unrecoverable=tuple(sorted({s.datastore for s in steps if not s.sources}))
        if scenario is not None
        else (),
        warnings=tuple(planner.late_key_warnings(steps)),
    )


class Planner:
    """The choices of one runbook: what it restores, from where, with which keys."""

    def __init__(self, facts: Facts, scenario: Scenario | None) -> None:
        self.facts = facts
        self.scenario = scenario or NOTHING_LOST
        self.partial = scenario is not None  # only what the scenario destroyed

    def restores(self, datastore: Datastore) -> bool:
        return not self.partial or self.facts.scenarios.live_destroyed(datastore, self.scenario)

    def services(self) -> list[str]:
        model = self.facts.model
        if not self.partial:
            return restore_order(self.facts, model.services)
        # Services the scenario spared keep running: they are not restored.
        hit = {s for s in model.services if self.service_hit(s)}
        return [s for s in restore_order(self.facts, hit) if s in hit]

    def service_hit(self, service_id: str) -> bool:
        service = self.facts.model.services[service_id]
        if self.facts.scenarios.place_destroyed(service.host, self.scenario):
            return True
        return any(self.restores(self.facts.model.datastores[d]) for d in service.data)

    def service_step(self, service_id: str) -> ServiceStep:
        facts = self.facts
        service = facts.model.services[service_id]
        data = [facts.model.datastores[d] for d in service.data]
        return ServiceStep(
            service=service.id,
            host=service.host,
            criticality=facts.service_criticality(service),
            rto=str(service.rto) if service.rto else None,
            depends_on=tuple(facts.dependencies.needs(service.id)),
            data=tuple(self.data_step(d) for d in data if self.restores(d)),
        )

    def data_step(self, datastore: Datastore) -> DataStep:
        placement = self.facts.placement_of(datastore)
        every = self.facts.copies(datastore)
        copies = sorted(
            (c for c in every if self.usable(c)), key=lambda c: nearest_first(c, placement.site)
        )
        return DataStep(
            datastore=datastore.id,
            kind=datastore.kind,
            host=placement.host,
            path=datastore.path,
            sources=tuple(
                Source(c.repository, str(c.route), c.placement.site, c.keys) for c in copies
            ),
            rebuildable=datastore.rebuildable,
            lost_copies=tuple(self.why_lost(c) for c in every if c not in copies),
        )

    def usable(self, copy: Copy) -> bool:
        """Whether the copy survives the scenario and its keys do (always, without one)."""
        if not self.partial:
            return True
        engine = self.facts.scenarios
        if self.scenario.destroys(copy.placement.losses, copy.compromisers):
            return False
        return all(engine.key_available(key, self.scenario) for key in copy.keys)

    def secret_stores(self, steps: Iterable[DataStep]) -> tuple[DataStep, ...]:
        """The datastores that keep the keys of these steps, and those that keep
        the keys of those datastores in turn, sorted by id."""
        model = self.facts.model
        found: dict[str, DataStep] = {}
        seen: set[str] = set()
        pending = self.keys_needed(steps)
        while pending:
            key = pending.pop()
            if key in seen:
                continue
            seen.add(key)
            for place in model.keys[key].stored_in:
                datastore = model.datastores.get(place)
                if datastore is None or place in found or not self.restores(datastore):
                    continue
                found[place] = self.data_step(datastore)
                pending += self.keys_needed([found[place]])
        return tuple(found[place] for place in self.unlock_order(found))

    def unlock_order(self, stores: dict[str, DataStep]) -> list[str]:
        """The secret stores, each after the stores that keep the keys it needs
        (ties and knots of stores that lock each other: by id)."""
        graph = nx.DiGraph()
        graph.add_nodes_from(stores)
        for store, step in stores.items():
            for key in step.sources[0].keys if step.sources else ():
                if self.at_hand(key):
                    continue
                for place in self.facts.model.keys[key].stored_in:
                    if place in stores and place != store:
                        graph.add_edge(place, store)
        condensed = nx.condensation(graph)
        members: dict[int, list[str]] = {}
        for store, knot in condensed.graph["mapping"].items():
            members.setdefault(knot, []).append(store)
        knots = nx.lexicographical_topological_sort(condensed, key=lambda k: min(members[k]))
        return [store for knot in knots for store in sorted(members[knot])]

    def why_lost(self, copy: Copy) -> str:
        if self.scenario.destroys(copy.placement.losses, copy.compromisers):
            return f"{copy.describe()} (destroyed)"
        return f"{copy.describe()} (its key is lost)"

    def keys_needed(self, steps: Iterable[DataStep]) -> list[str]:
        return sorted({key for step in steps for source in step.sources for key in source.keys})

    def key_step(self, key_id: str) -> KeyStep:
        key = self.facts.model.keys[key_id]
        lost = tuple(place for place in key.stored_in if self.place_lost(place))
        kept = tuple(place for place in key.stored_in if place not in lost)
        return KeyStep(key.id, key.kind, kept, lost)

    def place_lost(self, place: str) -> bool:
        if not self.partial:
            return False
        datastore = self.facts.model.datastores.get(place)
        if datastore is None:
            return self.facts.scenarios.place_destroyed(place, self.scenario)
        return not self.facts.scenarios.recoverable(datastore, self.scenario)

    def at_hand(self, key_id: str) -> bool:
        """Whether the key can be had without restoring anything: a surviving place
        that is not a datastore, or (with a scenario) a datastore it spared."""
        for place in self.facts.model.keys[key_id].stored_in:
            datastore = self.facts.model.datastores.get(place)
            if datastore is None and not self.place_lost(place):
                return True
            if datastore is not None and self.partial and not self.restores(datastore):
                return True
        return False

    def late_key_warnings(self, steps: list[DataStep]) -> list[str]:
        """A warning per key that a step needs but that is kept only inside data
        restored at that step or later (a datastore listed twice counts once, first)."""
        position: dict[str, int] = {}
        for number, step in enumerate(steps):
            position.setdefault(step.datastore, number)
        warnings = []
        for datastore, number in position.items():
            sources = steps[number].sources
            for key in sources[0].keys if sources else ():
                if self.at_hand(key):
                    continue
                inside = [
                    place
                    for place in self.facts.model.keys[key].stored_in
                    if place in self.facts.model.datastores and not self.place_lost(place)
                ]
                if any(position.get(place, number) < number for place in inside):
                    continue
                warnings.append(
                    f"key '{key}', needed to restore '{datastore}', {kept(inside, datastore)}"
                )
        return warnings


def kept(inside: list[str], datastore: str) -> str:
    """Where a key is kept, for the warning that it is not at hand in time."""
    if inside == [datastore]:
        return f"is kept only inside '{datastore}' itself"
    if not inside:
        return "is kept in no surviving place"
    where = ", ".join(f"'{place}'" for place in inside)
    verb = "is" if len(inside) == 1 else "are"
    return f"is kept only in {where}, which {verb} not restored before it"


def restore_order(facts: Facts, services: Iterable[str]) -> list[str]:
    """The services and everything they need, dependencies first; among the services
    the order leaves free, the most critical first, then by id. A service needed by
    a critical one is as urgent as it: the critical one waits for it."""
    wanted = facts.dependencies.order(services)
    condensed = nx.condensation(facts.dependencies.graph.subgraph(wanted))
    by_knot: dict[int, list[str]] = {}
    for service, knot in condensed.graph["mapping"].items():
        by_knot.setdefault(knot, []).append(service)
    model = facts.model
    urgency = {
        knot: max(criticality_rank(facts.service_criticality(model.services[s])) for s in members)
        for knot, members in by_knot.items()
    }
    # Condensation edges point from a service to what it needs: dependants come first.
    for knot in nx.topological_sort(condensed):
        for needed in condensed.successors(knot):
            urgency[needed] = max(urgency[needed], urgency[knot])
    knots = nx.lexicographical_topological_sort(
        condensed.reverse(copy=False), key=lambda knot: (-urgency[knot], min(by_knot[knot]))
    )
    return [service for knot in knots for service in sorted(by_knot[knot])]


def nearest_first(copy: Copy, site: str | None) -> tuple[int, int, str]:
    # Snapshots restore fastest, then repositories at the same site, then off-site.
    return (
        0 if copy.repository is None else 1,
        0 if copy.placement.site == site else 1,
        copy.repository or "",
    )
