"""Constraints that depend on what a reference points at (its kind, its parent's breadth)."""

from __future__ import annotations

from archlint.model.entities import Backup, Datastore, Domain, Entity, Host, Repository
from archlint.model.errors import Location
from archlint.validate.raw import Collector, RawEntity, field_location

# How broad each domain kind is; a domain's `in` must be strictly broader.
DOMAIN_RANK = {"region": 0, "site": 1, "room": 2, "rack": 3, "host": 4, "disk": 5}


def check_reference_meaning(
    entity: Entity, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    """Constraints that depend on what a reference points at."""
    if isinstance(entity, Domain):
        check_domain_parent(entity, raw, entities, errors)
    elif isinstance(entity, Host):
        parent = entities.get(entity.in_ or "")
        if isinstance(parent, Domain) and parent.kind in ("disk", "person"):
            errors.add(
                field_location(raw, "in"),
                f"a host cannot be in a {parent.kind}; use a rack, room, site or region",
            )
        hypervisor = entities.get(entity.hypervisor or "")
        if isinstance(hypervisor, Host) and hypervisor.kind != "hypervisor":
            errors.add(
                field_location(raw, "hypervisor"),
                f"'{hypervisor.id}' is a host of kind "
                f"{hypervisor.kind}; `hypervisor` needs a host of kind hypervisor",
            )
    elif isinstance(entity, (Datastore, Repository)):
        parent = entities.get(entity.in_ or "")
        if isinstance(parent, Domain) and parent.kind == "person":
            errors.add(
                field_location(raw, "in"), "data cannot be kept in a person; keys can (`stored_in`)"
            )
    elif isinstance(entity, Backup):
        check_backup_source(entity, raw, entities, errors)


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
        check_one_source(backup, entities[source_id], field_location(raw, "method"), errors)


def check_one_source(backup: Backup, source: Entity, location: Location, errors: Collector) -> None:
    if isinstance(source, Host) and backup.method != "image":
        errors.add(
            location,
            f"the source '{source.id}' is a host, so the method must be "
            f"`image`, not `{backup.method}`",
        )
    elif isinstance(source, Repository) and backup.method != "copy":
        errors.add(
            location,
            f"the source '{source.id}' is a repository, so the method must be "
            f"`copy`, not `{backup.method}`",
        )
    elif isinstance(source, Datastore) and backup.method in ("image", "copy"):
        needs = "a host" if backup.method == "image" else "a repository"
        errors.add(
            location,
            f"`{backup.method}` backs up {needs}, but the source '{source.id}' is a datastore",
        )
