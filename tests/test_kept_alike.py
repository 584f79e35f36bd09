"""Rules that ask a question once per storage class (Facts.kept_alike) keep exactly the
datastores whose own check finds a problem: the answer shared by the datastores kept
alike is the answer each would get alone."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from archlint.analysis.facts import Facts
from archlint.engine.pipeline import read_model
from archlint.engine.rule import Rule
from archlint.model.entities import Datastore
from rules.insufficient_copies import InsufficientCopies
from rules.no_immutable_copy import NoImmutableCopy
from rules.single_domain_copies import SingleDomainCopies
from tests.conftest import AS_OF, bench_facts, facts_of
from tests.strategies import GeneratedModel, budget, valid_models, write_files

MODELS = Path(__file__).resolve().parents[1] / "models"


def rules_asking_per_class() -> list[Rule[Datastore]]:
    return [
        SingleDomainCopies(),
        NoImmutableCopy(),
        InsufficientCopies(),
        InsufficientCopies(InsufficientCopies.Options(min_copies=4)),
        InsufficientCopies(InsufficientCopies.Options(min_copies=1)),
    ]


def assert_candidates_are_the_datastores_with_problems(facts: Facts) -> None:
    datastores = list(facts.model.datastores.values())
    for rule in rules_asking_per_class():
        with_problems = [d for d in datastores if list(rule.check(d, facts))]
        assert rule.candidates(datastores, facts) == with_problems, rule.name


def test_in_a_bench_model_whose_datastores_share_few_classes(tmp_path: Path) -> None:
    facts = bench_facts(tmp_path, 400)
    assert_candidates_are_the_datastores_with_problems(facts)
    # Asked of far fewer classes than datastores, and each rule has problems to find.
    classes = {facts._copies.storage_class(d) for d in facts.model.datastores.values()}
    assert len(classes) < len(facts.model.datastores) / 4
    datastores = list(facts.model.datastores.values())
    assert all(rule.candidates(datastores, facts) for rule in rules_asking_per_class()[:3])


@pytest.mark.parametrize("model", ["reference", "homelab"])
def test_in_the_models(model: str) -> None:
    assert_candidates_are_the_datastores_with_problems(facts_of(MODELS / model))


def test_a_question_is_asked_once_per_class_in_order(tmp_path: Path) -> None:
    facts = bench_facts(tmp_path, 100)
    datastores = list(facts.model.datastores.values())
    asked: list[str] = []

    def every_other_class(datastore: Datastore) -> bool:
        asked.append(datastore.id)
        return facts._copies.storage_class(datastore) % 2 == 0

    kept = facts.kept_alike(datastores, every_other_class)
    assert kept == [d for d in datastores if facts._copies.storage_class(d) % 2 == 0]
    classes = [facts._copies.storage_class(facts.model.datastores[d]) for d in asked]
    assert len(set(classes)) == len(classes) < len(datastores)


@given(valid_models())
@budget("ARCHLINT_PROPERTY_EXAMPLES", 25)
def test_in_generated_models(model: GeneratedModel) -> None:
    with tempfile.TemporaryDirectory() as directory:
        facts = Facts(read_model(write_files(Path(directory), model.files())), AS_OF)
    assert_candidates_are_the_datastores_with_problems(facts)
