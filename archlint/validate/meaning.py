"""Constraints that depend on what a reference points at (its kind, its parent's breadth).

As in archlint.validate.shape, each check returns the entity's problems, for
the fast path to test and the slow path to locate and report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from itertools import chain, compress, repeat
from operator import attrgetter, contains, is_not
from typing import Any, cast

from archlint.model.entities import Backup, Datastore, Domain, Entity, Host, Repository
from archlint.validate.raw import Collector, Problem, RawEntity

# How broad each domain kind is; a domain's `in` must be strictly broader.
DOMAIN_RANK = {"region": 0, "site": 1, "room": 2, "rack": 3, "host": 4, "disk": 5}


def check_reference_meaning(
    entity: Entity, raw: RawEntity, entities: dict[str, Entity], errors: Collector
) -> None:
    """Constraints that depend on what a reference points at."""
    errors.add_problems(meaning_problems(entity, entities), raw)


def meaning_problems(entity: Entity, entities: dict[str, Entity]) -> list[Problem]:
    check = MEANING_CHECKS.get(type(entity))
    return [] if check is None else check(entity, entities)


def check_all_meaning(
    sections: dict[str, dict[str, Entity]],
    entities: dict[str, Entity],
    raw_by_id: dict[str, RawEntity],
    errors: Collector,
) -> None:
    """`check_reference_meaning` for every entity of a model whose references all
    resolve and that has no placement cycle."""
    for entity in meaning_to_check(sections):
        check_reference_meaning(entity, raw_by_id[entity.id], entities, errors)


def meaning_to_check(sections: dict[str, dict[str, Entity]]) -> list[Entity]:
    """The entities of a model whose references all resolve and that has no
    placement cycle that can break a constraint of `check_reference_meaning`:
    a look at their whole section shows the others to be right (a large model
    has tens of thousands of datastores and backups)."""
    to_check = placed_to_check(sections)
    backups = cast(dict[str, Backup], sections["backups"])
    if not sources_fit_methods(backups.values(), sections):
        to_check += backups.values()
    return to_check


def placed_to_check(sections: dict[str, dict[str, Entity]]) -> list[Entity]:
    """The entities whose parent (a domain or a host) can break a constraint of
    `check_reference_meaning`: all but the backups of `meaning_to_check`."""
    to_check: list[Entity] = [*sections["domains"].values(), *sections["hosts"].values()]
    for name in ("datastores", "repositories"):
        data = sections[name].values()
        # Only data kept `in` a domain can be kept in a person.
        to_check += compress(data, map(is_not, map(attrgetter("in_"), data), repeat(None)))
    return to_check


# The section every source of a backup must be in, by method (`one_source_problems`).
SOURCE_SECTIONS = {"image": "hosts", "copy": "repositories"}  # any other method: datastores


def sources_fit_methods(
    backups: Collection[Backup], sections: dict[str, dict[str, Entity]]
) -> bool:
    """True when every backup's sources are of the kind its method backs up."""
    methods = list(map(attrgetter("method"), backups))
    section_of = {
        method: sections[SOURCE_SECTIONS.get(method, "datastores")] for method in set(methods)
    }
    # A backup of one source, the common case, all at once (a tuple of
    # sources is never an id, so a backup of many takes the loop below).
    fit = map(contains, map(section_of.__getitem__, methods), map(attrgetter("source"), backups))
    if all(fit):
        return True
    sources: defaultdict[str, set[str | tuple[str, ...]]] = defaultdict(set)
    for backup in backups:
        sources[backup.method].add(backup.source)
    for method, values in sources.items():
        ids = {value for value in values if type(value) is str}
        ids.update(chain.from_iterable(value for value in values if type(value) is tuple))
        if ids.difference(section_of[method]):
            return False
    return True


def host_parent_problems(host: Host, entities: dict[str, Entity]) -> list[Problem]:
    problems = []
    parent = entities.get(host.in_ or "")
    if isinstance(parent, Domain) and parent.kind in ("disk", "person"):
        problems.append(
            Problem(
                ("in",), f"a host cannot be in a {parent.kind}; use a rack, room, site or region"
            )
        )
    hypervisor = entities.get(host.hypervisor or "")
    if isinstance(hypervisor, Host) and hypervisor.kind != "hypervisor":
        problems.append(
            Problem(
                ("hypervisor",),
                f"'{hypervisor.id}' is a host of kind "
                f"{hypervisor.kind}; `hypervisor` needs a host of kind hypervisor",
            )
        )
    return problems


def data_parent_problems(
    data: Datastore | Repository, entities: dict[str, Entity]
) -> list[Problem]:
    if data.in_ is None:
        return []
    parent = entities.get(data.in_)
    if isinstance(parent, Domain) and parent.kind == "person":
        return [Problem(("in",), "data cannot be kept in a person; keys can (`stored_in`)")]
    return []


def domain_parent_problems(domain: Domain, entities: dict[str, Entity]) -> list[Problem]:
    if domain.in_ is None:
        if domain.kind == "disk":
            return [Problem(None, "a disk must be `in` the host that holds it")]
        return []
    parent = entities[domain.in_]
    parent_kind = parent.kind if isinstance(parent, Domain) else "host"
    if domain.kind == "disk":
        if parent_kind != "host":
            return [Problem(("in",), f"a disk must be in a host, not in a {parent_kind}")]
        return []
    if parent_kind in ("host", "disk", "person"):
        return [Problem(("in",), f"a {domain.kind} cannot be in a {parent_kind}")]
    if domain.kind == "person":
        return []
    if DOMAIN_RANK[parent_kind] >= DOMAIN_RANK[domain.kind]:
        broader = [k for k, rank in DOMAIN_RANK.items() if rank < DOMAIN_RANK[domain.kind]]
        return [
            Problem(
                ("in",),
                f"a {domain.kind} must be in something broader "
                f"({', '.join(broader)}), not in a {parent_kind}",
            )
        ]
    return []


def backup_source_problems(backup: Backup, entities: dict[str, Entity]) -> list[Problem]:
    problems = []
    for source_id in backup.sources:
        problems += one_source_problems(backup, entities[source_id])
    return problems


def one_source_problems(backup: Backup, source: Entity) -> list[Problem]:
    method = backup.method
    if isinstance(source, Host):
        if method != "image":
            return [
                Problem(
                    ("method",),
                    f"the source '{source.id}' is a host, so the method must be "
                    f"`image`, not `{method}`",
                )
            ]
    elif isinstance(source, Repository):
        if method != "copy":
            return [
                Problem(
                    ("method",),
                    f"the source '{source.id}' is a repository, so the method must be "
                    f"`copy`, not `{method}`",
                )
            ]
    elif isinstance(source, Datastore) and method in ("image", "copy"):
        needs = "a host" if method == "image" else "a repository"
        return [
            Problem(
                ("method",),
                f"`{method}` backs up {needs}, but the source '{source.id}' is a datastore",
            )
        ]
    return []


# The checks of each class of entity, looked up by exact class: a large model
# has tens of thousands of entities of a few classes.
MEANING_CHECKS: dict[type[Entity], Callable[[Any, dict[str, Entity]], list[Problem]]] = {
    Domain: domain_parent_problems,
    Host: host_parent_problems,
    Datastore: data_parent_problems,
    Repository: data_parent_problems,
    Backup: backup_source_problems,
}
