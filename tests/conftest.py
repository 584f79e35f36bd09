"""Shared test helpers: write models to disk and run the real command line."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from archlint.analysis.facts import Facts
from archlint.cli import main
from archlint.engine.pipeline import read_model
from bench.generate import Gaps, generate
from bench.generate import write as write_model
from tests.strategies import register_profiles

AS_OF = date(2026, 11, 26)

# Hypothesis budgets: few examples by default, many with --hypothesis-profile=long.
register_profiles()


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(text) -> path of a model file; write(text, name="x.yaml") for more files."""

    def write_file(text: str, name: str = "archlint.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def archlint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Run]:
    """Run `archlint ARGS...` in-process through the console script's entry point."""

    def run(*args: str | Path) -> Run:
        monkeypatch.setattr(sys, "argv", ["archlint", *map(str, args)])
        monkeypatch.delenv("NO_COLOR", raising=False)
        with pytest.raises(SystemExit) as stop:
            main()
        captured = capsys.readouterr()
        code = stop.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)

    return run


def facts_of(path: Path, as_of: date = AS_OF) -> Facts:
    return Facts(read_model(path), as_of)


def bench_model_file(directory: Path, services: int = 300, gaps: Gaps | None = None) -> Path:
    """A model of bench/generate.py, written as archlint.yaml in `directory`: the shape
    of a large estate (storage classes shared by many datastores, ids whose order is not
    the model's) at a size a test can check."""
    out = io.StringIO()
    write_model(out, services, generate(services, gaps or Gaps()))
    path = directory / "archlint.yaml"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def bench_facts(directory: Path, services: int = 300, gaps: Gaps | None = None) -> Facts:
    return facts_of(bench_model_file(directory, services, gaps))
