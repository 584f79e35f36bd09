"""The restore runbook, for `archlint plan`: what to restore, in which order, from where.

Keys and the secret stores that keep them come first, then every service in
an order that respects `depends_on`, each datastore with the copies it can be
restored from (nearest first) and the keys that unlock them.
"""

from __future__ import annotations

from dataclasses import dataclass

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts
from archlint.model.entities import Datastore


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


@dataclass(frozen=True)
class KeyStep:
    key: str
    kind: str
    stored_in: tuple[str, ...]


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


def build_runbook(facts: Facts) -> Runbook:
    model = facts.model
    order = facts.dependencies.order(model.services)
    services = tuple(service_step(facts, service_id) for service_id in order)
    keys = sorted(
        {key for step in services for data in step.data for s in data.sources for key in s.keys}
    )
    key_steps = tuple(KeyStep(key, model.keys[key].kind, model.keys[key].stored_in) for key in keys)
    stores = sorted(
        {place for step in key_steps for place in step.stored_in if place in model.datastores}
    )
    return Runbook(
        keys=key_steps,
        secret_stores=tuple(data_step(facts, model.datastores[s]) for s in stores),
        services=services,
        cycles=tuple(facts.dependency_cycles()),
    )


def service_step(facts: Facts, service_id: str) -> ServiceStep:
    service = facts.model.services[service_id]
    return ServiceStep(
        service=service.id,
        host=service.host,
        criticality=facts.service_criticality(service),
        rto=str(service.rto) if service.rto else None,
        depends_on=tuple(facts.dependencies.needs(service.id)),
        data=tuple(data_step(facts, facts.model.datastores[d]) for d in service.data),
    )


def data_step(facts: Facts, datastore: Datastore) -> DataStep:
    site = facts.placement(datastore.id).site
    copies = sorted(facts.copies(datastore), key=lambda c: nearest_first(c, site))
    return DataStep(
        datastore=datastore.id,
        kind=datastore.kind,
        host=facts.placement(datastore.id).host,
        path=datastore.path,
        sources=tuple(
            Source(copy.repository, str(copy.route), copy.placement.site, copy.keys)
            for copy in copies
        ),
        rebuildable=datastore.rebuildable,
    )


def nearest_first(copy: Copy, site: str | None) -> tuple[int, int, str]:
    # Snapshots restore fastest, then repositories at the same site, then off-site.
    return (
        0 if copy.repository is None else 1,
        0 if copy.placement.site == site else 1,
        copy.repository or "",
    )
