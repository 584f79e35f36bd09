"""The result cache: a hit renders what a fresh check renders, and every key part,
every file read and every corrupt entry makes a miss."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.engine import cache as cache_module
from archlint.reporters import REPORTERS
from tests.conftest import Run
from tests.test_config import NAS_RULE

HOMELAB = Path(__file__).resolve().parent.parent / "models" / "homelab"
AS_OF = "2026-11-26"
MARK = "TAMPERED-BY-THE-TEST"
Archlint = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the homelab model (findings and a waiver) as the current directory."""
    root = tmp_path / "project"
    shutil.copytree(HOMELAB, root / "model")
    monkeypatch.chdir(root)
    return root


def check(archlint: Archlint, *args: str) -> Run:
    return archlint("check", "model", "--as-of", AS_OF, "--cache", "cache", *args)


def entries(project: Path) -> list[Path]:
    return sorted((project / "cache").glob("*.json"))


def tamper(project: Path) -> None:
    """Reword every cached finding, so that a hit shows in the output."""
    for entry in entries(project):
        data = json.loads(entry.read_text(encoding="utf-8"))
        for finding in data["result"]["findings"]:
            finding["message"] = MARK
        entry.write_text(json.dumps(data), encoding="utf-8")


def is_hit(archlint: Archlint, *args: str) -> bool:
    return MARK in check(archlint, "--format", "json", *args).out


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_a_hit_renders_byte_identically(
    archlint: Archlint, project: Path, output_format: str
) -> None:
    fresh = archlint("check", "model", "--as-of", AS_OF, "--format", output_format)
    first = check(archlint, "--format", output_format)
    hit = check(archlint, "--format", output_format)
    assert fresh.code == first.code == hit.code == 1
    assert fresh.out == first.out == hit.out
    assert len(entries(project)) == 1


def test_an_unchanged_model_is_a_hit(archlint: Archlint, project: Path) -> None:
    check(archlint)
    tamper(project)
    assert is_hit(archlint)


def test_no_cache_without_the_option_or_the_configuration(
    archlint: Archlint, project: Path
) -> None:
    archlint("check", "model", "--as-of", AS_OF)
    assert not (project / "cache").exists()
    (project / "archlint.toml").write_text('cache-dir = "cache"\n', encoding="utf-8")
    archlint("check", "model", "--as-of", AS_OF)
    assert len(entries(project)) == 1


@pytest.mark.parametrize(
    "change",
    [
        "edit a model file",
        "add a model file",
        "delete a model file",
    ],
)
def test_a_changed_file_is_a_miss(archlint: Archlint, project: Path, change: str) -> None:
    check(archlint)
    tamper(project)
    model_file = sorted((project / "model").glob("*.yaml"))[-1]
    if change == "edit a model file":
        model_file.write_text(model_file.read_text(encoding="utf-8") + "\n# edited\n")
    elif change == "add a model file":
        (project / "model" / "more.yaml").write_text("archlint: 1\n", encoding="utf-8")
    else:
        model_file.unlink()
    assert not is_hit(archlint)


def test_each_key_part_is_a_miss(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(archlint)
    tamper(project)
    assert not is_hit(archlint, "--as-of", "2026-11-27")
    assert not is_hit(archlint, "--select", "snapshot-only")
    assert not is_hit(archlint, "--max-model-size", "64MiB")
    assert is_hit(archlint)
    (project / "archlint.toml").write_text(
        '[rules.snapshot-only]\nseverity = "low"\n', encoding="utf-8"
    )
    assert not is_hit(archlint)
    monkeypatch.setattr(cache_module, "__version__", "999")
    tamper(project)
    assert not is_hit(archlint)


def test_a_changed_rule_pack_is_a_miss(archlint: Archlint, project: Path) -> None:
    pack = project / "pack"
    pack.mkdir()
    (pack / "no_nas.py").write_text(NAS_RULE, encoding="utf-8")
    check(archlint, "--rules", "pack")
    tamper(project)
    assert is_hit(archlint, "--rules", "pack")
    (pack / "no_nas.py").write_text(NAS_RULE + "\n# edited\n", encoding="utf-8")
    assert not is_hit(archlint, "--rules", "pack")


RAW_CORRUPTIONS = ("", "{not json", "[]", '{"format": "archlint-cache/1"}')


@pytest.mark.parametrize(
    "corrupt",
    [
        *RAW_CORRUPTIONS,
        "finding without a location",
        "unknown rule",
        "bad severity",
    ],
)
def test_a_corrupt_entry_is_ignored_and_rewritten(
    archlint: Archlint, project: Path, corrupt: str
) -> None:
    expected = check(archlint, "--format", "json")
    (entry,) = entries(project)
    data = json.loads(entry.read_text(encoding="utf-8"))
    if corrupt == "finding without a location":
        del data["result"]["findings"][0]["location"]
    elif corrupt == "unknown rule":
        data["result"]["rules"][0] = "XX999"
    elif corrupt == "bad severity":
        data["result"]["findings"][0]["severity"] = "dire"
    entry.write_text(corrupt if corrupt in RAW_CORRUPTIONS else json.dumps(data), encoding="utf-8")
    run = check(archlint, "--format", "json")
    assert (run.code, run.out, run.err) == (expected.code, expected.out, "")
    assert json.loads(entry.read_text(encoding="utf-8"))["result"]["findings"]
