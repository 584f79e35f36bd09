"""The findings stage: run the rules, then apply waivers, selection and --fail-on once.

A finding is a small frozen value: rule, entity, severity, message, fix,
evidence and location. It holds no live graph objects.
"""

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any, NamedTuple, cast

from archlint.analysis.facts import Facts
from archlint.engine.rule import (
    DEFAULT_SETTINGS,
    SEVERITIES,
    Problem,
    Rule,
    RuleSettings,
    Severity,
    criticality_ranks,
    severity_rank,
)
from archlint.engine.rulepack import RuleClass
from archlint.model.entities import Datastore, Entity, Model, criticality_rank
from archlint.model.errors import (
    InvalidModel,
    Location,
    ModelError,
    UsageError,
    clip,
    did_you_mean,
)


class Finding(NamedTuple):
    # A named tuple rather than a frozen dataclass, for the reason Location is one: a
    # large model has tens of thousands of findings, and a tuple is made in half the
    # time. It compares as its fields do, in order.
    # Field order is the sort order: by place in the files, then rule and entity.
    location: Location
    rule: str  # the rule id
    name: str  # the rule name
    entity: str
    kind: str
    severity: Severity
    message: str
    evidence: tuple[str, ...] = ()
    key: str = ""  # what tells apart two findings of one rule on one entity
    # How to solve it. Not in the fingerprint: rewording advice keeps baselines valid.
    fix: str = ""
    # The root cause (see archlint.engine.causes): an entity id and its kind; empty
    # for the entity itself. Not in the fingerprint: baselines outlive rule changes.
    cause: str = ""
    cause_kind: str = ""

    @property
    def fingerprint(self) -> str:
        """Identifies the finding by rule, entity and key, never by line, so it
        survives unrelated edits of the model (baselines and CI annotations)."""
        identity = "\0".join((self.rule, self.kind, self.entity, self.key))
        return hashlib.sha256(identity.encode()).hexdigest()


class Result(NamedTuple):
    findings: tuple[Finding, ...]
    waived: tuple[Finding, ...]
    rules: tuple[RuleClass, ...]
    entities: int
    files: tuple[str, ...] = ()
    # Findings left out because the baseline already records them.
    baselined: int = 0

    def counts(self) -> dict[str, int]:
        by_severity = Counter(finding.severity for finding in self.findings)
        return {severity: by_severity.get(severity, 0) for severity in SEVERITIES}

    def fails(self, fail_on: Severity) -> bool:
        threshold = severity_rank(fail_on)
        return any(severity_rank(f.severity) >= threshold for f in self.findings)


def select_rules(
    rules: Sequence[RuleClass],
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    select_source: str = "--select",
    ignore_source: str = "--ignore",
) -> list[RuleClass]:
    """The rules to run: those selected (all when none is), minus those ignored.

    The sources name where the lists come from (an option or a configuration
    key) in the message about an unknown rule.
    """
    selected = resolve_handles(rules, select, select_source)
    ignored = resolve_handles(rules, ignore, ignore_source)
    return [rule for rule in rules if (not selected or rule in selected) and rule not in ignored]


def resolve_handles(rules: Sequence[RuleClass], handles: Iterable[str], option: str) -> set[Any]:
    by_handle = {handle: rule for rule in rules for handle in (rule.id, rule.name)}
    found = set()
    for handle in handles:
        if handle not in by_handle:
            raise UsageError(f"{option}: unknown rule '{handle}'{did_you_mean(handle, by_handle)}")
        found.add(by_handle[handle])
    return found


def run(
    model: Model,
    facts: Facts,
    all_rules: Sequence[RuleClass],
    rules: Sequence[RuleClass],
    settings: Mapping[str, RuleSettings] | None = None,
) -> Result:
    """Apply `rules` to the model; `all_rules` are those waivers may name.

    `settings` maps rule ids to what the configuration changes about them.
    """
    waiving = check_waivers(model, all_rules)
    raw: list[Finding] = []
    scopes = Scopes(model, facts)  # shared by the rules
    for rule_class in rules:
        setting = (settings or {}).get(rule_class.id, DEFAULT_SETTINGS)
        raw += apply_rule(rule_class(setting.options), model, facts, setting, scopes)
    kept, waived = split_waived(distinct_in_order(raw), waiving, facts)
    return Result(tuple(kept), tuple(waived), tuple(rules), model.count(), model.files)


def distinct_in_order(findings: Iterable[Finding]) -> list[Finding]:
    """The findings without duplicates, sorted (the order of Finding): once sorted, equal
    findings are neighbours. Sorted as the rules found them, in runs already in order,
    the sort takes a tenth of the time it takes on a set's shuffle."""
    ordered = sorted(findings)
    return ordered[:1] + [finding for previous, finding in pairwise(ordered) if finding != previous]


def apply_rule(
    rule: Rule[Any],
    model: Model,
    facts: Facts,
    settings: RuleSettings = DEFAULT_SETTINGS,
    scopes: "Scopes | None" = None,
) -> list[Finding]:
    """The rule's findings, stamped with its configured severity and kept to its scope.

    `scopes` holds the entity lists the rules of one run share (see Scopes)."""
    severity = settings.severity or rule.severity
    minimum = settings.min_criticality or rule.min_criticality
    scopes = Scopes(model, facts) if scopes is None else scopes
    check = rule.check
    found = []
    for kind, _section in model.by_kind():
        if rule.entity_kind not in (kind, "entity"):
            continue
        copies = rule.about_copies and kind == "datastore"
        if minimum is None:
            entities = scopes.entities(kind, copies)
        else:
            entities = scopes.reaching(kind, copies, criticality_rank(minimum))
        for entity in rule.candidates(entities, facts):
            for problem in check(entity, facts):
                finding = _finding(rule, model, kind, entity, problem, severity, settings)
                if finding is not None:
                    found.append(finding)
    return found


class Scopes:
    """The entities the rules of one run check, each list built once and shared: a
    kind's entities, its datastores that need copies (not `rebuildable`), and those
    reaching a minimum criticality. Built per rule, these passes over every entity
    cost as much as the rules themselves on a large model. The lists are read-only."""

    def __init__(self, model: Model, facts: Facts) -> None:
        self.model = model
        self.facts = facts
        self._entities: dict[tuple[str, bool], list[Entity]] = {}
        # The rank of each entity of those lists, at the same index (see criticality_ranks).
        self._ranks: dict[tuple[str, bool], list[int | None]] = {}
        self._reaching: dict[tuple[str, bool, int], list[Entity]] = {}

    def entities(self, kind: str, copies: bool) -> list[Entity]:
        """The entities of the kind; with `copies`, the datastores that are not rebuildable."""
        key = (kind, copies)
        if key not in self._entities:
            self._entities[key] = (
                [
                    datastore
                    for datastore in self.model.datastores.values()
                    if not datastore.rebuildable
                ]
                if copies
                else list(dict(self.model.by_kind())[kind].values())
            )
        return self._entities[key]

    def reaching(self, kind: str, copies: bool, minimum_rank: int) -> list[Entity]:
        """Those of `entities` whose criticality reaches the minimum rank; all of them for
        a kind without a criticality, whatever the minimum."""
        key = (kind, copies, minimum_rank)
        if key not in self._reaching:
            self._reaching[key] = [
                entity
                for entity, rank in zip(
                    self.entities(kind, copies), self._ranks_of(kind, copies), strict=True
                )
                if rank is None or rank >= minimum_rank
            ]
        return self._reaching[key]

    def _ranks_of(self, kind: str, copies: bool) -> list[int | None]:
        """The rank of each of `entities`, at the same index. Those of the datastores that
        need copies are picked from those of all datastores: each rank is found once."""
        key = (kind, copies)
        if key not in self._ranks:
            if copies:
                self._ranks[key] = [
                    rank
                    for datastore, rank in zip(
                        self.entities(kind, False), self._ranks_of(kind, False), strict=True
                    )
                    if not cast(Datastore, datastore).rebuildable
                ]
            else:
                self._ranks[key] = criticality_ranks(kind, self.entities(kind, False), self.facts)
        return self._ranks[key]


def _finding(
    rule: Rule[Any],
    model: Model,
    kind: str,
    entity: Entity,
    problem: Problem,
    severity: Severity,
    settings: RuleSettings,
) -> Finding | None:
    """The finding of a problem the rule found checking `entity` (of `kind`); None when
    the configuration leaves its entity out of the rule's scope.

    Most findings are on the entity checked, their own cause: those cost no lookup
    (a large model has hundreds of thousands)."""
    target, target_kind = entity, kind
    if problem.entity:
        found = model.get(problem.entity)
        assert found is not None, f"{rule.name} reported unknown entity {problem.entity}"
        target, target_kind = found, model.kind_of(found.id) or kind
    # The scope is about the entity the finding is reported on, which
    # is what a user sees, tags and waives.
    if not settings.in_scope(target_kind, target.tags):
        return None
    cause, cause_kind = target.id, target_kind
    if problem.cause and problem.cause != target.id and model.get(problem.cause):
        cause, cause_kind = problem.cause, model.kind_of(problem.cause) or target_kind
    # Positional, in the order of Finding's fields: keywords cost more per finding.
    return Finding(
        target.location,
        rule.id,
        rule.name,
        target.id,
        target_kind,
        severity,
        problem.message,
        problem.evidence,
        problem.key,
        problem.fix,
        cause,
        cause_kind,
    )


# The entities that declare waivers, by kind and id.
Waiving = dict[tuple[str, str], Entity]


def waiving_entities(model: Model) -> Waiving:
    return {
        (kind, entity.id): entity
        for kind, section in model.by_kind()
        for entity in section.values()
        if entity.waive
    }


def check_waivers(model: Model, rules: Sequence[RuleClass]) -> Waiving:
    """A waiver must name a known rule; the model is invalid otherwise. Returns the
    entities that declare waivers, which only a few do: the findings on the others
    are then kept without looking their entities up."""
    waiving = waiving_entities(model)
    handles = {handle for rule in rules for handle in (rule.id, rule.name)}
    errors = [
        ModelError(
            waiver.location,
            f"`waive`: unknown rule '{clip(waiver.rule)}'{did_you_mean(waiver.rule, handles)}",
        )
        for entity in waiving.values()
        for waiver in entity.waive
        if waiver.rule not in handles
    ]
    if errors:
        raise InvalidModel(errors)
    return waiving


def apply_waivers(
    findings: Sequence[Finding], model: Model, facts: Facts
) -> tuple[list[Finding], list[Finding]]:
    """The findings kept and those waived."""
    return split_waived(findings, waiving_entities(model), facts)


def split_waived(
    findings: Sequence[Finding], waiving: Waiving, facts: Facts
) -> tuple[list[Finding], list[Finding]]:
    """apply_waivers, given the entities that declare waivers."""
    kept, waived = [], []
    for finding in findings:
        entity = waiving.get((finding.kind, finding.entity))
        if entity is not None and is_waived(finding, entity, facts):
            waived.append(finding)
        else:
            kept.append(finding)
    return kept, waived


def is_waived(finding: Finding, entity: Entity, facts: Facts) -> bool:
    # An expired waiver stops waiving: the finding is reported again.
    return any(
        waiver.rule in (finding.rule, finding.name)
        and (waiver.until is None or waiver.until >= facts.as_of)
        for waiver in entity.waive
    )


def apply_baseline(result: Result, known: Collection[str]) -> Result:
    """Leave out the findings whose fingerprints the baseline records, counting them."""
    kept = tuple(finding for finding in result.findings if finding.fingerprint not in known)
    return result._replace(findings=kept, baselined=len(result.findings) - len(kept))
