"""The console script: the same output and exit code as the in-process command line,
although it leaves without the interpreter's teardown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

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
