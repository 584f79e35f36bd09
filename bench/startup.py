"""Benchmark: the wall time of small checks and of cache hits, start-up included.

Usage: python bench/startup.py [--runs N] [--services N]

Runs `archlint` as a user does (the console script beside this Python, else
`python -m archlint`, with bytecode caching on even where the shell sets
PYTHONDONTWRITEBYTECODE, which would compile every module at every start) and
prints the best wall time and the best CPU time (user + system) of N runs
(default 5) of:
the bare interpreter, `archlint --version`, a fresh check of models/reference,
a cache hit of it, and a cache hit of a generated model of --services
services (default 10,000; generated with bench/generate.py into a temporary
directory and checked once to fill the cache). The best of N, because the
figures of a shared machine vary with its load; they are start-up costs, so
compare them with the bare interpreter's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "models" / "reference"
AS_OF = "2026-11-26"


def archlint_command() -> list[str]:
    script = Path(sys.executable).parent / "archlint"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "archlint"]


# As an installed archlint runs: its modules' bytecode is cached.
ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"
}


def best_times(command: list[str], runs: int) -> tuple[float, float]:
    """The shortest wall time and CPU time of `runs` runs of `command` (output discarded)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT
        )
        _, _, usage = os.wait4(process.pid, 0)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, usage.ru_utime + usage.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", type=int, default=10_000)
    options = parser.parse_args()
    archlint = archlint_command()
    with tempfile.TemporaryDirectory() as scratch:
        cache = str(Path(scratch) / "cache")
        model = Path(scratch) / f"m{options.services}.yaml"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(options.services), str(model)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        reference = [*archlint, "check", str(REFERENCE), "--as-of", AS_OF]
        large = [*archlint, "check", str(model), "--as-of", AS_OF, "--cache", cache]
        for warm in ([*reference, "--cache", cache], large):
            subprocess.run(warm, stdout=subprocess.DEVNULL, check=False, env=ENVIRONMENT)
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("archlint --version", [*archlint, "--version"]),
            ("check models/reference", reference),
            ("cache hit, models/reference", [*reference, "--cache", cache]),
            (f"cache hit, {options.services:,} services", large),
        ]
        print(f"best of {options.runs} runs ({os.cpu_count()} cores):   wall      CPU")
        for label, command in cases:
            wall, cpu = best_times(command, options.runs)
            print(f"  {label:<32} {wall:6.3f} s {cpu:6.3f} s")


if __name__ == "__main__":
    main()
