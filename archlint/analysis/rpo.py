"""Recovery points: how much data a machine failure can lose at worst.

The loss is the smallest, over every chain of protections and copies from a
datastore (an image of its host counts as a first link) to a copy that
survives the loss of the datastore's machine, of the sum of the schedule
intervals along the chain. A backup without a schedule never meets an RPO, so
it cannot be part of a chain.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from archlint.analysis.copies import Copies
from archlint.analysis.placement import Placements
from archlint.model.durations import Duration
from archlint.model.entities import Datastore, Model


@dataclass(frozen=True)
class RecoveryPoint:
    loss: Duration  # worst-case data loss
    chain: tuple[str, ...]  # the backups of the best chain, in order
    repository: str  # where the chain ends, off the machine


class RecoveryPoints:
    def __init__(self, model: Model, placements: Placements, copies: Copies) -> None:
        self.model = model
        self.placements = placements
        self.copies = copies

    def worst_case_loss(self, datastore: Datastore) -> RecoveryPoint | None:
        """The cheapest chain off the datastore's machine; None when there is none."""
        machine = self.placements.placement(datastore.id).machine
        if machine is None:
            return None
        # Dijkstra over repositories: (seconds so far, repository, backups so far).
        queue: list[tuple[int, str, tuple[str, ...]]] = []
        for backup in self.copies.protections(datastore):
            if backup.target is not None and backup.schedule is not None:
                seconds = backup.schedule.interval.seconds
                heapq.heappush(queue, (seconds, backup.target, (backup.id,)))
        settled: set[str] = set()
        while queue:
            seconds, repository, chain = heapq.heappop(queue)
            if repository in settled:
                continue
            settled.add(repository)
            if machine not in self.placements.placement(repository).losses:
                return RecoveryPoint(Duration.from_seconds(seconds), chain, repository)
            for backup in self.copies.backups_of(repository):
                if backup.target is not None and backup.schedule is not None:
                    total = seconds + backup.schedule.interval.seconds
                    heapq.heappush(queue, (total, backup.target, (*chain, backup.id)))
        return None
