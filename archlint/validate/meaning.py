"""Constraints that depend on what a reference points at (its kind, its parent's breadth)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any, cast

from archlint.model.entities import Backup, Datastore, Domain, Entity, Host, Repository
from archlint.validate.raw import Collector, RawEntity, field_location

# How broad each domain kind is; a domain's `in` must be strictly broader.
DOMAIN_RANK = {"region": 0, "site": 1, "room": 2, "rack": 3, "host": 4, "disk": 5}


def check_reference_meaning(
    entity: Entity, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    """Constraints that depend on what a reference points at."""
    check = MEANING_CHECKS.get(type(entity))
    if check is not None:
        check(entity, raw, entities, errors)


def check_all_meaning(
    sections: dict[str, dict[str, Entity]],
    entities: dict[str, Entity],
    raw_by_id: dict[str, RawEntity],
    errors: Collector,
) -> None:
    """`check_reference_meaning` for every entity of a model whose references all
    resolve and that has no placement cycle, skipping the entities that a look at
    their whole section shows to be right: a large model has tens of thousands
    of datastores and backups."""
    to_check: list[Entity] = [*sections["domains"].values(), *sections["hosts"].values()]
    for name in ("datastores", "repositories"):
        data = cast(dict[str, Datastore | Repository], sections[name])
        # Only data kept `in` a domain can be kept in a person.
        to_check += [entity for entity in data.values() if entity.in_ is not None]
    backups = cast(dict[str, Backup], sections["backups"])
    if not sources_fit_methods(backups.values(), sections):
        to_check += backups.values()
    for entity in to_check:
        check_reference_meaning(entity, raw_by_id[entity.id], entities, errors)


# The section every source of a backup must be in, by method (`check_one_source`).
SOURCE_SECTIONS = {"image": "hosts", "copy": "repositories"}  # any other method: datastores


def sources_fit_methods(backups: Iterable[Backup], sections: dict[str, dict[str, Entity]]) -> bool:
    """True when every backup's sources are of the kind its method backs up."""
    sources: defaultdict[str, set[str | tuple[str, ...]]] = defaultdict(set)
    for backup in backups:
        sources[backup.method].add(backup.source)
    for method, values in sources.items():
        ids = {value for value in values if type(value) is str}
        ids.update(chain.from_iterable(value for value in values if type(value) is tuple))
        if ids.difference(sections[SOURCE_SECTIONS.get(method, "datastores")]):
            return False
    return True


def check_host_parents(
    host: Host, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    parent = entities.get(host.in_ or "")
    if isinstance(parent, Domain) and parent.kind in ("disk", "person"):
        errors.add(
            field_location(raw, "in"),
            f"a host cannot be in a {parent.kind}; use a rack, room, site or region",
        )
    hypervisor = entities.get(host.hypervisor or "")
    if isinstance(hypervisor, Host) and hypervisor.kind != "hypervisor":
        errors.add(
            field_location(raw, "hypervisor"),
            f"'{hypervisor.id}' is a host of kind "
            f"{hypervisor.kind}; `hypervisor` needs a host of kind hypervisor",
        )


def check_data_parent(
    data: Datastore | Repository, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    if data.in_ is None:
        return
    parent = entities.get(data.in_)
    if isinstance(parent, Domain) and parent.kind == "person":
        errors.add(
            field_location(raw, "in"), "data cannot be kept in a person; keys can (`stored_in`)"
        )


def check_domain_parent(
    domain: Domain, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    if domain.in_ is None:
        if domain.kind == "disk":
            errors.add(raw.location, "a disk must be `in` the host that holds it")
        return
    parent = entities[domain.in_]
    parent_kind = parent.kind if isinstance(parent, Domain) else "host"
    location = field_location(raw, "in")
    if domain.kind == "disk":
        if parent_kind != "host":
            errors.add(location, f"a disk must be in a host, not in a {parent_kind}")
        return
    if parent_kind in ("host", "disk", "person"):
        errors.add(location, f"a {domain.kind} cannot be in a {parent_kind}")
        return
    if domain.kind == "person":
        return
    if DOMAIN_RANK[parent_kind] >= DOMAIN_RANK[domain.kind]:
        broader = [k for k, rank in DOMAIN_RANK.items() if rank < DOMAIN_RANK[domain.kind]]
        errors.add(
            location,
            f"a {domain.kind} must be in something broader "
            f"({', '.join(broader)}), not in a {parent_kind}",
        )


def check_backup_source(
    backup: Backup, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    for source_id in backup.sources:
        check_one_source(backup, entities[source_id], raw, errors)


def check_one_source(backup: Backup, source: Entity, raw: RawEntity, errors: Collector) -> None:
    method = backup.method
    if isinstance(source, Host):
        if method != "image":
            errors.add(
                field_location(raw, "method"),
                f"the source '{source.id}' is a host, so the method must be "
                f"`image`, not `{method}`",
            )
    elif isinstance(source, Repository):
        if method != "copy":
            errors.add(
                field_location(raw, "method"),
                f"the source '{source.id}' is a repository, so the method must be "
                f"`copy`, not `{method}`",
            )
    elif isinstance(source, Datastore) and method in ("image", "copy"):
        needs = "a host" if method == "image" else "a repository"
        errors.add(
            field_location(raw, "method"),
            f"`{method}` backs up {needs}, but the source '{source.id}' is a datastore",
        )


# The checks of each class of entity, looked up by exact class: a large model
# has tens of thousands of entities of a few classes.
MEANING_CHECKS: dict[
    type[Entity], Callable[[Any, RawEntity, dict[str, Entity], Collector], None]
] = {
    Domain: check_domain_parent,
    Host: check_host_parents,
    Datastore: check_data_parent,
    Repository: check_data_parent,
    Backup: check_backup_source,
}
