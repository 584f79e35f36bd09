"""Recovery points: how much data a machine failure can lose at worst.

The loss is the smallest, over every chain of protections and copies from a
datastore (an image of its host counts as a first link) to a copy that
survives the loss of the datastore's machine, of the sum of the schedule
intervals along the chain. A backup without a schedule never meets an RPO, so
it cannot be part of a chain, unless it runs right `after` another: then the
first job's schedule counts, plus the chained job's `duration`.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from archlint.analysis.copies import Copies, Route
from archlint.analysis.placement import Placements
from archlint.model.durations import Duration
from archlint.model.entities import Backup, Datastore, Model
from archlint.model.schedules import Schedule


@dataclass(frozen=True, slots=True)
class RecoveryPoint:
    loss: Duration  # worst-case data loss
    chain: tuple[str, ...]  # the backups of the best chain, in order
    repository: str  # where the chain ends, off the machine


class RecoveryPoints:
    def __init__(self, model: Model, placements: Placements, copies: Copies) -> None:
        self.model = model
        self.placements = placements
        self.copies = copies
        self._worst: dict[str, RecoveryPoint | None] = {}

    def worst_case_loss(self, datastore: Datastore) -> RecoveryPoint | None:
        """The cheapest chain off the datastore's machine; None when there is none.

        Memoised: the rules and the site ask it of the same datastores."""
        if datastore.id not in self._worst:
            self._worst[datastore.id] = self._worst_case_loss(datastore)
        return self._worst[datastore.id]

    def _worst_case_loss(self, datastore: Datastore) -> RecoveryPoint | None:
        machine = self.placements.placement(datastore.id).machine
        if machine is None:
            return None
        # Dijkstra over repositories: (seconds so far, order, repository, route so far);
        # the order number breaks ties without comparing routes.
        queue: list[tuple[int, int, str, Route]] = []
        for backup in self.copies.protections(datastore):
            first = self.link_seconds(backup, None)
            if first is None:
                continue
            for target in backup.targets:
                heapq.heappush(
                    queue, (first, len(queue), target, self.copies.first_route(backup.id))
                )
        settled: set[str] = set()
        pushed = len(queue)
        while queue:
            seconds, _order, repository, route = heapq.heappop(queue)
            if repository in settled:
                continue
            settled.add(repository)
            if machine not in self.placements.placement(repository).losses:
                return RecoveryPoint(Duration.from_seconds(seconds), route.backups(), repository)
            for backup in self.copies.backups_of(repository):
                link = self.link_seconds(backup, route.backup)
                if link is None:
                    continue
                for target in backup.targets:
                    pushed += 1
                    heapq.heappush(queue, (seconds + link, pushed, target, route.then(backup.id)))
        return None

    def link_seconds(self, backup: Backup, before: str | None) -> int | None:
        """What a backup adds to a chain's worst-case loss; None if it never runs by itself.

        A scheduled backup adds its longest gap (0 for `continuous`). A backup
        chained `after` the previous link of the chain adds only its duration;
        chained after another job, it adds that job's schedule and its duration.
        """
        duration = backup.duration.seconds if backup.duration is not None else 0
        if backup.after is not None and backup.after == before:
            return duration
        schedule = self.effective_schedule(backup)
        if schedule is None:
            return None
        return schedule.interval.seconds + (duration if backup.after is not None else 0)

    def effective_schedule(self, backup: Backup) -> Schedule | None:
        """The backup's schedule, or for a chained backup, the schedule of the chain's first job."""
        seen: set[str] = set()
        current = backup
        while current.schedule is None and current.after is not None and current.id not in seen:
            seen.add(current.id)
            current = self.model.backups[current.after]
        return current.schedule
