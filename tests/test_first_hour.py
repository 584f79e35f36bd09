"""The first hour of a new user: default paths, empty models, statistics, quiet,
version, rules as JSON, case hints, terminal wrapping and `archlint init`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from archlint.cli.main import cli
from archlint.engine.findings import Finding, Result
from archlint.engine.pipeline import read_model
from archlint.engine.rulepack import load_rules
from archlint.model.errors import Location
from archlint.reporters import REPORTERS, text
from archlint.reporters.style import Style
from tests.conftest import Run

Archlint = Callable[..., Run]
Write = Callable[..., Path]
RULES = load_rules()

SPLIT_ROOT = "archlint: 1\ndomains:\n  home: {kind: site}\n"
SPLIT_HOSTS = "hosts:\n  nas: {kind: nas, in: home}\n"
SNAPSHOT_ONLY = """archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, path: /tank/photos}
  music: {kind: files, in: tank}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
  music-hourly: {source: music, method: snapshot, schedule: hourly}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_no_path_checks_a_split_model_in_the_current_directory_whole(
    archlint: Archlint, write: Write, here: Path
) -> None:
    write(SPLIT_ROOT)
    write(SPLIT_HOSTS, name="hosts.yaml")
    write("site_name: docs\n", name="mkdocs.yml")  # not a model file: left out
    run = archlint("check")
    assert (run.code, run.out) == (0, f"No findings ({len(RULES)} rules on 2 entities).\n")


def test_no_path_keeps_archlint_yaml_alone_beside_other_whole_models(
    archlint: Archlint, write: Write, here: Path
) -> None:
    write(SPLIT_ROOT)
    write(SNAPSHOT_ONLY, name="other.yaml")  # declares `archlint:`: a model of its own
    run = archlint("check")
    assert (run.code, run.out) == (0, f"No findings ({len(RULES)} rules on 1 entities).\n")


def test_no_path_keeps_archlint_yaml_alone_beside_other_tools_files(
    archlint: Archlint, write: Write, here: Path
) -> None:
    write(SPLIT_ROOT)
    write("services:\n  web:\n    image: nginx\n", name="docker-compose.yml")
    write("include: [ci/build.yml]\nstages: [test]\n", name=".gitlab-ci.yml")
    run = archlint("check")
    assert (run.code, run.out) == (0, f"No findings ({len(RULES)} rules on 1 entities).\n")


def test_no_path_checks_the_directory_when_its_model_file_has_another_name(
    archlint: Archlint, write: Write, here: Path
) -> None:
    write(SPLIT_ROOT, name="homelab.yaml")
    write(SPLIT_HOSTS, name="hosts.yaml")
    run = archlint("check")
    assert (run.code, run.out) == (0, f"No findings ({len(RULES)} rules on 2 entities).\n")


def test_no_path_in_a_folder_of_compose_files_finds_no_model(
    archlint: Archlint, write: Write, here: Path
) -> None:
    write("services:\n  web:\n    image: nginx\n", name="compose.yaml")
    run = archlint("check")
    assert run.code == 2 and "no model to check" in run.err


def test_no_model_at_all_says_what_was_looked_for(archlint: Archlint, here: Path) -> None:
    run = archlint("check")
    assert run.code == 2
    assert "no model to check: with no path, archlint check reads the configuration's" in run.err
    assert "archlint init" in run.err


def test_a_model_without_entities_is_an_error(archlint: Archlint, write: Write) -> None:
    path = write("archlint: 1\n")
    run = archlint("check", path)
    assert run.code == 2
    assert f"{path}: the model named on the command line has no entities" in run.err


def test_statistics_counts_findings_per_rule(archlint: Archlint, write: Write) -> None:
    path = write(SNAPSHOT_ONLY)
    run = archlint("check", path, "--statistics", "--as-of", "2026-11-26")
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0].split() == ["2", "AL102", "snapshot-only", "high"]
    assert lines[-1].startswith("Found 2 findings")
    data = json.loads(archlint("check", path, "--statistics", "--format", "json").out)
    assert data[0] == {"rule": "AL102", "name": "snapshot-only", "severity": "high", "count": 2}


def test_quiet_prints_only_the_summary(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(SNAPSHOT_ONLY), "-q", "--as-of", "2026-11-26")
    assert (run.code, run.out) == (
        1,
        f"Found 2 findings (2 high) from {len(RULES)} rules on 7 entities.\n",
    )


@pytest.mark.parametrize(
    "options",
    [("-q", "--statistics"), ("-q", "--format", "json"), ("--statistics", "--format", "sarif")],
)
def test_quiet_and_statistics_refuse_what_they_cannot_print(
    archlint: Archlint, write: Write, options: tuple[str, ...]
) -> None:
    run = archlint("check", write(SNAPSHOT_ONLY), *options)
    assert run.code == 2 and run.out == ""


def test_short_version_option(archlint: Archlint) -> None:
    run = archlint("-V")
    assert run.code == 0 and run.out.startswith("archlint, version ")


def test_rules_as_json(archlint: Archlint) -> None:
    run = archlint("rules", "--format", "json")
    data = json.loads(run.out)
    assert [rule["id"] for rule in data] == [rule.id for rule in RULES]
    assert {"name", "severity", "summary", "examples", "url"} <= set(data[0])


def test_a_rule_id_in_the_wrong_case_gets_a_hint(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(SNAPSHOT_ONLY), "--select", "al102")
    assert run.code == 2
    assert "unknown rule 'al102' (did you mean 'AL102'? names and ids are case-sensitive)" in (
        run.err
    )


def finding(message: str, fix: str = "") -> Finding:
    return Finding(
        Location("m.yaml", 12, 5),
        "AL101",
        "single-domain-copies",
        "photos",
        "datastore",
        "high",
        message,
        fix=fix,
    )


def test_terminal_output_wraps_to_the_width_under_the_message_column() -> None:
    words = " ".join(f"word{n}" for n in range(30))
    result = Result((finding(words, fix="add a copy " * 10),), (), tuple(RULES), 1)
    lines = text.render(result, Style(width=80)).splitlines()
    assert lines[0] == "m.yaml"
    assert lines[1].startswith("  12:5  high     single-domain-copies  photos: word0 word1")
    message_column = lines[1].index("photos:")
    assert all(len(line) <= 80 for line in lines)
    assert lines[2].startswith(" " * message_column + "word")
    help_line = next(line for line in lines if "help:" in line)
    assert help_line.startswith("        help: add a copy")


def test_piped_output_keeps_one_finding_per_line() -> None:
    words = " ".join(f"word{n}" for n in range(30))
    result = Result((finding(words, fix="fix it"),), (), tuple(RULES), 1)
    lines = text.render(result, Style()).splitlines()
    assert lines[0] == f"m.yaml:12:5: high single-domain-copies photos: {words}"
    assert lines[1] == "  help: fix it"


def test_init_with_yes_writes_a_model_that_loads_and_checks(archlint: Archlint, here: Path) -> None:
    run = archlint("init", "starter", "--yes")
    assert run.code == 0, run.err
    assert (here / "starter/archlint.toml").read_text(encoding="utf-8").startswith("# archlint")
    checked = archlint("check", "starter/archlint.yaml", "--format", "json")
    assert checked.code in (0, 1), checked.err
    assert json.loads(checked.out)["summary"]["entities"] == 9


def test_init_never_overwrites_a_file(archlint: Archlint, here: Path) -> None:
    (here / "archlint.toml").write_text("mine\n", encoding="utf-8")
    run = archlint("init", "--yes")
    assert run.code == 2 and "archlint.toml already exists" in run.err
    assert not (here / "archlint.yaml").exists()
    assert (here / "archlint.toml").read_text(encoding="utf-8") == "mine\n"


def test_init_asks_on_a_terminal_and_asks_again_after_a_bad_answer(here: Path) -> None:
    answers = "home, friends\nbad name!, nas\nnas, pve\nother-site\n"
    run = CliRunner().invoke(cli, ["init", "lab"], input=answers)
    assert run.exit_code == 0, run.output
    assert "is not an id" in run.output
    model = (here / "lab/archlint.yaml").read_text(encoding="utf-8")
    assert "  pve:\n    kind: server" in model and "  nas:\n    kind: nas" in model
    assert "    in: friends\n    key: backup-passphrase" in model
    model_ids = {entity.id for _, entity in read_model(here / "lab/archlint.yaml").entities()}
    assert {"home", "friends", "nas", "pve", "backups", "photos-nightly"} <= model_ids


HINTED = """archlint: 1
domains:
  home: {kind: site, description: a house, the closet}
hosts:
  nas: {kind: nas, in: home}
repositories:
  r: {tool: restic, host: nas, immutable: yes}
"""


def test_common_mistakes_get_a_hint(archlint: Archlint, write: Write) -> None:
    path = write(HINTED)
    run = archlint("check", path)
    assert run.code == 2
    errors = run.err.splitlines()
    assert errors[0].startswith(f"{path}:3:44: error: unknown field 'the closet' (a comma inside")
    assert errors[1] == (
        f"{path}:7:43: error: `immutable`: 'yes' is text, not a boolean (YAML 1.2 has only "
        "true and false; `yes`, `no`, `on` and `off` were booleans in YAML 1.1): write true"
    )


def test_a_rule_id_in_the_wrong_case_in_a_waiver_gets_a_hint(
    archlint: Archlint, write: Write
) -> None:
    waived = SNAPSHOT_ONLY.replace(
        "  music: {kind: files, in: tank}",
        "  music: {kind: files, in: tank, waive: [{rule: al102, reason: test data}]}",
    )
    run = archlint("check", write(waived))
    assert run.code == 2
    assert "unknown rule 'al102' (did you mean 'AL102'? names and ids are case-sensitive)" in (
        run.err
    )


def test_a_rule_id_in_the_wrong_case_in_the_configuration_gets_a_hint(
    archlint: Archlint, write: Write, here: Path
) -> None:
    path = write(SNAPSHOT_ONLY)
    write('[rules.al102]\nseverity = "low"\n', name="archlint.toml")
    run = archlint("check", path)
    assert run.code == 2 and "did you mean 'AL102'? names and ids are case-sensitive" in run.err


def test_an_unquoted_colon_in_text_gets_a_hint(archlint: Archlint, write: Write) -> None:
    path = write("archlint: 1\ndomains:\n  home: {kind: site}\n  x:\n    description: a: b\n")
    run = archlint("check", path)
    assert run.code == 2
    assert run.err.startswith(
        f"{path}:5:19: error: invalid YAML: mapping values are not allowed in this context: "
        "text that holds ': ' must be quoted"
    )


def test_shell_completion_as_the_readme_documents_it() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_ARCHLINT_COMPLETE=bash_source archlint)"' in readme
    env = {"COMP_WORDS": "archlint check --format ", "COMP_CWORD": "3"}
    run = CliRunner().invoke(
        cli, [], prog_name="archlint", env={**env, "_ARCHLINT_COMPLETE": "bash_complete"}
    )
    assert "plain,sarif" in run.output.splitlines()


def test_readme_option_table_lists_every_format() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `--format FORMAT`"))
    for name in REPORTERS:
        assert f"`{name}`" in row
