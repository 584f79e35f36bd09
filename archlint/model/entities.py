"""The typed, immutable model: one pydantic class per kind of entity.

The field names, kinds and meanings follow ../shared/design/model-format.md,
which is a contract: fields may be added here (documented), never renamed or
dropped. Every description below ends up in the JSON Schema. A field that
names other entities says which kinds with `RefersTo` (archlint.model.references):
the only place references are declared.

Annotations are not postponed (no `from __future__ import annotations`), here
and in the modules of named tuples a check imports: pydantic and NamedTuple
would compile each annotation's text when the classes are made (3 ms of every
start); forward references are quoted.
"""

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt
from pydantic import Strict as StrictMode

from archlint.model.dates import DateField
from archlint.model.durations import DurationField
from archlint.model.errors import Location
from archlint.model.parsing import TextCache
from archlint.model.rates import RateField
from archlint.model.references import RefersTo
from archlint.model.schedules import ScheduleField
from archlint.model.sizes import SizeField

Criticality = Literal["low", "medium", "high", "critical"]
CRITICALITIES: tuple[Criticality, ...] = ("low", "medium", "high", "critical")

DomainKind = Literal["region", "site", "room", "rack", "disk", "person"]
HostKind = Literal["server", "hypervisor", "vm", "nas", "router", "workstation", "appliance"]
DatastoreKind = Literal[
    "database", "files", "volume", "config", "secrets", "vm-image", "object-store"
]
Engine = Literal[
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "redis",
    "sqlite",
    "influxdb",
    "elasticsearch",
    "other",
]
ConfigFormat = Literal[
    "compose", "dns", "proxy", "systemd", "ansible", "terraform", "kubernetes", "env", "other"
]
Tool = Literal[
    "restic",
    "borg",
    "kopia",
    "pbs",
    "zfs",
    "btrfs",
    "rsync",
    "rclone",
    "git",
    "s3",
    "tape",
    "duplicati",
    "other",
]
Media = Literal["disk", "object", "tape", "optical"]
KeyKind = Literal["passphrase", "keyfile", "gpg", "age", "ssh", "kms", "hardware"]
Method = Literal["dump", "file", "image", "snapshot", "replication", "copy", "git"]
Consistency = Literal["application", "crash", "none"]
Mode = Literal["push", "pull"]
DrillResult = Literal["pass", "partial", "fail"]
CopyMode = Literal["mirror", "versioned"]
MonitorKind = Literal["healthchecks", "uptime-kuma", "email", "prometheus", "other"]
Retention = str | dict[str, StrictInt]
# YAML lists arrive as lists; strict mode alone would accept only tuples.
Strings = Annotated[tuple[str, ...], StrictMode(False)]


_RANKS = {criticality: rank for rank, criticality in enumerate(CRITICALITIES)}


def criticality_rank(criticality: Criticality) -> int:
    """Position of a criticality in low < medium < high < critical."""
    return _RANKS[criticality]


class StrictModel(BaseModel):
    """Strict parsing: YAML `"3"` is not an int and unknown fields are errors."""

    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, populate_by_name=False, use_enum_values=True
    )


def place(obj: "Waiver | Entity", location: Location, entity_id: str | None = None) -> None:
    """Attach what validation knows beyond the fields: the location and, for entities, the id
    (and what a backup derives from its fields, `Backup.sources` and `Backup.targets`).

    They live in slots, outside pydantic's fields, so YAML can never set them
    and reading them costs no more than a plain attribute (ids are read
    millions of times on large models).
    """
    if entity_id is None:  # a waiver
        _set_attribute(obj, "_location", location)
    else:
        _set_entity_location(obj, location)
        _set_entity_id(obj, entity_id)
    # pydantic gives each instance a set of the fields it was given (200 to 700
    # bytes); a frozen model never changes it (model_copy copies it first), so
    # entities given the same fields share one.
    names = tuple(obj.__pydantic_fields_set__)
    _set_fields_set(obj, shared_fields_set(names))
    # The fields in a dict that shares its keys with the class's (key_sharing_dict).
    values = _KEY_SHARING_DICTS.get(type(obj)) or key_sharing_dict(obj)
    values = values.copy()
    values.update(obj.__dict__)
    _set_dict(obj, values)
    if isinstance(obj, Backup):
        derive_ids(obj, values["source"], values["target"])


def derive_ids(
    backup: "Backup", source: str | tuple[str, ...], target: str | tuple[str, ...] | None
) -> None:
    """Set `Backup.sources` and `Backup.targets` from the backup's `source` and `target`."""
    _set_sources(backup, (source,) if type(source) is str else source)
    _set_targets(
        backup, () if target is None else _ONE_ID[target] if type(target) is str else target
    )


# Bypasses the frozen model's own __setattr__, as validation attaches its findings.
_set_attribute = object.__setattr__
# A model has few repositories and many backups to them: backups of one target
# share its tuple.
_ONE_ID: TextCache[tuple[str]] = TextCache(lambda entity_id: (entity_id,))


def key_sharing_dict(obj: "Waiver | Entity") -> dict[str, Any]:
    """A dict of the instance's fields that shares its keys with every instance
    of its class (PEP 412), kept for the class: place() gives each instance a
    copy of it with the instance's own values, 200 bytes for a dict of 16
    fields, where pydantic's own (a dict of its own keys) takes 464.

    A dict filled on a fresh instance of the class is such a dict, and so is a
    copy of one; `update` overwrites the copy's values one by one (into an
    empty dict, it would copy the other dict's own keys instead).
    """
    values: dict[str, Any] = object.__new__(type(obj)).__dict__
    values.update(obj.__dict__.items())
    _KEY_SHARING_DICTS[type(obj)] = values
    return values


_KEY_SHARING_DICTS: dict[type[BaseModel], dict[str, Any]] = {}


@functools.lru_cache(maxsize=1024)
def shared_fields_set(names: tuple[str, ...]) -> set[str]:
    return set(names)


class Waiver(StrictModel):
    """An accepted finding on the entity that carries it."""

    rule: str = Field(description="The rule's id or name.")
    reason: str = Field(min_length=1, description="Why the finding is accepted (required).")
    until: DateField | None = Field(
        default=None,
        description="The date after which the waiver expires and the finding is reported again.",
    )
    __slots__ = ("_location",)
    if TYPE_CHECKING:  # set by place(); declared here for type checkers only
        _location: Location

    @property
    def location(self) -> Location:
        return self._location


# What entities without links share: an empty dict of their own takes 64 bytes,
# 50 MB for 100,000 services; a model is never changed once validated. Handed
# out by a callable made in C, as pydantic calls the factory for every entity;
# `next` on an iterator rather than the iterator's `__next__`, whose signature
# pydantic would parse from text for each entity class (the parser's
# tokenizer costs a small check 3 ms of start-up): `next` has none to parse.
NO_LINKS: dict[str, str] = {}


class Entity(StrictModel):
    """Fields every entity accepts."""

    description: str | None = Field(
        default=None, description="Free text, shown in reports and onboarding pages."
    )
    owner: str | None = Field(default=None, description="The person or team responsible.")
    tags: Strings = Field(default=(), description="Labels used to scope rules.")
    links: dict[str, str] = Field(
        default_factory=functools.partial(next, repeat(NO_LINKS)),
        description="Titles mapped to URLs (runbooks, dashboards).",
    )
    waive: Annotated[tuple[Waiver, ...], StrictMode(False)] = Field(
        default=(), description="Accepted findings on this entity: `{rule, reason, until}`."
    )
    # `id` is a plain slot, not a property: ids are read millions of times.
    __slots__ = ("_location", "id")
    if TYPE_CHECKING:  # set by place(); declared here for type checkers only
        id: str
        _location: Location

    @property
    def location(self) -> Location:
        return self._location


class Domain(Entity):
    """A failure or storage domain: a region, site, room, rack, disk or person."""

    kind: DomainKind = Field(description="region > site > room > rack > host > disk; or person.")
    in_: Annotated[str | None, RefersTo("domain", "host", places=True)] = Field(
        default=None, alias="in", description="The broader domain (or, for a disk, the host)."
    )
    offline: StrictBool = Field(
        default=False, description="Media kept disconnected (a shelf, a safe, a USB disk)."
    )
    provider: str | None = Field(default=None, description="A cloud or hosting provider.")
    bandwidth: RateField | None = Field(
        default=None,
        description="How fast data can be restored from this site, e.g. 100Mbit/s.",
    )


class Host(Entity):
    """A machine."""

    kind: HostKind = Field(
        description="server, hypervisor, vm, nas, router, workstation or appliance."
    )
    in_: Annotated[str | None, RefersTo("domain", places=True)] = Field(
        default=None, alias="in", description="The domain the host is in."
    )
    hypervisor: Annotated[str | None, RefersTo("host", relation="on", places=True)] = Field(
        default=None, description="The hypervisor a VM runs on."
    )


class Service(Entity):
    """A workload that must be restored to service."""

    host: Annotated[str, RefersTo("host")] = Field(description="The host the service runs on.")
    criticality: Criticality | None = Field(
        default=None, description="low, medium, high or critical (default: defaults.criticality)."
    )
    depends_on: Annotated[Strings | None, RefersTo("service")] = Field(
        default=None,
        description="Services that must run before this one; `[]` states there are none.",
    )
    data: Annotated[Strings, RefersTo("datastore")] = Field(
        default=(), description="The datastores this service needs."
    )
    rpo: DurationField | None = Field(default=None, description="Recovery point objective.")
    rto: DurationField | None = Field(default=None, description="Recovery time objective.")


class Datastore(Entity):
    """Anything with bytes that must survive."""

    kind: DatastoreKind = Field(
        description="database, files, volume, config, secrets, vm-image or object-store."
    )
    engine: Engine | None = Field(default=None, description="The database engine (databases).")
    format: ConfigFormat | None = Field(
        default=None, description="What the configuration configures (config)."
    )
    host: Annotated[str | None, RefersTo("host", places=True)] = Field(
        default=None, description="The host the data lives on."
    )
    in_: Annotated[str | None, RefersTo("domain", places=True)] = Field(
        default=None, alias="in", description="A disk of a host, or a domain at a provider."
    )
    path: str | None = Field(default=None, description="Where the data lives on its host.")
    size: SizeField | None = Field(default=None, description="How big it is, e.g. 20GiB.")
    key: Annotated[str | None, RefersTo("key")] = Field(
        default=None, description="The key the data itself is encrypted with (at rest)."
    )
    criticality: Criticality | None = Field(
        default=None,
        description="Default: the highest criticality of the services that use it.",
    )
    rebuildable: StrictBool = Field(
        default=False,
        description="Can be rebuilt without a backup (a cache, an index, re-rippable media): "
        "exempt from the copy rules, and not needed to restore its services.",
    )
    contains_secrets: StrictBool = Field(
        default=False,
        description="A config that holds secrets (a .env file): counts as secret data.",
    )
    # Its place among the model's datastores (0 first), set by Model: the analyses keep
    # what they know of each datastore in lists by it. On a large model, a dict by id
    # is a random read of megabytes for each question; a list read in order is not.
    __slots__ = ("position",)
    if TYPE_CHECKING:  # set by Model; declared here for type checkers only
        position: int

    @property
    def is_secret(self) -> bool:
        """Secrets, or a configuration that holds some (`contains_secrets`, a .env file)."""
        return self.kind == "secrets" or self.contains_secrets


class Repository(Entity):
    """Where backup copies are kept."""

    tool: Tool = Field(description="The backup tool that writes and reads the repository.")
    host: Annotated[str | None, RefersTo("host", places=True)] = Field(
        default=None, description="The host the repository is on."
    )
    in_: Annotated[str | None, RefersTo("domain", places=True)] = Field(
        default=None, alias="in", description="A disk of a host, or a domain (bucket, shelf)."
    )
    key: Annotated[str | None, RefersTo("key")] = Field(
        default=None, description="The key that encrypts it client-side; none: not encrypted."
    )
    # Its graph edge is `key`: a credential that reaches the repository is needed to
    # read it as much as the key that decrypts it (key_users, unused-key, orphaned-key).
    access: Annotated[Strings, RefersTo("key", relation="key")] = Field(
        default=(),
        description="Credentials needed to reach it (cloud account keys, an ssh key, "
        "a keyfile): a copy is readable only if these and its `key` are available.",
    )
    immutable: StrictBool = Field(
        default=False,
        description="Object lock, WORM or append-only: writers cannot delete. Enforced by "
        "the host it is on, if any: that host's compromise still destroys it.",
    )
    media: Media | None = Field(default=None, description="disk, object, tape or optical.")
    verify: ScheduleField | None = Field(
        default=None, description="How often the repository's integrity is checked."
    )
    retention: Retention | None = Field(
        default=None, description="Free text or a mapping such as {daily: 7, weekly: 4}."
    )
    url: str | None = Field(
        default=None,
        description="Where the tool reaches it (a path or URL, no secrets); "
        "`archlint drift` matches repositories by tool and url.",
    )
    restore_latency: DurationField | None = Field(
        default=None,
        description="The wait before the first byte of a restore (deep-archive tiers: hours).",
    )
    bandwidth: RateField | None = Field(
        default=None,
        description="How fast a restore reads from it, e.g. 50MB/s (default: its site's).",
    )


class Key(Entity):
    """An encryption key, passphrase or credential needed to restore."""

    kind: KeyKind = Field(description="passphrase, keyfile, gpg, age, ssh, kms or hardware.")
    stored_in: Annotated[Strings, RefersTo("datastore", "host", "domain")] = Field(
        default=(), description="Datastores, hosts or domains that keep a usable copy."
    )


class Monitor(StrictModel):
    """What alerts when a backup fails or goes stale."""

    kind: MonitorKind = Field(description="healthchecks, uptime-kuma, email, prometheus or other.")
    max_age: DurationField | None = Field(
        default=None, description="The alert fires when the last success is older than this."
    )
    url: str | None = Field(default=None, description="Where the check lives (no secrets).")


class Backup(Entity):
    """How data is protected: a job from a source to a target."""

    source: Annotated[str | Strings, RefersTo("datastore", "host", "repository")] = Field(
        description="A datastore, a host (image) or a repository (copy); or a list of them "
        "(one job, many sources)."
    )
    target: Annotated[str | Strings | None, RefersTo("repository")] = Field(
        default=None,
        description="A repository, or a list of them; omitted only for local snapshots.",
    )
    method: Method = Field(description="dump, file, image, snapshot, replication, copy or git.")
    consistency: Consistency | None = Field(
        default=None, description="application, crash or none (default: by method)."
    )
    quiesce: StrictBool = Field(
        default=False, description="The application is stopped or flushed first."
    )
    schedule: ScheduleField | None = Field(
        default=None,
        description="hourly, daily, weekly, monthly, continuous, an interval or a cron line.",
    )
    after: Annotated[str | None, RefersTo("backup")] = Field(
        default=None,
        description="Runs right after this backup (a chained job): it has no schedule "
        "of its own and follows the first job's.",
    )
    duration: DurationField | None = Field(
        default=None, description="How long the job takes (counts in chained recovery points)."
    )
    copy_mode: CopyMode | None = Field(
        default=None,
        description="For `copy` and `file`: `mirror` (deletions and encryption propagate: "
        "rclone sync, rsync --delete) or `versioned` (its own history). Default: versioned.",
    )
    monitor: Monitor | None = Field(
        default=None, description="What alerts when the backup fails or goes stale."
    )
    mode: Mode = Field(default="push", description="push (default) or pull.")
    runs_on: Annotated[str | None, RefersTo("host")] = Field(
        default=None, description="The host that runs the job."
    )
    retention: Retention | None = Field(default=None, description="As for repositories.")

    # Derived from `source` and `target` by place(): plain slots, as the rules
    # read them hundreds of thousands of times on a large model.
    __slots__ = ("sources", "targets")
    if TYPE_CHECKING:  # set by place(); declared here for type checkers only
        sources: tuple[str, ...]  # the sources, one or many
        targets: tuple[str, ...]  # the target repositories: none for a local snapshot, one or many

    @property
    def is_scheduled(self) -> bool:
        """Runs on a schedule of its own or right after another backup."""
        return self.schedule is not None or self.after is not None

    if not TYPE_CHECKING:  # as pydantic's own: type checkers would accept any attribute

        def __getattr__(self, name: str) -> Any:
            # A backup that place() never saw (made by model_validate or
            # model_copy) derives `sources` and `targets` when first read.
            if name in ("sources", "targets"):
                derive_ids(self, self.source, self.target)
                return getattr(self, name)
            return super().__getattr__(name)


class Drill(Entity):
    """A restore test that was performed."""

    restores: Annotated[Strings, RefersTo("service", "datastore")] = Field(
        min_length=1, description="The services and datastores restored."
    )
    from_: Annotated[str | None, RefersTo("repository")] = Field(
        default=None, alias="from", description="The repository used."
    )
    date: DateField = Field(description="When the drill took place.")
    result: DrillResult = Field(description="pass, partial or fail.")
    duration: DurationField | None = Field(default=None, description="How long it took.")


class Defaults(StrictModel):
    """Model-wide defaults."""

    criticality: Criticality = Field(
        default="medium", description="The criticality of entities that do not set one."
    )


# The setters of what place() attaches, from the attributes' own descriptors:
# calling one costs half of object.__setattr__, and place() runs for every entity.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_entity_location = Entity.__dict__["_location"].__set__
_set_entity_id = Entity.__dict__["id"].__set__
_set_position = Datastore.__dict__["position"].__set__
_set_sources = Backup.__dict__["sources"].__set__
_set_targets = Backup.__dict__["targets"].__set__

# Section name -> (entity kind, class). The kind is the singular word used in
# messages and findings.
SECTIONS: dict[str, tuple[str, type[Entity]]] = {
    "domains": ("domain", Domain),
    "hosts": ("host", Host),
    "services": ("service", Service),
    "datastores": ("datastore", Datastore),
    "repositories": ("repository", Repository),
    "keys": ("key", Key),
    "backups": ("backup", Backup),
    "drills": ("drill", Drill),
}
TOP_LEVEL_KEYS = ("archlint", "include", "defaults", *SECTIONS)
# The values of `archlint:` (the model format version) this archlint reads.
SUPPORTED_VERSIONS = (1,)


@dataclass(frozen=True)
class Model:
    """A validated model: every reference points at an entity of an accepted kind."""

    domains: dict[str, Domain] = field(default_factory=dict)
    hosts: dict[str, Host] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    datastores: dict[str, Datastore] = field(default_factory=dict)
    repositories: dict[str, Repository] = field(default_factory=dict)
    keys: dict[str, Key] = field(default_factory=dict)
    backups: dict[str, Backup] = field(default_factory=dict)
    drills: dict[str, Drill] = field(default_factory=dict)
    defaults: Defaults = field(default_factory=Defaults)
    # The files the model was read from, for reports.
    files: Strings = ()
    # Each section with its kind, in the order of SECTIONS, for the lookups
    # below: they run tens of thousands of times on a large model.
    _kinds: tuple[tuple[str, dict[str, Entity]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kinds = tuple((kind, getattr(self, name)) for name, (kind, _cls) in SECTIONS.items())
        object.__setattr__(self, "_kinds", kinds)
        # Validation makes each datastore for one model, so its position is its own.
        for position, datastore in enumerate(self.datastores.values()):
            _set_position(datastore, position)

    def by_kind(self) -> tuple[tuple[str, dict[str, Entity]], ...]:
        """Each section's entities by id, with their kind, in the order of SECTIONS."""
        return self._kinds

    def count(self) -> int:
        """How many entities the model has."""
        return sum(len(entities) for _kind, entities in self._kinds)

    def section(self, name: str) -> dict[str, Entity]:
        entities: dict[str, Entity] = getattr(self, name)
        return entities

    def entities(self, kind: str = "entity") -> Iterator[tuple[str, Entity]]:
        """The entities of one kind, or all of them ("entity"), with their kind."""
        # Iterators made in C rather than a generator: a rule over all entities
        # reads hundreds of thousands of them.
        return chain.from_iterable(
            zip(repeat(section_kind), entities.values())
            for section_kind, entities in self._kinds
            if kind in (section_kind, "entity")
        )

    def get(self, entity_id: str) -> Entity | None:
        for _kind, entities in self._kinds:
            entity = entities.get(entity_id)
            if entity is not None:
                return entity
        return None

    def kind_of(self, entity_id: str) -> str | None:
        for kind, entities in self._kinds:
            if entity_id in entities:
                return kind
        return None
