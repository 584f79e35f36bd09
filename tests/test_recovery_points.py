"""RecoveryPoints.misses: the shortcut rpo-not-met narrows with, held to worst_case_loss."""

from __future__ import annotations

from pathlib import Path

from archlint.analysis.facts import Facts
from tests.conftest import bench_facts, facts_of

MODELS = Path(__file__).resolve().parents[1] / "models"


def assert_misses_as_worst_case_loss_says(facts: Facts) -> None:
    points = facts.recovery_points
    for datastore in facts.model.datastores.values():
        objective = points.objective(datastore)
        on_machine = facts.placement(datastore.id).machine is not None
        if objective is None or not on_machine:
            expected = False
        elif not facts.protections(datastore):
            expected = True
        else:
            point = facts.worst_case_loss(datastore)
            expected = point is None or point.loss.seconds > objective[0].seconds
        assert points.misses(datastore) is expected, datastore.id


def test_misses_agrees_with_worst_case_loss_on_the_models() -> None:
    for name in ("reference", "homelab"):
        assert_misses_as_worst_case_loss_says(facts_of(MODELS / name))


def test_misses_agrees_with_worst_case_loss_on_a_bench_model(tmp_path: Path) -> None:
    facts = bench_facts(tmp_path)
    assert_misses_as_worst_case_loss_says(facts)
    # The gaps make both answers occur.
    answers = {facts.recovery_points.misses(d) for d in facts.model.datastores.values()}
    assert answers == {True, False}


def test_the_objective_is_the_tightest_rpo_of_the_users_first_by_id(tmp_path: Path) -> None:
    path = tmp_path / "archlint.yaml"
    path.write_text(
        """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  zeta: {host: app, rpo: 24h, data: [db, files]}
  alpha: {host: app, rpo: 1d, data: [db]}
  beta: {host: app, rpo: 2d, data: [db, files]}
  gamma: {host: app, data: [files, logs]}
datastores:
  db: {kind: database, host: app}
  files: {kind: files, host: app}
  logs: {kind: files, host: app}
""",
        encoding="utf-8",
    )
    facts = facts_of(path)
    points, datastores = facts.recovery_points, facts.model.datastores
    db, files = points.objective(datastores["db"]), points.objective(datastores["files"])
    assert db is not None and (str(db[0]), db[1]) == ("1d", "alpha")
    assert files is not None and (str(files[0]), files[1]) == ("24h", "zeta")
    assert points.objective(datastores["logs"]) is None
