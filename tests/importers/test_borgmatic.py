"""`archlint import borgmatic`: the corpus imports and loads; exact expectations from fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

HERE = FIXTURES / "borgmatic"


def corpus_configs() -> list[Path]:
    """Every borgmatic configuration of the corpus, recognised by its content."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        path
        for path in CORPUS.rglob("*.y*ml")
        if "source_directories" in path.read_text(encoding="utf-8", errors="replace")
    )


def test_the_corpus_has_borgmatic_configurations() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not next to this checkout")
    assert len(corpus_configs()) == 3


@pytest.mark.parametrize("config", corpus_configs(), ids=lambda path: path.parent.parent.name)
def test_every_corpus_configuration_imports_and_loads(
    config: Path, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    schedules = [p for p in config.parent.iterdir() if p.suffix in (".timer", ".txt")]
    result = archlint("import", "borgmatic", config, *schedules)
    if "{{" in config.read_text(encoding="utf-8"):
        assert result.code == 2
        assert f"{config}:" in result.err
        assert "render the template first" in result.err
        return
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert model.backups and model.repositories


def test_current_layout(archlint: Callable[..., Run], tmp_path: Path) -> None:
    result = archlint(
        "import", "borgmatic", HERE / "config.yaml", HERE / "crontab", "--host", "app"
    )
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert set(model.repositories) == {"storagebox", "usb", "usb-mirror"}
    assert model.repositories["storagebox"].verify is not None
    assert str(model.repositories["storagebox"].verify) == "2w"
    assert model.repositories["usb"].host == "app"
    # Every repository is encrypted with the key whose passphrase a command prints.
    assert {repository.key for repository in model.repositories.values()} == {"config-passphrase"}
    assert "'cat'" in " ".join(comments_before(result.out, "config-passphrase"))
    files = model.backups["srv-nextcloud-data-to-storagebox"]
    assert (files.method, files.quiesce, str(files.schedule)) == ("file", True, "15 3 * * *")
    assert files.retention == {"daily": 7, "weekly": 4}
    dump = model.backups["nextcloud-postgresql-to-usb"]
    assert (dump.method, dump.source) == ("dump", "nextcloud-postgresql")
    assert model.datastores["nextcloud-postgresql"].engine == "postgresql"
    assert model.datastores["vaultwarden-sqlite"].path == "/srv/vaultwarden/db.sqlite3"
    mirror = model.backups["usb-to-usb-mirror"]
    assert (mirror.source, mirror.target, mirror.method) == ("usb", "usb-mirror", "copy")
    assert str(mirror.schedule) == "15 3 * * *"
    assert any("after:" in line for line in comments_before(result.out, "usb-to-usb-mirror"))
    assert "do-not-copy-me" not in result.out
    assert f"# from {HERE / 'config.yaml'}:3" in comments_before(result.out, "srv-nextcloud-data")


def test_legacy_layout_never_copies_the_passphrase(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "borgmatic", HERE / "legacy.yaml", HERE / "crontab")
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert "correct horse" not in result.out
    assert model.keys["legacy-passphrase"].stored_in == ("host",)
    assert model.repositories["borg"].key == "legacy-passphrase"
    assert model.backups["home-to-borg"].retention == {"daily": 3}
    # The crontab runs another configuration (-c .../config.yaml): no schedule here.
    assert model.backups["home-to-borg"].schedule is None
    assert any("no schedule" in line for line in comments_before(result.out, "home-to-borg"))
    sync = comments_before(result.out, "borg-to-borg-mirror")
    assert any("mirrors deletions" in line for line in sync)


def test_output_is_deterministic(archlint: Callable[..., Run]) -> None:
    first = archlint("import", "borgmatic", HERE / "config.yaml", HERE / "legacy.yaml")
    second = archlint("import", "borgmatic", HERE / "config.yaml", HERE / "legacy.yaml")
    assert first.code == 0 and first.out == second.out


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("source_directories: [/a]\nrepositories: ['{{ repo }}']\n", 2, "render the template"),
        ("source_directories: [/a\nrepositories: []\n", 2, "fix the file"),
        ("keep_daily: 3\n", 1, "not a borgmatic configuration"),
    ],
)
def test_bad_input_is_a_located_error(
    text: str, line: int, message: str, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(text, encoding="utf-8")
    result = archlint("import", "borgmatic", config)
    assert result.code == 2
    assert f"{config}:{line}:" in result.err
    assert message in result.err
    assert "Traceback" not in result.err


def test_an_include_asks_for_the_merged_configuration(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("<<: !include common.yaml\nsource_directories: [/a]\nrepositories: [/r]\n")
    result = archlint("import", "borgmatic", config)
    assert result.code == 2
    assert f"{config}:1:5:" in result.err and "validate --show" in result.err
