"""Where things are: the failure domains of every host, disk, datastore and repository.

The failure domains of a thing are the chain of its locations: its disk, its
host (and the hypervisor under a VM), then the domains up to the region. From
the chain follow the failures that destroy the thing: the loss of its disk, of
its physical machine (unless it sits on offline media) and of its site.
"""

from functools import cache, cached_property
from typing import Literal, NamedTuple

from pydantic import BaseModel

from archlint.model.entities import Datastore, Host, Model
from archlint.model.references import references_of

FailureKind = Literal["site", "machine", "disk"]


class Failure(NamedTuple):
    """One failure archlint reasons about: losing a site, a physical machine or a disk."""

    kind: FailureKind
    id: str

    def __str__(self) -> str:
        return f"loss of {self.kind} '{self.id}'"


class Placement(NamedTuple):
    """The failure domains of one thing."""

    chain: tuple[str, ...]  # from the innermost location (disk or host) outwards
    site: str | None  # the innermost site domain above it
    region: str | None  # the innermost region above it
    machine: str | None  # the physical machine (a VM's hypervisor)
    host: str | None  # the host itself (the VM for data on a VM)
    offline: bool  # sits on offline media: not attached to its host
    losses: frozenset[str]  # ids of the losses that destroy it (VMs included)
    attached: frozenset[str]  # hosts whose compromise reaches it (a VM's hypervisor too)

    def describe_area(self) -> str:
        if self.site is not None:
            return f"site '{self.site}'"
        if self.region is not None:
            return f"region '{self.region}'"
        return "an unnamed site"

    def apart_from(self, other: "Placement") -> bool:
        """Whether this place is away from the other's site: no one site's loss reaches both.

        Two places are apart when their sites differ. A place with a region and no
        site above it is away from every site outside that region. Places that
        say nowhere where they are count as one unnamed site.
        """
        if self.site is None and self.region is not None and other.site is not None:
            return self.region not in other.chain
        if other.site is None and other.region is not None and self.site is not None:
            return other.region not in self.chain
        # Where a site's loss is counted: the site, else (a cloud bucket placed directly
        # in a region) the region, else nowhere said. Written out rather than a property:
        # rules ask this of every copy of every datastore.
        return (self.site or self.region) != (other.site or other.region)


NOWHERE = Placement((), None, None, None, None, False, frozenset(), frozenset())


class Placements:
    """Placements of every entity that has a location, computed once and cached."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.placement = cache(self._placement)

    def of_datastore(self, datastore: Datastore) -> Placement:
        """placement(datastore.id), read by the datastore's position (see Datastore.position):
        the rules and analyses ask it of every datastore, several times each."""
        return self._of_datastores[datastore.position]

    @cached_property
    def _of_datastores(self) -> list[Placement]:
        return list(map(self.placement, self.model.datastores))

    def failures(self) -> list[Failure]:
        """Every failure the model can suffer, sorted."""
        return list(self._failures)

    @cached_property
    def _failures(self) -> tuple[Failure, ...]:
        # Listed once: rules ask for them per service, and there is one per machine.
        found = [Failure("site", d.id) for d in self.model.domains.values() if d.kind == "site"]
        found += [Failure("disk", d.id) for d in self.model.domains.values() if d.kind == "disk"]
        found += [Failure("machine", h.id) for h in self.model.hosts.values() if is_machine(h)]
        return tuple(sorted(found, key=lambda failure: (failure.kind, failure.id)))

    @cached_property
    def failure_ids(self) -> frozenset[str]:
        """The ids of every failure the model can suffer."""
        return frozenset(failure.id for failure in self._failures)

    def failure(self, failure_id: str) -> Failure | None:
        """The failure of that site, disk or physical machine; None for anything else."""
        return self._failures_by_id.get(failure_id)

    @cached_property
    def _failures_by_id(self) -> dict[str, Failure]:
        # Each made once: rules describe a failure in thousands of findings.
        return {failure.id: failure for failure in self._failures}

    def _placement(self, entity_id: str) -> Placement:
        data = self.model.datastores.get(entity_id) or self.model.repositories.get(entity_id)
        if data is not None:
            # Data is not a link of a chain: it is lost with the place it is kept in.
            parent = _parent_id(data)
            return self.placement(parent) if parent is not None else NOWHERE
        # Looked up among domains alone: an id names one entity, and a person is a domain.
        domain = self.model.domains.get(entity_id)
        if domain is not None and domain.kind == "person":
            return NOWHERE  # a person is never lost
        chain = self._chain(entity_id)
        return Placement(
            chain=chain,
            site=self._first(chain, "site"),
            region=self._first(chain, "region"),
            machine=self._machine(chain),
            host=next((link for link in chain if link in self.model.hosts), None),
            offline=self._offline(chain),
            losses=frozenset(self._losses(chain)),
            attached=frozenset(self._attached_hosts(chain)),
        )

    def _chain(self, entity_id: str) -> tuple[str, ...]:
        chain = []
        current: str | None = entity_id
        while current is not None:
            chain.append(current)
            current = self._parent(current)
        return tuple(chain)

    def _parent(self, entity_id: str) -> str | None:
        entity = self.model.hosts.get(entity_id) or self.model.domains.get(entity_id)
        return _parent_id(entity) if entity is not None else None

    def _first(self, chain: tuple[str, ...], kind: str) -> str | None:
        for link in chain:
            domain = self.model.domains.get(link)
            if domain is not None and domain.kind == kind:
                return link
        return None

    def _machine(self, chain: tuple[str, ...]) -> str | None:
        for link in chain:
            host = self.model.hosts.get(link)
            if host is not None and is_machine(host):
                return link
        return None

    def _offline(self, chain: tuple[str, ...]) -> bool:
        return any(
            link in self.model.domains and self.model.domains[link].offline for link in chain
        )

    def _losses(self, chain: tuple[str, ...]) -> list[str]:
        """Sites and disks in the chain, and the hosts it is attached to.

        A VM is listed too, so a scenario can lose one VM on its own; the
        failures archlint enumerates by itself are only sites, machines and disks.
        """
        losses = [
            link
            for link in chain
            if link in self.model.domains and self.model.domains[link].kind in ("site", "disk")
        ]
        return losses + self._attached_hosts(chain)

    def _attached_hosts(self, chain: tuple[str, ...]) -> list[str]:
        # Offline media is not attached: losing or compromising its host spares it.
        attached = []
        for link in chain:
            domain = self.model.domains.get(link)
            if domain is not None and domain.offline:
                break
            if link in self.model.hosts:
                attached.append(link)
        return attached


def _parent_id(entity: BaseModel) -> str | None:
    """The id an entity is placed by (what placement_parent names), if it sets one."""
    for attribute in _placing_attributes(type(entity)):
        value = getattr(entity, attribute)
        if value is None:
            continue
        if isinstance(value, str):
            return value
        if value:
            return str(value[0])
    return None


@cache
def _placing_attributes(cls: type[BaseModel]) -> tuple[str, ...]:
    """The attributes that place an entity of the class, in the order of its fields: found
    once per class, not once per entity placed."""
    return tuple(reference.attribute for reference in references_of(cls) if reference.places)


def is_machine(host: Host) -> bool:
    """A physical machine: every host but a VM that runs on a hypervisor of the model."""
    return host.hypervisor is None
