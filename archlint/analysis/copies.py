"""Protections and copies of each datastore.

A protection of a datastore is a backup whose source is the datastore, or an
image of its host. A copy is every repository reachable from the datastore
along backups (through `copy` backups of repositories, transitively), plus its
local snapshots, which share the datastore's own disk and host.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Copy:
    """One copy of a datastore's data and what it takes to read it."""

    datastore: str
    repository: str | None  # None for a snapshot kept on the source's own storage
    via: tuple[str, ...]  # the backups from the datastore to this copy, in order
    placement: Placement
    keys: tuple[str, ...]  # every key needed to read this copy
    # Hosts whose compromise can destroy this copy: the hosts it is attached
    # to and those that push backups into its repository.
    compromisers: frozenset[str]

    def describe(self) -> str:
        where = f"repository '{self.repository}'" if self.repository else "local snapshot"
        return f"{where} via {' -> '.join(self.via)}"


def consistency(backup: Backup) -> Consistency:
    """The consistency a backup gives (before `copy` inherits it from its source)."""
    if backup.consistency is not None:
        return backup.consistency
    if backup.quiesce and backup.method in QUIESCABLE:
        return "application"
    return METHOD_CONSISTENCY.get(backup.method, "none")


class Copies:
    """Protections and copies of every datastore, each computed once."""

    def __init__(self, model: Model, graph: ReferenceGraph, placements: Placements) -> None:
        self.model = model
        self.graph = graph
        self.placements = placements
        self._copies: dict[str, tuple[Copy, ...]] = {}
        self._protections: dict[str, list[Backup]] = {}
        self._compromisers: dict[str, frozenset[str]] = {}

    def backups_of(self, source: str) -> list[Backup]:
        """The backups whose source is `source`, sorted by id."""
        return [self.model.backups[b] for b in named_by(self.graph, source, "source")]

    def protections(self, datastore: Datastore) -> list[Backup]:
        if datastore.id not in self._protections:
            own = self.backups_of(datastore.id)
            host = self.placements.placement(datastore.id).host
            images = self.backups_of(host) if host is not None else []
            self._protections[datastore.id] = own + images
        return self._protections[datastore.id]

    def copies(self, datastore: Datastore) -> tuple[Copy, ...]:
        if datastore.id not in self._copies:
            self._copies[datastore.id] = tuple(self._find_copies(datastore))
        return self._copies[datastore.id]

    def repository_copies(self, datastore: Datastore) -> list[Copy]:
        return [copy for copy in self.copies(datastore) if copy.repository is not None]

    def _find_copies(self, datastore: Datastore) -> list[Copy]:
        found: list[Copy] = []
        seen: set[str] = set()
        queue: deque[tuple[str, tuple[str, ...]]] = deque()
        own_keys = (datastore.key,) if datastore.key else ()
        for backup in self.protections(datastore):
            if backup.target is None:
                placement = self.placements.placement(datastore.id)
                found.append(
                    Copy(datastore.id, None, (backup.id,), placement, own_keys, placement.attached)
                )
            else:
                queue.append((backup.target, (backup.id,)))
        # Breadth first, so each repository is reached by its shortest chain.
        while queue:
            repository_id, via = queue.popleft()
            if repository_id in seen:
                continue
            seen.add(repository_id)
            repository = self.model.repositories[repository_id]
            repository_keys = (repository.key,) if repository.key else ()
            found.append(
                Copy(
                    datastore.id,
                    repository_id,
                    via,
                    self.placements.placement(repository_id),
                    tuple(sorted(set(own_keys + repository_keys))),
                    self.compromisers(repository_id),
                )
            )
            for backup in self.backups_of(repository_id):
                if backup.target is not None and backup.target not in seen:
                    queue.append((backup.target, (*via, backup.id)))
        return found

    def compromisers(self, repository_id: str) -> frozenset[str]:
        """The hosts whose compromise can destroy what the repository holds.

        Immutable repositories and offline media survive any one compromise.
        Otherwise: the hosts the repository is attached to, and every host
        that runs a push backup into it (a push job holds credentials that can
        delete what it wrote; with `mode: pull` the source side holds none).
        """
        if repository_id not in self._compromisers:
            repository = self.model.repositories[repository_id]
            placement = self.placements.placement(repository_id)
            hosts: set[str] = set()
            if not repository.immutable and not placement.offline:
                hosts |= placement.attached
                for backup in self.writers(repository_id):
                    runner = self.runner(backup)
                    if backup.mode == "push" and runner is not None:
                        hosts |= self.placements.placement(runner).attached
            self._compromisers[repository_id] = frozenset(hosts)
        return self._compromisers[repository_id]

    def writers(self, repository_id: str) -> list[Backup]:
        """The backups that write into the repository, sorted by id."""
        return [self.model.backups[b] for b in named_by(self.graph, repository_id, "target")]

    def runner(self, backup: Backup) -> str | None:
        """The host that runs the job: `runs_on`, else the source's host (pull: the target's)."""
        if backup.runs_on is not None:
            return backup.runs_on
        side = backup.target if backup.mode == "pull" and backup.target else backup.source
        return self.placements.placement(side).host
