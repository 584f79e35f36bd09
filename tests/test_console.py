"""The console script: the same output and exit code as the in-process command line,
although it leaves without the interpreter's teardown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint import cli
from tests.conftest import Run
from tests.test_config import NAS_RULE

REFERENCE = Path(__file__).resolve().parent.parent / "models" / "reference"


def console(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archlint", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_console_prints_what_the_in_process_run_prints(
    archlint: Callable[..., Run],
) -> None:
    args = ("check", REFERENCE, "--format", "json", "--as-of", "2026-11-26")
    done = console(*args)
    expected = archlint(*args)
    assert done.returncode == expected.code
    assert done.stdout == expected.out
    assert json.loads(done.stdout)["summary"]["entities"] > 0


def test_the_console_writes_the_whole_output_file(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = console("check", REFERENCE, "--format", "sarif", "-o", report, "--as-of", "2026-11-26")
    assert done.returncode in (0, 1)
    assert json.loads(report.read_text(encoding="utf-8"))["runs"]


def test_the_console_reports_invalid_input_with_exit_2(tmp_path: Path) -> None:
    model = tmp_path / "archlint.yaml"
    model.write_text("version: 1\nservices: [\n", encoding="utf-8")
    done = console("check", model)
    assert done.returncode == 2
    assert f"{model}:" in done.stderr


PLUGIN_PROBE = """
import importlib.metadata, sys
scan = importlib.metadata.entry_points
def reporting_scan(*args, **kwargs):
    print("scanned", kwargs.get("group"), file=sys.stderr)
    return scan(*args, **kwargs)
importlib.metadata.entry_points = reporting_scan
sys.argv = ["archlint", "check", sys.argv[1]]
from archlint.cli import console
console()
"""


def test_the_console_does_not_scan_for_pydantic_plugins() -> None:
    def run(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PLUGIN_PROBE, str(REFERENCE)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=environment,
        )

    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = run(environment)
    assert done.returncode == 0 and "scanned pydantic" not in done.stderr
    # A value the user set stays: here, plugins enabled.
    done = run({**environment, "PYDANTIC_DISABLE_PLUGINS": ""})
    assert done.returncode == 0 and "scanned pydantic" in done.stderr


# Appended to a rule pack's module: work it asks the end of the process to do.
AT_EXIT = """
import atexit
import threading
import time
from pathlib import Path

OUT = Path(__file__).parent / "exit.txt"


def late_word() -> None:
    time.sleep(0.3)
    with OUT.open("a") as stream:
        stream.write("thread\\n")


atexit.register(lambda: OUT.open("a").write("atexit\\n"))
"""


@pytest.mark.parametrize(
    ("start", "written"),
    [("", ["atexit"]), ("threading.Thread(target=late_word).start()", ["thread", "atexit"])],
)
def test_a_rule_packs_exit_work_still_happens(
    tmp_path: Path, start: str, written: list[str]
) -> None:
    # The console leaves without the interpreter's teardown, but not without
    # what a rule pack registered with atexit, nor before its threads end.
    (tmp_path / "no_nas.py").write_text(NAS_RULE + AT_EXIT + start + "\n", encoding="utf-8")
    done = console("check", REFERENCE, "--rules", tmp_path, "--exit-zero", "--as-of", "2026-11-26")
    assert (done.returncode, done.stderr) == (0, "")
    assert (tmp_path / "exit.txt").read_text(encoding="utf-8").splitlines() == written


HOMELAB = REFERENCE.parent / "homelab"


def test_the_console_prints_a_json_report_with_findings_as_in_process(
    archlint: Callable[..., Run],
) -> None:
    # The console writes a check's JSON report as bytes (archlint.reporters.json_report.document).
    args = ("check", HOMELAB, "--format", "json", "--as-of", "2026-11-26")
    done = console(*args)
    expected = archlint(*args)
    assert (done.returncode, done.stdout) == (expected.code, expected.out)
    assert expected.code == 1
    assert json.loads(done.stdout)["summary"]["waived"] == 1


HOLD_PROBE = """
import atexit, sys
import archlint.cli
atexit.register(lambda: print("held", archlint.cli.held_to_exit, file=sys.stderr))
sys.argv = ["archlint", "check", *sys.argv[1:], "--format", "json", "--as-of", "2026-11-26"]
archlint.cli.console()
"""


def test_the_console_holds_one_model_until_the_process_ends(
    archlint: Callable[..., Run],
) -> None:
    def held(*models: Path) -> int:
        done = subprocess.run(
            [sys.executable, "-c", HOLD_PROBE, *map(str, models)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        lines = [line for line in done.stderr.splitlines() if line.startswith("held")]
        assert len(lines) == 1, done.stderr
        return lines[0].count("<archlint.analysis.facts.Facts object")

    assert held(HOMELAB) == 1
    # Of several models, each is freed before the next is read: one in memory at a time.
    assert held(REFERENCE, HOMELAB) == 0
    # In-process, the command frees what it made as usual.
    archlint("check", REFERENCE, "--as-of", "2026-11-26")
    assert cli.held_to_exit is None
