"""The command line: exit codes, output formats, options and error handling."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.engine.rulepack import load_rules
from tests.conftest import Run

RULES = load_rules()

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
CLEAN = """archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
"""
Archlint = Callable[..., Run]
Write = Callable[..., Path]


def test_findings_exit_1_with_located_lines_and_a_summary(archlint: Archlint, write: Write) -> None:
    path = write(SNAPSHOT_ONLY)
    run = archlint("check", path, "--as-of", "2026-11-26")
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0].startswith(f"{path}:8:3: high snapshot-only photos: only protected by")
    assert lines[1] == "  help: add a backup to a repository on another machine"
    assert lines[2].startswith(f"{path}:9:3: high snapshot-only ")
    assert lines[-1] == f"Found 2 findings (2 high) from {len(RULES)} rules on 7 entities."
    assert "\x1b[" not in run.out


def test_clean_model_exits_0(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(CLEAN))
    assert (run.code, run.out) == (0, f"No findings ({len(RULES)} rules on 2 entities).\n")


def test_default_path_is_archlint_yaml_in_the_current_directory(
    archlint: Archlint, write: Write, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(SNAPSHOT_ONLY)
    monkeypatch.chdir(tmp_path)
    run = archlint("check")
    assert run.code == 1 and run.out.startswith("archlint.yaml:8:3: high snapshot-only")


def test_json_output_is_complete_sorted_and_byte_identical(
    archlint: Archlint, write: Write
) -> None:
    path = write(SNAPSHOT_ONLY)
    first = archlint("check", path, "--format", "json")
    second = archlint("check", path, "--format", "json")
    assert first.code == 1 and first.out == second.out
    document = json.loads(first.out)
    assert [f["entity"] for f in document["findings"]] == ["photos", "music"]
    finding = document["findings"][0]
    assert finding["rule"] == "AL102" and finding["name"] == "snapshot-only"
    assert finding["severity"] == "high" and finding["kind"] == "datastore"
    assert finding["location"] == {"file": str(path), "line": 8, "column": 3}
    assert finding["evidence"] == ["backup 'photos-hourly': snapshot kept with the source"]
    assert document["summary"]["findings"] == 2
    assert document["summary"]["by_severity"]["high"] == 2


@pytest.mark.parametrize(
    ("options", "code"),
    [
        (["--select", "snapshot-only"], 1),
        (["--select", "AL102"], 1),
        (["--select", "AL101,orphaned-key"], 0),
        (["--ignore", "snapshot-only"], 0),
        (["--ignore", "AL101", "--ignore", "AL102"], 0),
        (["--fail-on", "critical"], 0),
        (["--fail-on", "high"], 1),
        (["--fail-on", "info"], 1),
    ],
)
def test_selection_and_fail_on(
    archlint: Archlint, write: Write, options: list[str], code: int
) -> None:
    assert archlint("check", write(SNAPSHOT_ONLY), *options).code == code


def test_fail_on_does_not_hide_findings(archlint: Archlint, write: Write) -> None:
    run = archlint("check", write(SNAPSHOT_ONLY), "--fail-on", "critical")
    assert run.code == 0 and "snapshot-only" in run.out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--select", "snapshot-onyl"],
            "--select: unknown rule 'snapshot-onyl' (did you mean 'snapshot-only'?)",
        ),
        (["--ignore", "AL999"], "--ignore: unknown rule 'AL999'"),
        (["--fail-on", "severe"], "Invalid value for '--fail-on'"),
        (["--as-of", "2026-13-01"], "Invalid value for '--as-of'"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_bad_options_exit_2(
    archlint: Archlint, write: Write, options: list[str], message: str
) -> None:
    run = archlint("check", write(SNAPSHOT_ONLY), *options)
    assert run.code == 2 and message in run.err and "Traceback" not in run.err


def test_invalid_model_exits_2_with_locations_and_no_traceback(
    archlint: Archlint, write: Write
) -> None:
    path = write(CLEAN + "services:\n  wiki: {host: nsa}\n")
    run = archlint("check", path)
    assert run.code == 2
    assert f"{path}:7:16: error: `host`: no host named 'nsa' (did you mean 'nas'?)" in run.err
    assert run.err.endswith("Invalid model: 1 error.\n") and run.out == ""


def test_missing_model_exits_2(archlint: Archlint, tmp_path: Path) -> None:
    run = archlint("check", tmp_path / "nope.yaml")
    assert run.code == 2 and "nope.yaml" in run.err and "Traceback" not in run.err


def test_output_file_is_written_and_missing_directory_is_an_error(
    archlint: Archlint, write: Write, tmp_path: Path
) -> None:
    out = tmp_path / "report.json"
    run = archlint("check", write(SNAPSHOT_ONLY), "--format", "json", "-o", out)
    assert run.code == 1 and run.out == ""
    assert len(json.loads(out.read_text())["findings"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archlint.yaml", "report.json"]
    missing = archlint("check", write(SNAPSHOT_ONLY), "-o", tmp_path / "no" / "r.txt")
    assert missing.code == 2 and "directory" in missing.err


def test_colour_on_request_and_never_with_no_color(
    archlint: Archlint, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(SNAPSHOT_ONLY)
    coloured = archlint("check", path, "--color", "always")
    assert "\x1b[1;31mhigh" in coloured.out and f"\x1b[1m{path}\x1b[0m" in coloured.out
    assert "\x1b[" not in archlint("check", path, "--color", "never").out


def test_waivers_accept_findings_until_they_expire(archlint: Archlint, write: Write) -> None:
    waived = SNAPSHOT_ONLY.replace(
        "path: /tank/photos}",
        "path: /tank/photos, waive: [{rule: snapshot-only, reason: re-ripped, until: 2027-01-01}]}",
    )
    path = write(waived)
    run = archlint("check", path, "--as-of", "2026-11-26")
    assert run.code == 1 and "photos" not in run.out.split("\n")[0]
    assert run.out.splitlines()[-1].endswith("; 1 waived.")
    expired = archlint("check", path, "--as-of", "2027-01-02", "--format", "json")
    reported = [(f["name"], f["entity"]) for f in json.loads(expired.out)["findings"]]
    assert reported == [
        ("snapshot-only", "photos"),
        ("expired-waiver", "photos"),
        ("snapshot-only", "music"),
    ]


def test_waiver_naming_an_unknown_rule_is_invalid(archlint: Archlint, write: Write) -> None:
    path = write(
        SNAPSHOT_ONLY.replace(
            "path: /tank/photos}", "path: /tank/photos, waive: [{rule: snapshot-onyl, reason: x}]}"
        )
    )
    run = archlint("check", path)
    assert run.code == 2
    assert f"{path}:8:63: error: `waive`: unknown rule 'snapshot-onyl'" in run.err


def test_rules_lists_every_rule(archlint: Archlint) -> None:
    run = archlint("rules")
    assert run.code == 0
    listed = [line.split()[:2] for line in run.out.splitlines()]
    assert listed == [[rule.id, rule.name] for rule in RULES]
    assert ["AL101", "single-domain-copies"] in listed and ["AL201", "orphaned-key"] in listed


def test_explain_prints_documentation_and_examples(archlint: Archlint) -> None:
    run = archlint("explain", "AL101")
    assert run.code == 0
    assert run.out.startswith("single-domain-copies (AL101)\n")
    assert "Why it matters:" in run.out and "How to fix it:" in run.out
    assert "min-criticality (default: medium)" in run.out
    assert "Failing example (reports wiki-files):" in run.out
    missing = archlint("explain", "nope")
    assert missing.code == 2 and "unknown rule 'nope'" in missing.err


def test_internal_errors_exit_2_with_one_line(
    archlint: Archlint, write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_options: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("archlint.cli.checking.check_model", explode)
    run = archlint("check", write(CLEAN))
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err.startswith("archlint: internal error: RuntimeError: boom.")
    debug = archlint("--debug", "check", write(CLEAN))
    assert debug.code == 2 and "Traceback" in debug.err


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "archlint", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("archlint, version ")


def test_output_file_gets_the_usual_mode(archlint: Archlint, write: Write, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    previous = os.umask(0o022)
    try:
        archlint("check", write(CLEAN), "-o", out)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_an_interrupt_during_start_up_is_one_line_and_exit_2() -> None:
    # Ctrl-C while the command line is still being imported: simulated by an
    # import that raises KeyboardInterrupt, since a real signal's timing varies.
    script = (
        "import builtins\n"
        "real = builtins.__import__\n"
        "def interrupting(name, *args, **kwargs):\n"
        "    if name == 'archlint.cli.main':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupting\n"
        "from archlint.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == "archlint: interrupted\n"
