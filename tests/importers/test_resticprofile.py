"""`archlint import resticprofile`: the corpus imports and loads; fixtures give exact output."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

HERE = FIXTURES / "resticprofile"


def corpus_configs() -> list[Path]:
    """The corpus's resticprofile configurations (files named profiles.*; the files they
    include are read through them)."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        path for path in CORPUS.rglob("profiles.*") if path.suffix in (".yaml", ".yml", ".toml")
    )


def test_the_corpus_has_resticprofile_configurations() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not next to this checkout")
    assert len(corpus_configs()) == 4


@pytest.mark.parametrize("config", corpus_configs(), ids=lambda path: path.parts[-3])
def test_every_corpus_configuration_imports_and_loads(
    config: Path, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    cronjobs = sorted(config.parent.glob("cronjob*.yaml"))
    result = archlint("import", "resticprofile", config, *cronjobs)
    if re.search(r"\{\{\s*(define|template)", config.read_text(encoding="utf-8")):
        assert result.code == 2
        assert f"{config}:" in result.err and "render the template first" in result.err
        return
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert model.backups and all(repo.key for repo in model.repositories.values())


def test_corpus_cronjobs_schedule_the_profiles_they_run(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    folder = CORPUS / "claytono__kubernetes-config" / "resticprofile"
    if not folder.is_dir():
        pytest.skip("the shared corpus is not next to this checkout")
    cronjobs = sorted(folder.glob("cronjob*.yaml"))
    result = archlint("import", "resticprofile", folder / "profiles.yaml", *cronjobs)
    model = load_text(result.out, tmp_path)
    assert str(model.backups["b2-source"].schedule) == "0 18 * * *"
    assert str(model.backups["copy-main-copy-to-main"].schedule) == "18 5 * * *"
    # The forget CronJob runs no backup: it is kept as a note, not dropped.
    assert "cronjob-b2-forget.yaml:9" in result.out.split("archlint: 1")[0]


def test_toml_inherit_copy_check_and_password_command(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "resticprofile", HERE / "profiles.toml", "--host", "laptop")
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    backup = model.backups["documents-home-alice-Documents"]
    assert (backup.source, backup.target, backup.method) == (
        "home-alice-Documents",
        "restic",
        "file",
    )
    assert str(backup.schedule) == "30 21 * * 1-5"
    assert backup.quiesce is True  # run-before stops the application
    assert backup.retention == {"daily": 7, "monthly": 12}  # inherited from base
    copy = model.backups["documents-copy-to-documents"]
    assert (copy.source, copy.target, copy.method, str(copy.schedule)) == (
        "restic",
        "documents",
        "copy",
        "weekly",
    )
    assert str(model.repositories["restic"].verify) == "0 5 1 * *"
    assert model.repositories["restic"].key == "restic-password"
    assert model.repositories["documents"].key == "b2-password"
    assert model.keys["b2-password"].stored_in == ("laptop",)
    assert "'pass'" in " ".join(comments_before(result.out, "restic-password"))
    assert f"# from {HERE / 'profiles.toml'}:16" in comments_before(result.out, "restic")


def test_v2_includes_groups_and_check_after(archlint: Callable[..., Run], tmp_path: Path) -> None:
    result = archlint("import", "resticprofile", HERE / "profiles.yaml", HERE / "crontab")
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    photos = model.backups["photos-srv-photos"]
    assert str(photos.schedule) == "0 1 * * *"  # the crontab runs the group "nightly"
    assert str(model.repositories["restic"].verify) == "0 1 * * *"  # check-after
    music = model.backups["music-srv-music"]  # from the included file
    assert music.schedule is None
    assert any(
        "a year cannot be said" in line for line in comments_before(result.out, "music-srv-music")
    )


def test_toml_error_is_located(archlint: Callable[..., Run]) -> None:
    result = archlint("import", "resticprofile", HERE / "broken.toml")
    assert result.code == 2
    assert f"{HERE / 'broken.toml'}:2:" in result.err
    assert "not valid TOML" in result.err


def test_go_template_is_refused(archlint: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "profiles.yaml"
    config.write_text("default:\n  repository: /r\n{{ if .Env.X }}\n  backup: {}\n{{ end }}\n")
    result = archlint("import", "resticprofile", config)
    assert result.code == 2
    assert f"{config}:3:" in result.err and "render the template first" in result.err


def test_a_password_in_a_repository_url_is_never_copied(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / "profiles.yaml"
    config.write_text(
        "default:\n  repository: rest:https://alice:hunter2@backup.example.org:8000/alice/\n"
        "  password-file: key\n  backup:\n    source: [/home]\n"
    )
    result = archlint("import", "resticprofile", config)
    assert result.code == 0, result.err
    assert "hunter2" not in result.out
    model = load_text(result.out, tmp_path)
    (repository,) = model.repositories.values()
    assert repository.url == "rest:https://alice@backup.example.org:8000/alice"
    assert repository.in_ == "backup.example.org"


def test_files_outside_the_configuration_directory_are_not_read(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("secret:\n  repository: /elsewhere\n")
    config = folder / "profiles.yaml"
    config.write_text(
        "version: '1'\nincludes: ['../*.yaml']\ndefault:\n  repository: /r\n"
        "  password-file: key\n  backup:\n    files-from: ../list.txt\n"
    )
    (tmp_path / "list.txt").write_text("/etc\n")
    result = archlint("import", "resticprofile", config)
    assert result.code == 0, result.err
    header = result.out.split("archlint: 1")[0]
    assert "outside.yaml is outside the configuration's directory" in header
    assert "'../list.txt', which is not next to the configuration" in header
    assert "/elsewhere" not in result.out and "/etc" not in result.out


def test_a_file_of_another_tool_is_refused(archlint: Callable[..., Run]) -> None:
    compose = FIXTURES / "borgmatic" / "legacy.yaml"
    result = archlint("import", "resticprofile", compose)
    assert result.code == 2
    assert f"{compose}:1:1:" in result.err and "not a resticprofile configuration" in result.err


def test_a_stdin_dump_is_a_dump_backup(archlint: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "profiles.yaml"
    config.write_text(
        "db:\n  repository: /srv/restic\n  password-file: key\n  backup:\n    stdin: true\n"
        "    stdin-command: docker exec postgres pg_dumpall -U postgres\n"
        "    stdin-filename: all.sql\n"
        "odd:\n  repository: /srv/restic\n  password-file: key\n  backup:\n    stdin: true\n"
        "    stdin-command: ./export.sh\n"
    )
    result = archlint("import", "resticprofile", config)
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    (dump,) = model.backups.values()
    assert (dump.method, dump.source) == ("dump", "postgresql-dump")
    assert model.datastores["postgresql-dump"].engine == "postgresql"
    assert f"TODO: {config}:13: restic backs up the output of './export.sh'" in result.out


def test_mixins_are_a_todo(archlint: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "profiles.yaml"
    config.write_text(
        "version: '2'\nmixins:\n  src: {backup: {source: [/a]}}\nprofiles:\n  p:\n"
        "    use: [src]\n    repository: /r\n    backup: {source: [/b]}\n"
    )
    result = archlint("import", "resticprofile", config)
    assert result.code == 0, result.err
    assert f"TODO: {config}:5: profile p uses mixins" in result.out
