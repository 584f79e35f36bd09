"""The console script: the same output and exit code as the in-process command line,
although it leaves without the interpreter's teardown."""

from __future__ import annotations

import json
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
