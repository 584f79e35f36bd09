"""Benchmark: how fast hostile models fail.

Usage: python bench/hostile.py [REPEATS]  (default 3; the best time of the repeats is shown)

Each case writes a model into a temporary directory and times
`read_model` (load and validate) in-process until it raises InvalidModel,
with the default limits; the 200,000-entity file is also timed through the
command line, as CI runs it. Every case must fail with the error shown; the
figures vary with the machine, the point is that bombs fail in well under a
second and the large file within seconds.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from archlint.engine.pipeline import read_model
from archlint.load.limits import Limits
from archlint.model.errors import InvalidModel

LIMITS = Limits()


def billion_laughs(path: Path) -> None:
    lines = ["archlint: 1", 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    path.write_text("\n".join(lines) + "\n")


def deep_nesting(path: Path) -> None:
    path.write_text("archlint: 1\nx: " + "[" * 10_000 + "\n")


def long_string(path: Path) -> None:
    path.write_text(f"archlint: 1\nx: '{'x' * (LIMITS.max_scalar_chars + 1)}'\n")


def longest_string_under_the_size_limit(path: Path) -> None:
    # One string that fills the file: the parser reads all of it before the
    # length check can speak, so this is the slowest long string there is.
    path.write_text(f"archlint: 1\nx: '{'x' * (LIMITS.max_file_bytes - 20)}'\n")


def over_the_size_limit(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("archlint: 1\n")
        handle.write("# padding\n" * (LIMITS.max_file_bytes // 10))


def large_model_with_an_error_at_its_end(path: Path) -> None:
    lines = ["archlint: 1", "domains:"]
    lines += [f"  d{number}: {{kind: site}}" for number in range(199_999)]
    lines.append("  last: {kind: sight}")
    path.write_text("\n".join(lines) + "\n")


CASES: list[tuple[str, Callable[[Path], None]]] = [
    ("billion laughs (9 levels of 9 aliases)", billion_laughs),
    ("10,000-deep nesting", deep_nesting),
    (f"string of {LIMITS.max_scalar_chars + 1:,} characters", long_string),
    ("string filling a 32 MiB file", longest_string_under_the_size_limit),
    ("file over the size limit (32 MiB + 2)", over_the_size_limit),
    ("200,000 entities, an error at the end", large_model_with_an_error_at_its_end),
]


def best_failure_time(path: Path, repeats: int) -> tuple[float, str]:
    """The best of `repeats` times to InvalidModel, and its first error."""
    best = float("inf")
    first = ""
    for _ in range(repeats):
        started = time.perf_counter()
        try:
            read_model(path)
        except InvalidModel as invalid:
            best = min(best, time.perf_counter() - started)
            first = str(invalid.errors[0])
        else:
            raise SystemExit(f"{path}: no error, the case is wrong")
    return best, first


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for number, (label, make) in enumerate(CASES):
            path = root / f"case{number}.yaml"
            make(path)
            size = path.stat().st_size / 1e6
            seconds, error = best_failure_time(path, repeats)
            print(f"{label:<42} {size:7.2f} MB {seconds * 1000:9.1f} ms")
            print(f"{'':<42} {error.replace(str(root) + '/', '')[:100]}")
        path = root / f"case{len(CASES) - 1}.yaml"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "archlint", "check", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        print(
            f"{'the same, `archlint check` in a new process':<42} {'':>10} {seconds * 1000:9.1f} ms"
        )
        print(f"{'':<42} exit code {done.returncode}: {done.stderr.splitlines()[0][-60:]}")


if __name__ == "__main__":
    main()
