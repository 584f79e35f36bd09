"""Trusted inputs (configuration, baselines, option values) may be wrong, but they
never crash or hang archlint: each mistake is one clear line and exit code 2."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MODEL = """\
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
"""


@pytest.fixture
def model(write: Callable[..., Path]) -> Path:
    return write(MODEL)


def assert_usage_error(run: Run, *words: str) -> None:
    assert run.code == 2, run
    assert "internal error" not in run.err
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("archlint: error: ")
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[" * 1000 + "]" * 1000, "nested too deeply"),
        ('{"version": 1, "findings": [], "x": ' + "9" * 5000 + "}", "number too long"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
    ids=["deep", "long-number", "not-utf8"],
)
def test_a_broken_baseline_is_one_error(
    archlint: Callable[..., Run],
    model: Path,
    tmp_path: Path,
    content: str | bytes,
    expected: str,
) -> None:
    baseline = tmp_path / "baseline.json"
    if isinstance(content, bytes):
        baseline.write_bytes(content)
    else:
        baseline.write_text(content)
    assert_usage_error(archlint("check", model, "--baseline", baseline), expected)


def test_a_baseline_that_is_a_fifo_is_refused_without_waiting(
    archlint: Callable[..., Run], model: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    assert_usage_error(archlint("check", model, "--baseline", fifo), "not a regular file")


def test_a_baseline_linked_to_an_endless_device_is_refused(
    archlint: Callable[..., Run], model: Path, tmp_path: Path
) -> None:
    link = tmp_path / "baseline.json"
    link.symlink_to("/dev/zero")
    assert_usage_error(archlint("check", model, "--baseline", link), "not a regular file")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'fail-on = "\xff"\n', "not UTF-8"),
        (("a = " + "[" * 900 + "]" * 900 + "\n").encode(), "nested too deeply"),
        (("a = " + "9" * 5000 + "\n").encode(), "number too long"),
        (b'max-model-size = "999999999999999999999999PiB"\n', "larger than archlint reads"),
    ],
    ids=["not-utf8", "deep", "long-number", "huge-size"],
)
def test_a_broken_configuration_is_one_error(
    archlint: Callable[..., Run], model: Path, tmp_path: Path, content: bytes, expected: str
) -> None:
    config = tmp_path / "archlint.toml"
    config.write_bytes(content)
    assert_usage_error(archlint("check", model, "--config", config), expected)


def test_a_huge_max_model_size_option_is_one_error(
    archlint: Callable[..., Run], model: Path
) -> None:
    run = archlint("check", model, "--max-model-size", "999999999999999999999999PiB")
    assert_usage_error(run, "larger than archlint reads")


def test_a_rule_pack_that_fails_to_import_is_one_error(
    archlint: Callable[..., Run], model: Path, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "broken.py").write_text('raise RuntimeError("not a rule")\n')
    run = archlint("check", model, "--rules", pack)
    assert_usage_error(run, "broken.py", "failed to load", "RuntimeError: not a rule")
