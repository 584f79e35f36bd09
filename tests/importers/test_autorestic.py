"""`archlint import autorestic`: the corpus imports and loads; exact expectations from a fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

CONFIG = FIXTURES / "autorestic" / ".autorestic.yml"


def corpus_configs() -> list[Path]:
    return sorted(CORPUS.rglob(".autorestic.y*ml")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("config", corpus_configs(), ids=lambda path: path.parts[-3])
def test_every_corpus_configuration_imports_and_loads(
    config: Path, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "autorestic", config)
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert model.backups
    # The corpus's docker-data location stops containers in its before hook.
    assert model.backups["docker-data-to-backup-hdd"].quiesce is True
    assert model.backups["my-data-to-backup-hdd"].quiesce is False


def test_locations_backends_copy_cron_and_hooks(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "autorestic", CONFIG)
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    home = model.backups["home-to-nas"]
    assert (home.source, home.target, home.method, str(home.schedule)) == (
        "home",
        "nas",
        "file",
        "0 2 * * *",
    )
    assert home.retention == {"daily": 7, "weekly": 4}  # global forget + location options
    copy = model.backups["home-nas-to-b2"]
    assert (copy.source, copy.target, copy.method) == ("nas", "b2", "copy")
    gitea = model.backups["gitea-to-nas"]
    assert gitea.quiesce is True
    assert gitea.schedule is None
    assert any("no schedule" in line for line in comments_before(result.out, "gitea-to-nas"))
    assert model.datastores["gitea_data"].kind == "volume"
    assert model.repositories["b2"].in_ == "b2-my-bucket"
    assert model.domains["b2-my-bucket"].provider == "backblaze"
    # The key written in the file exists in the model; its value never does.
    assert model.repositories["nas"].key == "nas-key"
    assert "never-print-this-key" not in result.out
    assert any(
        "AUTORESTIC_B2_RESTIC_PASSWORD" in line for line in comments_before(result.out, "b2-key")
    )


def test_a_backend_that_does_not_exist_is_a_located_error(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / ".autorestic.yml"
    config.write_text("version: 2\nlocations:\n  a:\n    from: /a\n    to: nowhere\n")
    result = archlint("import", "autorestic", config)
    assert result.code == 2
    assert f"{config}:5:" in result.err and "'nowhere'" in result.err
