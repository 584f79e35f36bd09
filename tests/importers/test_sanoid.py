"""`archlint import sanoid`: the corpus imports and loads; exact expectations from a fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

CONFIG = FIXTURES / "sanoid" / "sanoid.conf"


def corpus_configs() -> list[Path]:
    return sorted(CORPUS.rglob("sanoid*.conf")) if CORPUS.is_dir() else []


def test_the_corpus_has_sanoid_configurations() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not next to this checkout")
    assert len(corpus_configs()) == 2


@pytest.mark.parametrize("config", corpus_configs(), ids=lambda path: path.parts[-2])
def test_every_corpus_configuration_imports_and_loads(
    config: Path, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "sanoid", config)
    if "{{" in config.read_text(encoding="utf-8"):
        assert result.code == 2
        assert f"{config}:" in result.err and "render the template first" in result.err
        return
    assert result.code == 0, result.err
    assert load_text(result.out, tmp_path).backups


def test_datasets_templates_and_replication_targets(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "sanoid", CONFIG, "--host", "nas")
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    nextcloud = model.backups["tank-nextcloud-snapshots"]
    assert (nextcloud.source, nextcloud.method, nextcloud.target) == (
        "tank-nextcloud",
        "snapshot",
        None,
    )
    assert str(nextcloud.schedule) == "hourly"
    assert nextcloud.retention == {"hourly": 36, "daily": 30, "monthly": 3}
    # Two templates, the later one adding frequent snapshots; the dataset's own daily wins.
    vms = model.backups["tank-vms-snapshots"]
    assert str(vms.schedule) == "15m"
    assert vms.retention == {"frequent": 4, "hourly": 36, "daily": 14, "monthly": 3}
    # autosnap = no: a replication target; its template keeps no hourlies.
    target = model.repositories["backup-tank"]
    assert (target.tool, target.host) == ("zfs", "nas")
    assert target.retention == {"daily": 60, "monthly": 12}
    assert any("replication" in line for line in comments_before(result.out, "backup-tank"))
    assert f"# from {CONFIG}:5" in comments_before(result.out, "tank-vms-snapshots")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[tank/a]\n  use_template = missing\n", 2, "no [template_missing] section"),
        ("hourly = 3\n[tank/a]\n", 1, "before the first [section]"),
        ("[tank/a]\n  just words\n", 2, "not a sanoid.conf line"),
    ],
)
def test_bad_input_is_a_located_error(
    text: str, line: int, message: str, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / "sanoid.conf"
    config.write_text(text)
    result = archlint("import", "sanoid", config)
    assert result.code == 2
    assert f"{config}:{line}:" in result.err and message in result.err


def test_a_pre_snapshot_script_asks_about_quiesce(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / "sanoid.conf"
    config.write_text(
        "[tank/db]\n  use_template = db\n[template_db]\n  daily = 7\n"
        "  pre_snapshot_script = /usr/local/bin/flush-db.sh\n"
    )
    result = archlint("import", "sanoid", config)
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert model.backups["tank-db-snapshots"].quiesce is False  # not guessed
    todos = " ".join(comments_before(result.out, "tank-db-snapshots"))
    assert "'flush-db.sh' runs before each snapshot" in todos
