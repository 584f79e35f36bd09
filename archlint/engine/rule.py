"""What a rule is: the base class every module of a rule pack subclasses.

A rule states which entities must satisfy what, at which severity, with which
message and fix; it reads like its own documentation. The engine, not the rule,
skips entities below the rule's minimum criticality and stamps the rule id,
severity, location and entity kind on each finding.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any, ClassVar, Generic, Literal, NamedTuple, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict

from archlint.analysis.facts import Facts
from archlint.model.entities import (
    Backup,
    Criticality,
    Datastore,
    Domain,
    Drill,
    Entity,
    Host,
    Key,
    Repository,
    Service,
    criticality_rank,
)

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")

# The entity kinds a rule can look at, as they appear in findings; "entity"
# means every entity, whatever its kind.
ENTITY_KINDS = (
    "domain",
    "host",
    "service",
    "datastore",
    "repository",
    "key",
    "backup",
    "drill",
    "entity",
)
# The kind a rule checks, from the entity class it is parametrised with.
KIND_OF_CLASS: dict[type[Entity], str] = {
    Domain: "domain",
    Host: "host",
    Service: "service",
    Datastore: "datastore",
    Repository: "repository",
    Key: "key",
    Backup: "backup",
    Drill: "drill",
    Entity: "entity",
}
# The kinds whose entities have a criticality, so a rule on them can have a minimum.
KINDS_WITH_CRITICALITY = ("service", "datastore", "backup")


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


class RuleOptions(BaseModel):
    """A rule's options: one typed declaration gives validation, defaults and docs."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSettings(NamedTuple):
    """How a configuration tunes one rule: its severity, its options and its scope.

    The engine applies them, so a rule only ever sees its options. The scope is
    about the entity a finding is reported on; an empty set does not narrow it.
    """

    severity: Severity | None = None  # None: the rule's own severity
    options: RuleOptions | None = None  # None: the defaults of the rule's Options
    kinds: frozenset[str] = frozenset()  # report only on entities of these kinds
    tags: frozenset[str] = frozenset()  # ... carrying at least one of these tags
    exclude_tags: frozenset[str] = frozenset()  # never on entities carrying one of these
    # None: the rule's own minimum. Unlike the scope above, it is about the entity
    # checked, since that is whose importance the rule weighs.
    min_criticality: Criticality | None = None

    def in_scope(self, kind: str, tags: Iterable[str]) -> bool:
        if self.kinds and kind not in self.kinds:
            return False
        if not self.tags and not self.exclude_tags:
            return True
        carried = frozenset(tags)
        if self.tags and not carried & self.tags:
            return False
        return not carried & self.exclude_tags


DEFAULT_SETTINGS = RuleSettings()


class Problem(NamedTuple):
    """What a rule yields: the engine turns it into a Finding. A named tuple, as
    Finding is: made once per finding, it costs half a frozen dataclass."""

    message: str  # the problem: the entity, what fails and the path that proves it
    fix: str = ""  # the smallest change that solves it, for this entity
    evidence: tuple[str, ...] = ()
    # Report on another entity than the one checked (e.g. a cycle's first service).
    entity: str | None = None
    # Tells apart two findings of one rule on one entity (e.g. which waiver expired);
    # part of the fingerprint, so it must not depend on line numbers.
    key: str = ""
    # The root cause, when it is another entity than the one reported: the entity
    # whose change fixes this finding and the others it causes (e.g. the repository
    # a backup wrongly writes to). None: the entity reported. Not in the fingerprint.
    cause: str | None = None


class Example(NamedTuple):
    """A complete model; `findings` are the ids of the entities the rule must report.

    The example is checked with `options` (keys in kebab- or snake-case, as a
    configuration writes them) and, for rules that judge dates, as of `as_of`.
    """

    model: str
    description: str  # one line: what the example shows
    findings: tuple[str, ...] = ()
    options: Mapping[str, object] = {}  # read only: one dict for every example
    as_of: date | None = None


E = TypeVar("E", bound=Entity)


class Rule(Generic[E]):
    """Subclass `Rule[Datastore]` (or another entity class) with the class attributes
    below and a `check` generator; the type parameter is the kind of entity checked."""

    id: ClassVar[str]  # stable code, e.g. AL101
    name: ClassVar[str]  # stable slug used in waivers and configuration
    severity: ClassVar[Severity]
    entity_kind: ClassVar[str]  # one of ENTITY_KINDS, derived from the type parameter
    # Entities below this criticality are not checked (`min-criticality` overrides
    # it); only for rules on services or datastores. None: every entity is checked.
    min_criticality: ClassVar[Criticality | None] = None
    # A rule about the copies of data: datastores marked `rebuildable` (caches,
    # search indexes) need none, so the engine does not check them.
    about_copies: ClassVar[bool] = False
    summary: ClassVar[str]  # one line: what is wrong
    rationale: ClassVar[str]  # why it matters
    remediation: ClassVar[str]  # the smallest change that fixes it
    failing: ClassVar[tuple[Example, ...]]
    passing: ClassVar[tuple[Example, ...]]
    Options: ClassVar[type[RuleOptions]] = RuleOptions

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A rule that sets `entity_kind` itself (as rule packs once had to) keeps it.
        if "entity_kind" in vars(cls):
            return
        for base in vars(cls).get("__orig_bases__", ()):
            if get_origin(base) is Rule:
                (checked,) = get_args(base)
                if checked in KIND_OF_CLASS:
                    cls.entity_kind = KIND_OF_CLASS[checked]

    def __init__(self, options: RuleOptions | None = None) -> None:
        self.options = options if options is not None else self.Options()

    def check(self, entity: E, facts: Facts) -> Iterator[Problem]:
        raise NotImplementedError

    def candidates(self, entities: list[E], facts: Facts) -> list[E]:
        """The entities worth checking, in the order given: `check` must yield nothing for
        those left out. By default all of them; a rule whose `check` returns at once for
        most entities (no `monitor` set, no `rpo` declared...) narrows the list here in one
        cheap pass, since a call of `check` per entity is the engine's largest cost. The
        list given (already kept to the minimum criticality) is shared with the other
        rules: return a new one rather than change it."""
        return entities


def at_least(criticality: Criticality, minimum: Criticality) -> bool:
    """Whether `criticality` reaches `minimum`."""
    return criticality_rank(criticality) >= criticality_rank(minimum)


def criticality_ranks(kind: str, entities: Iterable[Entity], facts: Facts) -> list[int | None]:
    """The rank of the criticality a rule's minimum is compared with, for each entity
    of the kind, in order: None for kinds without one (a backup's is the highest of
    the data it carries). The question for the kind is picked once, not per entity."""
    questions: dict[str, Callable[[Any], Criticality | None]] = {
        "datastore": facts.datastore_criticality,
        "service": facts.service_criticality,
        "backup": facts.backup_criticality,
    }
    criticality_of_kind = questions.get(kind)
    if criticality_of_kind is None:
        return [None for _entity in entities]
    return [
        None
        if (criticality := criticality_of_kind(entity)) is None
        else criticality_rank(criticality)
        for entity in entities
    ]
