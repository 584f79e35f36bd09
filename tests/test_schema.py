"""`archlint schema`: the JSON Schema editors use to complete and check model files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

from archlint.load.model import load_model
from archlint.model.entities import SECTIONS
from archlint.model.schema import model_schema
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
MODEL_FILES = sorted(
    path for name in ("reference", "homelab") for path in (ROOT / "models" / name).glob("*.yaml")
)
# yaml-language-server implements draft 7; the schema must mean the same there.
VALIDATORS = (Draft202012Validator, Draft7Validator)


def file_data(path: Path) -> Any:
    """One model file as archlint's loader reads it (YAML 1.2: dates stay text)."""
    (document,) = [d for d in load_model(path.parent) if d.path == path.resolve()]
    return document.data


def problems(data: Any) -> Iterator[str]:
    for validator in VALIDATORS:
        for error in validator(model_schema()).iter_errors(data):
            where = "/".join(map(str, error.absolute_path))
            yield f"{validator.__name__}: {where}: {error.message}"


def test_schema_command_prints_a_valid_2020_12_schema(archlint: Callable[..., Run]) -> None:
    run = archlint("schema")
    assert run.code == 0
    schema = json.loads(run.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    Draft7Validator.check_schema(schema)
    assert schema == model_schema() and archlint("schema").out == run.out


def test_one_schema_covers_every_section_of_a_model_file() -> None:
    schema = model_schema()
    assert set(schema["properties"]) == {"archlint", "include", "defaults", *SECTIONS}
    assert schema["additionalProperties"] is False
    for section, (_kind, cls) in SECTIONS.items():
        entities = schema["properties"][section]["additionalProperties"]
        assert entities == {"$ref": f"#/$defs/{cls.__name__}"}


def test_every_entity_field_is_described_and_unknown_fields_are_rejected() -> None:
    definitions = model_schema()["$defs"]
    for name, definition in definitions.items():
        assert definition["additionalProperties"] is False, name
        assert definition.get("description"), name
        for field, spec in definition["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
    # The YAML spellings, not the Python ones.
    assert (
        "in" in definitions["Host"]["properties"] and "from" in definitions["Drill"]["properties"]
    )


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_model_files_validate(path: Path) -> None:
    assert list(problems(file_data(path))) == []


@pytest.mark.parametrize(
    ("yaml_text", "where"),
    [
        ("hosts:\n  nas: {kind: nas, inn: home}\n", "hosts/nas"),
        ("hosts:\n  nas: {kind: nass, in: home}\n", "hosts/nas/kind"),
        ("hots:\n  nas: {kind: nas, in: home}\n", ""),
        ("backups:\n  b: {source: x, method: dump, schedule: nightly}\n", "backups/b/schedule"),
        ("drills:\n  d: {restores: [x], date: 2026-13, result: pass}\n", "drills/d/date"),
        (
            "datastores:\n  d: {kind: files, host: x, waive: [{rule: AL101}]}\n",
            "datastores/d/waive/0",
        ),
        ("domains:\n  'bad id': {kind: site}\n", "domains"),
        ("archlint: 2\n", "archlint"),
        ("defaults: {criticality: urgent}\n", "defaults"),
    ],
)
def test_typos_fail(write: Callable[..., Path], yaml_text: str, where: str) -> None:
    path = write(yaml_text)
    data = load_model(path)[0].data
    found = list(problems(data))
    assert found, "the schema accepted a typo"
    assert all(f": {where}:" in problem for problem in found), found
