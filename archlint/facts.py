"""The typed query API rules read: every fact about a model, computed once.

Rules never walk the graph themselves; they ask questions here, and each
answer comes from one named analysis (placement, copies, scenarios).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

import networkx as nx

from archlint.copies import Copies, Copy, consistency
from archlint.graph import build_graph, named_by
from archlint.model import (
    Backup,
    Consistency,
    Criticality,
    Datastore,
    Model,
    Service,
    criticality_rank,
)
from archlint.placement import Failure, Placement, Placements
from archlint.scenarios import KeyLoss, ScenarioEngine


class Facts:
    def __init__(self, model: Model, as_of: date) -> None:
        self.model = model
        self.as_of = as_of
        self.graph: nx.MultiDiGraph = build_graph(model)
        self.placements = Placements(model)
        self._copies = Copies(model, self.graph, self.placements)
        self.scenarios = ScenarioEngine(model, self.placements, self._copies)

    # Criticality

    def service_criticality(self, service: Service) -> Criticality:
        return service.criticality or self.model.defaults.criticality

    def datastore_criticality(self, datastore: Datastore) -> Criticality:
        """As set, else the highest criticality of the services using it, else the default."""
        if datastore.criticality is not None:
            return datastore.criticality
        users = self.users(datastore)
        if not users:
            return self.model.defaults.criticality
        return max((self.service_criticality(s) for s in users), key=criticality_rank)

    def users(self, datastore: Datastore) -> list[Service]:
        """The services whose `data` lists the datastore, sorted by id."""
        return [self.model.services[s] for s in named_by(self.graph, datastore.id, "data")]

    # Where things are

    def placement(self, entity_id: str) -> Placement:
        return self.placements.placement(entity_id)

    def failure(self, failure_id: str) -> Failure | None:
        return self.placements.failure(failure_id)

    # Protections and copies

    def protections(self, datastore: Datastore) -> list[Backup]:
        return self._copies.protections(datastore)

    def copies(self, datastore: Datastore) -> tuple[Copy, ...]:
        return self._copies.copies(datastore)

    def repository_copies(self, datastore: Datastore) -> list[Copy]:
        return self._copies.repository_copies(datastore)

    def consistency(self, backup: Backup) -> Consistency:
        return consistency(backup)

    # Keys

    def key_losses(self, key_id: str) -> list[KeyLoss]:
        """Every single failure after which data is lost because this key is unavailable."""
        return self._key_losses_by_key.get(key_id, [])

    def key_users(self, key_id: str) -> list[str]:
        """The repositories and datastores that name the key, sorted."""
        return named_by(self.graph, key_id, "key")

    @cached_property
    def _key_losses_by_key(self) -> dict[str, list[KeyLoss]]:
        by_key: dict[str, list[KeyLoss]] = defaultdict(list)
        for datastore in self.model.datastores.values():
            for loss in self.scenarios.key_losses(datastore):
                by_key[loss.key].append(loss)
        return {key: sorted(losses) for key, losses in by_key.items()}
