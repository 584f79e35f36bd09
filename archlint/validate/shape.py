"""Constraints between the fields of one entity."""

from __future__ import annotations

from archlint.model.entities import Backup, Datastore, Entity, Host, Repository
from archlint.model.errors import clip
from archlint.model.located import locate
from archlint.validate.raw import Collector, RawEntity, field_location


def check_entity_shape(entity: Entity, raw: RawEntity, errors: Collector) -> None:
    """Constraints between fields of one entity, that pydantic types cannot say."""
    where = raw.location
    if isinstance(entity, Host):
        if (entity.in_ is None) == (entity.hypervisor is None):
            errors.add(where, "a host needs exactly one of `in` (a domain) or `hypervisor`")
        if entity.hypervisor is not None and entity.kind != "vm":
            errors.add(field_location(raw, "hypervisor"), "only a host of kind vm has a hypervisor")
    elif isinstance(entity, Datastore):
        if (entity.host is None) == (entity.in_ is None):
            errors.add(where, "a datastore needs exactly one of `host` or `in` (a disk or domain)")
        if entity.engine is not None and entity.kind != "database":
            errors.add(field_location(raw, "engine"), "`engine` applies to databases only")
        if entity.format is not None and entity.kind != "config":
            errors.add(field_location(raw, "format"), "`format` applies to config only")
    elif isinstance(entity, Repository):
        if (entity.host is None) == (entity.in_ is None):
            errors.add(where, "a repository needs exactly one of `host` or `in` (a disk or domain)")
        check_retention(entity.retention, raw, errors)
    elif isinstance(entity, Backup):
        check_retention(entity.retention, raw, errors)
        if not entity.sources:
            errors.add(field_location(raw, "source"), "`source` needs at least one id")
        if not entity.targets and entity.method != "snapshot":
            errors.add(
                where,
                f"a `{entity.method}` backup needs a `target` repository; "
                "only `snapshot` stays on the source's own storage",
            )
        if set(entity.targets) & set(entity.sources):
            errors.add(field_location(raw, "target"), "a backup cannot target its own source")
        if entity.after is not None and entity.schedule is not None:
            errors.add(
                field_location(raw, "after"),
                "a backup runs either on its `schedule` or right `after` another, not both",
            )
        if entity.copy_mode is not None and entity.method not in ("copy", "file"):
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
