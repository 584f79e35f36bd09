"""Where output goes: `-o` replaces regular files atomically and keeps their mode,
writes to devices and FIFOs in place, follows links, and never overwrites the
model; a closed or full stdout, or a closed stderr, is an error with exit code 2."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

MODEL = """\
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
"""
INVALID = "archlint: 1\nhosts:\n  nas: {kind: nas, in: nowhere}\n"


def run_command(*args: str | Path, **streams: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archlint", *map(str, args)],
        text=True,
        check=False,
        timeout=60,
        **streams,  # type: ignore[call-overload]
    )


def test_an_existing_report_keeps_its_mode(
    archlint: Callable[..., Run], write: Callable[..., Path], tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_text("old")
    report.chmod(0o640)
    run = archlint("check", write(MODEL), "--format", "json", "-o", report)
    assert run.code == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert '"findings"' in report.read_text()


def test_output_to_a_device_writes_to_it_and_leaves_it_a_device(
    archlint: Callable[..., Run], write: Callable[..., Path]
) -> None:
    run = archlint("check", write(MODEL), "-o", "/dev/null")
    assert run.code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_fifo_writes_into_it(
    archlint: Callable[..., Run], write: Callable[..., Path], tmp_path: Path
) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    run = archlint("check", write(MODEL), "-o", fifo)
    reader.join(timeout=30)
    assert run.code == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert "No findings" in received[0]


def test_output_through_a_link_writes_the_linked_file(
    archlint: Callable[..., Run], write: Callable[..., Path], tmp_path: Path
) -> None:
    real = tmp_path / "real.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert archlint("check", write(MODEL), "-o", link).code == 0
    assert link.is_symlink()
    assert "No findings" in real.read_text()


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_output_never_overwrites_a_model_file(
    archlint: Callable[..., Run], write: Callable[..., Path], option: str
) -> None:
    model = write(MODEL)
    run = archlint("check", model, option, model)
    assert run.code == 2
    assert "one of the model's files" in run.err
    assert model.read_text() == MODEL


@pytest.mark.parametrize(
    ("name", "expected"),
    [("", "the file name is empty"), ("x" * 300, "File name too long")],
    ids=["empty", "too-long"],
)
def test_a_bad_output_name_is_one_error(
    archlint: Callable[..., Run], write: Callable[..., Path], name: str, expected: str
) -> None:
    run = archlint("check", write(MODEL), "-o", name)
    assert run.code == 2
    assert expected in run.err
    assert "internal error" not in run.err


def test_a_closed_stdout_is_an_error(write: Callable[..., Path]) -> None:
    done = run_command("check", write(MODEL), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert done.returncode == 0
    closed = subprocess.run(
        f'"{sys.executable}" -m archlint check "{write(MODEL)}" >&-',
        shell=True,
        text=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        check=False,
        timeout=60,
    )
    assert closed.returncode == 2
    assert "standard output is closed" in closed.stderr


def test_a_full_stdout_is_an_error(write: Callable[..., Path]) -> None:
    with open("/dev/full", "w") as full:
        done = run_command("check", write(MODEL), stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert "No space left on device" in done.stderr
    assert "internal error" not in done.stderr


def test_an_invalid_model_exits_2_when_stderr_is_closed(write: Callable[..., Path]) -> None:
    model = write(INVALID)
    closed = subprocess.run(
        f'"{sys.executable}" -m archlint check "{model}" 2>&-',
        shell=True,
        stdout=subprocess.DEVNULL,
        check=False,
        timeout=60,
    )
    assert closed.returncode == 2


def test_an_invalid_model_exits_2_when_the_stderr_reader_has_gone(
    write: Callable[..., Path],
) -> None:
    model = write(INVALID * 1)
    piped = subprocess.run(
        f'"{sys.executable}" -m archlint check "{model}" 2>&1 >/dev/null | true; '
        'exit "${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        check=False,
        timeout=60,
    )
    assert piped.returncode == 2


class Recording(io.BytesIO):
    """A binary stream that records the size of each write."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data: Any) -> int:
        self.sizes.append(len(data))
        return super().write(data)


@pytest.mark.parametrize("kind", [str, bytes])
def test_a_large_output_is_written_whole_in_parts(kind: type) -> None:
    from archlint.cli.output import PART_CHARS, write_encoded

    text = "".join(f"{n:09d}\n" for n in range(PART_CHARS * 5 // 20))  # 2.5 parts
    stream = Recording()
    write_encoded(stream, text if kind is str else text.encode())
    assert stream.getvalue() == text.encode()
    assert stream.sizes == [PART_CHARS, PART_CHARS, len(text) - 2 * PART_CHARS]
