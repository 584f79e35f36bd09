"""The typed query API rules read: every fact about a model, computed once.

Rules never walk the graph themselves; they ask questions here, and each
answer comes from one named analysis: placement (failure domains), copies
(protections and copies), scenarios (what survives a failure or compromise),
rpo (recovery points), drills and dependencies (restore order).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cached_property
from operator import attrgetter

from archlint.analysis.copies import Copies, Copy, consistency
from archlint.analysis.dependencies import Dependencies, Knot, service_needs
from archlint.analysis.drills import Drills
from archlint.analysis.graph import ReferenceGraph, build_graph, named_by
from archlint.analysis.placement import Failure, Placement, Placements
from archlint.analysis.rpo import RecoveryPoint, RecoveryPoints
from archlint.analysis.scenarios import NO_FAILURE, KeyLoss, Scenario, ScenarioEngine
from archlint.model.entities import (
    CRITICALITIES,
    Backup,
    Consistency,
    Criticality,
    Datastore,
    Drill,
    Host,
    Model,
    Service,
    criticality_rank,
)

# The sort key of the copies a repository holds (see Facts._held_by).
COPIED_DATASTORE = attrgetter("datastore")
EVIDENCE_LIMIT = 20


def capped(lines: Iterable[str], limit: int = EVIDENCE_LIMIT) -> tuple[str, ...]:
    """The first `limit` lines, then one line saying how many more there are: evidence
    stays readable (and its cost bounded) when thousands of things prove the same point."""
    kept: list[str] = []
    more = 0
    for line in lines:
        if len(kept) < limit:
            kept.append(line)
        else:
            more += 1
    return (*kept, f"and {more} more") if more else tuple(kept)


NAMES_LIMIT = 5


def quoted_names(ids: Sequence[str], limit: int = NAMES_LIMIT) -> str:
    """'a', 'b', 'c' and N more: ids named in a message, the first `limit` of them,
    so a message stays one readable line however many things it is about."""
    shown = ", ".join(f"'{entity_id}'" for entity_id in ids[:limit])
    return f"{shown} and {len(ids) - limit} more" if len(ids) > limit else shown


class Facts:
    # The questions rules ask most, answered by the analysis itself rather than through a
    # method that forwards them: hundreds of thousands of calls on a large model.
    placement: Callable[[str], Placement]  # where the entity is (by id)
    placement_of: Callable[[Datastore], Placement]  # placement(datastore.id), quicker
    protections: Callable[[Datastore], list[Backup]]  # backups of it, and images of its host
    # Repositories holding the data (directly, via copies or host images); snapshots.
    copies: Callable[[Datastore], tuple[Copy, ...]]
    repository_copies: Callable[[Datastore], tuple[Copy, ...]]  # the copies, less snapshots
    # Those of the datastores a question is true of, asked once per storage class.
    kept_alike: Callable[[list[Datastore], Callable[[Datastore], bool]], list[Datastore]]

    def __init__(self, model: Model, as_of: date) -> None:
        self.model = model
        self.as_of = as_of
        self.graph: ReferenceGraph = build_graph(model)
        self.placements = Placements(model)
        self._copies = Copies(model, self.graph, self.placements)
        self.placement = self.placements.placement
        self.placement_of = self.placements.of_datastore
        self.protections = self._copies.protections
        self.copies = self._copies.copies
        self.repository_copies = self._copies.repository_copies
        self.kept_alike = self._copies.kept_alike
        self.scenarios = ScenarioEngine(model, self.placements, self._copies)
        self.recovery_points = RecoveryPoints(model, self.placements, self._copies)
        self.drills = Drills(model, as_of)
        self._source_criticalities: dict[str, Criticality | None] = {}
        # Per repository, the push jobs (backup, runner) a compromise of each host reaches.
        self._pushers: dict[str, dict[str, list[tuple[str, str]]]] = {}
        self._failures_losing_data: dict[str, frozenset[str]] = {}
        self.dependencies = Dependencies(service_needs(model))

    # Criticality

    def service_criticality(self, service: Service) -> Criticality:
        return service.criticality or self.model.defaults.criticality

    def datastore_criticality(self, datastore: Datastore) -> Criticality:
        """As set, else the highest criticality of the services using it, else the default."""
        return self._datastore_criticality[datastore.position]

    @cached_property
    def _datastore_criticality(self) -> list[Criticality]:
        # By position (see Datastore.position). The highest rank among each datastore's
        # users, in one pass over the services.
        highest: dict[str, int] = {}
        for service in self.model.services.values():
            rank = criticality_rank(self.service_criticality(service))
            for datastore_id in service.data:
                if highest.get(datastore_id, -1) < rank:
                    highest[datastore_id] = rank
        default = self.model.defaults.criticality
        return [
            datastore.criticality
            or (CRITICALITIES[highest[datastore_id]] if datastore_id in highest else default)
            for datastore_id, datastore in self.model.datastores.items()
        ]

    def users(self, datastore: Datastore) -> list[Service]:
        """The services whose `data` lists the datastore, sorted by id."""
        return [self.model.services[s] for s in named_by(self.graph, datastore.id, "data")]

    # Where things are

    def failure(self, failure_id: str) -> Failure | None:
        return self.placements.failure(failure_id)

    def describe_failure(self, failure_id: str) -> str:
        """A failure in words, e.g. "loss of machine 'nas'"."""
        if failure_id == NO_FAILURE:
            return "before any failure"
        failure = self.failure(failure_id)
        return str(failure) if failure is not None else f"loss of '{failure_id}'"

    def after_failure(self, failure_id: str) -> str:
        """When a KeyLoss happens, in words: "after the loss of machine 'nas'", or "even
        before anything fails" for data that no failure is needed to lose."""
        if failure_id == NO_FAILURE:
            return "even before anything fails"
        return f"after the {self.describe_failure(failure_id)}"

    def services_on(self, host: Host) -> list[Service]:
        """The services that run on the host, or on a VM that runs on it, sorted by id."""
        hosts = [host.id, *named_by(self.graph, host.id, "on")]
        found = {
            s for h in hosts for s in named_by(self.graph, h, "host") if s in self.model.services
        }
        return [self.model.services[s] for s in sorted(found)]

    # Protections and copies

    def backups_of(self, source_id: str) -> list[Backup]:
        """The backups whose source is the datastore, host or repository, sorted by id."""
        return self._copies.backups_of(source_id)

    def writers(self, repository_id: str) -> list[Backup]:
        """The backups that write into the repository, sorted by id."""
        return self._copies.writers(repository_id)

    def runner(self, backup: Backup) -> str | None:
        """The host that runs the backup job."""
        return self._copies.runner(backup)

    def pushers_reached(self, repository_id: str, host: str) -> list[tuple[str, str]]:
        """(backup, runner) for each push job into the repository whose runner a
        compromise of `host` reaches, by backup id. Indexed by host once per repository:
        the copies of every datastore the repository holds ask it again, each for its
        own hosts, and a repository of a large model has a thousand writers."""
        by_host = self._pushers.get(repository_id)
        if by_host is None:
            by_host = self._pushers[repository_id] = {}
            for backup in self.writers(repository_id):  # by id: so is each host's list
                runner = self.runner(backup)
                if backup.mode == "push" and runner is not None:
                    for reached in self.placement(runner).attached:
                        by_host.setdefault(reached, []).append((backup.id, runner))
        return by_host.get(host, [])

    def held_by(self, repository_id: str) -> list[Copy]:
        """The copies of every datastore that the repository holds, sorted by datastore."""
        return self._held_by.get(repository_id, [])

    def sources_of_method(self, method: str) -> set[str]:
        """The ids the backups of this method (`git`, `snapshot`...) name as sources."""
        return {
            source
            for backup in self.model.backups.values()
            if backup.method == method
            for source in backup.sources
        }

    def data_behind(self, source_id: str) -> list[Datastore]:
        """The datastores whose data a backup of `source_id` carries, sorted by id: the
        datastore itself, those a host image includes, or those a repository holds."""
        datastores = self.model.datastores
        if source_id in datastores:
            return [datastores[source_id]]
        return [datastores[d] for d in self._data_ids_behind(source_id)]

    def _data_ids_behind(self, source_id: str) -> list[str]:
        """data_behind a host or repository, by id: those asking only for ids (or for what
        an index by id knows) need not fetch thousands of datastores."""
        if source_id in self.model.repositories:
            return [copy.datastore for copy in self.held_by(source_id)]
        return self._datastores_by_host.get(source_id, [])

    @cached_property
    def _datastores_by_host(self) -> dict[str | None, list[str]]:
        """The ids of the datastores on each host, sorted: indexed once, since a scan
        per host image made the rules quadratic in the number of datastores. Sorted per
        host, a few ids each, rather than all ids at once."""
        found: dict[str | None, list[str]] = defaultdict(list)
        placement_of = self.placement_of
        for datastore_id, datastore in self.model.datastores.items():
            found[placement_of(datastore).host].append(datastore_id)
        for ids in found.values():
            ids.sort()
        return found

    def backup_criticality(self, backup: Backup) -> Criticality | None:
        """The highest criticality of the data the backup carries; None when it carries none.

        Every rule on backups with a minimum criticality asks; the answer per source
        is remembered (_source_criticality)."""
        if isinstance(backup.source, str):  # the common case: one source
            return self._source_criticality(backup.source)
        found = [
            criticality
            for source in backup.sources
            if (criticality := self._source_criticality(source)) is not None
        ]
        return max(found, key=criticality_rank, default=None)

    def _source_criticality(self, source_id: str) -> Criticality | None:
        """The highest criticality of the data behind a source; None when there is none.

        Memoised for hosts and repositories: every image of a host and every copy of
        a repository carries the same data, thousands of datastores of it."""
        datastores = self.model.datastores
        datastore = datastores.get(source_id)
        if datastore is not None:
            return self.datastore_criticality(datastore)
        if source_id not in self._source_criticalities:
            found = {
                self.datastore_criticality(datastores[d]) for d in self._data_ids_behind(source_id)
            }  # four at most
            highest = max(found, key=criticality_rank, default=None)
            self._source_criticalities[source_id] = highest
        return self._source_criticalities[source_id]

    def backup_survives(self, datastore: Datastore, scenario: Scenario) -> bool:
        """Whether a repository copy of the datastore survives the scenario, readable
        (answered once per storage class and scenario: see source_repositories)."""
        return any(self.scenarios.source_repositories(datastore, scenario))

    def consistency(self, backup: Backup) -> Consistency:
        """The backup's consistency; a `copy` keeps what its source had (see copies)."""
        return consistency(backup)

    def is_immutable_or_offline(self, copy: Copy) -> bool:
        """Whether a writer or a compromised host cannot destroy this copy."""
        if copy.repository is None:
            return copy.placement.offline
        return self.model.repositories[copy.repository].immutable or copy.placement.offline

    @cached_property
    def _held_by(self) -> dict[str, list[Copy]]:
        # Gathered in the model's order and then sorted per repository: on a large model, a
        # walk of every datastore in the order of their ids reads memory out of order.
        by_repository: dict[str, list[Copy]] = defaultdict(list)
        for datastore in self.model.datastores.values():
            for copy in self.copies(datastore):
                if copy.repository is not None:
                    by_repository[copy.repository].append(copy)
        for held in by_repository.values():
            held.sort(key=COPIED_DATASTORE)  # a datastore has one copy in a repository
        return by_repository

    # Failures, compromises and keys

    def single_failures_losing(self, datastore: Datastore) -> list[str]:
        """The single site, machine or disk losses after which the data is unrecoverable."""
        return self.scenarios.single_failures_losing(datastore)

    def failures_losing_data(self, service: Service) -> frozenset[str]:
        """The single failures after which some data the service needs (not rebuildable) is
        unrecoverable. Memoised: asked of each service and of every service depending on it."""
        found = self._failures_losing_data.get(service.id)
        if found is None:
            datastores = self.model.datastores
            found = frozenset(
                failure
                for datastore_id in service.data
                if not datastores[datastore_id].rebuildable
                for failure in self.single_failures_losing(datastores[datastore_id])
            )
            self._failures_losing_data[service.id] = found
        return found

    def dependencies_losing_data(self, service: Service) -> list[str]:
        """The services the service needs, directly or not, whose data some single failure
        makes unrecoverable (failures_losing_data), sorted."""
        return sorted(self._dependencies_losing_data.get(service.id, ()))

    @cached_property
    def _dependencies_losing_data(self) -> dict[str, frozenset[str]]:
        services = self.model.services
        losing = frozenset(s for s in services if self.failures_losing_data(services[s]))
        return self.dependencies.needed_among(losing)

    def compromising_hosts(self, datastore: Datastore) -> list[str]:
        """The hosts whose compromise alone destroys the live data and every copy."""
        return self.scenarios.compromising_hosts(datastore)

    def destroyed(self, entity_id: str, scenario: Scenario) -> bool:
        """Whether the scenario destroys a place (host or domain), a datastore's live
        data, or a repository with what it holds (a compromise counts for writers too)."""
        datastore = self.model.datastores.get(entity_id)
        if datastore is not None:
            return self.scenarios.live_destroyed(datastore, scenario)
        if entity_id in self.model.repositories:
            losses = self.placement(entity_id).losses
            return scenario.destroys(losses, self._copies.compromisers(entity_id))
        return self.scenarios.place_destroyed(entity_id, scenario)

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
        return {key: sorted(losses, key=_key_loss_order) for key, losses in by_key.items()}

    # Recovery points

    def worst_case_loss(self, datastore: Datastore) -> RecoveryPoint | None:
        """The data a failure of the datastore's machine loses at worst, and the chain."""
        return self.recovery_points.worst_case_loss(datastore)

    # Restore validation

    def newest_drill(
        self, entity_id: str, results: tuple[str, ...] = ("pass", "partial", "fail")
    ) -> Drill | None:
        return self.drills.newest(entity_id, results)

    # Restore order

    def dependency_cycles(self) -> list[tuple[str, ...]]:
        """Every cycle of `depends_on`, one per knot of services, starting at its first id."""
        return self._dependency_cycles

    def dependency_knots_from(self, service_id: str) -> list[Knot]:
        """The knot of mutually dependent services whose first service is this one."""
        return self._knots_by_first.get(service_id, [])

    @cached_property
    def _knots_by_first(self) -> dict[str, list[Knot]]:
        return {knot.first: [knot] for knot in self.dependencies.knots()}

    @cached_property
    def _dependency_cycles(self) -> list[tuple[str, ...]]:
        return self.dependencies.cycles()


def _key_loss_order(loss: KeyLoss) -> tuple[str, str, str, str, tuple[str, ...]]:
    """The order of KeyLoss, its fields in turn, compared without a call per comparison."""
    return (loss.key, loss.failure, loss.datastore, loss.cause, loss.cycle)
