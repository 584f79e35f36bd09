"""The README's example model gives exactly the output the README shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

README = Path(__file__).resolve().parent.parent / "README.md"


def block(language: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"```{language}\n(.*?)```", text, re.DOTALL)
    assert found is not None, f"no {language} block in the README"
    return found.group(1)


def test_readme_example_output(
    archlint: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "photos.yaml").write_text(block("yaml"), encoding="utf-8")
    command, *expected = block("console").splitlines()
    assert command == "$ archlint check photos.yaml"
    monkeypatch.chdir(tmp_path)
    run = archlint("check", "photos.yaml", "--as-of", "2026-11-26")
    assert run.code == 1
    assert run.out.splitlines() == expected
