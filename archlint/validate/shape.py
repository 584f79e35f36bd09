"""Constraints between the fields of one entity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archlint.model.entities import Backup, Datastore, Entity, Host, Repository
from archlint.model.errors import clip
from archlint.model.located import locate
from archlint.validate.raw import Collector, RawEntity, field_location


def check_entity_shape(entity: Entity, raw: RawEntity, errors: Collector) -> None:
    """Constraints between fields of one entity, that pydantic types cannot say."""
    check = SHAPE_CHECKS.get(type(entity))
    if check is not None:
        check(entity, raw, errors)


def check_host(host: Host, raw: RawEntity, errors: Collector) -> None:
    if (host.in_ is None) == (host.hypervisor is None):
        errors.add(raw.location, "a host needs exactly one of `in` (a domain) or `hypervisor`")
    if host.hypervisor is not None and host.kind != "vm":
        errors.add(field_location(raw, "hypervisor"), "only a host of kind vm has a hypervisor")


def check_datastore(datastore: Datastore, raw: RawEntity, errors: Collector) -> None:
    if (datastore.host is None) == (datastore.in_ is None):
        errors.add(
            raw.location, "a datastore needs exactly one of `host` or `in` (a disk or domain)"
        )
    if datastore.engine is not None and datastore.kind != "database":
        errors.add(field_location(raw, "engine"), "`engine` applies to databases only")
    if datastore.format is not None and datastore.kind != "config":
        errors.add(field_location(raw, "format"), "`format` applies to config only")


def check_repository(repository: Repository, raw: RawEntity, errors: Collector) -> None:
    if (repository.host is None) == (repository.in_ is None):
        errors.add(
            raw.location, "a repository needs exactly one of `host` or `in` (a disk or domain)"
        )
    check_retention(repository.retention, raw, errors)


def check_backup(backup: Backup, raw: RawEntity, errors: Collector) -> None:
    check_retention(backup.retention, raw, errors)
    sources, targets = backup.sources, backup.targets
    if not sources:
        errors.add(field_location(raw, "source"), "`source` needs at least one id")
    if not targets and backup.method != "snapshot":
        errors.add(
            raw.location,
            f"a `{backup.method}` backup needs a `target` repository; "
            "only `snapshot` stays on the source's own storage",
        )
    if not set(targets).isdisjoint(sources):
        errors.add(field_location(raw, "target"), "a backup cannot target its own source")
    if backup.after is not None and backup.schedule is not None:
        errors.add(
            field_location(raw, "after"),
            "a backup runs either on its `schedule` or right `after` another, not both",
        )
    if backup.copy_mode is not None and backup.method not in ("copy", "file"):
        errors.add(
            field_location(raw, "copy_mode"),
            "`copy_mode` applies to `copy` and `file` backups (a sync) only",
        )


def check_retention(
    retention: str | dict[str, int] | None, raw: RawEntity, errors: Collector
) -> None:
    """A retention mapping counts kept backups: no count can be negative."""
    if not isinstance(retention, dict):
        return
    for name, count in retention.items():
        if count < 0:
            errors.add(
                locate(raw.data, ("retention", name), raw.location),
                f"`retention.{clip(name)}`: {count} is negative; a count of kept backups "
                "is 0 or more",
            )


# The checks of each class of entity, looked up by exact class: a large model
# has tens of thousands of entities of a few classes.
SHAPE_CHECKS: dict[type[Entity], Callable[[Any, RawEntity, Collector], None]] = {
    Host: check_host,
    Datastore: check_datastore,
    Repository: check_repository,
    Backup: check_backup,
}
