"""Configuration: discovery, precedence, per-rule tables, rule packs and honest errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.engine.config import load_config, rule_settings
from archlint.engine.rulepack import load_rules
from tests.conftest import Run

Archlint = Callable[..., Run]

SNAPSHOT_ONLY = """archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, path: /tank/photos, tags: [scratch]}
  music: {kind: files, in: tank}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
  music-hourly: {source: music, method: snapshot, schedule: hourly}
"""
# One medium-criticality datastore whose only backup copy is at its own site.
ONE_SITE = """archlint: 1
domains:
  home: {kind: site}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-files: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
backups:
  wiki-nightly: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
"""
NAS_RULE = '''"""XY001 no-nas: a test rule that reports every NAS."""

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.model.entities import Host
from archlint.engine.rule import Example, Problem, Rule

MODEL = "archlint: 1\\ndomains:\\n  home: {kind: site}\\nhosts:\\n  box: {kind: %s, in: home}\\n"


class NoNas(Rule[Host]):
    id = "XY001"
    name = "no-nas"
    severity = "low"
    entity_kind = "host"
    summary = "A host is a NAS."
    rationale = "Only a test."
    remediation = "None."
    failing = (Example(model=MODEL % "nas", description="A NAS.", findings=("box",)),)
    passing = (Example(model=MODEL % "server", description="A server."),)

    def check(self, host: Host, facts: Facts) -> Iterator[Problem]:
        if host.kind == "nas":
            yield Problem("this host is a NAS")
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory that is the current directory."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def reported(run: Run) -> list[tuple[str, str]]:
    assert run.code in (0, 1), run.err
    return [(f["name"], f["entity"]) for f in json.loads(run.out)["findings"]]


# Discovery: from the current directory upwards, the nearest file wins.


def test_archlint_toml_in_the_current_directory_is_read(archlint: Archlint, project: Path) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", 'ignore = ["snapshot-only"]\n')
    assert archlint("check").code == 0


def test_configuration_is_found_from_a_subdirectory_with_paths_relative_to_it(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(project / "models" / "home.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", 'paths = ["models/home.yaml"]\nselect = ["snapshot-only"]\n')
    monkeypatch.chdir(put(project / "docs" / "deep" / "x.md", "").parent)
    run = archlint("check")
    assert run.code == 1
    assert run.out.startswith("../../models/home.yaml:8:3: high snapshot-only")


def test_the_nearest_configuration_wins_whole(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(project / "archlint.toml", 'ignore = ["snapshot-only"]\nfail-on = "critical"\n')
    sub = project / "sub"
    put(sub / "archlint.yaml", SNAPSHOT_ONLY)
    put(sub / "archlint.toml", 'select = ["snapshot-only"]\n')
    monkeypatch.chdir(sub)
    # The parent's ignore and fail-on are not merged in: the nearest file is the configuration.
    assert reported(archlint("check", "--format", "json")) == [
        ("snapshot-only", "photos"),
        ("snapshot-only", "music"),
    ]
    assert archlint("check").code == 1


def test_pyproject_with_a_tool_archlint_table_is_read(archlint: Archlint, project: Path) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(
        project / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.archlint]\nfail-on = "critical"\n',
    )
    run = archlint("check")
    assert run.code == 0 and "snapshot-only" in run.out


def test_pyproject_without_the_table_is_skipped(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(project / "archlint.toml", 'fail-on = "critical"\n')
    sub = project / "package"
    put(sub / "archlint.yaml", SNAPSHOT_ONLY)
    put(sub / "pyproject.toml", '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n')
    monkeypatch.chdir(sub)
    assert archlint("check").code == 0  # the parent's archlint.toml applies


def test_archlint_toml_comes_before_pyproject_in_one_directory(
    archlint: Archlint, project: Path
) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", 'fail-on = "high"\n')
    put(project / "pyproject.toml", '[tool.archlint]\nfail-on = "critical"\n')
    assert archlint("check").code == 1


def test_config_option_overrides_discovery(archlint: Archlint, project: Path) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", 'fail-on = "high"\n')
    put(project / "ci" / "lenient.toml", 'fail-on = "critical"\n')
    assert archlint("check").code == 1
    assert archlint("check", "--config", "ci/lenient.toml").code == 0
    put(project / "ci" / "pyproject.toml", '[tool.archlint]\nfail-on = "critical"\n')
    assert archlint("check", "--config", "ci/pyproject.toml").code == 0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "--config: ci.toml not found"),
        ({"ci.toml": "x = [\n"}, "ci.toml: invalid TOML: "),
        ({"pyproject.toml": "[tool.ruff]\n"}, "--config: pyproject.toml has no [tool.archlint]"),
    ],
)
def test_config_option_errors_exit_2(
    archlint: Archlint, project: Path, files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        put(project / name, text)
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    name = next(iter(files), "ci.toml")
    run = archlint("check", "--config", name)
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


# Precedence: command-line flags override the file, key by key.


@pytest.mark.parametrize(
    ("config", "options", "code"),
    [
        ('fail-on = "critical"\n', [], 0),
        ('fail-on = "critical"\n', ["--fail-on", "high"], 1),
        ('select = ["AL101"]\n', [], 0),
        ('select = ["AL101"]\n', ["--select", "snapshot-only"], 1),
        ('ignore = ["snapshot-only"]\n', [], 0),
        ('ignore = ["snapshot-only"]\n', ["--ignore", "AL101"], 1),
        ('paths = ["clean.yaml"]\n', [], 0),
        ('paths = ["clean.yaml"]\n', ["archlint.yaml"], 1),
    ],
)
def test_command_line_flags_override_the_file(
    archlint: Archlint, project: Path, config: str, options: list[str], code: int
) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "clean.yaml", "archlint: 1\ndomains:\n  home: {kind: site}\n")
    put(project / "archlint.toml", config)
    run = archlint("check", *options)
    assert run.code == code, run.out + run.err


# Per-rule tables: severity, options and scope.


def test_configured_severity_is_stamped_on_findings_and_gates(
    archlint: Archlint, project: Path
) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", '[rules.snapshot-only]\nseverity = "critical"\n')
    run = archlint("check", "--format", "json", "--fail-on", "critical")
    assert run.code == 1
    document = json.loads(run.out)
    assert {f["severity"] for f in document["findings"]} == {"critical"}
    assert document["summary"]["by_severity"]["critical"] == 2
    sarif = json.loads(archlint("check", "--format", "sarif").out)
    results = sarif["runs"][0]["results"]
    assert [(r["level"], r["properties"]["severity"]) for r in results] == [
        ("error", "critical")
    ] * 2
    put(project / "archlint.toml", '[rules.AL102]\nseverity = "info"\n')
    assert archlint("check").code == 0  # info never reaches the default fail-on (low)


def test_rule_options_are_set_in_kebab_case(archlint: Archlint, project: Path) -> None:
    put(project / "archlint.yaml", ONE_SITE)
    select = ("--select", "single-domain-copies", "--format", "json")
    assert reported(archlint("check", *select)) == [("single-domain-copies", "wiki-files")]
    put(project / "archlint.toml", '[rules.single-domain-copies]\nmin-criticality = "high"\n')
    assert reported(archlint("check", *select)) == []


@pytest.mark.parametrize(
    ("scope", "entities"),
    [
        ("", ["photos", "music"]),
        ('tags = ["scratch"]', ["photos"]),
        ('exclude-tags = ["scratch"]', ["music"]),
        ('kinds = ["datastore"]', ["photos", "music"]),
        ('kinds = ["host", "backup"]', []),
        ('kinds = ["datastore"]\nexclude-tags = ["scratch", "other"]', ["music"]),
    ],
)
def test_scope_by_kind_and_tags(
    archlint: Archlint, project: Path, scope: str, entities: list[str]
) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", f"[rules.snapshot-only]\n{scope}\n")
    run = archlint("check", "--select", "snapshot-only", "--format", "json")
    assert [entity for _name, entity in reported(run)] == entities


# Rule packs are code: only those named load.


def test_rule_packs_load_only_when_named(archlint: Archlint, project: Path) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "house-rules" / "no_nas.py", NAS_RULE)
    # Present on disk but not named: not loaded, so not a known rule either.
    unnamed = archlint("check", "--select", "no-nas")
    assert unnamed.code == 2 and "unknown rule 'no-nas'" in unnamed.err
    put(
        project / "archlint.toml",
        'rule-packs = ["house-rules"]\n[rules.no-nas]\nseverity = "high"\n',
    )
    run = archlint("check", "--select", "no-nas", "--format", "json")
    assert [(f["name"], f["entity"], f["severity"]) for f in json.loads(run.out)["findings"]] == [
        ("no-nas", "nas", "high")
    ]


def test_rules_option_names_a_pack_and_replaces_the_configured_ones(
    archlint: Archlint, project: Path
) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "packs" / "mine" / "no_nas.py", NAS_RULE)
    run = archlint("check", "--rules", "packs/mine", "--select", "XY001")
    assert run.code == 1 and "no-nas" in run.out
    put(project / "archlint.toml", 'rule-packs = ["missing"]\n')
    assert archlint("check", "--rules", "packs/mine", "--select", "XY001").code == 1
    missing = archlint("check")
    assert missing.code == 2 and "missing: rule pack directory not found" in missing.err


# Unknown keys and bad values: exit 2, naming the file, the table and the fix.


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("selct = []\n", "archlint.toml: unknown key 'selct' (did you mean 'select'?)"),
        ('fail_on = "high"\n', "archlint.toml: unknown key 'fail_on' (did you mean 'fail-on'?)"),
        (
            '[rules.snapshot-only]\nseverty = "high"\n',
            "archlint.toml [rules.snapshot-only]: unknown key 'severty' (did you mean 'severity'?)",
        ),
        (
            '[rules.single-domain-copies]\nmin_criticality = "high"\n',
            "[rules.single-domain-copies]: unknown key 'min_criticality' "
            "(did you mean 'min-criticality'?)",
        ),
        (
            '[rules.single-domain-copies]\nmin-criticality = "hihg"\n',
            "archlint.toml [rules.single-domain-copies] `min-criticality`: 'hihg' is not one of "
            "low, medium, high, critical (did you mean 'high'?)",
        ),
        (
            "[rules.snapshot-onyl]\n",
            "archlint.toml [rules.snapshot-onyl]: unknown rule 'snapshot-onyl' "
            "(did you mean 'snapshot-only'?)",
        ),
        (
            "[rules.AL102]\n[rules.snapshot-only]\n",
            "[rules.snapshot-only]: snapshot-only (AL102) is configured twice, "
            "also in [rules.AL102]",
        ),
        (
            '[rules.snapshot-only]\nkinds = ["datastores"]\n',
            "`kinds`: 'datastores' is not an entity kind",
        ),
        (
            '[rules.snapshot-only]\nseverity = "severe"\n',
            "archlint.toml [rules.snapshot-only] `severity`: 'severe' is not one of",
        ),
        ('fail-on = "hihg"\n', "archlint.toml `fail-on`: 'hihg' is not one of"),
        ('select = "AL101"\n', "archlint.toml `select`: must be a list of strings"),
        (
            'select = ["snapshot-onyl"]\n',
            "archlint.toml `select`: unknown rule 'snapshot-onyl' (did you mean 'snapshot-only'?)",
        ),
        ('ignore = ["AL999"]\n', "archlint.toml `ignore`: unknown rule 'AL999'"),
        ('rules = ["packs"]\n', "list rule-pack directories in `rule-packs`"),
        ('[rules]\nsnapshot-only = "off"\n', "[rules.snapshot-only]: must be a table"),
    ],
)
def test_configuration_errors_exit_2_with_a_suggestion(
    archlint: Archlint, project: Path, config: str, message: str
) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", config)
    run = archlint("check")
    assert run.code == 2 and run.out == ""
    assert message in run.err and "Traceback" not in run.err


def test_errors_in_pyproject_name_the_tool_table(archlint: Archlint, project: Path) -> None:
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "pyproject.toml", '[tool.archlint.rules.snapshot-only]\nseverty = "high"\n')
    run = archlint("check")
    assert run.code == 2
    assert "pyproject.toml [tool.archlint.rules.snapshot-only]: unknown key 'severty'" in run.err


# The documentation's examples are real.

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "site" / "docs" / "configuration.md"


def doc_blocks(language: str, document: Path = DOCS) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", document.read_text(encoding="utf-8"), re.DOTALL)


@pytest.mark.parametrize("text", [*doc_blocks("toml"), *doc_blocks("toml", ROOT / "README.md")])
def test_documented_configurations_are_valid(project: Path, text: str) -> None:
    name = "pyproject.toml" if "[tool.archlint]" in text else "archlint.toml"
    config = load_config(put(project / name, text))
    settings = rule_settings(config, load_rules())
    assert config.fail_on == "medium" and settings


def test_documented_error_is_what_archlint_says(archlint: Archlint, project: Path) -> None:
    (console,) = [block for block in doc_blocks("console") if "error" in block]
    command, expected = console.strip().splitlines()
    put(project / "archlint.yaml", SNAPSHOT_ONLY)
    put(project / "archlint.toml", '[rules.single-domain-copies]\nmin_criticality = "high"\n')
    assert command == "$ archlint check"
    assert archlint("check").err == expected + "\n"


def test_max_model_size_from_the_command_line_and_the_configuration(
    archlint: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archlint.yaml").write_text(
        "archlint: 1\ndomains:\n  home: {kind: site}\n", encoding="utf-8"
    )
    assert archlint("check").code == 0
    small = archlint("check", "--max-model-size", "10B")
    assert small.code == 2 and "archlint.yaml:1:1" in small.err and "limit" in small.err
    bad = archlint("check", "--max-model-size", "10 parsecs")
    assert bad.code == 2 and "Invalid value for '--max-model-size'" in bad.err
    (tmp_path / "archlint.toml").write_text('max-model-size = "10B"\n', encoding="utf-8")
    assert archlint("check").code == 2
    assert archlint("check", "--max-model-size", "1MiB").code == 0
    (tmp_path / "archlint.toml").write_text('max-model-size = "lots"\n', encoding="utf-8")
    wrong = archlint("check")
    assert wrong.code == 2 and "archlint.toml `max-model-size`" in wrong.err
