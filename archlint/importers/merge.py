"""Several drafts (and an existing model) as one, with backups joined to the data they copy.

Each importer works alone: the borgmatic importer sees only the paths borgmatic
reads, the Compose importer only the volumes and directories the containers
mount. Joining them is what makes a model say "this database is copied as raw
files while it runs" instead of "a directory is backed up":

- a datastore a backup tool made for a path is replaced by the Compose datastore
  at that path, or by every Compose datastore below it (a backup of /srv covers
  each volume in /srv): the backups that read it are pointed at those datastores;
- a path inside the backup tool's own container (borgmatic reading /mnt/source/db)
  is translated through that container's mounts (the volume `db` mounted there);
- a repository on a path that a Compose volume or directory holds is placed on
  that volume's host, and the volume stops being a datastore of its own.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from typing import Any

from archlint.importers.draft import SECTIONS, Draft, DraftEntity, Origin
from archlint.load.model import Document
from archlint.model.located import LocatedList, LocatedMap

# Fields whose values are ids of other entities.
REFERENCE_FIELDS = frozenset(
    ("in", "hypervisor", "host", "depends_on", "data", "key", "stored_in", "source", "target",
     "runs_on", "restores", "from")
)  # fmt: skip
# Sections whose entities two drafts make alike (the same `--host`, `--site`): one entity.
SHARED_SECTIONS = ("domains", "hosts")
COMPOSE = "compose"
_PASSWORD = re.compile(r"(://[^:/@\s]+):[^@/\s]*@")


def combine(drafts: Iterable[Draft], base: Draft | None = None) -> Draft:
    """One draft from several, joined by path."""
    result = base if base is not None else Draft()
    for draft in drafts:
        absorb(result, draft)
    reuse_model_entities(result)
    join_paths(result)
    record_urls(result)
    drop_unused_places(result)
    return result


def drop_unused_places(draft: Draft) -> None:
    """An imported site that no host ended up in (the host was already modelled)."""
    for domain in draft.entities("domains"):
        if domain.tool and domain.origin is None and not referenced(draft, domain.id):
            draft.remove(domain.id)


def record_urls(draft: Draft) -> None:
    """Write each imported repository's URL into the model (passwords removed), so
    that `archlint drift` can match it with the configuration later."""
    for repository in draft.entities("repositories"):
        url = repository.match.get("url")
        if url and "url" not in repository.fields and repository.tool:
            repository.fields["url"] = without_password(url)


def without_password(url: str) -> str:
    return _PASSWORD.sub(r"\1@", url)


def absorb(result: Draft, draft: Draft) -> None:
    """Add a draft's entities to `result`, renaming ids that are taken."""
    renames: dict[str, str] = {}
    shared: set[str] = set()
    taken: set[str] = set()
    for entity in draft.entities():
        existing = result.get(entity.id)
        if existing is not None and existing.section == entity.section in SHARED_SECTIONS:
            renames[entity.id] = entity.id
            shared.add(entity.id)
            if existing.tool:  # a placeholder of another import: keep every TODO
                for todo in entity.todos:
                    result.todo(existing.id, todo)
            continue
        new_id = entity.id
        if existing is not None or new_id in taken:
            new_id = result.unique_id(entity.id, taken)
        renames[entity.id] = new_id
        taken.add(new_id)
    for entity in draft.entities():
        if entity.id in shared:
            continue
        new_id = renames[entity.id]
        fields = {name: rename(name, value, renames) for name, value in entity.fields.items()}
        result.sections[entity.section][new_id] = DraftEntity(
            entity.section, new_id, fields, entity.origin, list(entity.todos),
            dict(entity.match), entity.tool,
        )  # fmt: skip
    for service, mounts in draft.mounts.items():
        result.mounts[renames[service]] = [(path, renames[ds]) for path, ds in mounts]
    result.sources.extend(draft.sources)
    result.notes.extend(note for note in draft.notes if note not in result.notes)


def reuse_model_entities(draft: Draft) -> None:
    """An imported datastore or repository that an existing model already has (same
    host and path, same tool and url) is that entity: references move to it."""
    renames: dict[str, str] = {}
    for entity in draft.entities("datastores") + draft.entities("repositories"):
        if not entity.tool:
            continue
        keys = ("host", "path") if entity.section == "datastores" else ("tool", "url")
        if not all(entity.match.get(key) for key in keys):
            continue
        for known in draft.sections[entity.section].values():
            if not known.tool and all(known.match.get(k) == entity.match[k] for k in keys):
                renames[entity.id] = known.id
                break
    for old in renames:
        draft.remove(old)
    for entity in draft.entities():
        for name, value in entity.fields.items():
            entity.fields[name] = rename(name, value, renames)
    for service, mounts in draft.mounts.items():
        draft.mounts[service] = [(path, renames.get(ds, ds)) for path, ds in mounts]


def rename(name: str, value: Any, renames: dict[str, str]) -> Any:
    if name not in REFERENCE_FIELDS:
        return value
    if isinstance(value, str):
        return renames.get(value, value)
    if isinstance(value, list):
        return [renames.get(item, item) if isinstance(item, str) else item for item in value]
    return value


# --------------------------------------------------------------------------
# Joining by path


def join_paths(draft: Draft) -> None:
    for entity in list(draft.entities("datastores")):
        if entity.tool in ("", COMPOSE):
            continue
        if "volume" in entity.match:
            found = same_volume(draft, entity)
        elif "path" in entity.match:
            found = covering(draft, entity)
        else:
            continue
        if found:
            replace_source(draft, entity, found)
    for repository in draft.entities("repositories"):
        if repository.tool not in ("", COMPOSE) and local_path(repository):
            place_repository(draft, repository)


def local_path(repository: DraftEntity) -> str:
    """The path of a repository on the job's own file system, or ""."""
    path = repository.match.get("path") or repository.match.get("url", "")
    return path if path.startswith("/") else ""


def covering(draft: Draft, entity: DraftEntity) -> list[str]:
    """The Compose datastores a backup tool's path is, or holds."""
    path = entity.match["path"]
    inside = through_container(draft, entity.tool, path)
    if inside:
        for service in tool_containers(draft, entity.tool):
            data = draft[service].fields.get("data")
            if isinstance(data, list):  # the tool reads them; its container does not need them
                data[:] = [store for store in data if store not in inside]
        return inside
    host = entity.match.get("host")
    return [
        other.id
        for other in draft.entities("datastores")
        if other.tool in ("", COMPOSE)
        and other.id != entity.id
        and other.match.get("host") == host
        and related(path, other.match.get("path", ""))
    ]


def same_volume(draft: Draft, entity: DraftEntity) -> list[str]:
    """The Compose datastore of a named volume a backup tool reads."""
    volume = entity.match["volume"]
    return [
        other.id
        for other in draft.entities("datastores")
        if other.tool in ("", COMPOSE) and other.id != entity.id
        and other.match.get("volume") == volume
        and other.match.get("host") == entity.match.get("host")
    ]  # fmt: skip


def related(path: str, other: str) -> bool:
    """`path` is `other`, inside it, or holds it."""
    if not other:
        return False
    return path == other or below(path, other) or below(other, path)


def below(path: str, parent: str) -> bool:
    parent = parent.rstrip("/") or "/"
    return path.startswith(parent if parent == "/" else parent + "/") and path != parent


def through_container(draft: Draft, tool: str, path: str) -> list[str]:
    """The datastores mounted at or below `path` in a container that runs `tool`."""
    found: list[str] = []
    for service in tool_containers(draft, tool):
        for target, store in draft.mounts.get(service, []):
            if posixpath.normpath(target) == path or below(path, target) or below(target, path):
                found.append(store)
    return list(dict.fromkeys(found))


def tool_containers(draft: Draft, tool: str) -> list[str]:
    """Compose services that run a backup tool: its name is in the image, build or name."""
    return [
        service.id
        for service in draft.entities("services")
        if service.tool == COMPOSE
        and any(tool in service.match.get(key, "").lower() for key in ("image", "build", "name"))
    ]


def replace_source(draft: Draft, entity: DraftEntity, stores: list[str]) -> None:
    """Point the backups of a tool's path datastore at the datastores it is."""
    for backup in list(draft.entities("backups")):
        if backup.fields.get("source") != entity.id:
            continue
        backup.fields["source"] = stores[0]
        note = f"{entity.match['path']} is {', '.join(stores)}"
        backup.todos.append(f"joined by path: {note}; check that this is what it copies")
        for extra in stores[1:]:
            fields = {**backup.fields, "source": extra}
            added = draft.add(
                "backups", f"{backup.id}-{extra}", fields, backup.origin, backup.todos, backup.match
            )
            draft[added].tool = backup.tool
    if not referenced(draft, entity.id):
        draft.remove(entity.id)


def place_repository(draft: Draft, repository: DraftEntity) -> None:
    """A repository kept on a Compose volume or directory is on that datastore's host."""
    stores = through_container(draft, repository.tool, local_path(repository))
    if len(stores) != 1:
        return
    store = draft[stores[0]]
    host = store.fields.get("host")
    if not isinstance(host, str):
        return
    repository.fields.pop("in", None)
    repository.fields["host"] = host
    repository.todos.append(f"kept on {store.id} ({store.fields.get('path', '')})")
    for service in draft.entities("services"):
        data = service.fields.get("data")
        if isinstance(data, list) and store.id in data:
            data.remove(store.id)
    for mounts in draft.mounts.values():
        mounts[:] = [(target, ds) for target, ds in mounts if ds != store.id]
    if not referenced(draft, store.id):
        draft.remove(store.id)


def referenced(draft: Draft, entity_id: str) -> bool:
    for entity in draft.entities():
        for name, value in entity.fields.items():
            if name in REFERENCE_FIELDS and (
                value == entity_id or (isinstance(value, list) and entity_id in value)
            ):
                return True
    return False


# --------------------------------------------------------------------------
# An existing model as a draft (`--into`)


def model_draft(documents: list[Document]) -> Draft:
    """The entities of a loaded model, with their locations as origins."""
    draft = Draft("")
    for document in documents:
        draft.sources.append(document.data.location.file)
        for section in SECTIONS:
            entities = document.data.get(section)
            if not isinstance(entities, LocatedMap):
                continue
            for entity_id, fields in entities.items():
                at = entities.key_locations[entity_id]
                values = plain(fields) if isinstance(fields, LocatedMap) else {}
                draft.sections[section][entity_id] = DraftEntity(
                    section, entity_id, values, Origin(at.file, at.line, at.column),
                    match=model_match(section, values),
                )  # fmt: skip
    return draft


def model_match(section: str, fields: dict[str, Any]) -> dict[str, str]:
    match: dict[str, str] = {}
    for key in ("host", "path", "tool", "url"):
        if isinstance(fields.get(key), str):
            match[key] = fields[key]
    return match if section in ("datastores", "repositories") else {}


def plain(value: Any) -> Any:
    if isinstance(value, LocatedMap):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, LocatedList):
        return [plain(item) for item in value]
    return value
