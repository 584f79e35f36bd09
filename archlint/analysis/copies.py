"""Protections and copies of each datastore.

A protection of a datastore is a backup whose source is the datastore, or an
image of its host. A copy is every repository reachable from the datastore
along backups (through `copy` backups of repositories, transitively), plus its
local snapshots, which share the datastore's own disk and host. A backup with
several sources and targets makes a copy of each source in each target.
"""

from collections.abc import Callable
from functools import cached_property
from typing import NamedTuple

from archlint.analysis.graph import ReferenceGraph, named_by
from archlint.analysis.placement import Placement, Placements
from archlint.model.entities import Backup, Consistency, Datastore, Model

# The consistency each method gives when the backup does not say.
METHOD_CONSISTENCY: dict[str, Consistency] = {
    "dump": "application",
    "git": "application",
    "snapshot": "crash",
    "image": "crash",
    "replication": "crash",
    "file": "none",
}
QUIESCABLE = ("file", "snapshot", "image")


# A route longer than this is described by its ends and the number of hops between.
ROUTE_ENDS_AFTER = 4


class Route:
    """The backups from a datastore to one of its copies, as a link to the route before it.

    The routes to the repositories of a chain of `copy` backups share their
    beginnings, so a datastore with n copies costs n links however long the
    chain, and nothing materialises a path unless asked.

    A plain class, never changed once made: a large model has one or two per
    datastore, and a frozen dataclass is made at four times the cost.
    """

    __slots__ = ("backup", "before", "first", "hops")

    def __init__(self, backup: str, before: "Route | None", hops: int, first: str) -> None:
        self.backup = backup  # the last backup of the route
        self.before = before
        self.hops = hops  # the number of backups on the route
        self.first = first  # the first backup of the route

    @classmethod
    def start(cls, backup: str) -> "Route":
        """The route of a copy made by one backup."""
        return cls(backup, None, 1, backup)

    def backups(self) -> tuple[str, ...]:
        found: list[str] = []
        route: Route | None = self
        while route is not None:
            found.append(route.backup)
            route = route.before
        return tuple(reversed(found))

    def __str__(self) -> str:
        if self.hops <= ROUTE_ENDS_AFTER:
            return " -> ".join(self.backups())
        between = self.hops - 2
        return f"{self.first} -> ({between} more backups) -> {self.backup}"


class Copy(NamedTuple):
    """One copy of a datastore's data and what it takes to read it.

    A named tuple rather than a frozen dataclass: a large model has one per datastore
    and repository holding it, and a tuple is made at a third of the cost."""

    datastore: str
    repository: str | None  # None for a snapshot kept on the source's own storage
    route: Route  # the backups from the datastore to this copy
    placement: Placement
    keys: tuple[str, ...]  # every key needed to read this copy: encryption and access
    # Hosts whose compromise can destroy this copy: the hosts it is attached
    # to, those that push backups into its repository, and for a mirror, what
    # destroys its source.
    compromisers: frozenset[str]

    @property
    def via(self) -> tuple[str, ...]:
        """The backups from the datastore to this copy, in order."""
        return self.route.backups()

    def describe(self) -> str:
        where = f"repository '{self.repository}'" if self.repository else "local snapshot"
        return f"{where} via {self.route}"


_new_tuple = tuple.__new__

# What the copies of a datastore depend on: its own key and its protections' targets.
_Signature = tuple[tuple[str, ...], tuple[str | tuple[str, ...] | None, ...]]
# A copy of a _CopyShape: (repository, parent, backup of the last hop or None,
# placement, keys, compromisers); see Copies._copy_shape.
_ShapedCopy = tuple[str, int, str | None, Placement, tuple[str, ...], frozenset[str]]


class _CopyShape(NamedTuple):
    """The copies of every datastore with the same own key and the same targets of its
    protections, in order, less what is the datastore's own: its id and its routes."""

    snapshots: tuple[int, ...]  # the protections that are local snapshots, by index
    copies: tuple[_ShapedCopy, ...]  # the repository copies, breadth first


def consistency(backup: Backup) -> Consistency:
    """The consistency a backup gives (before `copy` inherits it from its source)."""
    if backup.consistency is not None:
        return backup.consistency
    if backup.quiesce and backup.method in QUIESCABLE:
        return "application"
    return METHOD_CONSISTENCY.get(backup.method, "none")


class _Kept(NamedTuple):
    """What Copies answers about every datastore, in lists by its position (see
    Datastore.position): made in one pass (see Copies._every)."""

    protections: list[list[Backup]]
    copies: list[tuple[Copy, ...]]
    repository_copies: list[tuple[Copy, ...]]  # the copies, less snapshots
    storage_classes: list[int]


class Copies:
    """Protections and copies of every datastore, each computed once."""

    def __init__(self, model: Model, graph: ReferenceGraph, placements: Placements) -> None:
        self.model = model
        self.graph = graph
        self.placements = placements
        self._compromisers: dict[str, frozenset[str]] = {}
        self._onward: dict[str, list[tuple[str, str]]] = {}
        self._shapes: dict[_Signature, _CopyShape] = {}
        self._classes: dict[tuple[_Signature, tuple[str, ...]], int] = {}
        self._runners: dict[str, str | None] = {}
        self._writers: dict[str, list[Backup]] = {}

    def backups_of(self, source: str) -> list[Backup]:
        """The backups whose source is `source`, sorted by id.

        Indexed once for every source: an image of a host protects each of its
        datastores, and each step of a chain of copies asks again."""
        found = self._backups_by_source.get(source)
        return found if found is not None else []

    @cached_property
    def _backups_by_source(self) -> dict[str, list[Backup]]:
        # Indexed in one pass when first asked: the protections of every datastore ask.
        backups = self.model.backups
        return {
            source: [backups[b] for b in ids]
            for source, ids in self.graph.named_by_all("source").items()
        }

    def protections(self, datastore: Datastore) -> list[Backup]:
        """The backups whose source is the datastore, then the images of its host."""
        return self._every.protections[datastore.position]

    def copies(self, datastore: Datastore) -> tuple[Copy, ...]:
        return self._every.copies[datastore.position]

    def repository_copies(self, datastore: Datastore) -> tuple[Copy, ...]:
        """The copies in repositories (not local snapshots): most rules on datastores ask."""
        return self._every.repository_copies[datastore.position]

    def storage_class(self, datastore: Datastore) -> int:
        """A number shared by the datastores kept alike: live data in the same place, the
        same own key, and copies in the same repositories, placed, written and read alike.

        What a failure or a compromise leaves of such datastores is the same, so
        the scenarios answer once per class. Only the routes to the copies differ."""
        return self._every.storage_classes[datastore.position]

    def kept_alike(
        self, datastores: list[Datastore], keep: Callable[[Datastore], bool]
    ) -> list[Datastore]:
        """The datastores `keep` is true of, in order, asking it once per storage class.

        For a question whose answer depends only on how a datastore is kept (see
        storage_class), such as where its copies are and what they are kept in: a
        rule that asks it of every datastore of a large model then asks it of a few
        thousand classes instead."""
        classes = self._every.storage_classes
        answers: dict[int, bool] = {}
        found = []
        for datastore in datastores:
            storage = classes[datastore.position]
            answer = answers.get(storage)
            if answer is None:
                answer = answers[storage] = keep(datastore)
            if answer:
                found.append(datastore)
        return found

    @cached_property
    def _every(self) -> _Kept:
        """The protections, copies and storage class of every datastore, in one pass when
        first asked: the rules ask them of every datastore, several times each."""
        kept = _Kept([], [], [], [])
        by_source = self._backups_by_source
        placement_of = self.placements.of_datastore
        # The routes of the images of each host, made once: its datastores share them.
        image_routes: dict[str, list[Route]] = {}
        no_backups: list[Backup] = []
        for datastore_id, datastore in self.model.datastores.items():
            live = placement_of(datastore)
            own = by_source.get(datastore_id, no_backups)
            routes = [Route.start(backup.id) for backup in own]
            host = live.host
            images = by_source.get(host) if host is not None else None
            if host is None or images is None:
                protections = list(own)
            else:
                protections = own + images
                shared = image_routes.get(host)
                if shared is None:
                    shared = image_routes[host] = [Route.start(backup.id) for backup in images]
                routes += shared
            kept.protections.append(protections)
            own_keys = (datastore.key,) if datastore.key else ()
            self._find_copies(kept, datastore_id, own_keys, protections, routes, live)
        return kept

    def _find_copies(
        self,
        kept: _Kept,
        datastore_id: str,
        own_keys: tuple[str, ...],
        protections: list[Backup],
        first_routes: list[Route],
        live: Placement,
    ) -> None:
        """The copies of the datastore, its repository copies and its storage class.

        Made from the shape of its protections (see _CopyShape): thousands of
        datastores protected alike share one walk of the chains of copies, and
        only their routes and copies are their own."""
        # A backup's `target` as written says its targets (backup.targets, less a call).
        signature = (own_keys, tuple([backup.target for backup in protections]))
        shape = self._shapes.get(signature)
        if shape is None:
            shape = self._shapes[signature] = self._copy_shape(own_keys, protections)
        # The chain of a placement says all of it (see Placements), and hashes in C.
        storage = (signature, live.chain)
        kept.storage_classes.append(self._classes.setdefault(storage, len(self._classes)))
        found: list[Copy] = []
        for repository_id, parent, backup_id, placement, keys, compromisers in shape.copies:
            if backup_id is None:
                route = first_routes[parent]
            else:  # the route of the copy it is copied from, one backup longer
                before = found[parent].route
                route = Route(backup_id, before, before.hops + 1, before.first)
            # Made as the tuple it is: Copy(...) runs a Python function per copy.
            copy = (datastore_id, repository_id, route, placement, keys, compromisers)
            found.append(_new_tuple(Copy, copy))
        repository_copies = tuple(found)
        kept.repository_copies.append(repository_copies)
        if shape.snapshots:
            snapshots = tuple(
                [
                    Copy(datastore_id, None, first_routes[k], live, own_keys, live.attached)
                    for k in shape.snapshots
                ]
            )
            kept.copies.append(snapshots + repository_copies)
        else:  # shared rather than one more tuple per datastore
            kept.copies.append(repository_copies)

    def _copy_shape(self, own_keys: tuple[str, ...], protections: list[Backup]) -> _CopyShape:
        """The copies that data with `own_keys` and these protections has, by position.

        Breadth first from the protections' targets: each repository is reached by its
        shortest chain, and a snapshot (a protection without targets) comes first."""
        snapshots = [k for k, backup in enumerate(protections) if not backup.targets]
        # (repository, its route's start: the protection's index for a first hop, else
        # the index of the copy it is copied from, backup of the last hop or None).
        # A list read from the front, as a queue that is never shortened.
        queue: list[tuple[str, int, str | None]] = [
            (target, k, None) for k, backup in enumerate(protections) for target in backup.targets
        ]
        copies: list[_ShapedCopy] = []
        seen: set[str] = set()
        for repository_id, parent, backup_id in queue:  # grows as it is read
            if repository_id in seen:
                continue
            seen.add(repository_id)
            placement, keys, compromisers = self._kept(own_keys, repository_id)
            index = len(copies)
            copies.append((repository_id, parent, backup_id, placement, keys, compromisers))
            for onward_backup, target in self.onward(repository_id):
                if target not in seen:
                    queue.append((target, index, onward_backup))
        return _CopyShape(tuple(snapshots), tuple(copies))

    def _kept(
        self, own_keys: tuple[str, ...], repository_id: str
    ) -> tuple[Placement, tuple[str, ...], frozenset[str]]:
        """Where the repository is, the keys that read a copy of data with `own_keys` in
        it, and the hosts whose compromise destroys what it holds."""
        return (
            self.placements.placement(repository_id),
            self.copy_keys(own_keys, repository_id),
            self.compromisers(repository_id),
        )

    def onward(self, repository_id: str) -> list[tuple[str, str]]:
        """(backup, target) for every copy of the repository into another, once per repository."""
        if repository_id not in self._onward:
            self._onward[repository_id] = [
                (backup.id, target)
                for backup in self.backups_of(repository_id)
                for target in backup.targets
            ]
        return self._onward[repository_id]

    def copy_keys(self, own_keys: tuple[str, ...], repository_id: str) -> tuple[str, ...]:
        """The keys that read a copy in the repository: the data's own, the repository's
        encryption key and the credentials that reach it."""
        repository = self.model.repositories[repository_id]
        repository_keys = (repository.key,) if repository.key else ()
        return tuple(sorted(set(own_keys + repository_keys + repository.access)))

    def compromisers(self, repository_id: str) -> frozenset[str]:
        """The hosts whose compromise can destroy what the repository holds.

        Offline media survive any one compromise. An immutable repository
        survives its writers, but not the host that enforces its immutability
        (append-only borg on a NAS is at the mercy of whoever controls the
        NAS); a cloud bucket's object lock is enforced by no host of the model.
        Otherwise: the hosts the repository is attached to, every host that
        runs a push backup into it (a push job holds credentials that can
        delete what it wrote; with `mode: pull` the source side holds none),
        and, when a `copy_mode: mirror` backup writes into it, whatever can
        destroy the mirrored repository or live data (deletions and encryption
        propagate).
        """
        if repository_id not in self._compromisers:
            hosts: set[str] = set()
            for upstream in self._mirrored_from(repository_id):
                if upstream in self.model.repositories:
                    hosts |= self._own_compromisers(upstream)
                else:  # live data mirrored by a `file` sync: what reaches it, reaches the mirror
                    hosts |= self.placements.placement(upstream).attached
            self._compromisers[repository_id] = frozenset(hosts)
        return self._compromisers[repository_id]

    def _own_compromisers(self, repository_id: str) -> frozenset[str]:
        repository = self.model.repositories[repository_id]
        placement = self.placements.placement(repository_id)
        if placement.offline:
            return frozenset()
        hosts = set(placement.attached)
        if not repository.immutable:
            # Each runner once: a repository has a writer per datastore it holds, and
            # few hosts run them.
            runners = {
                runner
                for backup in self.writers(repository_id)
                if backup.mode == "push" and (runner := self._runner(backup)) is not None
            }
            for runner in runners:
                hosts |= self.placements.placement(runner).attached
        return frozenset(hosts)

    def _mirrored_from(self, repository_id: str) -> list[str]:
        """The repository and, through mirrors (transitively), the repositories and live
        datastores it mirrors.

        A mirror propagates what happens to its source unless it keeps its
        own history: an immutable or offline target stops the propagation.
        """
        found = [repository_id]
        seen = {repository_id}
        index = 0
        while index < len(found):
            current = found[index]
            index += 1
            repository = self.model.repositories.get(current)
            if repository is None or repository.immutable:
                continue  # live data is where a chain of mirrors starts
            if self.placements.placement(current).offline:
                continue
            for backup in self.writers(current):
                if backup.copy_mode != "mirror":
                    continue
                for source in backup.sources:
                    if source not in seen and source not in self.model.hosts:
                        seen.add(source)
                        found.append(source)
        return found

    def writers(self, repository_id: str) -> list[Backup]:
        """The backups that write into the repository, sorted by id.

        Memoised: the compromisers of a repository and of its mirrors ask, and a
        repository has a writer per datastore it holds."""
        found = self._writers.get(repository_id)
        if found is None:
            backups = self.model.backups
            found = self._writers[repository_id] = [
                backups[b] for b in named_by(self.graph, repository_id, "target")
            ]
        return found

    def runner(self, backup: Backup) -> str | None:
        """The host that runs the job: `runs_on`, else the source's host (pull: the target's).

        Memoised: rules on backups and repositories ask it of every writer."""
        if backup.id not in self._runners:
            self._runners[backup.id] = self._runner(backup)
        return self._runners[backup.id]

    def _runner(self, backup: Backup) -> str | None:
        if backup.runs_on is not None:
            return backup.runs_on
        side = backup.targets[0] if backup.mode == "pull" and backup.targets else backup.sources[0]
        return self.placements.placement(side).host
