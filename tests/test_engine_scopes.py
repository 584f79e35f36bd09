"""The engine's shared and shortcut paths against the plain ones: the entity lists the
rules of one run share (findings.Scopes) are those each rule would build alone (a kind's
entities, less rebuildable data for rules about copies, kept to a minimum criticality by
criticality_of), and a scope that admits every kind keeps every finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.analysis.facts import Facts
from archlint.engine.findings import Finding, Scopes, apply_rule, distinct_in_order
from archlint.engine.rule import ENTITY_KINDS, RuleSettings
from archlint.model.entities import (
    CRITICALITIES,
    Backup,
    Criticality,
    Datastore,
    Entity,
    Service,
    criticality_rank,
)
from archlint.model.errors import Location
from tests.conftest import AS_OF, bench_facts, facts_of
from tests.rules.helpers import RULES, facts_of_text

MODELS = Path(__file__).resolve().parents[1] / "models"

# Rebuildable data, and backups of a datastore, of a host and of a repository.
SMALL = """
archlint: 1
defaults: {criticality: medium}
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  shop: {host: app, criticality: critical, data: [orders, search]}
  blog: {host: app, data: [posts]}
datastores:
  orders: {kind: database, engine: postgresql, host: app}
  search: {kind: files, host: app, rebuildable: true}
  posts: {kind: files, host: app, criticality: low}
  scratch: {kind: files, host: nas, criticality: high, rebuildable: true}
repositories:
  nas-restic: {tool: restic, host: nas}
  usb: {tool: restic, host: nas}
backups:
  orders-dump: {source: orders, target: nas-restic, method: dump, schedule: daily}
  posts-restic: {source: posts, target: nas-restic, method: file, schedule: daily}
  app-image: {source: app, target: nas-restic, method: image, schedule: weekly}
  restic-copy: {source: nas-restic, target: usb, method: copy, schedule: daily}
"""


def plain_entities(facts: Facts, kind: str, copies: bool) -> list[Entity]:
    if copies:
        return [d for d in facts.model.datastores.values() if not d.rebuildable]
    return list(dict(facts.model.by_kind())[kind].values())


def criticality_of(entity: Entity, facts: Facts) -> Criticality | None:
    """The criticality a rule's minimum is compared with, asked entity by entity."""
    if isinstance(entity, Datastore):
        return facts.datastore_criticality(entity)
    if isinstance(entity, Service):
        return facts.service_criticality(entity)
    if isinstance(entity, Backup):
        return facts.backup_criticality(entity)
    return None


def plain_reaching(entities: list[Entity], minimum: int, facts: Facts) -> list[Entity]:
    found = []
    for entity in entities:
        criticality = criticality_of(entity, facts)
        if criticality is None or criticality_rank(criticality) >= minimum:
            found.append(entity)
    return found


def model_facts(model: str, directory: Path) -> Facts:
    if model == "bench":
        return bench_facts(directory)
    if model == "small":
        return facts_of_text(SMALL, AS_OF, directory)
    return facts_of(MODELS / model)


@pytest.mark.parametrize("model", ["small", "reference", "homelab", "bench"])
def test_scopes_are_the_lists_each_rule_would_build(model: str, tmp_path: Path) -> None:
    facts = model_facts(model, tmp_path)
    scopes = Scopes(facts.model, facts)
    for kind, _section in facts.model.by_kind():
        for copies in (False, True) if kind == "datastore" else (False,):
            expected = plain_entities(facts, kind, copies)
            assert scopes.entities(kind, copies) == expected
            for criticality in CRITICALITIES:
                minimum = criticality_rank(criticality)
                reaching = scopes.reaching(kind, copies, minimum)
                assert reaching == plain_reaching(expected, minimum, facts), (kind, criticality)
                # Asked again, by the next rule: the same list.
                assert scopes.reaching(kind, copies, minimum) is reaching


def test_the_models_spread_over_what_scopes_tell_apart(tmp_path: Path) -> None:
    # Otherwise the test above would not tell a minimum from another.
    small = facts_of_text(SMALL, AS_OF, tmp_path)
    datastores = small.model.datastores
    assert [d for d in datastores if datastores[d].rebuildable] == ["search", "scratch"]
    assert {b: small.backup_criticality(small.model.backups[b]) for b in small.model.backups} == {
        "orders-dump": "critical",
        "posts-restic": "low",
        "app-image": "critical",
        "restic-copy": "critical",
    }
    bench = bench_facts(tmp_path)
    criticalities = {bench.datastore_criticality(d) for d in bench.model.datastores.values()}
    assert criticalities == set(CRITICALITIES)


@pytest.mark.parametrize("model", ["small", "homelab", "bench"])  # reference has none
def test_a_scope_of_every_kind_keeps_every_finding(model: str, tmp_path: Path) -> None:
    facts = model_facts(model, tmp_path)
    every_kind = RuleSettings(kinds=frozenset(ENTITY_KINDS))
    total = 0
    for rule in RULES:
        common = apply_rule(rule(), facts.model, facts)
        assert common == apply_rule(rule(), facts.model, facts, every_kind), rule.name
        total += len(common)
    assert total


def test_distinct_findings_in_order() -> None:
    def finding(line: int, rule: str, entity: str) -> Finding:
        return Finding(Location("m.yaml", line, 3), rule, rule, entity, "backup", "low", "m")

    found = [
        finding(9, "AL2", "b"),
        finding(3, "AL1", "a"),
        finding(9, "AL1", "b"),
        finding(3, "AL1", "a"),
        finding(9, "AL2", "b"),
        finding(3, "AL1", "c"),
    ]
    assert distinct_in_order(found) == [
        finding(3, "AL1", "a"),
        finding(3, "AL1", "c"),
        finding(9, "AL1", "b"),
        finding(9, "AL2", "b"),
    ]
    assert distinct_in_order(found[:1]) == found[:1]
    assert distinct_in_order([]) == []
