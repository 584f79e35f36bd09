"""Validation: every error at its file:line:column, all errors of a model at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archlint.engine.pipeline import read_model
from archlint.load.model import Document, load_model
from archlint.model.entities import SECTIONS
from archlint.model.errors import InvalidModel
from archlint.validate.entities import validate

BASE = """archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
repositories:
  nas-restic: {tool: restic, host: nas}
datastores:
  photos: {kind: files, host: nas}
"""
# Each case is a second file, extra.yaml, of a directory model beside BASE.

CASES = [
    (
        "services:\n  wiki: {hots: nas}\n",
        [
            (2, 10, "unknown field 'hots' (did you mean 'host'?)"),
            (2, 3, "missing required field 'host'"),
        ],
    ),
    (
        "backups:\n  b: {source: photos, target: nas-restc, method: file}\n",
        [(2, 31, "`target`: no repository named 'nas-restc' (did you mean 'nas-restic'?)")],
    ),
    (
        "backups:\n  b: {source: photos, target: nas, method: file}\n",
        [(2, 31, "`target`: 'nas' is a host; `target` accepts a repository")],
    ),
    (
        "services:\n  wiki: {host: nas, criticality: hgh}\n",
        [
            (
                2,
                34,
                "`criticality`: 'hgh' is not one of low, medium, high, critical "
                "(did you mean 'high'?)",
            )
        ],
    ),
    (
        "services:\n  wiki: {host: nas, rpo: 6x}\n",
        [(2, 26, "`rpo`: '6x' is not a duration")],
    ),
    (
        "domains2:\n  x: {kind: site}\n",
        [(1, 1, "unknown section 'domains2' (did you mean 'domains'?)")],
    ),
    (
        "keys:\n  k: {kind: passphrase, stored_in: [photos, nowhere]}\n",
        [(2, 45, "`stored_in`: no datastore or host or domain named 'nowhere'")],
    ),
    (
        "hosts2: {}\nservices:\n  wiki:\n    host: nas\n    depends_on: [wiki2]\n",
        [(1, 1, "unknown section 'hosts2'"), (5, 18, "`depends_on`: no service named 'wiki2'")],
    ),
    (
        "drills:\n  d: {restores: [photos], date: 2026-02-30, result: pass}\n",
        [(2, 33, "`date`: '2026-02-30' is not a valid date")],
    ),
]


@pytest.mark.parametrize(("extra", "expected"), CASES)
def test_error_is_located_and_explained(
    write: Callable[..., Path], tmp_path: Path, extra: str, expected: list[tuple[int, int, str]]
) -> None:
    write(BASE, "m/base.yaml")
    path = write(extra, "m/extra.yaml")
    with pytest.raises(InvalidModel) as caught:
        read_model(tmp_path / "m")
    found = [(e.location.line, e.location.column, e.message) for e in caught.value.errors]
    assert len(found) == len(expected), found
    for (line, column, fragment), (got_line, got_column, message) in zip(
        sorted(expected), sorted(found), strict=True
    ):
        assert (got_line, got_column) == (line, column), message
        assert fragment in message
    assert all(e.location.file == str(path) for e in caught.value.errors)


def model_errors(write: Callable[..., Path], tmp_path: Path, extra: str) -> list[str]:
    write(BASE, "m/base.yaml")
    write(extra, "m/extra.yaml")
    with pytest.raises(InvalidModel) as caught:
        read_model(tmp_path / "m")
    return [f"{e.location.line}:{e.location.column} {e.message}" for e in caught.value.errors]


def error_messages(write: Callable[..., Path], text: str) -> list[str]:
    with pytest.raises(InvalidModel) as caught:
        read_model(write(text))
    return [f"{e.location.line}:{e.location.column} {e.message}" for e in caught.value.errors]


def test_yaml_1_1_booleans_are_strings_so_they_are_rejected(write: Callable[..., Path]) -> None:
    messages = error_messages(write, BASE.replace("{kind: site}", "{kind: site, offline: yes}"))
    assert messages == [
        "3:31 `offline`: 'yes' is text, not a boolean (YAML 1.2 has only true and false; "
        "`yes`, `no`, `on` and `off` were booleans in YAML 1.1): write true"
    ]


def test_duplicate_ids_across_files_name_both_places(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    write(BASE, "m/a.yaml")
    write("hosts:\n  photos: {kind: server, in: home}\n", "m/b.yaml")
    with pytest.raises(InvalidModel) as caught:
        read_model(tmp_path / "m")
    (error,) = caught.value.errors
    assert error.location.file.endswith("b.yaml") and error.location.line == 2
    assert "duplicate id 'photos'" in error.message
    assert "a.yaml:9:3" in error.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("archlint: 2\n", "1:11 unsupported model version 2"),
        ("archlint: '1'\n", "1:11 unsupported model version '1'"),
        ("domains:\n  home: {kind: site}\n", "1:1 the model's root file must start with"),
    ],
)
def test_model_version(write: Callable[..., Path], text: str, fragment: str) -> None:
    assert fragment in error_messages(write, text)[0]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (
            "domains:\n  r1: {kind: rack, in: home}\n  r2: {kind: rack, in: r1}\n",
            "3:24 a rack must be in something broader (region, site, room), not in a rack",
        ),
        (
            "domains:\n  d: {kind: disk, in: home}\n",
            "2:23 a disk must be in a host, not in a site",
        ),
        (
            "hosts:\n  vm1: {kind: vm, in: home, hypervisor: nas}\n",
            "2:3 a host needs exactly one of `in` (a domain) or `hypervisor`",
        ),
        (
            "hosts:\n  vm1: {kind: vm, hypervisor: nas}\n",
            "2:31 'nas' is a host of kind nas; `hypervisor` needs a host of kind hypervisor",
        ),
        (
            "backups:\n  b: {source: photos, target: nas-restic, method: image}\n",
            "2:51 `image` backs up a host, but the source 'photos' is a datastore",
        ),
        (
            "backups:\n  b: {source: nas, target: nas-restic, method: file}\n",
            "2:48 the source 'nas' is a host, so the method must be `image`",
        ),
        (
            "backups:\n  b: {source: photos, method: file}\n",
            "2:3 a `file` backup needs a `target` repository",
        ),
        (
            "datastores:\n  db: {kind: files, engine: mysql, host: nas}\n",
            "2:29 `engine` applies to databases only",
        ),
        (
            "services:\n  s: {host: nas, waive: [{rule: snapshot-only}]}\n",
            "2:26 missing required field 'reason'",
        ),
        ("services:\n  bad/id: {host: nas}\n", "2:3 invalid id 'bad/id'"),
        ("services: [a, b]\n", "1:11 `services` must be a mapping from ids to services"),
        ("services:\n  s: [host, nas]\n", "2:6 a service must be a mapping of fields, not a list"),
    ],
)
def test_structural_errors(
    write: Callable[..., Path], tmp_path: Path, extra: str, fragment: str
) -> None:
    messages = model_errors(write, tmp_path, extra)
    assert any(m.startswith(fragment) for m in messages), messages


def test_all_errors_of_a_file_are_reported_at_once(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    extra = (
        "services:\n"
        "  a: {host: nass}\n"
        "  b: {host: nas, criticality: urgent}\n"
        "  c: {host: nas, rto: forever}\n"
    )
    lines = sorted(int(m.split(":")[0]) for m in model_errors(write, tmp_path, extra))
    assert lines == [2, 3, 4]


def test_a_valid_model_loads_with_defaults_and_locations(write: Callable[..., Path]) -> None:
    model = read_model(write(BASE + "services:\n  wiki: {host: nas, rpo: 1d, data: [photos]}\n"))
    wiki = model.services["wiki"]
    assert wiki.id == "wiki" and (wiki.location.line, wiki.location.column) == (11, 3)
    assert wiki.rpo is not None and wiki.rpo.seconds == 86400
    assert wiki.criticality is None and model.defaults.criticality == "medium"
    assert model.domains["home"].in_ is None


def plain(value: Any) -> Any:
    """Located data as plain dicts and lists, without locations."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def without_locations_below_entities(documents: list[Document]) -> list[Document]:
    """The documents as a loader that keeps no locations inside entities hands them over."""
    for document in documents:
        for section, body in document.data.items():
            if section in SECTIONS and isinstance(body, dict):
                for entity_id in body:
                    body[entity_id] = plain(body[entity_id])
    return documents


@pytest.mark.parametrize(("extra", "expected"), CASES)
def test_plain_data_below_the_entities_gives_the_same_errors(
    write: Callable[..., Path], tmp_path: Path, extra: str, expected: list[tuple[int, int, str]]
) -> None:
    # Without locations inside an entity, an error is placed at the entity (or
    # the section), but every error is still found and worded the same.
    write(BASE, "m/base.yaml")
    write(extra, "m/extra.yaml")
    messages = []
    for documents in (
        load_model(tmp_path / "m"),
        without_locations_below_entities(load_model(tmp_path / "m")),
    ):
        with pytest.raises(InvalidModel) as caught:
            validate(documents, root_is_file=False)
        messages.append(sorted(error.message for error in caught.value.errors))
    located, unlocated = messages
    assert unlocated == located


def test_plain_data_below_the_entities_gives_the_same_model(write: Callable[..., Path]) -> None:
    path = write(BASE + "services:\n  wiki: {host: nas, rpo: 1d, data: [photos]}\n")
    located = validate(load_model(path), root_is_file=True)
    unlocated = validate(without_locations_below_entities(load_model(path)), root_is_file=True)
    assert unlocated == located
    assert [entity.id for _kind, entity in unlocated.entities()] == [
        entity.id for _kind, entity in located.entities()
    ]
