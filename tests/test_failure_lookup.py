"""Placements.failure: the failure of an id, looked up among the failures the model can
suffer, is the one its entity's kind makes: a site or disk domain, a physical machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.analysis.placement import Failure, Placements, is_machine
from archlint.engine.pipeline import read_model
from archlint.model.entities import Model

MODELS = Path(__file__).resolve().parents[1] / "models"

SITE = """
archlint: 1
domains:
  home: {kind: site}
  rack: {kind: rack, in: home}
  eu: {kind: region}
  alice: {kind: person}
  tank: {kind: disk, in: nas}
hosts:
  pve: {kind: hypervisor, in: rack}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: rack}
"""


def made_from_kind(model: Model, entity_id: str) -> Failure | None:
    domain = model.domains.get(entity_id)
    if domain is not None:
        if domain.kind == "site":
            return Failure("site", entity_id)
        return Failure("disk", entity_id) if domain.kind == "disk" else None
    host = model.hosts.get(entity_id)
    return Failure("machine", entity_id) if host is not None and is_machine(host) else None


def assert_failures_by_kind(model: Model) -> None:
    placements = Placements(model)
    for _kind, entity in model.entities():
        assert placements.failure(entity.id) == made_from_kind(model, entity.id), entity.id
    assert placements.failure("no-such-entity") is None


def test_in_a_model_with_every_kind_of_place(tmp_path: Path) -> None:
    (tmp_path / "archlint.yaml").write_text(SITE, encoding="utf-8")
    model = read_model(tmp_path / "archlint.yaml")
    assert_failures_by_kind(model)
    placements = Placements(model)
    assert [placements.failure(i) for i in ("home", "tank", "pve", "nas")] == [
        Failure("site", "home"),
        Failure("disk", "tank"),
        Failure("machine", "pve"),
        Failure("machine", "nas"),
    ]
    assert [placements.failure(i) for i in ("rack", "eu", "alice", "app")] == [None] * 4


@pytest.mark.parametrize("model", ["reference", "homelab"])
def test_in_the_models(model: str) -> None:
    assert_failures_by_kind(read_model(MODELS / model))
