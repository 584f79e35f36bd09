"""The validate stage: located plain data to a typed, immutable model.

Every error names its location and, where it can, the fix. All errors of all
files are collected before anything is raised, so a user fixes them in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from archlint.errors import InvalidModel, Location, ModelError, did_you_mean
from archlint.load import Document
from archlint.located import LocatedList, LocatedMap, key_location, locate
from archlint.model import (
    SECTIONS,
    TOP_LEVEL_KEYS,
    Backup,
    Datastore,
    Defaults,
    Domain,
    Drill,
    Entity,
    Host,
    Key,
    Model,
    Repository,
    Service,
    Waiver,
    place,
)

SUPPORTED_VERSIONS = (1,)
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")

# How broad each domain kind is; a domain's `in` must be strictly broader.
DOMAIN_RANK = {"region": 0, "site": 1, "room": 2, "rack": 3, "host": 4, "disk": 5}


@dataclass(frozen=True)
class RawEntity:
    """An entity's id and located data, before typing."""

    id: str
    kind: str
    section: str
    data: Any
    location: Location  # of the id
    value_location: Location  # of the entity's fields


class Collector:
    """Accumulates errors; `raise_if_any` turns them into InvalidModel."""

    def __init__(self) -> None:
        self.errors: list[ModelError] = []

    def add(self, location: Location, message: str) -> None:
        self.errors.append(ModelError(location, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidModel(self.errors)


def validate(documents: Sequence[Document], root_is_file: bool) -> Model:
    """Turn loaded documents into a Model, or raise InvalidModel with every error."""
    errors = Collector()
    check_versions(documents, root_is_file, errors)
    raw_entities, defaults_data = collect_sections(documents, errors)
    defaults = validate_defaults(defaults_data, errors)
    entities = {raw.id: typed for raw in raw_entities if (typed := type_entity(raw, errors))}
    kinds = {raw.id: raw.kind for raw in raw_entities}
    raw_by_id = {raw.id: raw for raw in raw_entities}
    for entity_id, entity in entities.items():
        check_references(entity, raw_by_id[entity_id], kinds, entities, errors)
    errors.raise_if_any()
    sections: dict[str, dict[str, Entity]] = {name: {} for name in SECTIONS}
    for raw in raw_entities:
        sections[raw.section][raw.id] = entities[raw.id]
    return Model(
        **sections,  # type: ignore[arg-type]
        defaults=defaults,
        files=tuple(document.data.location.file for document in documents),
    )


def check_versions(documents: Sequence[Document], root_is_file: bool, errors: Collector) -> None:
    carriers = []
    for document in documents:
        data = document.data
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                errors.add(
                    data.key_locations[key],
                    f"unknown section '{key}'{did_you_mean(key, TOP_LEVEL_KEYS)}",
                )
        if "archlint" not in data:
            continue
        version = data["archlint"]
        if type(version) is not int or version not in SUPPORTED_VERSIONS:
            supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
            errors.add(
                data.value_locations["archlint"],
                f"unsupported model version {version!r}: this archlint reads version {supported}",
            )
        carriers.append(document)
    if not documents:
        return
    first = documents[0].data
    if root_is_file and "archlint" not in first:
        errors.add(first.location, "the model's root file must start with `archlint: 1`")
    elif not carriers:
        errors.add(first.location, "no file of the model carries `archlint: 1`")


def collect_sections(
    documents: Sequence[Document], errors: Collector
) -> tuple[list[RawEntity], list[tuple[str, Any, Location]]]:
    """Every entity of every file, with ids checked for syntax and uniqueness."""
    entities: list[RawEntity] = []
    first_seen: dict[str, RawEntity] = {}
    defaults: list[tuple[str, Any, Location]] = []
    for document in documents:
        data = document.data
        if "defaults" in data:
            defaults.append(("defaults", data["defaults"], data.value_locations["defaults"]))
        for section, (kind, _cls) in SECTIONS.items():
            if section not in data or data[section] is None:
                continue
            body = data[section]
            if not isinstance(body, LocatedMap):
                errors.add(
                    data.value_locations[section],
                    f"`{section}` must be a mapping from ids to {kind}s, not {describe_type(body)}",
                )
                continue
            for entity_id, entity_data in body.items():
                location = body.key_locations[entity_id]
                if not ID_PATTERN.fullmatch(entity_id):
                    errors.add(
                        location,
                        f"invalid id '{entity_id}': ids are 1-64 letters, digits, '.', '_' or '-'",
                    )
                    continue
                value_location = body.value_locations[entity_id]
                raw = RawEntity(entity_id, kind, section, entity_data, location, value_location)
                previous = first_seen.get(entity_id)
                if previous is not None:
                    errors.add(
                        location,
                        f"duplicate id '{entity_id}': already used by the {previous.kind} "
                        f"at {previous.location}",
                    )
                    continue
                first_seen[entity_id] = raw
                entities.append(raw)
    return entities, defaults


def validate_defaults(blocks: list[tuple[str, Any, Location]], errors: Collector) -> Defaults:
    if not blocks:
        return Defaults()
    if len(blocks) > 1:
        errors.add(blocks[1][2], f"`defaults` is set twice (first at {blocks[0][2]})")
    _name, data, location = blocks[0]
    typed = validate_mapping(Defaults, data, location, "defaults", errors)
    return typed if isinstance(typed, Defaults) else Defaults()


def type_entity(raw: RawEntity, errors: Collector) -> Entity | None:
    """The pydantic entity for one raw entity, with id and location attached."""
    _kind, cls = SECTIONS[raw.section]
    entity = validate_mapping(cls, raw.data, raw.location, raw.kind, errors, raw.value_location)
    if not isinstance(entity, Entity):
        return None
    place(entity, raw.location, raw.id)
    for index, waiver in enumerate(entity.waive):
        place(waiver, locate(raw.data, ("waive", index), raw.location))
    check_entity_shape(entity, raw, errors)
    return entity


def validate_mapping(
    cls: type[BaseModel],
    data: Any,
    location: Location,
    what: str,
    errors: Collector,
    value_location: Location | None = None,
) -> BaseModel | None:
    if data is None:
        data = LocatedMap(location)
    if not isinstance(data, dict):
        errors.add(
            value_location or location,
            f"a {what} must be a mapping of fields, not {describe_type(data)}",
        )
        return None
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        for detail in error.errors():
            path = tuple(detail["loc"])
            errors.add(
                error_location(data, path, detail["type"], location), error_message(cls, detail)
            )
        return None


def error_location(data: Any, path: tuple[Any, ...], kind: str, fallback: Location) -> Location:
    # An unknown field is reported at its key, a missing one at the mapping
    # that lacks it; anything else at the offending value.
    if kind == "extra_forbidden" and path:
        parent = data
        for step in path[:-1]:
            parent = parent[step] if isinstance(parent, (dict, list)) else parent
        return key_location(parent, str(path[-1]), locate(data, path[:-1], fallback))
    if kind == "missing":
        # A field missing from the entity itself is reported at the entity's id.
        return locate(data, path[:-1], fallback) if len(path) > 1 else fallback
    return locate(data, path, fallback)


def error_message(cls: type[BaseModel], detail: Any) -> str:
    path = [str(step) for step in detail["loc"]]
    field = ".".join(path)
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        known = field_names(model_at(cls, detail["loc"][:-1]))
        return f"unknown field '{path[-1]}'{did_you_mean(path[-1], known)}"
    if kind == "missing":
        return f"missing required field '{path[-1]}'"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", detail["ctx"]["expected"])
        hint = did_you_mean(str(value), expected) if isinstance(value, str) else ""
        return f"`{field}`: {value!r} is not one of {', '.join(expected)}{hint}"
    if kind == "value_error":
        return f"`{field}`: {detail['ctx']['error']}"
    message = str(detail["msg"])
    message = message.replace("Input should be", "should be").replace("a valid tuple", "a list")
    prefix = f"`{field}`: " if field else ""
    return f"{prefix}{message}, got {describe_type(value)}"


def model_at(cls: type[BaseModel], path: Sequence[Any]) -> type[BaseModel]:
    """The pydantic class that validates the mapping at `path` (for field suggestions)."""
    if path and path[0] == "waive":
        return Waiver
    return cls


def field_names(cls: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in cls.model_fields.items()]


def describe_type(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"{type(value).__name__} {value!r}"


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
    elif isinstance(entity, Backup):
        if entity.target is None and entity.method != "snapshot":
            errors.add(
                where,
                f"a `{entity.method}` backup needs a `target` repository; "
                "only `snapshot` stays on the source's own storage",
            )
        if entity.target is not None and entity.target == entity.source:
            errors.add(field_location(raw, "target"), "a backup cannot target its own source")


def field_location(raw: RawEntity, name: str) -> Location:
    return locate(raw.data, (name,), raw.location)


# Which kinds each reference field accepts: (field, kinds).
REFERENCE_FIELDS: dict[type[Entity], tuple[tuple[str, tuple[str, ...]], ...]] = {
    Domain: (("in", ("domain", "host")),),
    Host: (("in", ("domain",)), ("hypervisor", ("host",))),
    Service: (("host", ("host",)), ("depends_on", ("service",)), ("data", ("datastore",))),
    Datastore: (("host", ("host",)), ("in", ("domain",)), ("key", ("key",))),
    Repository: (("host", ("host",)), ("in", ("domain",)), ("key", ("key",))),
    Key: (("stored_in", ("datastore", "host", "domain")),),
    Backup: (
        ("source", ("datastore", "host", "repository")),
        ("target", ("repository",)),
        ("runs_on", ("host",)),
    ),
    Drill: (("restores", ("service", "datastore")), ("from", ("repository",))),
}


def check_references(
    entity: Entity,
    raw: RawEntity,
    kinds: dict[str, str],
    entities: dict[str, Entity],
    errors: Collector,
) -> None:
    resolved_ok = True
    for field, accepted in REFERENCE_FIELDS[type(entity)]:
        for target, location in reference_values(raw.data, field, raw.location):
            if not check_reference(target, field, accepted, location, kinds, errors):
                resolved_ok = False
    # Meaning is checked only when every entity named was itself valid: an
    # invalid one has been reported already.
    named = [
        target
        for field, _ in REFERENCE_FIELDS[type(entity)]
        for target, _loc in reference_values(raw.data, field, raw.location)
    ]
    if resolved_ok and all(target in entities for target in named):
        check_reference_meaning(entity, raw, entities, errors)


def reference_values(data: Any, field: str, fallback: Location) -> Iterable[tuple[str, Location]]:
    """The ids a field names, each with its location (a field may hold one id or a list)."""
    if not isinstance(data, LocatedMap) or field not in data:
        return []
    value = data[field]
    if isinstance(value, LocatedList):
        return [(str(item), loc) for item, loc in zip(value, value.item_locations, strict=True)]
    if value is None:
        return []
    return [(str(value), data.value_locations.get(field, fallback))]


def check_reference(
    target: str,
    field: str,
    accepted: tuple[str, ...],
    location: Location,
    kinds: dict[str, str],
    errors: Collector,
) -> bool:
    kind = kinds.get(target)
    if kind is None:
        candidates = [id_ for id_, k in kinds.items() if k in accepted]
        errors.add(
            location,
            f"`{field}`: no {' or '.join(accepted)} named '{target}'"
            f"{did_you_mean(target, candidates)}",
        )
        return False
    if kind not in accepted:
        errors.add(
            location,
            f"`{field}`: '{target}' is a {kind}; `{field}` accepts {an(' or '.join(accepted))}",
        )
        return False
    return True


def an(words: str) -> str:
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"


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
    source = entities[backup.source]
    location = field_location(raw, "method")
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
