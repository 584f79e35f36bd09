"""A plain `pip install .` into a fresh virtual environment carries every rule."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

from archlint.engine.rulepack import load_rules

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_install_runs_every_rule(tmp_path: Path) -> None:
    source = tmp_path / "source"
    # Copy the tree so the build never writes into the checkout under test.
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "build", "__pycache__"),
    )
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    archlint = environment / "bin" / "archlint"
    listed = subprocess.run(
        [archlint, "rules"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[1] for line in listed.stdout.splitlines()] == [
        rule.name for rule in load_rules()
    ]
    where = subprocess.run(
        [python, "-c", "import archlint.builtin_rules as p; print(p.__path__[0])"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert str(environment) in where.stdout, "the rules must come from the installed wheel"
    for rule in load_rules():
        example = tmp_path / f"{rule.name}.yaml"
        example.write_text(rule.failing[0].model, encoding="utf-8")
        as_of = rule.failing[0].as_of
        dated = ["--as-of", as_of.isoformat()] if as_of else []
        checked = subprocess.run(
            [archlint, "check", str(example), "--select", rule.name, *dated],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert rule.name in checked.stdout
