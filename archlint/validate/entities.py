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

from archlint.load.model import Document
from archlint.model.entities import (
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
from archlint.model.errors import InvalidModel, Location, ModelError, clip, did_you_mean, quoted
from archlint.model.located import LocatedList, LocatedMap, key_location, locate

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
    kinds = Kinds({raw.id: raw.kind for raw in raw_entities})
    raw_by_id = {raw.id: raw for raw in raw_entities}
    on_cycles = check_placement_cycles(entities, raw_by_id, errors)
    for entity_id, entity in entities.items():
        check_references(entity, raw_by_id[entity_id], kinds, entities, errors, on_cycles)
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
                    f"unknown section '{clip(key)}'{did_you_mean(key, TOP_LEVEL_KEYS)}",
                )
        if "archlint" not in data:
            continue
        version = data["archlint"]
        if version is None:
            errors.add(
                data.value_locations["archlint"], "the model version is empty: write `archlint: 1`"
            )
        elif type(version) is not int or version not in SUPPORTED_VERSIONS:
            supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
            errors.add(
                data.value_locations["archlint"],
                f"unsupported model version {show(version)}: "
                f"this archlint reads version {supported}",
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
        # Sections in the order the file has them, so that of two entities with
        # one id, the one further down the files is the duplicate reported.
        for section in data:
            if section not in SECTIONS or data[section] is None:
                continue
            kind = SECTIONS[section][0]
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
                        f"invalid id '{clip(entity_id)}': "
                        "ids are 1-64 letters, digits, '.', '_' or '-'",
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
        for detail in merge_union_errors(error.errors(), data):
            path = tuple(detail["loc"])
            errors.add(
                error_location(data, path, detail["type"], location), error_message(cls, detail)
            )
        return None


# Fields typed as a union of two shapes, and what to say when a value has neither:
# pydantic reports one error per shape, but the user wrote one value.
UNION_FIELDS = {
    "retention": "free text or a mapping of names to counts, e.g. {daily: 7, weekly: 4}",
}


def merge_union_errors(details: Sequence[Any], data: Any) -> list[Any]:
    """pydantic's errors with those about one union field merged into one.

    pydantic tags each shape's errors with the shape's name as a path step
    (`retention.str`, `retention.dict[str,int].daily`). When the value is a
    mapping, the errors inside the mapping shape are the useful ones, with the
    tag dropped; otherwise one error says which shapes are accepted.
    """
    merged: list[Any] = []
    done: set[str] = set()
    # Fields with an error inside one of their shapes (a mapping entry), found in
    # one pass: a mapping of 100,000 bad entries must not make this quadratic.
    deep = {d["loc"][0] for d in details if len(d["loc"]) > 2 and d["loc"][0] in UNION_FIELDS}
    for detail in details:
        path = tuple(detail["loc"])
        if len(path) < 2 or path[0] not in UNION_FIELDS:
            merged.append(detail)
            continue
        field = path[0]
        value = data.get(field) if isinstance(data, dict) else None
        if isinstance(value, dict) and field in deep:
            if len(path) > 2:  # an error inside the mapping: keep it, without the tag
                merged.append({**detail, "loc": (field, *path[2:])})
        elif field not in done:
            done.add(field)
            merged.append(
                {
                    "loc": (field,),
                    "type": "value_error",
                    "input": value,
                    "ctx": {
                        "error": f"should be {UNION_FIELDS[field]}, got {describe_type(value)}"
                    },
                }
            )
    return merged


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
        return f"unknown field '{clip(path[-1])}'{did_you_mean(path[-1], known)}"
    if path[:1] == ["waive"] and path[-1] == "reason":
        if kind == "missing":
            return "missing required field 'reason': a waiver must say why its finding is accepted"
        if kind == "string_too_short":
            return f"`{field}` is empty: a waiver must say why its finding is accepted"
    if kind == "missing":
        return f"missing required field '{path[-1]}'"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", detail["ctx"]["expected"])
        hint = did_you_mean(str(value), expected) if isinstance(value, str) else ""
        return f"`{field}`: {show(value)} is not one of {', '.join(expected)}{hint}"
    if kind == "value_error":
        return f"`{field}`: {detail['ctx']['error']}"
    if kind == "model_type" and path[:1] == ["waive"]:
        return (
            f"`{field}`: a waiver is a mapping {{rule, reason, until}}, got {describe_type(value)}"
        )
    if kind == "too_short":
        least = detail["ctx"]["min_length"]
        return f"`{field}`: should list at least {least} item{'s' if least != 1 else ''}, got none"
    if kind == "string_too_short":
        return f"`{field}`: should not be empty"
    message = str(detail["msg"])
    message = message.replace("Input should be", "should be").replace("a valid tuple", "a list")
    message = message.replace("a valid dictionary", "a mapping")
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
        return f"a number ({clip(str(value))})"
    return f"{type(value).__name__} {show(value)}"


def show(value: Any) -> str:
    """A scalar as written in YAML, for messages; never a whole mapping or list."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return quoted(value)
    return clip(str(value))


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
        if entity.target is None and entity.method != "snapshot":
            errors.add(
                where,
                f"a `{entity.method}` backup needs a `target` repository; "
                "only `snapshot` stays on the source's own storage",
            )
        if entity.target is not None and entity.target == entity.source:
            errors.add(field_location(raw, "target"), "a backup cannot target its own source")


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


class Kinds:
    """The kind of every id, and "did you mean" hints for ids that are unknown.

    A hint compares the unknown id with every id of the kinds the field accepts,
    so a model with thousands of dangling references would make hints cost the
    square of its size (4,000 took minutes). Hints are therefore given within a
    budget of comparisons: every hint a person can read, no hang for a hostile
    model. The candidate lists are built once per set of accepted kinds.
    """

    MAX_COMPARISONS = 100_000

    def __init__(self, kinds: dict[str, str]) -> None:
        self.kinds = kinds
        self.candidates: dict[tuple[str, ...], list[str]] = {}
        self.budget = self.MAX_COMPARISONS

    def get(self, entity_id: str) -> str | None:
        return self.kinds.get(entity_id)

    def hint(self, word: str, accepted: tuple[str, ...]) -> str:
        candidates = self.candidates.get(accepted)
        if candidates is None:
            candidates = sorted(i for i, kind in self.kinds.items() if kind in accepted)
            self.candidates[accepted] = candidates
        if len(candidates) > self.budget:
            return ""
        self.budget -= len(candidates)
        return did_you_mean(word, candidates)


def check_references(
    entity: Entity,
    raw: RawEntity,
    kinds: Kinds,
    entities: dict[str, Entity],
    errors: Collector,
    on_cycles: set[str],
) -> None:
    resolved_ok = True
    named: list[str] = []
    for field, accepted in REFERENCE_FIELDS[type(entity)]:
        for target, location in reference_values(raw.data, field, raw.location):
            named.append(target)
            if not check_reference(target, field, accepted, location, kinds, errors):
                resolved_ok = False
    # Meaning is checked only when every entity named was itself valid (an
    # invalid one has been reported already), and not on a placement cycle:
    # what its parent may be is moot until the cycle is broken.
    if resolved_ok and entity.id not in on_cycles and all(target in entities for target in named):
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
    kinds: Kinds,
    errors: Collector,
) -> bool:
    kind = kinds.get(target)
    if kind is None:
        errors.add(
            location,
            f"`{field}`: no {' or '.join(accepted)} named '{clip(target)}'"
            f"{kinds.hint(target, accepted)}",
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


def placement_parent(entity: Entity) -> tuple[str, str] | None:
    """The field and id an entity is placed by: `in`, else a VM's `hypervisor`."""
    if isinstance(entity, Domain | Host) and entity.in_ is not None:
        return "in", entity.in_
    if isinstance(entity, Host) and entity.hypervisor is not None:
        return "hypervisor", entity.hypervisor
    return None


def check_placement_cycles(
    entities: dict[str, Entity], raw_by_id: dict[str, RawEntity], errors: Collector
) -> set[str]:
    """Report every cycle of `in`/`hypervisor` links once; return the ids on cycles.

    Each entity has at most one parent, so following parents from every entity
    in turn, and never walking a visited entity twice, finds every cycle in
    time linear in the model: a walk that reaches an entity of its own path
    has closed a cycle. (The kind rules, such as "a site is in something
    broader", happen to exclude cycles too, but their message would not say
    what is wrong, and later stages must never meet a cycle.)
    """
    # Only entities with a parent can be on a cycle; most models place few.
    parents: dict[str, str] = {}
    for entity_id, entity in entities.items():
        parent = placement_parent(entity)
        if parent is not None and parent[1] in entities:
            parents[entity_id] = parent[1]
    walk_of: dict[str, int] = {}  # entity id -> the walk that first reached it
    on_cycles: set[str] = set()
    for walk, start in enumerate(parents):
        path: list[str] = []
        node = start
        while node in parents and node not in walk_of:
            walk_of[node] = walk
            path.append(node)
            node = parents[node]
        if walk_of.get(node) == walk:  # back on this walk's own path: a cycle
            cycle = path[path.index(node) :]
            on_cycles.update(cycle)
            report_cycle(cycle, entities, raw_by_id, errors)
    return on_cycles


def report_cycle(
    cycle: list[str],
    entities: dict[str, Entity],
    raw_by_id: dict[str, RawEntity],
    errors: Collector,
) -> None:
    # Start at the cycle's first entity in the files, so the report is stable.
    first = min(range(len(cycle)), key=lambda index: raw_by_id[cycle[index]].location)
    ordered = cycle[first:] + cycle[:first]
    links = []
    for entity_id in ordered:
        parent = placement_parent(entities[entity_id])
        assert parent is not None  # every entity on a cycle has a parent
        field, parent_id = parent
        links.append(f"{'runs on' if field == 'hypervisor' else 'is in'} '{parent_id}'")
    field = "hypervisor" if links[0].startswith("runs") else "in"
    errors.add(
        field_location(raw_by_id[ordered[0]], field),
        f"`{field}` makes a cycle: '{ordered[0]}' {', which '.join(links)}; "
        "nothing can be inside itself or run on itself",
    )


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
