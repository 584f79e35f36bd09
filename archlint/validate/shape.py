"""Constraints between the fields of one entity.

Each check returns the entity's problems rather than reporting them: the
fast path of validation (archlint.validate.fast) only needs to know whether
there are any; the slow path locates and reports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from archlint.model.entities import Backup, Datastore, Entity, Host, Repository
from archlint.model.errors import clip
from archlint.validate.raw import Collector, Problem, RawEntity


def check_entity_shape(entity: Entity, raw: RawEntity, errors: Collector) -> None:
    """Constraints between fields of one entity, that pydantic types cannot say."""
    check = SHAPE_CHECKS.get(type(entity))
    if check is not None:
        errors.add_problems(check(entity), raw)


def host_problems(host: Host) -> list[Problem]:
    problems = []
    if (host.in_ is None) == (host.hypervisor is None):
        problems.append(
            Problem(None, "a host needs exactly one of `in` (a domain) or `hypervisor`")
        )
    if host.hypervisor is not None and host.kind != "vm":
        problems.append(Problem(("hypervisor",), "only a host of kind vm has a hypervisor"))
    return problems


def datastore_problems(datastore: Datastore) -> list[Problem]:
    problems = []
    if (datastore.host is None) == (datastore.in_ is None):
        problems.append(
            Problem(None, "a datastore needs exactly one of `host` or `in` (a disk or domain)")
        )
    if datastore.engine is not None and datastore.kind != "database":
        problems.append(Problem(("engine",), "`engine` applies to databases only"))
    if datastore.format is not None and datastore.kind != "config":
        problems.append(Problem(("format",), "`format` applies to config only"))
    return problems


def repository_problems(repository: Repository) -> list[Problem]:
    problems = []
    if (repository.host is None) == (repository.in_ is None):
        problems.append(
            Problem(None, "a repository needs exactly one of `host` or `in` (a disk or domain)")
        )
    return problems + retention_problems(repository.retention)


def backup_problems(backup: Backup) -> list[Problem]:
    problems = retention_problems(backup.retention)
    sources, targets = backup.sources, backup.targets
    if not sources:
        problems.append(Problem(("source",), "`source` needs at least one id"))
    if not targets and backup.method != "snapshot":
        problems.append(
            Problem(
                None,
                f"a `{backup.method}` backup needs a `target` repository; "
                "only `snapshot` stays on the source's own storage",
            )
        )
    if not set(targets).isdisjoint(sources):
        problems.append(Problem(("target",), "a backup cannot target its own source"))
    if backup.after is not None and backup.schedule is not None:
        problems.append(
            Problem(
                ("after",),
                "a backup runs either on its `schedule` or right `after` another, not both",
            )
        )
    if backup.copy_mode is not None and backup.method not in ("copy", "file"):
        problems.append(
            Problem(
                ("copy_mode",), "`copy_mode` applies to `copy` and `file` backups (a sync) only"
            )
        )
    return problems


def retention_problems(retention: str | dict[str, int] | None) -> list[Problem]:
    """A retention mapping counts kept backups: no count can be negative."""
    if not isinstance(retention, dict):
        return []
    return [
        Problem(
            ("retention", name),
            f"`retention.{clip(name)}`: {count} is negative; a count of kept backups is 0 or more",
        )
        for name, count in retention.items()
        if count < 0
    ]


# The checks of each class of entity, looked up by exact class: a large model
# has tens of thousands of entities of a few classes.
SHAPE_CHECKS: dict[type[Entity], Callable[[Any], list[Problem]]] = {
    Host: host_problems,
    Datastore: datastore_problems,
    Repository: repository_problems,
    Backup: backup_problems,
}
