"""Benchmark: `archlint check --format json` as a command, across model sizes.

Usage: python bench/run.py [--quick] [--sizes 1000,3000,...] [--repeat N] [--json FILE]

Generates a model of each size with bench/generate.py (in a temporary
directory for the run), then runs `--repeat` rounds (default 3). A round runs
every size once, and for each size, each in its own child process, the check
then the floor, so that a change in the machine's speed during the benchmark
falls on the check and the floor, and on every size, alike:

- the command a user runs, `archlint check MODEL --format json`, measuring
  wall time, CPU time (user + system) and peak memory (maximum resident set
  size) from the child's resource usage (os.wait4);
- the floor: PyYAML's C loader (`yaml.load` with CSafeLoader, garbage
  collector disabled) reading the same file, measured the same way.

Each figure is the median of its runs; the table also gives the range of the
check's wall times, which shows how noisy the machine was. Prints one table
row per size, the growth exponent of wall and CPU time (the slope of log time
against log size between the smallest and the largest model) and, with both
sizes, the 100,000/10,000-service ratio of each round and their median, for
the check and for the floor. `--json FILE` writes the figures for bench/plot.py. `--quick` runs the
CI-sized models (1,000 and 3,000 services). Figures vary with the machine and
its load; compare the command with the floor measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-26"
FULL_SIZES = (1_000, 3_000, 10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 3_000)
SETTLE_SECONDS = 1.0  # before each measured run: see measure

FLOOR = """
import gc, sys, yaml
gc.disable()
with open(sys.argv[1], "rb") as stream:
    yaml.load(stream, Loader=yaml.CSafeLoader)
"""

PARSES = """
import json, sys
with open(sys.argv[1], "rb") as stream:
    json.load(stream)
"""


@dataclass(frozen=True)
class Usage:
    """What one child process cost."""

    wall: float
    cpu: float
    peak_mb: float


@dataclass(frozen=True)
class Row:
    services: int
    megabytes: float
    check: Usage  # the median of each figure over the runs
    floor: Usage
    exit_code: int
    runs: int = 1
    check_walls: tuple[float, ...] = ()  # every run's, in the order of the rounds
    floor_walls: tuple[float, ...] = ()


def median_usage(usages: list[Usage]) -> Usage:
    return Usage(
        statistics.median(usage.wall for usage in usages),
        statistics.median(usage.cpu for usage in usages),
        statistics.median(usage.peak_mb for usage in usages),
    )


def measure(command: list[str], output: Path) -> tuple[Usage, int]:
    """Run `command` with stdout to `output`; its wall time, CPU time and peak memory."""
    # The system is still taking back the memory of the last child (1.5 GB for the
    # largest models) for a moment after it ends, and a process started then runs
    # slower: a 1,000-service check took 0.57 s right after the 100,000-service
    # floor, and 0.36 s one second later.
    time.sleep(SETTLE_SECONDS)
    started = time.perf_counter()
    with output.open("wb") as stream:
        process = subprocess.Popen(command, stdout=stream)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux.
    return Usage(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), process.returncode


def archlint_command() -> list[str]:
    return [sys.executable, "-m", "archlint"]


def generated_model(services: int, directory: Path) -> Path:
    model = directory / f"model-{services}.yaml"
    if not model.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(services), str(model)], check=True
        )
    return model


def check_command(model: Path) -> list[str]:
    return [
        *archlint_command(),
        "check",
        str(model),
        "--format",
        "json",
        "--as-of",
        AS_OF,
        # The 100,000-service model is about 100 MB, above the default limit.
        "--max-model-size",
        "1GiB",
    ]


def run_once(model: Path, directory: Path) -> tuple[Usage, Usage, int]:
    """One run of the check on the model, then one of the floor: their usages, and the
    check's exit code."""
    report = directory / f"report-{model.stem}.json"
    check, code = measure(check_command(model), report)
    if code not in (0, 1):
        raise SystemExit(f"archlint check exited {code} on {model}")
    # The report must parse. Parsed in a child of its own: the objects of a large
    # report would stay in this process's memory, and a child forked from it starts
    # with its peak memory (ru_maxrss) as its own.
    subprocess.run([sys.executable, "-c", PARSES, str(report)], check=True)
    floor, _ = measure([sys.executable, "-c", FLOOR, str(model)], directory / "floor.out")
    return check, floor, code


def bench(sizes: tuple[int, ...], directory: Path, runs: int) -> list[Row]:
    """Every size `runs` times, in rounds: each round runs every size once, so that a
    change in the machine's speed during the benchmark falls on every size alike (a
    ratio of two sizes measured minutes apart would otherwise measure the machine)."""
    models = {services: generated_model(services, directory) for services in sizes}
    checks: dict[int, list[Usage]] = {services: [] for services in sizes}
    floors: dict[int, list[Usage]] = {services: [] for services in sizes}
    codes: dict[int, int] = {}
    for round_number in range(1, runs + 1):
        for services in sizes:
            check, floor, codes[services] = run_once(models[services], directory)
            checks[services].append(check)
            floors[services].append(floor)
            print(
                f"  round {round_number}, {services} services: {check.wall:.2f} s,"
                f" {check.peak_mb:.0f} MB (floor {floor.wall:.2f} s)",
                file=sys.stderr,
            )
    return [
        Row(
            services,
            models[services].stat().st_size / 1e6,
            median_usage(checks[services]),
            median_usage(floors[services]),
            codes[services],
            runs,
            tuple(usage.wall for usage in checks[services]),
            tuple(usage.wall for usage in floors[services]),
        )
        for services in sizes
    ]


def exponent(rows: list[Row], cost: str) -> float:
    """The slope of log(cost) against log(services) from the first to the last row."""
    first, last = rows[0], rows[-1]
    ratio = getattr(last.check, cost) / getattr(first.check, cost)
    return math.log(ratio) / math.log(last.services / first.services)


def print_table(rows: list[Row]) -> None:
    print(
        f"{'services':>9} {'MB':>6} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}"
        f" {'floor s':>8} {'floor cpu':>9} {'wall/floor':>10} {'cpu/floor':>9} {'wall range':>13}"
    )
    for row in rows:
        print(
            f"{row.services:>9} {row.megabytes:>6.1f} {row.check.wall:>8.2f} {row.check.cpu:>8.2f}"
            f" {row.check.peak_mb:>8.0f} {row.floor.wall:>8.2f} {row.floor.cpu:>9.2f}"
            f" {row.check.wall / row.floor.wall:>9.2f}x {row.check.cpu / row.floor.cpu:>8.2f}x"
            f" {min(row.check_walls):>6.2f}-{max(row.check_walls):<6.2f}"
        )
    print(f"median of {rows[0].runs} run(s) per figure")
    if len(rows) > 1:
        print(
            f"growth exponent: wall {exponent(rows, 'wall'):.2f}, cpu {exponent(rows, 'cpu'):.2f}"
        )
    by_size = {row.services: row for row in rows}
    if 10_000 in by_size and 100_000 in by_size:
        small, large = by_size[10_000], by_size[100_000]
        checks = round_ratios(large.check_walls, small.check_walls)
        floors = round_ratios(large.floor_walls, small.floor_walls)
        print(
            f"100,000 / 10,000 services: wall {statistics.median(checks):.1f}x"
            f" (target: at most 11x), the floor {statistics.median(floors):.1f}x;"
            f" medians of the rounds' own ratios (check {shown(checks)}; floor {shown(floors)})"
        )


def round_ratios(large: tuple[float, ...], small: tuple[float, ...]) -> list[float]:
    """The ratio of the two sizes' wall times in each round: measured a minute apart
    rather than the whole benchmark apart."""
    return [large_wall / small_wall for large_wall, small_wall in zip(large, small, strict=True)]


def shown(ratios: list[float]) -> str:
    return ", ".join(f"{ratio:.1f}x" for ratio in ratios)


def parse_sizes(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized models only")
    parser.add_argument("--sizes", type=parse_sizes, help="comma-separated service counts")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the check and of the floor per size"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    arguments = parser.parse_args(argv)
    sizes = arguments.sizes or (QUICK_SIZES if arguments.quick else FULL_SIZES)
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as directory:
        rows = bench(sizes, Path(directory), max(1, arguments.repeat))
    print_table(rows)
    if arguments.json is not None:
        arguments.json.write_text(
            json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
