"""Recovery points: how much data a machine failure can lose at worst.

The loss is the smallest, over every chain of protections and copies from a
datastore (an image of its host counts as a first link) to a copy that
survives the loss of the datastore's machine, of the sum of the schedule
intervals along the chain. A backup without a schedule never meets an RPO, so
it cannot be part of a chain, unless it runs right `after` another: then the
first job's schedule counts, plus the chained job's `duration`.
"""

import heapq
from functools import cached_property
from typing import Any, NamedTuple

from archlint.analysis.copies import Copies
from archlint.analysis.placement import Placements
from archlint.model.durations import Duration
from archlint.model.entities import Backup, Datastore, Model
from archlint.model.schedules import Schedule


class RecoveryPoint(NamedTuple):
    loss: Duration  # worst-case data loss
    chain: tuple[str, ...]  # the backups of the best chain, in order
    repository: str  # where the chain ends, off the machine


# The best chain off a machine, by position in the protections of a datastore: its
# worst-case loss, the protection it starts with, the backups after that, and where it ends.
_BestChain = tuple[Duration, int, tuple[str, ...], str]
_LinkSignature = tuple[int | None, str | tuple[str, ...] | None, str | None]
_UNKNOWN: Any = object()  # not searched yet (a search may find no chain: None)


class RecoveryPoints:
    def __init__(self, model: Model, placements: Placements, copies: Copies) -> None:
        self.model = model
        self.placements = placements
        self.copies = copies
        self._worst: dict[str, RecoveryPoint | None] = {}
        self._best_chains: dict[tuple[Any, ...], _BestChain | None] = {}
        self._chained_after: frozenset[str] | None = None  # backups another runs `after`
        self._link_kinds: dict[_LinkSignature, int] = {}  # each signature, by number
        self._link_numbers: dict[str, int] = {}  # backup -> the number of its signature

    def worst_case_loss(self, datastore: Datastore) -> RecoveryPoint | None:
        """The cheapest chain off the datastore's machine; None when there is none.

        Memoised: the rules and the site ask it of the same datastores."""
        if datastore.id not in self._worst:
            self._worst[datastore.id] = self._worst_case_loss(datastore)
        return self._worst[datastore.id]

    def _worst_case_loss(self, datastore: Datastore) -> RecoveryPoint | None:
        protections, best = self._off_machine(datastore)
        if best is None:
            return None
        loss, first, onward, repository = best
        return RecoveryPoint(loss, (protections[first].id, *onward), repository)

    def _off_machine(self, datastore: Datastore) -> tuple[list[Backup], _BestChain | None]:
        """The datastore's protections and its best chain off its machine: None for data
        on no machine of ours, or that no chain takes off it."""
        machine = self.placements.of_datastore(datastore).machine
        if machine is None:
            return [], None
        protections = self.copies.protections(datastore)
        return protections, self._best(machine, protections) if protections else None

    def objective(self, datastore: Datastore) -> tuple[Duration, str] | None:
        """The tightest rpo set by a service using the datastore, and that service (the
        first by id among equals); None when no service using it sets one."""
        return self._objectives[datastore.position]

    @cached_property
    def _objectives(self) -> list[tuple[Duration, str] | None]:
        # By position (see Datastore.position). One pass over the services: an index of
        # the users of every datastore would cost a list per datastore, for the few
        # whose objective is missed.
        found: dict[str, tuple[Duration, str]] = {}
        for service in self.model.services.values():
            if service.rpo is None:
                continue
            objective = (service.rpo, service.id)  # one tuple shared by the service's data
            seconds = service.rpo.seconds
            for datastore_id in service.data:
                known = found.get(datastore_id)
                if known is None or (seconds, service.id) < (known[0].seconds, known[1]):
                    found[datastore_id] = objective
        return [found.get(datastore_id) for datastore_id in self.model.datastores]

    def misses(self, datastore: Datastore) -> bool:
        """Whether losing the datastore's machine can lose more recent data than its
        objective allows: nothing protects it, or no chain leaves the machine in time.
        False for data without an objective, or on no machine of ours.

        worst_case_loss compared, without its RecoveryPoint: rpo-not-met asks it of
        every datastore, and words only those that miss their objective."""
        objective = self._objectives[datastore.position]
        if objective is None or self.placements.of_datastore(datastore).machine is None:
            return False
        _protections, best = self._off_machine(datastore)
        return best is None or best[0].seconds > objective[0].seconds

    def _best(self, machine: str, protections: list[Backup]) -> _BestChain | None:
        """The best chain, searched once per signature: the datastores of one machine whose
        protections cost alike and reach the same repositories share the search, and
        differ only in the first backup of their chain."""
        known = self._link_numbers
        signature = (
            machine,
            *[known.get(backup.id) or self._link_number(backup) for backup in protections],
        )
        best: _BestChain | None = self._best_chains.get(signature, _UNKNOWN)
        if best is _UNKNOWN:
            best = self._best_chains[signature] = self._best_chain(machine, protections)
        return best

    def _best_chain(self, machine: str, protections: list[Backup]) -> _BestChain | None:
        # Dijkstra over repositories: (seconds so far, order, repository, the protection
        # it starts with, the backups after it); the order number breaks ties.
        queue: list[tuple[int, int, str, int, tuple[str, ...]]] = []
        for k, backup in enumerate(protections):
            first = self.link_seconds(backup, None)
            if first is None:
                continue
            for target in backup.targets:
                heapq.heappush(queue, (first, len(queue), target, k, ()))
        settled: set[str] = set()
        pushed = len(queue)
        while queue:
            seconds, _order, repository, k, onward = heapq.heappop(queue)
            if repository in settled:
                continue
            settled.add(repository)
            if machine not in self.placements.placement(repository).losses:
                return Duration.from_seconds(seconds), k, onward, repository
            before = onward[-1] if onward else protections[k].id
            for backup in self.copies.backups_of(repository):
                link = self.link_seconds(backup, before)
                if link is None:
                    continue
                for target in backup.targets:
                    pushed += 1
                    heapq.heappush(queue, (seconds + link, pushed, target, k, (*onward, backup.id)))
        return None

    def _link_number(self, backup: Backup) -> int:
        """All that a protection brings to the search for the best chain, once per backup
        (the image of a host is a protection of each of its datastores): what it costs as
        the first link of a chain, its targets as written, and its id if another backup
        runs `after` it (that backup costs less right after it; see link_seconds).

        Numbered from 1, each distinct signature once: a signature of the protections of
        every datastore is then a tuple of small numbers, hashed at once."""
        found = self._link_numbers.get(backup.id)
        if found is None:
            if self._chained_after is None:
                self._chained_after = frozenset(
                    b.after for b in self.model.backups.values() if b.after is not None
                )
            named = backup.id if backup.id in self._chained_after else None
            link = (self.link_seconds(backup, None), backup.target, named)
            found = self._link_kinds.setdefault(link, len(self._link_kinds) + 1)
            self._link_numbers[backup.id] = found
        return found

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
