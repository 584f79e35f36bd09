"""References are declared once, as `RefersTo` on an entity's field; the rest derives from it.

The tests declare fictional reference fields on subclasses of real entities,
swap those classes into SECTIONS, and show that nothing else needs to change:
validation rejects dangling ids and wrong kinds, the graph gains the edge,
placement follows a placing reference, and the JSON Schema documents it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pytest
from jsonschema import Draft202012Validator
from pydantic import Field

from archlint.analysis.graph import build_graph, named_by, names_of
from archlint.analysis.placement import Placements
from archlint.engine.pipeline import read_model
from archlint.load.model import load_model
from archlint.model.entities import SECTIONS, Backup, Domain, Host
from archlint.model.errors import InvalidModel
from archlint.model.references import RefersTo, placement_parent, references_of
from archlint.model.schema import model_schema


class ReviewedBackup(Backup):
    """A backup with a fictional reference field."""

    reviewed_by: Annotated[str | None, RefersTo("service")] = Field(
        default=None, description="The service that reviews the job."
    )


class CarriedDomain(Domain):
    """A domain with a fictional placing reference field."""

    carried_by: Annotated[str | None, RefersTo("domain", places=True)] = Field(
        default=None, description="The domain that carries this one around."
    )


BACKUPS = """archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
services:
  wiki: {host: nas, data: [pages]}
datastores:
  pages: {kind: files, host: nas}
repositories:
  repo: {tool: restic, host: nas}
backups:
  nightly: {source: pages, target: repo, method: file, reviewed_by: REVIEWER}
"""


@pytest.fixture
def reviewed_backups(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SECTIONS, "backups", ("backup", ReviewedBackup))


@pytest.fixture
def carried_domains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SECTIONS, "domains", ("domain", CarriedDomain))


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InvalidModel) as caught:
        read_model(path)
    return [f"{e.location.line}:{e.location.column} {e.message}" for e in caught.value.errors]


def test_without_its_declaration_the_field_is_unknown(write: Callable[..., Path]) -> None:
    path = write(BACKUPS.replace("REVIEWER", "wiki"))
    assert errors_of(path) == ["13:56 unknown field 'reviewed_by'"]


@pytest.mark.usefixtures("reviewed_backups")
@pytest.mark.parametrize(
    ("reviewer", "message"),
    [
        ("wki", "13:69 `reviewed_by`: no service named 'wki' (did you mean 'wiki'?)"),
        ("nas", "13:69 `reviewed_by`: 'nas' is a host; `reviewed_by` accepts a service"),
    ],
)
def test_a_declared_reference_is_resolved(
    write: Callable[..., Path], reviewer: str, message: str
) -> None:
    assert errors_of(write(BACKUPS.replace("REVIEWER", reviewer))) == [message]


@pytest.mark.usefixtures("reviewed_backups")
def test_a_declared_reference_is_an_edge_of_the_graph(write: Callable[..., Path]) -> None:
    model = read_model(write(BACKUPS.replace("REVIEWER", "wiki")))
    graph = build_graph(model)
    assert names_of(model.backups["nightly"], "reviewed_by") == ["wiki"]
    assert named_by(graph, "wiki", "reviewed_by") == ["nightly"]


@pytest.mark.usefixtures("reviewed_backups")
def test_a_declared_reference_is_in_the_schema(write: Callable[..., Path]) -> None:
    schema = model_schema()
    spec = schema["$defs"]["ReviewedBackup"]["properties"]["reviewed_by"]
    assert spec["description"] == "The service that reviews the job. Refers to a service by id."
    data = load_model(write(BACKUPS.replace("REVIEWER", "'not an id'")))[0].data
    (error,) = Draft202012Validator(schema).iter_errors(data)
    assert list(error.absolute_path) == ["backups", "nightly", "reviewed_by"]


PLACES = """archlint: 1
domains:
  home: {kind: site}
  van: {kind: rack, carried_by: CARRIER}
hosts:
  laptop: {kind: workstation, in: van}
"""


@pytest.mark.usefixtures("carried_domains")
def test_a_declared_placing_reference_places(write: Callable[..., Path]) -> None:
    model = read_model(write(PLACES.replace("CARRIER", "home")))
    placement = Placements(model).placement("laptop")
    assert placement.chain == ("laptop", "van", "home") and placement.site == "home"


@pytest.mark.usefixtures("carried_domains")
def test_a_declared_placing_reference_cannot_close_a_cycle(write: Callable[..., Path]) -> None:
    text = "archlint: 1\ndomains:\n  van: {kind: rack, carried_by: vault}\n"
    text += "  vault: {kind: room, carried_by: van}\n"
    assert errors_of(write(text)) == [
        "3:33 `carried_by` makes a cycle: 'van' is in 'vault', which is in 'van'; "
        "nothing can be inside itself or run on itself"
    ]


def test_every_declared_reference_names_kinds_of_the_model() -> None:
    kinds = {kind for kind, _cls in SECTIONS.values()}
    for _kind, cls in SECTIONS.values():
        for reference in references_of(cls):
            assert set(reference.kinds) <= kinds, (cls.__name__, reference.field)


def test_a_vm_is_placed_by_its_hypervisor_through_the_relation_on() -> None:
    vm = Host.model_validate({"kind": "vm", "hypervisor": "pve"})
    parent = placement_parent(vm)
    assert parent is not None
    reference, parent_id = parent
    assert (reference.field, reference.relation, parent_id) == ("hypervisor", "on", "pve")
