"""The importers' common ground: a draft model being built from other tools' files.

An importer reads configuration files and adds entities to a `Draft`. Each entity
remembers the file and line it came from (`origin`) and what the files could not
say (`todos`); `emit` writes the draft as model YAML with both as comments.
Nothing here guesses: a field the files do not give is left out or made a TODO.

Importer modules live in this package, one per tool, each with a function
`import_files(paths: list[Path], options: ImportOptions) -> Draft`, and is found by
`registry` from its module name. What the joins and drift rely on:

- `Draft(tool="borgmatic")`: the tool name is stamped on every entity it adds.
- Paths a backup tool reads become datastores through `path_datastore(host, path, ...)`
  (match keys `host` and `path`, the path as the tool sees it). `merge` replaces them
  by the Compose datastores they are, through the mounts of the tool's own container
  when a Compose service runs the tool (its image names the tool).
- A repository gets `match={"tool": ..., "url": ...}` and the `url` field (where the
  tool reaches it, secrets removed); a backup gets its model fields only: drift
  matches it by source, target and method.
- Errors: `fail(origin_or_location, message)` stops with a located error, exit 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Protocol

from archlint.load.limits import Limits
from archlint.model.errors import InvalidModel, Location, ModelError, clip

# In the order a person reads a model: where things are, then what runs, then copies.
SECTIONS = ("domains", "hosts", "services", "datastores", "repositories", "keys", "backups")
MAX_ID = 64
DEFAULT_LIMITS = Limits()
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Origin:
    """Where an entity came from: a file as the user named it, and a 1-based line."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def location(self) -> Location:
        return Location(self.file, self.line, self.column)


@dataclass
class DraftEntity:
    """One entity of the draft: model fields plus what the importer knows about them.

    `match` holds what the entity *is* for joins and drift (a datastore's host and
    path or volume, a repository's tool and URL); it is never written to the model.
    """

    section: str
    id: str
    fields: dict[str, Any]
    origin: Origin | None
    todos: list[str] = field(default_factory=list)
    match: dict[str, str] = field(default_factory=dict)
    tool: str = ""  # the importer that made it ("" for entities of an existing model)


@dataclass(frozen=True)
class ImportOptions:
    """What the command line tells every importer."""

    host: str | None = None  # the host the files describe, when they cannot say it
    site: str | None = None  # the site that host is at
    env_files: tuple[Path, ...] = ()  # variables for interpolation (Compose)
    limits: Limits = DEFAULT_LIMITS


class Importer(Protocol):
    """The function each importer module exposes as `import_files`."""

    def __call__(self, paths: list[Path], options: ImportOptions) -> Draft: ...


def fail(origin: Origin | Location, message: str) -> NoReturn:
    """Stop the import with one located error (the CLI prints it and exits 2)."""
    at = origin.location() if isinstance(origin, Origin) else origin
    raise InvalidModel([ModelError(at, message)])


def slug(text: str, fallback: str = "item") -> str:
    """`text` as a valid model id: runs of other characters become '-', cut to 64."""
    cleaned = _NOT_ID.sub("-", text).strip("-.")
    return cleaned[:MAX_ID].rstrip("-.") or fallback


class Draft:
    """A model under construction: sections of entities in the order they were added.

    Ids are one namespace across sections, as in a model: `add` turns any hint into
    a valid id and makes it unique by appending -2, -3, ... so output never depends
    on anything but the order of the input.
    """

    def __init__(self, tool: str = "") -> None:
        self.tool = tool
        self.sections: dict[str, dict[str, DraftEntity]] = {name: {} for name in SECTIONS}
        self.sources: list[str] = []  # the files read, as named by the user
        self.notes: list[str] = []  # model-wide remarks written at the top of the output
        # For joins: service id -> [(path inside its container, datastore id)].
        self.mounts: dict[str, list[tuple[str, str]]] = {}

    # -- building ------------------------------------------------------------

    def add(
        self,
        section: str,
        hint: str,
        fields: Mapping[str, Any],
        origin: Origin | None,
        todos: Iterable[str] = (),
        match: Mapping[str, str] | None = None,
    ) -> str:
        """Add an entity under a fresh id derived from `hint`; return the id."""
        if section not in self.sections:
            raise ValueError(f"unknown section {section!r}")
        entity_id = self.unique_id(hint)
        self.sections[section][entity_id] = DraftEntity(
            section,
            entity_id,
            dict(fields),
            origin,
            [clip(todo, 300) for todo in todos],
            dict(match or {}),
            self.tool,
        )
        return entity_id

    def unique_id(self, hint: str, taken: Iterable[str] = ()) -> str:
        """A valid id from `hint` used by no entity and not in `taken`."""
        base = slug(hint)
        reserved = set(taken)
        candidate, number = base, 1
        while candidate in self or candidate in reserved:
            number += 1
            suffix = f"-{number}"
            candidate = base[: MAX_ID - len(suffix)].rstrip("-.") + suffix
        return candidate

    def todo(self, entity_id: str, text: str) -> None:
        """Add a TODO to an entity, once."""
        entity = self[entity_id]
        text = clip(text, 300)
        if text not in entity.todos:
            entity.todos.append(text)

    def ensure_site(self, options: ImportOptions) -> str:
        """The site of the imported hosts: `--site`, else one placeholder with a TODO."""
        name = options.site or "site"
        existing = self.find("domains", placeholder="site", name=name)
        if existing is not None:
            return existing.id
        todos = [] if options.site else ["name the site these hosts are at (--site NAME)"]
        match = {"placeholder": "site", "name": name}
        return self.add("domains", name, {"kind": "site"}, None, todos, match)

    def ensure_host(self, name: str | None, options: ImportOptions, origin: Origin | None) -> str:
        """A host by name (`--host` when the files do not say), created at the site if
        new; without either, one placeholder host `host` with a TODO."""
        chosen = name or options.host or "host"
        existing = self.find("hosts", placeholder="host", name=chosen)
        if existing is None and (name or options.host):
            existing = self.get(slug(chosen))  # a host the importer added itself
        if existing is not None and existing.section == "hosts":
            return existing.id
        todos = ["check the host's kind (server, vm, nas, ...)"]
        if not (name or options.host):
            todos.insert(0, "name the host these files run on (--host NAME)")
        site = self.ensure_site(options)
        fields = {"kind": "server", "in": site}
        match = {"placeholder": "host", "name": chosen}
        return self.add("hosts", chosen, fields, origin, todos, match)

    def find(self, section: str, **match: str) -> DraftEntity | None:
        """The first entity of a section whose match keys include all of `match`."""
        for entity in self.sections[section].values():
            if all(entity.match.get(key) == value for key, value in match.items()):
                return entity
        return None

    def path_datastore(
        self,
        host: str,
        path: str,
        origin: Origin | None,
        fields: Mapping[str, Any] | None = None,
        todos: Iterable[str] = (),
    ) -> str:
        """The datastore at `path` on `host`, created (kind `files`) when none matches."""
        existing = self.find("datastores", host=host, path=path)
        if existing is not None:
            return existing.id
        values = {"kind": "files", "host": host, "path": path, **(fields or {})}
        hint = path.strip("/").replace("/", "-") or "root"
        return self.add(
            "datastores", hint, values, origin, todos, match={"host": host, "path": path}
        )

    # -- reading -------------------------------------------------------------

    def __contains__(self, entity_id: object) -> bool:
        return any(entity_id in entities for entities in self.sections.values())

    def __getitem__(self, entity_id: str) -> DraftEntity:
        entity = self.get(entity_id)
        if entity is None:
            raise KeyError(entity_id)
        return entity

    def get(self, entity_id: str) -> DraftEntity | None:
        for entities in self.sections.values():
            if entity_id in entities:
                return entities[entity_id]
        return None

    def entities(self, section: str | None = None) -> list[DraftEntity]:
        names = (section,) if section else SECTIONS
        return [entity for name in names for entity in self.sections[name].values()]

    def remove(self, entity_id: str) -> None:
        entity = self[entity_id]
        del self.sections[entity.section][entity_id]
