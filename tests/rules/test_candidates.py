"""Rule.candidates: a rule may narrow the entities the engine checks, never its findings."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archlint.analysis.facts import Facts
from archlint.engine.config import settings_from_options
from archlint.engine.findings import apply_rule
from archlint.engine.rule import Problem, Rule
from archlint.engine.rulepack import RuleClass
from archlint.model.entities import SECTIONS, Backup, Entity
from tests.conftest import AS_OF, bench_facts, facts_of
from tests.rules.helpers import RULES, facts_of_text

MODELS = Path(__file__).resolve().parents[2] / "models"
NARROWING = [rule for rule in RULES if "candidates" in vars(rule)]


def assert_narrows_safely(rule: Rule[Entity], facts: Facts) -> None:
    """Candidates keep the order given, and check finds nothing in any entity left out."""
    for name, (kind, _cls) in SECTIONS.items():
        if rule.entity_kind not in (kind, "entity"):
            continue
        entities = list(facts.model.section(name).values())
        kept = rule.candidates(entities, facts)
        kept_ids = {entity.id for entity in kept}
        assert kept == [entity for entity in entities if entity.id in kept_ids], rule.name
        for entity in entities:
            if entity.id not in kept_ids:
                assert list(rule.check(entity, facts)) == [], (rule.name, entity.id)


def test_the_built_in_rules_that_narrow() -> None:
    # The rules whose check returns at once for most entities of a large model.
    assert {rule.name for rule in NARROWING} == {
        "config-not-versioned",
        "expired-waiver",
        "inconsistent-database-backup",
        "insufficient-copies",
        "mirror-only-offsite",
        "no-immutable-copy",
        "restore-time-exceeds-rto",
        "rpo-not-met",
        "rto-not-met",
        "single-domain-copies",
        "snapshot-only",
        "unmonitored-backup",
    }


@pytest.mark.parametrize("rule", NARROWING, ids=lambda rule: rule.name)
def test_candidates_leave_out_only_entities_without_findings_in_the_examples(
    rule: RuleClass,
) -> None:
    for example in (*rule.failing, *rule.passing):
        settings = settings_from_options(rule, example.options, "example")
        with tempfile.TemporaryDirectory() as directory:
            facts = facts_of_text(example.model, example.as_of or AS_OF, Path(directory))
            assert_narrows_safely(rule(settings.options), facts)


@pytest.mark.parametrize("model", ["reference", "homelab"])
def test_candidates_leave_out_only_entities_without_findings_in_the_models(model: str) -> None:
    facts = facts_of(MODELS / model)
    for rule in NARROWING:
        assert_narrows_safely(rule(), facts)


def test_candidates_leave_out_only_entities_without_findings_in_a_bench_model(
    tmp_path: Path,
) -> None:
    facts = bench_facts(tmp_path)
    for rule in NARROWING:
        assert_narrows_safely(rule(), facts)


class EveryBackup(Rule[Backup]):
    """Reports every backup of high criticality, as a rule pack writes it: check only."""

    id = "X001"
    name = "every-backup"
    severity = "low"
    min_criticality = "high"

    def check(self, backup: Backup, facts: Facts) -> Iterator[Problem]:
        yield Problem("checked")


class MusicBackups(EveryBackup):
    """The same rule, narrowed to the backups of 'music'."""

    def candidates(self, backups: list[Backup], facts: Facts) -> list[Backup]:
        return [backup for backup in backups if backup.source.startswith("music")]


MODEL = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas, criticality: high}
  music: {kind: files, host: nas, criticality: high}
  music-cache: {kind: files, host: nas, criticality: low}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  music-restic: {source: music, target: nas-restic, method: file, schedule: daily}
  music-cache-restic: {source: music-cache, target: nas-restic, method: file, schedule: daily}
"""


def test_a_rule_without_candidates_checks_every_entity_above_its_minimum(tmp_path: Path) -> None:
    facts = facts_of_text(MODEL, AS_OF, tmp_path)
    found = apply_rule(EveryBackup(), facts.model, facts)
    assert sorted(finding.entity for finding in found) == ["music-restic", "photos-restic"]


def test_the_engine_checks_only_the_candidates_above_the_minimum(tmp_path: Path) -> None:
    facts = facts_of_text(MODEL, AS_OF, tmp_path)
    found = apply_rule(MusicBackups(), facts.model, facts)
    assert [finding.entity for finding in found] == ["music-restic"]
