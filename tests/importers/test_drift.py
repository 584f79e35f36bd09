"""`archlint drift`: the model against the configuration, matched by what things are."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.importers.drift import DRIFT_RULES
from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, load_text

Archlint = Callable[..., Run]
DRIFT = FIXTURES / "drift"


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The drift fixture in a directory of its own, which is the working directory."""
    target = tmp_path / "live"
    shutil.copytree(DRIFT, target)
    monkeypatch.chdir(target)
    return target


LIVE = ("compose", "compose.yaml", "borgmatic", "config.yaml", "crontab", "--host", "docker1")


def test_an_imported_model_has_no_drift(archlint: Archlint, live: Path) -> None:
    imported = archlint("import", *LIVE, "--site", "home", "-o", "imported.yaml")
    assert imported.code == 0, imported.err
    run = archlint("drift", "imported.yaml", *LIVE)
    assert (run.code, run.out) == (0, f"No findings ({len(DRIFT_RULES)} rules on 18 entities).\n")


def test_every_kind_of_drift_is_a_located_finding(archlint: Archlint, live: Path) -> None:
    run = archlint("drift", "model.yaml", *LIVE, "--format", "json")
    assert run.code == 1, run.err
    found = [
        (f["location"]["file"], f["location"]["line"], f["rule"], f["entity"])
        for f in json.loads(run.out)["findings"]
    ]
    assert found == [
        ("compose.yaml", 6, "AL904", "cloud_nextcloud"),  # a volume no datastore covers
        ("compose.yaml", 10, "AL905", "cloud_db"),  # modelled as files, runs MariaDB
        ("config.yaml", 2, "AL907", "db-local"),  # daily, modelled hourly
        ("config.yaml", 2, "AL910", "db-local"),  # weekly: 4, modelled 8
        ("config.yaml", 5, "AL908", "local"),  # checks every 2 weeks, modelled weekly
        ("config.yaml", 5, "AL909", "local"),  # encrypted, modelled without a key
        ("config.yaml", 7, "AL906", "offsite"),  # a repository the model does not know
        ("model.yaml", 12, "AL902", "old-usb"),  # nothing writes to it
        ("model.yaml", 20, "AL901", "photos-usb"),  # no job does it
        ("model.yaml", 21, "AL901", "redis-local"),
    ]


def test_a_verify_no_check_implements(archlint: Archlint, live: Path) -> None:
    config = live / "config.yaml"
    config.write_text(config.read_text().split("checks:")[0] + "checks:\n  - name: disabled\n")
    run = archlint("drift", "model.yaml", *LIVE, "--fail-on", "high")
    assert run.code == 1
    [line] = [
        line
        for line in run.out.splitlines()
        if line.startswith("model.yaml:11:3: medium verify-not-implemented ")
    ]
    assert "the model verifies it weekly" in line


def test_a_backup_the_model_does_not_have(archlint: Archlint, live: Path) -> None:
    model = live / "model.yaml"
    text = model.read_text()
    start, end = text.index("  db-local:"), text.index("  photos-usb:")
    model.write_text(text[:start] + text[end:])
    run = archlint("drift", "model.yaml", *LIVE)
    [line] = [
        line
        for line in run.out.splitlines()
        if line.startswith("config.yaml:2:5: low backup-not-modelled ")
    ]
    assert "a file backup of 'nextcloud-db' into 'local'" in line
    assert "schedule-drift" not in run.out


def test_waivers_on_model_entities_apply(archlint: Archlint, live: Path) -> None:
    model = live / "model.yaml"
    model.write_text(
        model.read_text().replace(
            "  photos-usb: {source: photos, target: old-usb, method: file, schedule: daily}",
            "  photos-usb: {source: photos, target: old-usb, method: file, schedule: daily,\n"
            "    waive: [{rule: backup-not-implemented, reason: moved to the attic}]}",
        )
    )
    run = archlint("drift", "model.yaml", *LIVE)
    assert "photos-usb" not in run.out
    assert "backup of 'redis' into 'local'" in run.out


def test_fail_on_and_exit_zero(archlint: Archlint, live: Path) -> None:
    assert archlint("drift", "model.yaml", *LIVE, "--exit-zero").code == 0
    assert archlint("drift", "model.yaml", *LIVE, "--fail-on", "critical").code == 0


def test_sarif_describes_the_drift_rules(archlint: Archlint, live: Path) -> None:
    run = archlint("drift", "model.yaml", *LIVE, "--format", "sarif")
    sarif = json.loads(run.out)
    described = {rule["id"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {rule.id for rule in DRIFT_RULES} <= described
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"AL901", "AL905"}


def test_drift_rules_are_documented_with_unique_ids() -> None:
    assert [rule.id for rule in DRIFT_RULES] == [f"AL9{n:02d}" for n in range(1, 12)]
    assert len({rule.name for rule in DRIFT_RULES}) == len(DRIFT_RULES)
    for rule in DRIFT_RULES:
        assert rule.summary and rule.rationale and rule.remediation
    docs = (Path(__file__).parents[2] / "site" / "docs" / "importers.md").read_text()
    for rule in DRIFT_RULES:
        assert f"`{rule.id}` `{rule.name}`" in docs


def test_broken_configuration_is_a_clean_error(archlint: Archlint, live: Path) -> None:
    (live / "compose.yaml").write_text("services:\n  web: {{ web }}\n")
    run = archlint("drift", "model.yaml", "compose", "compose.yaml")
    assert run.code == 2
    assert run.err.startswith("compose.yaml:2:8: error: this is a template")


# Real-world combinations of the corpus: Compose files with the backup tool beside them.
CORPUS_SETS = {
    "oberfeld__oberdocker": (
        "compose", "docker-compose.yml", "docker-compose-backup.yml",
        "borgmatic", "borgmatic/config.yaml", "borgmatic/crontab.txt",
    ),
    "tpatzelt__homelab": (
        "compose", "compose/arr/compose.yaml", "compose/core/compose.yaml",
        "autorestic", "autorestic/.autorestic.yml",
    ),
    "crazicus__hal9000": (
        "compose", "immich-app/docker-compose.yml",
        "resticprofile", "resticprofile/profiles.yaml",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CORPUS_SETS))
def test_corpus_imports_have_no_drift_against_their_files(
    archlint: Archlint, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (CORPUS / name).is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    monkeypatch.chdir(CORPUS / name)
    arguments = (*CORPUS_SETS[name], "--host", "docker1", "--site", "home")
    model = tmp_path / "model.yaml"
    assert archlint("import", *arguments, "-o", model).code == 0
    run = archlint("drift", model, *arguments)
    assert (run.code, run.out.startswith("No findings")) == (0, True), run.out


def test_corpus_borgmatic_in_a_container_backs_up_the_mariadb_volume(
    archlint: Archlint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (CORPUS / "oberfeld__oberdocker").is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    monkeypatch.chdir(CORPUS / "oberfeld__oberdocker")
    run = archlint("import", *CORPUS_SETS["oberfeld__oberdocker"], "--host", "docker1")
    model = load_text(run.out, tmp_path)
    db = model.datastores["oberfeld__oberdocker_db"]
    assert (db.kind, db.engine) == ("database", "mariadb")
    into_local = [b for b in model.backups.values() if b.source == db.id and b.target == "local"]
    assert [b.method for b in into_local] == ["file"]  # raw files of a running database
    assert model.repositories["local"].host == "docker1"  # the borg-repo volume
    assert "oberfeld__oberdocker_borg-repo" not in model.datastores


def test_explain_knows_the_drift_rules(archlint: Archlint) -> None:
    run = archlint("explain", "AL901")
    assert run.code == 0
    header = "backup-not-implemented (AL901)\n\nSeverity: high. Checks each backup."
    assert run.out.startswith(header)
