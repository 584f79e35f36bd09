"""`archlint import compose`: exact expectations on small fixtures, and the real-world corpus."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.importers.compose import Variables, database_engine
from archlint.model.errors import InvalidModel, Location
from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

Archlint = Callable[..., Run]
APP = FIXTURES / "compose" / "app"
OVERRIDE = FIXTURES / "compose" / "override"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """The app fixture copied to an absolute directory, so paths do not depend on the cwd."""
    target = tmp_path / "app"
    shutil.copytree(APP, target)
    return target


def test_services_volumes_and_databases(archlint: Archlint, app: Path, tmp_path: Path) -> None:
    run = archlint("import", "compose", app / "compose.yaml", "--host", "docker1", "--site", "home")
    assert run.code == 0, run.err
    model = load_text(run.out, tmp_path)
    assert list(model.services) == ["web", "db", "cache"]
    web = model.services["web"]
    assert web.host == "docker1"
    assert web.criticality == "high"  # from the label merged in from x-common
    assert web.depends_on == ("db", "cache")  # the map form
    assert model.hosts["docker1"].in_ == "home"
    stores = model.datastores
    # the docker socket and /etc/localtime are left out; ${CONFIG_DIR} comes from .env
    assert sorted(s.path or "" for s in stores.values()) == sorted(
        [
            f"{app}/compose.yaml",
            f"{app}/.env",
            f"{app}/web.env",
            f"{app}/uploads",
            "/opt/myapp/config/web.conf",
            "/srv/media",
            "",  # the anonymous volume
            "/var/lib/docker/volumes/myapp_pgdata/_data",
            "",  # valkey with no volume
        ]
    )
    pgdata = stores["myapp_pgdata"]
    assert (pgdata.kind, pgdata.engine) == ("database", "postgresql")
    assert (stores["cache-db"].kind, stores["cache-db"].engine) == ("database", "redis")
    assert stores["opt-myapp-config-web.conf"].kind == "config"
    assert stores["app-compose.yaml"].format == "compose"
    assert set(web.data) >= {"app-compose.yaml", "app-env", "app-web.env", "srv-media"}
    assert "s3cret-value" not in run.out and "do-not-copy" not in run.out


def test_every_entity_says_where_it_came_from_and_what_is_unknown(
    archlint: Archlint, app: Path
) -> None:
    run = archlint("import", "compose", app / "compose.yaml")
    compose = f"{app}/compose.yaml"
    assert comments_before(run.out, "db") == [
        f"# from {compose}:29",
        "# TODO: criticality, rpo, rto: not in the Compose file "
        "(set them here, or as labels archlint.criticality etc.)",
    ]
    assert comments_before(run.out, "myapp_pgdata") == [f"# from {compose}:34"]
    assert comments_before(run.out, "cache")[1] == (
        f"# TODO: label archlint.criticality at {compose}:41 has an invalid value"
    )
    assert "# TODO: name the host these files run on (--host NAME)" in run.out
    assert "# TODO: name the site these hosts are at (--site NAME)" in run.out
    assert "no volume holds this database's data" in run.out


def test_interpolation_never_reads_the_process_environment(
    archlint: Archlint, app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (app / ".env").unlink()
    monkeypatch.setenv("CONFIG_DIR", "/from/the/environment")
    run = archlint("import", "compose", app / "compose.yaml")
    assert run.code == 0, run.err
    assert "/from/the/environment" not in run.out
    assert "path: ${CONFIG_DIR}/web.conf" in run.out.replace('"', "")
    assert "# TODO: variable CONFIG_DIR" in run.out
    assert "ghcr.io/example/web:latest" in run.out  # ${WEB_TAG:-latest}
    load_text(run.out, tmp_path)


def test_env_files_replace_the_dot_env(archlint: Archlint, app: Path) -> None:
    run = archlint(
        "import", "compose", app / "compose.yaml", "--env", FIXTURES / "compose" / "other.env"
    )
    assert "/etc/other/web.conf" in run.out
    assert "/opt/myapp" not in run.out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${SET}", "value"),
        ("$SET/x", "value/x"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${UNSET:-${SET}}", "value"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("$$SET", "$SET"),
        ("cost $5", "cost $5"),
        ("${UNSET}", "${UNSET}"),
    ],
)
def test_interpolation_operators(text: str, expected: str) -> None:
    variables = Variables({"SET": "value", "EMPTY": ""})
    assert variables.interpolate(text, Location("f", 1, 1)) == expected


def test_unclosed_interpolation_is_a_located_error() -> None:
    with pytest.raises(InvalidModel, match=r"f:3:7: error: invalid interpolation .* missing '}'"):
        Variables({}).interpolate("${A:-x", Location("f", 3, 7))


@pytest.mark.parametrize(
    ("image", "engine"),
    [
        ("postgres:16", "postgresql"),
        ("ghcr.io/immich-app/postgres:14-vectorchord0.4.3", "postgresql"),
        ("tensorchord/pgvecto-rs:pg14-v0.2.0", "postgresql"),
        ("postgis/postgis:16-3.4", "postgresql"),
        ("timescale/timescaledb:latest-pg16", "postgresql"),
        ("mariadb:11", "mariadb"),
        ("lscr.io/linuxserver/mariadb", "mariadb"),
        ("mysql:8", "mysql"),
        ("mongo:7", "mongodb"),
        ("docker.io/valkey/valkey:8@sha256:81db", "redis"),
        ("redis:7-alpine", "redis"),
        ("influxdb:2", "influxdb"),
        ("docker.elastic.co/elasticsearch/elasticsearch:8.1", "elasticsearch"),
        ("nextcloud:29", None),
        ("localhost:5000/web:postgres-client", None),  # a tag is not the image
    ],
)
def test_database_images(image: str, engine: str | None) -> None:
    assert database_engine(image) == engine


def test_files_in_one_directory_are_one_project_merged_in_order(
    archlint: Archlint, tmp_path: Path
) -> None:
    run = archlint(
        "import", "compose", OVERRIDE / "compose.yaml", OVERRIDE / "compose.override.yaml"
    )
    assert run.code == 0, run.err
    model = load_text(run.out, tmp_path)
    app = model.services["app"]
    assert "nextcloud:30" in (app.description or "")
    assert app.depends_on == ("mariadb",)  # network_mode: service:mariadb
    # the override's bind mount replaced the volume at the same target
    assert "mnt-nextcloud" in app.data
    assert not any("_data" in (s.path or "") and "data" in k for k, s in model.datastores.items()
                   if k.endswith("_data"))  # fmt: skip
    db = model.datastores["shared_db"]  # the volume's own `name:`
    assert (db.kind, db.engine) == ("database", "mariadb")
    # top-level secrets and configs kept in files, used by the service
    secret, config = model.datastores["db_password.txt"], model.datastores["app.ini"]
    assert (secret.kind, secret.path) == ("secrets", f"{OVERRIDE}/secrets/db_password.txt")
    assert (config.kind, config.path) == ("config", "/etc/app/app.ini")
    assert {"db_password.txt", "app.ini"} <= set(app.data)


def test_output_is_deterministic(archlint: Archlint, app: Path) -> None:
    first = archlint("import", "compose", app / "compose.yaml", OVERRIDE / "compose.yaml")
    second = archlint("import", "compose", app / "compose.yaml", OVERRIDE / "compose.yaml")
    assert first.out == second.out


def test_output_file(archlint: Archlint, app: Path, tmp_path: Path) -> None:
    target = tmp_path / "model.yaml"
    run = archlint("import", "compose", app / "compose.yaml", "-o", target)
    assert (run.code, run.out) == (0, "")
    assert archlint("check", target, "--exit-zero").code == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("prompt-compose.yaml", ":1:1: error: this looks like a pasted shell session"),
        ("jinja-compose.yaml", ":3:18: error: this is a template (Jinja or Go), not a "
         "configuration file: render the template first"),
        ("invalid-compose.yaml", ":4:4: error: invalid YAML: did not find expected key"),
        ("not-compose.yaml", ":1:1: error: not a Compose file"),
    ],
)  # fmt: skip
def test_broken_files_are_clean_located_errors(archlint: Archlint, name: str, message: str) -> None:
    run = archlint("import", "compose", BROKEN / name)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith(f"{BROKEN / name}{message}")
    assert "Traceback" not in run.err
    assert run.err.endswith("Nothing imported.\n")


def test_unknown_tool_and_missing_files_are_usage_errors(archlint: Archlint, app: Path) -> None:
    assert "unknown importer 'kompose'" in archlint("import", "kompose", app).err
    run = archlint("import", "compose", app / "missing.yaml")
    assert (run.code, run.err) == (2, f"archlint: error: {app}/missing.yaml: not a file\n")


# --------------------------------------------------------------------------
# The real-world corpus: every Compose file imports, and what it prints loads.


def corpus_compose_files() -> list[Path]:
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            raise AssertionError(f"the corpus is missing at {CORPUS}")
        return []
    return sorted(p for p in CORPUS.rglob("*.y*ml") if "compose" in p.name)


# Corpus files that are not Compose files as they are: each must fail cleanly.
BROKEN_IN_CORPUS = {"Alex1s__nas/arrr/docker-compose.yaml": "pasted shell session"}


def test_every_corpus_compose_file_imports_and_loads(archlint: Archlint, tmp_path: Path) -> None:
    files = corpus_compose_files()
    if not files:
        pytest.skip(f"no corpus at {CORPUS}")
    loaded = 0
    for path in files:
        relative = path.relative_to(CORPUS).as_posix()
        run = archlint("import", "compose", path)
        if relative in BROKEN_IN_CORPUS:
            assert run.code == 2 and BROKEN_IN_CORPUS[relative] in run.err, relative
            continue
        assert run.code == 0, (relative, run.err)
        model = load_text(run.out, tmp_path)
        assert model.services, relative
        loaded += 1
    assert loaded == len(files) - len(BROKEN_IN_CORPUS)


def test_all_corpus_compose_files_at_once_make_one_model(
    archlint: Archlint, tmp_path: Path
) -> None:
    files = [p for p in corpus_compose_files() if "arrr" not in p.parts]
    if not files:
        pytest.skip(f"no corpus at {CORPUS}")
    run = archlint("import", "compose", *files)
    assert run.code == 0, run.err
    model = load_text(run.out, tmp_path)
    engines = {s.engine for s in model.datastores.values() if s.kind == "database"}
    assert {"postgresql", "mariadb", "redis"} <= engines
    assert (list(model.hosts), list(model.domains)) == (["host"], ["site"])  # one placeholder


def test_into_joins_an_existing_model(archlint: Archlint, app: Path, tmp_path: Path) -> None:
    existing = tmp_path / "model.yaml"
    existing.write_text(
        "archlint: 1\n"
        "domains:\n  home: {kind: site}\n"
        "hosts:\n  docker1: {kind: server, in: home}\n"
        "datastores:\n  media: {kind: files, host: docker1, path: /srv/media}\n"
        "repositories:\n  nas: {tool: restic, host: docker1}\n"
        "backups:\n  media-nas: {source: media, target: nas, method: file}\n"
    )
    run = archlint(
        "import", "compose", app / "compose.yaml", "--host", "docker1", "--into", existing
    )
    assert run.code == 0, run.err
    model = load_text(run.out, tmp_path)
    assert "media" in model.services["web"].data  # the model's datastore, not a copy
    assert [s for s in model.datastores.values() if s.path == "/srv/media"] == [
        model.datastores["media"]
    ]
    assert model.backups["media-nas"].source == "media"
    assert (list(model.hosts), list(model.domains)) == (["docker1"], ["home"])


def test_a_bad_env_file_line_is_a_located_error(archlint: Archlint, app: Path) -> None:
    (app / ".env").write_text("# fine\nNOT AN ASSIGNMENT\n")
    run = archlint("import", "compose", app / "compose.yaml")
    assert run.code == 2
    assert run.err.startswith(f"{app}/.env:2:1: error: expected KEY=VALUE in an env file")
