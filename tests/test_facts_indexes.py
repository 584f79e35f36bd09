"""Facts answers from indexes built once what a plain scan of the model answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.analysis.facts import Facts
from archlint.model.entities import Criticality, criticality_rank
from tests.test_engine_scopes import model_facts

MODEL_NAMES = ["small", "reference", "homelab", "bench"]


def plain_data_behind(facts: Facts, source_id: str) -> list[str]:
    if source_id in facts.model.repositories:
        return [copy.datastore for copy in facts.held_by(source_id)]
    return sorted(d for d in facts.model.datastores if facts.placement(d).host == source_id)


def plain_criticality(facts: Facts, source_id: str) -> Criticality | None:
    datastores = facts.model.datastores
    if source_id in datastores:
        return facts.datastore_criticality(datastores[source_id])
    found = [
        facts.datastore_criticality(datastores[d]) for d in plain_data_behind(facts, source_id)
    ]
    return max(found, key=criticality_rank, default=None)


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_the_data_behind_hosts_and_repositories(model: str, tmp_path: Path) -> None:
    facts = model_facts(model, tmp_path)
    sources = [*facts.model.hosts, *facts.model.repositories, "nowhere"]
    for source in sources:
        found = [d.id for d in facts.data_behind(source)]
        assert found == plain_data_behind(facts, source), source
    assert any(facts.data_behind(host) for host in facts.model.hosts)


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_the_criticality_of_a_backup_is_the_highest_behind_its_sources(
    model: str, tmp_path: Path
) -> None:
    facts = model_facts(model, tmp_path)
    for backup in facts.model.backups.values():
        found = [c for s in backup.sources if (c := plain_criticality(facts, s)) is not None]
        expected = max(found, key=criticality_rank, default=None)
        assert facts.backup_criticality(backup) == expected, backup.id


def test_the_small_model_has_backups_of_hosts_and_repositories(tmp_path: Path) -> None:
    facts = model_facts("small", tmp_path)
    assert facts.model.backups["app-image"].source == "app"
    assert facts.model.backups["restic-copy"].source == "nas-restic"
    assert [d.id for d in facts.data_behind("app")] == ["orders", "posts", "search"]


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_the_push_jobs_a_compromise_reaches(model: str, tmp_path: Path) -> None:
    facts = model_facts(model, tmp_path)
    reached = 0
    for repository in facts.model.repositories:
        for host in facts.model.hosts:
            expected = [
                (backup.id, runner)
                for backup in facts.writers(repository)
                if backup.mode == "push"
                and (runner := facts.runner(backup)) is not None
                and host in facts.placement(runner).attached
            ]
            assert facts.pushers_reached(repository, host) == expected, (repository, host)
            reached += len(expected)
    assert reached or model == "reference"


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_each_datastore_knows_its_position(model: str, tmp_path: Path) -> None:
    # The analyses keep per-datastore answers in lists by position (Datastore.position).
    datastores = model_facts(model, tmp_path).model.datastores
    assert [d.position for d in datastores.values()] == list(range(len(datastores)))


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_what_each_repository_holds(model: str, tmp_path: Path) -> None:
    facts = model_facts(model, tmp_path)
    for repository in [*facts.model.repositories, "nowhere"]:
        expected = [
            copy
            for datastore_id in sorted(facts.model.datastores)
            for copy in facts.copies(facts.model.datastores[datastore_id])
            if copy.repository == repository
        ]
        assert facts.held_by(repository) == expected, repository
    assert any(facts.held_by(repository) for repository in facts.model.repositories)


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_a_datastores_placement_by_position_is_its_placement(model: str, tmp_path: Path) -> None:
    facts = model_facts(model, tmp_path)
    for datastore_id, datastore in facts.model.datastores.items():
        assert facts.placement_of(datastore) is facts.placement(datastore_id)
