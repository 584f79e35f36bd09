"""`archlint import compose`: Compose files to services, datastores and their configuration.

What it reads (the Compose specification): `services` with `image`, `build`,
`volumes` (short `SRC:DST[:MODE]` and long syntax), `depends_on` (list and map
forms), `network_mode: service:x`, `labels`, `env_file`; top-level `volumes`
(`name`, `external`, a local driver bound to a device); `x-` extensions and merge
keys; `${VAR}`, `${VAR:-default}` and the other operators, `$$`. Variables come from
the `.env` file next to the Compose files, or from the `--env` files instead, never
from the environment archlint runs in.

Files in one directory are one project, merged as `docker compose -f a -f b` does;
files in different directories are different projects. Each service becomes a
service; each named volume and each bind mount becomes a datastore (host system
paths such as the Docker socket, /etc/localtime, /proc are left out); a database
recognised from its image makes its data mount a `database` datastore with its
engine; every Compose file and env file becomes a `config` datastore.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.yamlread import read_text, read_yaml
from archlint.model.durations import parse_duration
from archlint.model.errors import Location, clip
from archlint.model.located import LocatedList, LocatedMap

TOOL = "compose"

# Host paths that are the machine's own, not data: a mount of them or below is left out.
SYSTEM_PATHS = (
    "/dev",
    "/proc",
    "/sys",
    "/run",
    "/var/run",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/hostname",
    "/etc/hosts",
    "/etc/resolv.conf",
    "/etc/machine-id",
    "/etc/os-release",
    "/usr/share/zoneinfo",
    "/lib/modules",
    "/var/log",
)
# Mounted whole, these are the machine's own; a directory below them may be data.
SYSTEM_DIRECTORIES = ("/", "/tmp", "/var/lib/docker", "/etc", "/var/lib")
# Engines by image name: the first pattern found in the image's repository path wins.
DATABASE_IMAGES = (
    (re.compile(r"postgis|timescale|pgvecto|vectorchord|pgvector|postgres"), "postgresql"),
    (re.compile(r"mariadb"), "mariadb"),
    (re.compile(r"mysql|percona"), "mysql"),
    (re.compile(r"mongo"), "mongodb"),
    (re.compile(r"redis|valkey|keydb|dragonfly"), "redis"),
    (re.compile(r"influxdb"), "influxdb"),
    (re.compile(r"elasticsearch|opensearch"), "elasticsearch"),
    (re.compile(r"couchdb|clickhouse|cassandra|neo4j|memcached|etcd"), "other"),
)
# Where each engine's official and common images keep their data.
DATA_DIRS = {
    "postgresql": ("/var/lib/postgresql", "/bitnami/postgresql", "/home/postgres/pgdata"),
    "mariadb": ("/var/lib/mysql", "/bitnami/mariadb", "/config"),
    "mysql": ("/var/lib/mysql", "/bitnami/mysql"),
    "mongodb": ("/data/db", "/bitnami/mongodb"),
    "redis": ("/data", "/bitnami/redis"),
    "influxdb": ("/var/lib/influxdb", "/var/lib/influxdb2"),
    "elasticsearch": ("/usr/share/elasticsearch/data", "/usr/share/opensearch/data"),
    "other": (),
}
CONFIG_SUFFIXES = (
    ".conf", ".cnf", ".cfg", ".ini", ".yml", ".yaml", ".toml", ".json", ".xml", ".env",
    ".properties", ".js", ".php", ".sh", "Caddyfile",
)  # fmt: skip
CRITICALITIES = ("low", "medium", "high", "critical")
LABEL_PREFIX = "archlint."
_VARIABLE = re.compile(r"\$(\$|\{|[_A-Za-z][_A-Za-z0-9]*)")
_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")


# --------------------------------------------------------------------------
# Interpolation


class Variables:
    """Variables for interpolation, and the ones a file asked for that were not set."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.missing: dict[str, Location] = {}

    def interpolate(self, text: str, at: Location) -> str:
        result, end = self._expand(text, 0, at, stop="")
        return result + text[end:]

    def _expand(self, text: str, start: int, at: Location, stop: str) -> tuple[str, int]:
        """Expand from `start` until an unmatched `stop` character (or the end)."""
        out: list[str] = []
        index = start
        while index < len(text):
            char = text[index]
            if stop and char == stop:
                return "".join(out), index
            if char != "$" or index + 1 >= len(text):
                out.append(char)
                index += 1
                continue
            following = text[index + 1]
            if following == "$":
                out.append("$")
                index += 2
            elif following == "{":
                value, index = self._braced(text, index + 2, at)
                out.append(value)
            else:
                name = _NAME.match(text, index + 1)
                if name is None:  # not a variable: Compose keeps the `$`
                    out.append(char)
                    index += 1
                    continue
                out.append(self._lookup(name.group(), at, f"${{{name.group()}}}"))
                index = name.end()
        return "".join(out), index

    def _braced(self, text: str, start: int, at: Location) -> tuple[str, int]:
        name = _NAME.match(text, start)
        if name is None:
            fail(at, f"invalid interpolation in {clip(text)!r}: expected a variable name")
        index = name.end()
        variable = name.group()
        operator = ""
        for candidate in (":-", ":?", ":+", "-", "?", "+"):
            if text.startswith(candidate, index):
                operator = candidate
                index += len(candidate)
                break
        operand, index = self._expand(text, index, at, stop="}") if operator else ("", index)
        if index >= len(text) or text[index] != "}":
            fail(at, f"invalid interpolation in {clip(text)!r}: missing '}}'")
        value = self.values.get(variable)
        empty = not value
        if operator in (":-", "-"):
            use_default = value is None or (operator == ":-" and empty)
            return (operand if use_default else value or ""), index + 1
        if operator in (":+", "+"):
            use = value is not None and not (operator == ":+" and empty)
            return (operand if use else ""), index + 1
        return self._lookup(variable, at, f"${{{variable}}}"), index + 1

    def _lookup(self, variable: str, at: Location, written: str) -> str:
        value = self.values.get(variable)
        if value is None:
            self.missing.setdefault(variable, at)
            return written  # kept as written: a TODO says to set it
        return value


def read_env_file(path: Path, display: str, options: ImportOptions) -> dict[str, str]:
    """KEY=VALUE lines of a dotenv file: comments, `export`, quotes; values may use
    variables defined before them. Values are used for interpolation only and never
    written to the model."""
    values: dict[str, str] = {}
    variables = Variables(values)
    text = read_text(path, display, options.limits)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").lstrip()
        key, equals, value = line.partition("=")
        key = key.strip()
        if not equals or not _NAME.fullmatch(key):
            fail(Location(display, number, 1), "expected KEY=VALUE in an env file")
        value = value.strip()
        at = Location(display, number, len(key) + 2)
        if len(value) >= 2 and value[0] == value[-1] == "'":
            values[key] = value[1:-1]
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            inner = value[1:-1].replace("\\n", "\n").replace('\\"', '"')
            values[key] = variables.interpolate(inner, at)
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0]
            values[key] = variables.interpolate(value, at)
    return values


def interpolate_tree(data: Any, variables: Variables, seen: set[int]) -> None:
    """Interpolate every string value in place (keys are not interpolated).

    `seen` stops an aliased node from being interpolated twice (`$$` would unescape
    twice)."""
    if id(data) in seen:
        return
    seen.add(id(data))
    if isinstance(data, LocatedMap):
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = variables.interpolate(value, data.value_locations[key])
            else:
                interpolate_tree(value, variables, seen)
    elif isinstance(data, LocatedList):
        for index, value in enumerate(data):
            if isinstance(value, str):
                data[index] = variables.interpolate(value, data.item_locations[index])
            else:
                interpolate_tree(value, variables, seen)


# --------------------------------------------------------------------------
# The project: services and volumes merged from the project's files


@dataclass
class Mount:
    """A volume or bind mount of a service."""

    kind: str  # "volume" or "bind"
    source: str  # the volume's name or the host path; "" for an anonymous volume
    target: str  # the path inside the container
    read_only: bool
    origin: Origin


@dataclass
class ServiceSpec:
    name: str
    origin: Origin
    files: list[str] = field(default_factory=list)
    image: str = ""
    build: str = ""
    mounts: dict[str, Mount] = field(default_factory=dict)  # by target, so overrides replace
    depends_on: list[str] = field(default_factory=list)
    labels: dict[str, tuple[str, Origin]] = field(default_factory=dict)
    env_files: list[tuple[str, Origin]] = field(default_factory=list)
    # Top-level secrets and configs it uses: ("secrets" | "configs", name).
    uses: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class VolumeSpec:
    name: str  # the name Docker gives it
    origin: Origin
    external: bool = False
    device: str = ""  # a local driver bound to a host directory


@dataclass
class Project:
    name: str
    directory: str  # as the user named the files
    files: list[tuple[str, Origin]] = field(default_factory=list)
    env_file: tuple[str, Origin] | None = None
    services: dict[str, ServiceSpec] = field(default_factory=dict)
    volumes: dict[str, VolumeSpec] = field(default_factory=dict)
    # Top-level secrets and configs kept in files: (section, name) -> (host path, origin).
    file_entries: dict[tuple[str, str], tuple[str, Origin]] = field(default_factory=dict)
    missing: dict[str, Location] = field(default_factory=dict)


def import_files(paths: list[Path], options: ImportOptions) -> Draft:
    """A draft of the Compose projects the files make up."""
    draft = Draft(TOOL)
    for directory, files in group_by_directory(paths).items():
        project = read_project(directory, files, options)
        add_project(draft, project, options)
    return draft


def group_by_directory(paths: list[Path]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(posixpath.dirname(path.as_posix()) or ".", []).append(path)
    return groups


def read_project(directory: str, files: list[Path], options: ImportOptions) -> Project:
    values: dict[str, str] = {}
    project = Project(project_name(posixpath.basename(posixpath.abspath(directory))), directory)
    env_paths = list(options.env_files)
    dot_env = Path(directory) / ".env"
    if not env_paths and dot_env.is_file():
        env_paths = [dot_env]
        project.env_file = (dot_env.as_posix(), Origin(dot_env.as_posix(), 1))
    for env_path in env_paths:
        values.update(read_env_file(env_path, env_path.as_posix(), options))
    variables = Variables(values)
    for path in files:
        display = path.as_posix()
        data = read_yaml(path, display, options.limits)
        interpolate_tree(data, variables, set())
        read_compose_file(project, data, display)
    project.missing = variables.missing
    return project


def project_name(text: str) -> str:
    """The project name as Compose normalises it: lowercase letters, digits, - and _."""
    return re.sub(r"[^a-z0-9_-]", "", text.lower()).lstrip("_-") or "default"


def origin_of(location: Location) -> Origin:
    return Origin(location.file, location.line, location.column)


def read_compose_file(project: Project, data: LocatedMap, display: str) -> None:
    services = data.get("services")
    if not isinstance(services, LocatedMap):
        where = data.value_locations.get("services", data.location)
        fail(
            where,
            "not a Compose file: it has no `services` mapping "
            "(pass Compose files to `archlint import compose`)",
        )
    project.files.append((display, Origin(display, 1)))
    name = data.get("name")
    if isinstance(name, str) and project_name(name) != "default" and len(project.files) == 1:
        project.name = project_name(name)
    for volume, spec in data_items(data.get("volumes")):
        project.volumes[volume] = read_volume(project, volume, spec, data["volumes"])
    for section in ("secrets", "configs"):
        for name, spec in data_items(data.get(section)):
            path = spec.get("file") if isinstance(spec, LocatedMap) else None
            if isinstance(path, str) and path:
                kept_at = origin_of(spec.value_locations["file"])
                full = host_path(project, path if path.startswith(("/", ".")) else "./" + path)
                project.file_entries[(section, name)] = (full, kept_at)
    for service_name, spec in services.items():
        at = services.key_locations[service_name]
        if not isinstance(spec, LocatedMap):
            if spec is None:
                spec = LocatedMap(at)
            else:
                fail(services.value_locations[service_name], "a service must be a mapping")
        service = project.services.setdefault(
            service_name, ServiceSpec(service_name, origin_of(at))
        )
        service.files.append(display)
        read_service(project, service, spec)


def data_items(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, LocatedMap):
        yield from value.items()


def read_volume(project: Project, name: str, spec: Any, volumes: LocatedMap) -> VolumeSpec:
    at = origin_of(volumes.key_locations[name])
    if not isinstance(spec, LocatedMap):
        return VolumeSpec(f"{project.name}_{name}", at)
    docker_name = spec.get("name")
    external = spec.get("external") is True or isinstance(spec.get("external"), LocatedMap)
    if not isinstance(docker_name, str):
        docker_name = name if external else f"{project.name}_{name}"
    options = spec.get("driver_opts")
    device = ""
    if isinstance(options, LocatedMap) and "bind" in str(options.get("o", "")):
        device = str(options.get("device", ""))
    return VolumeSpec(docker_name, at, external, device)


def read_service(project: Project, service: ServiceSpec, spec: LocatedMap) -> None:
    image = spec.get("image")
    if isinstance(image, str):
        service.image = image
    build = spec.get("build")
    if isinstance(build, str):
        service.build = build
    elif isinstance(build, LocatedMap) and isinstance(build.get("context"), str):
        service.build = build["context"]
    volumes = spec.get("volumes")
    if isinstance(volumes, LocatedList):
        for item, at in zip(volumes, volumes.item_locations, strict=True):
            mount = read_mount(project, item, at)
            if mount is not None:
                service.mounts[mount.target] = mount
    for dependency in dependencies(spec):
        if dependency not in service.depends_on:
            service.depends_on.append(dependency)
    service.labels.update(labels(spec))
    service.env_files.extend(env_files(spec))
    for section in ("secrets", "configs"):
        for name in used_names(spec.get(section)):
            if (section, name) not in service.uses:
                service.uses.append((section, name))


def used_names(value: Any) -> list[str]:
    """The names in a service's `secrets` or `configs`: short strings or `source:`."""
    if not isinstance(value, LocatedList):
        return []
    names = [item.get("source") if isinstance(item, LocatedMap) else item for item in value]
    return [name for name in names if isinstance(name, str)]


def read_mount(project: Project, item: Any, at: Location) -> Mount | None:
    origin = origin_of(at)
    if isinstance(item, str):
        return short_mount(project, item, origin)
    if not isinstance(item, LocatedMap):
        fail(
            at, "a `volumes` entry is a string (SRC:DST[:MODE]) or a mapping (type, source, target)"
        )
    kind = item.get("type", "volume")
    target = item.get("target")
    if kind not in ("volume", "bind") or not isinstance(target, str):
        return None  # tmpfs, npipe, image and cluster mounts hold no data of the host's
    source = item.get("source", "")
    source = source if isinstance(source, str) else ""
    read_only = item.get("read_only") is True
    if kind == "bind":
        return Mount("bind", host_path(project, source), target, read_only, origin)
    return Mount("volume", source, target, read_only, origin)


def short_mount(project: Project, text: str, origin: Origin) -> Mount:
    parts = text.split(":")
    if len(parts) >= 2 and len(parts[0]) == 1 and parts[0].isalpha():  # C:\... on Windows
        parts = [parts[0] + ":" + parts[1], *parts[2:]]
    if len(parts) == 1:
        return Mount("volume", "", parts[0], False, origin)
    source, target = parts[0], parts[1]
    modes = parts[2].split(",") if len(parts) > 2 else []
    read_only = "ro" in modes
    if source.startswith((".", "/", "~", "$")) or "\\" in source:
        return Mount("bind", host_path(project, source), target, read_only, origin)
    return Mount("volume", source, target, read_only, origin)


def host_path(project: Project, source: str) -> str:
    """A bind mount's host path, relative paths resolved against the project directory."""
    if source.startswith((".",)) and project.directory:
        return posixpath.normpath(posixpath.join(project.directory, source))
    return posixpath.normpath(source) if source.startswith("/") else source


def dependencies(spec: LocatedMap) -> list[str]:
    names: list[str] = []
    depends = spec.get("depends_on")
    if isinstance(depends, LocatedList):
        names.extend(item for item in depends if isinstance(item, str))
    elif isinstance(depends, LocatedMap):
        names.extend(depends)
    mode = spec.get("network_mode")
    if isinstance(mode, str) and mode.startswith("service:"):
        names.append(mode.removeprefix("service:"))
    return names


def labels(spec: LocatedMap) -> dict[str, tuple[str, Origin]]:
    found: dict[str, tuple[str, Origin]] = {}
    value = spec.get("labels")
    if isinstance(value, LocatedMap):
        for key, item in value.items():
            found[key] = (str(item), origin_of(value.value_locations[key]))
    elif isinstance(value, LocatedList):
        for item, at in zip(value, value.item_locations, strict=True):
            key, _, text = str(item).partition("=")
            found[key] = (text, origin_of(at))
    return found


def env_files(spec: LocatedMap) -> list[tuple[str, Origin]]:
    value = spec.get("env_file")
    if isinstance(value, str):
        return [(value, origin_of(spec.value_locations["env_file"]))]
    found: list[tuple[str, Origin]] = []
    if isinstance(value, LocatedList):
        for item, at in zip(value, value.item_locations, strict=True):
            path = item.get("path") if isinstance(item, LocatedMap) else item
            if isinstance(path, str):
                found.append((path, origin_of(at)))
    return found


# --------------------------------------------------------------------------
# From the project to the draft


def database_engine(image: str) -> str | None:
    """The database engine an image runs, from its repository path (tag left out)."""
    repository = image.split("@")[0]
    if ":" in repository.rsplit("/", 1)[-1]:
        repository = repository.rsplit(":", 1)[0]
    for pattern, engine in DATABASE_IMAGES:
        if pattern.search(repository.lower()):
            return engine
    return None


def is_system_path(path: str) -> bool:
    return path in SYSTEM_DIRECTORIES or any(
        path == p or path.startswith(p + "/") for p in SYSTEM_PATHS
    )


def is_config_path(path: str) -> bool:
    return posixpath.basename(path).endswith(CONFIG_SUFFIXES)


def is_data_mount(engine: str, mount: Mount) -> bool:
    dirs = DATA_DIRS[engine]
    return any(mount.target == d or mount.target.startswith(d + "/") for d in dirs)


def add_project(draft: Draft, project: Project, options: ImportOptions) -> None:
    host = draft.ensure_host(None, options, project.files[0][1] if project.files else None)
    draft.sources.extend(display for display, _ in project.files)
    configs = add_configs(draft, project, host)
    engines = {name: database_engine(spec.image) for name, spec in project.services.items()}
    stores = add_mount_datastores(draft, project, host, engines)
    ids: dict[str, str] = {}
    for name, service in project.services.items():
        ids[name] = add_service(draft, project, service, host, configs, stores)
    for name, service in project.services.items():
        link_service(draft, project, service, ids)
        engine = engines[name]
        if engine and not any(
            stores[key] for key in mount_keys(service) if is_database_store(draft, stores[key])
        ):
            add_containerised_database(draft, service, host, engine, ids[name])
    note_missing_variables(draft, project)
    for name, service in project.services.items():
        draft.mounts[ids[name]] = [
            (mount.target, stores[key])
            for key, mount in zip(mount_keys(service), service.mounts.values(), strict=True)
            if stores.get(key)
        ]


def note_missing_variables(draft: Draft, project: Project) -> None:
    """A TODO for each unset variable that shows in the draft (a path, an image)."""
    written = repr([entity.fields for entity in draft.entities()])
    for variable, at in sorted(project.missing.items()):
        if f"${{{variable}}}" in written:
            draft.notes.append(
                f"TODO: variable {variable} (first used at {at.file}:{at.line}) is not set in "
                ".env or an --env file: paths using it are kept as written"
            )


def add_configs(draft: Draft, project: Project, host: str) -> dict[str, str]:
    """The Compose files and env files as `config` datastores, by path."""
    configs: dict[str, str] = {}
    for display, origin in project.files:
        configs[display] = add_config(draft, host, display, "compose", origin)
    if project.env_file is not None:
        display, origin = project.env_file
        configs[display] = add_config(draft, host, display, "env", origin)
    for service in project.services.values():
        for path, origin in service.env_files:
            full = host_path(project, path if path.startswith(("/", ".")) else "./" + path)
            if full not in configs:
                configs[full] = add_config(draft, host, full, "env", origin)
    for (section, name), (path, origin) in project.file_entries.items():
        configs[f"{section}:{name}"] = add_file_entry(draft, host, section, path, origin)
    return configs


def add_file_entry(draft: Draft, host: str, section: str, path: str, origin: Origin) -> str:
    """A top-level secret (`secrets` datastore) or config kept in a file on the host."""
    existing = draft.find("datastores", host=host, path=path)
    if existing is not None:
        return existing.id
    fields: dict[str, Any] = {"kind": "secrets" if section == "secrets" else "config"}
    if section == "configs":
        fields["format"] = "other"
    fields.update({"host": host, "path": path})
    todos = [] if path.startswith("/") else ["give the file's absolute path on the host"]
    hint = posixpath.basename(path).lstrip(".") or section
    return draft.add("datastores", hint, fields, origin, todos, match={"host": host, "path": path})


def add_config(draft: Draft, host: str, path: str, form: str, origin: Origin) -> str:
    todos = [] if path.startswith("/") else ["give the file's absolute path on the host"]
    directory = posixpath.basename(posixpath.dirname(path)) or "compose"
    hint = f"{directory}-{posixpath.basename(path).lstrip('.')}"
    fields = {"kind": "config", "format": form, "host": host, "path": path}
    return draft.add("datastores", hint, fields, origin, todos, match={"host": host, "path": path})


def mount_keys(service: ServiceSpec) -> list[str]:
    return [f"{mount.kind}:{mount.source}:{service.name}:{mount.target}" if not mount.source
            else f"{mount.kind}:{mount.source}" for mount in service.mounts.values()]  # fmt: skip


def add_mount_datastores(
    draft: Draft, project: Project, host: str, engines: dict[str, str | None]
) -> dict[str, str]:
    """One datastore per named volume, bind path or anonymous volume: mount key -> id
    ("" for a mount left out)."""
    engine_of: dict[str, str] = {}
    first: dict[str, tuple[ServiceSpec, Mount]] = {}
    for name, service in project.services.items():
        for key, mount in zip(mount_keys(service), service.mounts.values(), strict=True):
            first.setdefault(key, (service, mount))
            engine = engines[name]
            if engine and (is_data_mount(engine, mount) or only_data_mount(service, mount)):
                engine_of.setdefault(key, engine)
    stores: dict[str, str] = {}
    for key, (service, mount) in first.items():
        stores[key] = add_mount_datastore(draft, project, host, service, mount, engine_of.get(key))
    return stores


def only_data_mount(service: ServiceSpec, mount: Mount) -> bool:
    """A database service's single mount that is not a configuration file is its data."""
    candidates = [
        m
        for m in service.mounts.values()
        if not is_config_path(m.target) and not is_system_path(m.source) and not m.read_only
    ]
    return candidates == [mount]


def add_mount_datastore(
    draft: Draft,
    project: Project,
    host: str,
    service: ServiceSpec,
    mount: Mount,
    engine: str | None,
) -> str:
    if mount.kind == "bind" and is_system_path(mount.source):
        return ""
    fields: dict[str, Any] = {}
    todos: list[str] = []
    match = {"host": host}
    if mount.kind == "volume":
        volume = project.volumes.get(mount.source)
        if mount.source and volume is not None and volume.device:
            path, hint = volume.device, mount.source
            fields = {"kind": "files", "host": host, "path": path}
        elif mount.source:
            docker_name = volume.name if volume else f"{project.name}_{mount.source}"
            path = f"/var/lib/docker/volumes/{docker_name}/_data"
            hint = docker_name
            fields = {"kind": "volume", "host": host, "path": path}
            match["volume"] = docker_name
            if volume is None:
                todos.append(f"volume '{clip(mount.source)}' is not declared under `volumes`")
        else:
            hint = f"{project.name}_{service.name}{mount.target.replace('/', '-')}"
            path = ""
            fields = {"kind": "volume", "host": host}
            todos.append(
                f"anonymous volume at {clip(mount.target)} in '{clip(service.name)}': Docker "
                "gives it a random name and `docker compose down -v` removes it; name it"
            )
    else:
        path, hint = mount.source, mount.source.strip("/").replace("/", "-") or "root"
        kind = "config" if is_config_path(path) else "files"
        fields = {"kind": kind, "host": host, "path": path}
        if kind == "config":
            fields["format"] = "other"
        if not path.startswith("/"):
            todos.append("give the absolute path on the host")
    if engine:
        fields["kind"] = "database"
        fields.pop("format", None)
        fields = {"kind": "database", "engine": engine, **fields}
        hint = f"{service.name}-db" if not mount.source else hint
    if path:
        match["path"] = path
        existing = draft.find("datastores", host=host, path=path)
        if existing is not None:  # the same directory or volume in another project
            return existing.id
    fields["description"] = (
        f"{'Volume' if mount.kind == 'volume' else 'Bind mount'} "
        f"{clip(mount.source or '(anonymous)', 120)} at {clip(mount.target, 120)} "
        f"in service {clip(service.name, 60)}"
    )
    return draft.add("datastores", hint, fields, mount.origin, todos, match)


def is_database_store(draft: Draft, entity_id: str) -> bool:
    entity = draft.get(entity_id) if entity_id else None
    return entity is not None and entity.fields.get("kind") == "database"


def add_service(
    draft: Draft,
    project: Project,
    service: ServiceSpec,
    host: str,
    configs: dict[str, str],
    stores: dict[str, str],
) -> str:
    fields: dict[str, Any] = {"host": host}
    what = service.image or (f"built from {service.build}" if service.build else "no image")
    fields["description"] = clip(f"Compose service {service.name} ({what})", 300)
    todos = label_fields(service, fields)
    data = [configs[file] for file in service.files if file in configs]
    if project.env_file is not None:
        data.append(configs[project.env_file[0]])
    for path, _origin in service.env_files:
        full = host_path(project, path if path.startswith(("/", ".")) else "./" + path)
        data.append(configs[full])
    data.extend(stores[key] for key in mount_keys(service) if stores.get(key))
    data.extend(configs[key] for key in (f"{s}:{n}" for s, n in service.uses) if key in configs)
    fields["data"] = list(dict.fromkeys(data))
    match = {"name": service.name, "image": service.image, "build": service.build}
    return draft.add("services", service.name, fields, service.origin, todos, match)


def label_fields(service: ServiceSpec, fields: dict[str, Any]) -> list[str]:
    """`archlint.criticality`, `.rpo`, `.rto`, `.owner` labels as fields; TODOs for the rest."""
    todos: list[str] = []
    for name in ("criticality", "rpo", "rto", "owner"):
        label = service.labels.get(LABEL_PREFIX + name)
        if label is None:
            continue
        value, origin = label
        if label_valid(name, value):
            fields[name] = value
        else:
            todos.append(f"label {LABEL_PREFIX}{name} at {origin} has an invalid value")
    missing = [n for n in ("criticality", "rpo", "rto") if n not in fields]
    if missing:
        todos.append(
            f"{', '.join(missing)}: not in the Compose file "
            f"(set them here, or as labels {LABEL_PREFIX}criticality etc.)"
        )
    return todos


def label_valid(name: str, value: str) -> bool:
    if name == "criticality":
        return value in CRITICALITIES
    if name == "owner":
        return bool(value.strip())
    try:
        parse_duration(value)
    except ValueError:
        return False
    return True


def link_service(draft: Draft, project: Project, service: ServiceSpec, ids: dict[str, str]) -> None:
    entity = draft[ids[service.name]]
    known = [ids[name] for name in service.depends_on if name in ids]
    unknown = [name for name in service.depends_on if name not in ids]
    if known:
        entity.fields["depends_on"] = known
    for name in unknown:
        draft.todo(entity.id, f"depends on '{clip(name)}', which is not in {project.directory}")


def add_containerised_database(
    draft: Draft, service: ServiceSpec, host: str, engine: str, service_id: str
) -> None:
    """A database with no data mount: its data lives in the container's writable layer."""
    fields = {
        "kind": "database",
        "engine": engine,
        "host": host,
        "description": clip(f"Data of {service.name} ({service.image})", 300),
    }
    todos = [
        "no volume holds this database's data: it lives in the container and is lost "
        "when the container is recreated; mount a volume at its data directory"
    ]
    store = draft.add("datastores", f"{service.name}-db", fields, service.origin, todos)
    draft[service_id].fields["data"].append(store)
