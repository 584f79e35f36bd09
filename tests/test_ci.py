"""The CI integration files and the CI documentation's examples actually work.

- `.pre-commit-hooks.yaml` declares a hook pre-commit can run;
- `action.yml` is a composite action whose checking script is run here, as the
  runner would run it, against a real model;
- every `archlint` command in site/docs/ci.md runs and writes the reports its
  CI configuration uploads.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
CI_DOC = (ROOT / "site" / "docs" / "ci.md").read_text(encoding="utf-8")
# The console script installed next to this Python, as the action installs it.
ARCHLINT = Path(sys.executable).with_name("archlint")

MODEL = """archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, path: /tank/photos}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
"""

Archlint = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a model (one high finding) as the current directory."""
    (tmp_path / "archlint.yaml").write_text(MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# pre-commit


def test_pre_commit_hook_checks_the_whole_model_when_yaml_changes() -> None:
    (hook,) = HOOKS
    assert (hook["id"], hook["language"], hook["entry"]) == (
        "archlint",
        "python",
        "archlint check --cache .archlint-cache",
    )
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])  # pre-commit matches with re.search
    for changed in ("archlint.yaml", "models/home/nas.yml", "archlint.toml", "sub/pyproject.toml"):
        assert files.search(changed), changed
    for unrelated in ("README.md", "notes/yaml.txt", "myarchlint.toml", "archlint.toml.bak"):
        assert not files.search(unrelated), unrelated


# The GitHub Action


def steps() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ACTION["runs"]["steps"]
    return found


def test_action_is_composite_and_uses_only_declared_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    used = set(re.findall(r"inputs\.([a-z][a-z-]*)", (ROOT / "action.yml").read_text()))
    assert used == set(ACTION["inputs"])
    for name, spec in ACTION["inputs"].items():
        assert spec["description"] and "default" in spec, name


def test_action_scripts_never_expand_expressions() -> None:
    # Inputs reach scripts through env only: ${{ }} inside `run` could inject commands.
    scripts = [step for step in steps() if "run" in step]
    assert len(scripts) == 3
    for step in scripts:
        assert step["shell"] == "bash" and "${{" not in step["run"], step["name"]


def test_action_installs_from_its_own_files_and_uploads_sarif_when_asked() -> None:
    install = next(step for step in steps() if step.get("id") == "install")
    assert '"${SOURCE:-$GITHUB_ACTION_PATH}"' in install["run"]
    (upload,) = [s for s in steps() if s.get("uses", "").startswith("github/codeql-action/")]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["if"] == "inputs.sarif == 'true'"
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    # The job fails on findings only after the upload.
    assert steps()[-1]["run"] == 'exit "$STATUS"'


def run_check_step(project: Path, **given: str) -> tuple[int, dict[str, str], str]:
    """Run the action's checking script as the runner does: bash -eo pipefail, env from inputs."""
    step = next(step for step in steps() if step.get("id") == "check")
    inputs = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | given
    env = {**os.environ, "ARCHLINT": str(ARCHLINT)}
    for name, expression in step["env"].items():
        match = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression)
        if match:
            env[name] = inputs[match[1]]
    env["GITHUB_OUTPUT"] = str(project / "github-output")
    env["GITHUB_STEP_SUMMARY"] = str(project / "step-summary.md")
    (project / "step.sh").write_text(step["run"], encoding="utf-8")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "step.sh"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output_file = project / "github-output"
    lines = output_file.read_text().splitlines() if output_file.exists() else []
    summary_file = project / "step-summary.md"
    summary = summary_file.read_text() if summary_file.exists() else ""
    return done.returncode, dict(line.split("=", 1) for line in lines), summary


def test_action_check_annotates_summarises_and_writes_sarif(project: Path) -> None:
    code, outputs, summary = run_check_step(project, sarif="true")
    assert code == 0  # the exit code is reported after the SARIF upload
    assert outputs == {"sarif-file": "archlint.sarif", "exit-code": "1"}
    sarif = json.loads((project / "archlint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["AL102"]
    assert "snapshot-only" in summary


def test_action_inputs_reach_archlint(project: Path) -> None:
    (project / "other.yaml").write_text(MODEL, encoding="utf-8")
    code, outputs, summary = run_check_step(
        project,
        paths="archlint.yaml\nother.yaml",
        format="text",
        args="--ignore unused-key --as-of 2026-11-26",
    )
    assert (code, outputs) == (0, {"exit-code": "1"})
    assert "snapshot-only" in summary  # written by a Markdown run, since format is not github
    lenient, _outputs, _summary = run_check_step(project, **{"fail-on": "critical"})
    assert _outputs == {"exit-code": "0"} and lenient == 0
    assert not (project / "archlint.sarif").exists()


def test_action_stops_on_invalid_input(project: Path) -> None:
    (project / "archlint.yaml").write_text(MODEL + "services:\n  wiki: {host: nsa}\n")
    code, outputs, _summary = run_check_step(project, sarif="true")
    assert code == 2 and "exit-code" not in outputs


# The documentation's examples


def doc_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", CI_DOC, re.DOTALL)


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


def commands(text: str) -> list[list[str]]:
    lines = [line.strip() for line in text.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("archlint ")]


def test_documented_workflows_use_real_action_inputs() -> None:
    uses = [
        step
        for block in doc_blocks("yaml")
        for job in (yaml.safe_load(block).get("jobs") or {}).values()
        for step in job["steps"]
    ]
    actions = [step for step in uses if step.get("uses", "").startswith("archlint/archlint@")]
    assert actions
    for step in actions:
        assert set(step.get("with", {})) <= set(ACTION["inputs"])


def hook_commands(data: Any) -> list[list[str]]:
    """What pre-commit runs for the archlint hooks of a .pre-commit-config.yaml."""
    (hook,) = HOOKS
    repos = data.get("repos", []) if isinstance(data, dict) else []
    configured = [h for repo in repos for h in repo["hooks"] if h["id"] == hook["id"]]
    return [[*shlex.split(hook["entry"])[1:], *h.get("args", [])] for h in configured]


@pytest.mark.parametrize("block", [*doc_blocks("yaml"), *doc_blocks("sh")])
def test_documented_commands_run_and_write_their_reports(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch, block: str
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(project / "summary.md"))
    assert archlint("check", "--write-baseline", "archlint-baseline.json").code == 0
    data = yaml.safe_load(block) if block in doc_blocks("yaml") else block
    found = [args for text in strings(data) for args in commands(text)] + hook_commands(data)
    assert found or "actions/checkout" in block, "an example without archlint commands"
    for args in found:
        run = archlint(*args)
        assert run.code in (0, 1), f"archlint {shlex.join(args)}: {run.err}"
    reports = {
        "archlint.sarif": lambda text: json.loads(text)["runs"],
        "gl-code-quality-report.json": json.loads,
        "archlint-junit.xml": ElementTree.fromstring,
    }
    for name, parse in reports.items():
        if name in block:
            assert parse((project / name).read_text(encoding="utf-8"))


# --format github and the job summary


def test_github_format_appends_the_job_summary(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = project / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run = archlint("check", "--format", "github")
    assert run.code == 1 and run.out.startswith("::error file=archlint.yaml,line=8,col=3,")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n") and "snapshot-only" in text
    # The job summary is the Markdown report.
    assert text == "# Earlier step\n" + archlint("check", "--format", "markdown").out
    archlint("check", "--format", "json")
    assert summary.read_text(encoding="utf-8") == text  # only the github format writes it


def test_github_format_without_the_variable_writes_no_summary(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert archlint("check", "--format", "github").code == 1
    assert sorted(p.name for p in project.iterdir()) == ["archlint.yaml"]


def test_an_unwritable_job_summary_exits_2(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(project / "missing" / "summary.md"))
    run = archlint("check", "--format", "github")
    assert run.code == 2 and "GITHUB_STEP_SUMMARY: cannot append to" in run.err
