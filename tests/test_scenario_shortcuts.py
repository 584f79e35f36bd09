"""The scenario engine's shortcuts, held to the definitions they stand for.

compromising_hosts answers without a signature when no host reaches the live
data and every copy; key_losses is looked up by storage class. Both must give
what asking every host, or every datastore alone, gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import NOTHING_LOST, Scenario
from bench.generate import Gaps
from tests.conftest import bench_facts, facts_of

MODELS = Path(__file__).resolve().parents[1] / "models"


def every_host_asked(facts: Facts, every: int) -> int:
    """Each `every`-th datastore's compromising hosts are those whose compromise alone
    loses data recoverable before anything happens, every host of the model asked.
    Returns how many datastores have some."""
    engine = facts.scenarios
    hosts = sorted(facts.model.hosts)
    found = 0
    for datastore in list(facts.model.datastores.values())[::every]:
        expected: list[str] = []
        if engine.recoverable(datastore, NOTHING_LOST):
            expected = [
                host
                for host in hosts
                if not engine.recoverable(datastore, Scenario(compromised=frozenset({host})))
            ]
        assert facts.compromising_hosts(datastore) == expected, datastore.id
        found += bool(expected)
    return found


@pytest.mark.parametrize("model", ["reference", "homelab"])
def test_compromising_hosts_are_those_every_host_asked_gives_in_the_models(model: str) -> None:
    every_host_asked(facts_of(MODELS / model), every=1)


def test_compromising_hosts_are_those_every_host_asked_gives_in_a_bench_model(
    tmp_path: Path,
) -> None:
    facts = bench_facts(tmp_path)
    # Some datastores have compromising hosts, and most have none (the shortcut).
    assert every_host_asked(facts, every=5) > 0
    with_hosts = [d for d in facts.model.datastores.values() if facts.compromising_hosts(d)]
    assert 0 < len(with_hosts) < len(facts.model.datastores) / 2


@pytest.mark.parametrize(
    ("gaps", "cause"),
    [
        (Gaps(orphaned_key_site=1), "gone"),
        (Gaps(orphaned_key_site=0, circular_key_site=1), "circular"),
    ],
)
def test_key_losses_by_class_equal_those_of_each_datastore_alone(
    tmp_path: Path, gaps: Gaps, cause: str
) -> None:
    facts = bench_facts(tmp_path, gaps=gaps)
    shared = {d.id: facts.scenarios.key_losses(d) for d in facts.model.datastores.values()}
    assert cause in {loss.cause for losses in shared.values() for loss in losses}
    for datastore_id in sorted(shared)[::7]:
        alone = Facts(facts.model, facts.as_of)
        datastore = alone.model.datastores[datastore_id]
        assert alone.scenarios.key_losses(datastore) == shared[datastore_id]
        assert all(loss.datastore == datastore_id for loss in shared[datastore_id])


def test_pushers_reached_are_the_push_writers_whose_runner_a_host_reaches(
    tmp_path: Path,
) -> None:
    facts = bench_facts(tmp_path)
    asked = 0
    for repository_id in sorted(facts.model.repositories):
        writers = facts.writers(repository_id)
        for host in sorted(facts.model.hosts):
            expected = [
                (backup.id, runner)
                for backup in writers
                if backup.mode == "push"
                and (runner := facts.runner(backup)) is not None
                and host in facts.placement(runner).attached
            ]
            assert facts.pushers_reached(repository_id, host) == expected
            asked += bool(expected)
    assert asked > 0
