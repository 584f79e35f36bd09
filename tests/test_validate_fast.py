"""The fast path of validation (archlint.validate.fast) against the slow one.

The slow path is the reference: for a model without an error the fast path
must return the very model the slow path builds (entities, order, ids,
locations, waivers' locations, what place() derives); for a model with any
error it must give up, so that the slow path reports every error where it is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given

from archlint.load.limits import Limits
from archlint.load.model import Document, load_model, load_model_fast
from archlint.model.entities import NO_LINKS, SECTIONS, Backup, Model
from archlint.model.errors import InvalidModel
from archlint.model.parsing import TextCache
from archlint.model.references import references_of, takes_one_id
from archlint.validate.entities import validate, validate_slowly
from archlint.validate.fast import valid_model
from archlint.validate.meaning import sources_fit_methods
from archlint.validate.references import all_resolve
from tests.conftest import bench_model_file
from tests.strategies import GeneratedModel, budget, valid_models, write_files

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLES = "ARCHLINT_PROPERTY_EXAMPLES"


def both_loaders(path: Path) -> list[list[Document]]:
    """The model's documents as each loader reads them: located entities, and
    the fast loader's plain ones (when it reads the model)."""
    fast = load_model_fast(path, Limits())
    return [load_model(path)] + ([fast] if fast is not None else [])


def assert_same_model(fast: Model, slow: Model) -> None:
    assert fast == slow
    assert fast.files == slow.files
    assert fast.defaults == slow.defaults
    for (kind, entity), (slow_kind, expected) in zip(fast.entities(), slow.entities(), strict=True):
        assert (kind, entity.id, entity.location) == (slow_kind, expected.id, expected.location)
        assert entity.model_fields_set == expected.model_fields_set
        assert [w.location for w in entity.waive] == [w.location for w in expected.waive]
        if isinstance(entity, Backup):
            assert isinstance(expected, Backup)
            assert (entity.sources, entity.targets) == (expected.sources, expected.targets)


def assert_fast_path_builds_the_slow_model(path: Path) -> None:
    for located, documents in zip((True, False), both_loaders(path), strict=False):
        fast = valid_model(documents, root_is_file=path.is_file())
        try:
            slow = validate_slowly(documents, root_is_file=path.is_file())
        except InvalidModel:
            # Only the fast loader's data can be invalid here (a section in flow
            # style stays plain): the command then reads the model again, located.
            assert not located
            assert fast is None
            continue
        assert fast is not None, "a valid model took the slow path"
        assert_same_model(fast, slow)


@pytest.mark.parametrize("name", ["homelab", "reference"])
def test_the_repository_models(name: str) -> None:
    assert_fast_path_builds_the_slow_model(REPOSITORY / "models" / name)


def test_the_bench_model(tmp_path: Path) -> None:
    assert_fast_path_builds_the_slow_model(bench_model_file(tmp_path))


@given(valid_models())
@budget(EXAMPLES, 40)
def test_generated_models(model: GeneratedModel) -> None:
    with tempfile.TemporaryDirectory() as directory:
        assert_fast_path_builds_the_slow_model(write_files(Path(directory), model.files()))


VALID = """archlint: 1
defaults: {criticality: high}
domains:
  home: {kind: site}
  attic: {kind: room, in: home}
  shelf: {kind: site, offline: true}
hosts:
  nas: {kind: nas, in: attic}
  pve: {kind: hypervisor, in: home}
  vm: {kind: vm, hypervisor: pve}
datastores:
  photos: {kind: files, host: vm, size: 20GiB}
  db: {kind: database, engine: postgresql, host: vm}
repositories:
  local: {tool: restic, host: nas, retention: {daily: 7}}
  usb: {tool: borg, in: shelf}
keys:
  pass: {kind: passphrase, stored_in: [shelf]}
services:
  wiki: {host: vm, data: [photos, db], depends_on: []}
backups:
  nightly:
    source: [photos, db]
    target: [local, usb]
    method: file
    schedule: daily
    waive:
      - {rule: snapshot-only, reason: tested}
  image: {source: vm, target: local, method: image, after: nightly}
  copy: {source: local, target: usb, method: copy, schedule: weekly}
  snap: {source: photos, method: snapshot, schedule: hourly}
drills:
  d1: {restores: [wiki], from: local, date: 2026-01-02, result: pass}
"""


def test_a_model_with_every_kind_of_reference(write: Callable[..., Path]) -> None:
    path = write(VALID)
    assert_fast_path_builds_the_slow_model(path)
    model = validate(load_model(path), root_is_file=True)
    nightly, snap = model.backups["nightly"], model.backups["snap"]
    assert (nightly.sources, nightly.targets) == (("photos", "db"), ("local", "usb"))
    assert (snap.sources, snap.targets) == (("photos",), ())
    assert model.backups["image"].targets == ("local",)


def test_a_model_of_several_files(write: Callable[..., Path], tmp_path: Path) -> None:
    write("archlint: 1\ndomains:\n  home: {kind: site}\nhosts:\n  nas: {kind: nas, in: home}\n")
    write("datastores:\n  photos: {kind: files, host: nas}\n", "more.yaml")
    write("domains:\n  away: {kind: site}\n", "zzz.yaml")
    assert_fast_path_builds_the_slow_model(tmp_path)
    model = validate(load_model(tmp_path), root_is_file=False)
    assert list(model.domains) == ["home", "away"]


def test_an_id_used_in_two_files_takes_the_slow_path(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    write("archlint: 1\ndomains:\n  home: {kind: site}\n")
    write("domains:\n  home: {kind: region}\n", "more.yaml")
    for documents in both_loaders(tmp_path):
        assert valid_model(documents, root_is_file=False) is None
        with pytest.raises(InvalidModel):
            validate(documents, root_is_file=False)


SHELF_AND_BAD_ID = '  shelf: {kind: site, offline: true}\n  "a\\nb": {kind: site}'
# Each breaks VALID in one way that one check of validation finds.
BROKEN = {
    "version": ("archlint: 1\n", "archlint: 2\n"),
    "section": ("drills:", "drils:"),
    "id": ("  home: {kind: site}", "  h*me: {kind: site}"),
    "id with a line break": ("  shelf: {kind: site, offline: true}", SHELF_AND_BAD_ID),
    "id length": ("  home: {kind: site}", f"  {'h' * 65}: {{kind: site}}"),
    "duplicate id": ("  attic: {kind: room, in: home}", "  nas: {kind: room, in: home}"),
    "defaults": ("defaults: {criticality: high}", "defaults: {criticality: hgh}"),
    "field": ("{kind: files, host: vm, size: 20GiB}", "{kind: files, host: vm, size: 20G}"),
    "no fields": ("  wiki: {host: vm, data: [photos, db], depends_on: []}", "  wiki:"),
    "shape": ("{kind: database, engine: postgresql", "{kind: files, engine: postgresql"),
    "retention": ("retention: {daily: 7}", "retention: {daily: -1}"),
    "target": ("target: local, method: image", "target: vm, method: image"),
    "unknown id in a list": ("data: [photos, db]", "data: [photos, dbb]"),
    "wrong kind in a list": ("depends_on: []", "depends_on: [db]"),
    "wrong kind in a list of a drill": ("restores: [wiki]", "restores: [wiki, local]"),
    "unknown id": ("  usb: {tool: borg, in: shelf}", "  usb: {tool: borg, in: shelff}"),
    "parent kind": ("  attic: {kind: room, in: home}", "  attic: {kind: person}"),
    "domain breadth": ("  attic: {kind: room, in: home}", "  attic: {kind: site, in: home}"),
    "source kind": ("{source: vm, target: local", "{source: photos, target: local"),
    "source kind in a list": ("source: [photos, db]", "source: [photos, vm]"),
    "placement cycle": ("  home: {kind: site}", "  home: {kind: site, in: attic}"),
    "parent of a wrong kind": ("  nas: {kind: nas, in: attic}", "  nas: {kind: nas, in: photos}"),
    "after cycle": ("method: file\n    schedule: daily", "method: file\n    after: image"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_model_with_an_error_takes_the_slow_path(case: str, write: Callable[..., Path]) -> None:
    old, new = BROKEN[case]
    assert old in VALID
    path = write(VALID.replace(old, new))
    for documents in both_loaders(path):
        assert valid_model(documents, root_is_file=True) is None
        with pytest.raises(InvalidModel):
            validate(documents, root_is_file=True)


def test_whole_section_checks_follow_lists_of_ids(write: Callable[..., Path]) -> None:
    model = validate(load_model(write(VALID)), root_is_file=True)
    sections = {name: model.section(name) for name in SECTIONS}
    assert all_resolve(sections)
    assert sources_fit_methods(model.backups.values(), sections)
    # A list of sources where one is of the wrong kind: only the loop over
    # each backup's sources can see it.
    wrong = model.backups["nightly"].model_copy(update={"source": ("photos", "vm")})
    assert not sources_fit_methods([*model.backups.values(), wrong], sections)
    unknown = model.services["wiki"].model_copy(update={"data": ("photos", "nothing")})
    assert not all_resolve({**sections, "services": {"wiki": unknown}})


def test_references_know_whether_they_hold_one_id() -> None:
    many = {
        (cls.__name__, reference.field): reference.many
        for _kind, cls in SECTIONS.values()
        for reference in references_of(cls)
    }
    assert many[("Service", "data")] and many[("Service", "depends_on")]
    assert many[("Drill", "restores")] and many[("Key", "stored_in")]
    # A list or one id: all_resolve must tell an id from a tuple of them.
    assert not many[("Backup", "source")] and not many[("Backup", "target")]
    assert not many[("Host", "in")] and not many[("Service", "host")]
    assert takes_one_id(str | tuple[str, ...] | None) and not takes_one_id(tuple[str, ...])


def test_model_lookups(write: Callable[..., Path]) -> None:
    model = validate(load_model(write(VALID)), root_is_file=True)
    assert model.get("vm") is model.hosts["vm"]
    assert model.get("nightly") is model.backups["nightly"]
    assert model.get("nothing") is None
    assert (model.kind_of("shelf"), model.kind_of("d1"), model.kind_of("nothing")) == (
        "domain",
        "drill",
        None,
    )
    assert [entity.id for _kind, entity in model.entities("host")] == ["nas", "pve", "vm"]
    everything = list(model.entities())
    assert len(everything) == 17
    assert everything[0] == ("domain", model.domains["home"])
    assert everything[-1] == ("drill", model.drills["d1"])
    assert list(model.entities("nothing")) == []


def test_parsed_texts_are_cached_within_a_limit() -> None:
    calls: list[str] = []

    def parse(text: str) -> int:
        calls.append(text)
        if not text.isdigit():
            raise ValueError(f"{text!r} is not a number")
        return int(text)

    cache = TextCache(parse, limit=2)
    assert [cache["1"], cache["1"], cache["2"], cache["3"], cache["3"]] == [1, 1, 2, 3, 3]
    assert calls == ["1", "2", "3", "3"]  # "3" came after the limit: parsed each time
    assert dict(cache) == {"1": 1, "2": 2}
    for _ in range(2):
        with pytest.raises(ValueError, match="'x' is not a number"):
            cache["x"]
    assert calls[-2:] == ["x", "x"]


def test_entities_share_what_is_the_same(write: Callable[..., Path]) -> None:
    model = validate(load_model(write(VALID)), root_is_file=True)
    image, copy = model.backups["image"], model.backups["copy"]
    assert image.targets == ("local",)
    assert model.backups["copy"].targets == ("usb",)
    snapshot, dump = "{source: photos, method: snapshot", "{source: db, target: local, method: dump"
    twin = validate(load_model(write(VALID.replace(snapshot, dump))), root_is_file=True)
    assert twin.backups["snap"].targets is twin.backups["image"].targets
    assert copy.links is image.links is NO_LINKS == {}
    linked = write(
        VALID.replace("{tool: borg, in: shelf}", "{tool: borg, in: shelf, links: {a: b}}")
    )
    assert validate(load_model(linked), root_is_file=True).repositories["usb"].links == {"a": "b"}
    assert NO_LINKS == {}
