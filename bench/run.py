"""Benchmark: `archlint check --format json` as a command, across model sizes.

Usage: python bench/run.py [--quick] [--sizes 1000,3000,...] [--repeat N] [--json FILE]

For each size, generates the model with bench/generate.py (cached in a
temporary directory for the run), then runs, each in its own child process
and `--repeat` times (default 3), alternating the two so that a change in the
machine's load falls on both alike:

- the command a user runs, `archlint check MODEL --format json`, measuring
  wall time, CPU time (user + system) and peak memory (maximum resident set
  size) from the child's resource usage (os.wait4);
- the floor: PyYAML's C loader (`yaml.load` with CSafeLoader, garbage
  collector disabled) reading the same file, measured the same way.

Each figure is the median of its runs; the table also gives the range of the
check's wall times, which shows how noisy the machine was. Prints one table
row per size and the growth exponent of wall and CPU time
(the slope of log time against log size between the smallest and the largest
model). `--json FILE` writes the figures for bench/plot.py. `--quick` runs the
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

FLOOR = """
import gc, sys, yaml
gc.disable()
with open(sys.argv[1], "rb") as stream:
    yaml.load(stream, Loader=yaml.CSafeLoader)
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
    check_walls: tuple[float, ...] = ()  # every run's, fastest first
    floor_walls: tuple[float, ...] = ()


def median_usage(usages: list[Usage]) -> Usage:
    return Usage(
        statistics.median(usage.wall for usage in usages),
        statistics.median(usage.cpu for usage in usages),
        statistics.median(usage.peak_mb for usage in usages),
    )


def measure(command: list[str], output: Path) -> tuple[Usage, int]:
    """Run `command` with stdout to `output`; its wall time, CPU time and peak memory."""
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


def bench_size(services: int, directory: Path, runs: int) -> Row:
    model = directory / f"model-{services}.yaml"
    if not model.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(services), str(model)], check=True
        )
    report = directory / f"report-{services}.json"
    check_command = [
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
    checks: list[Usage] = []
    floors: list[Usage] = []
    for _run in range(runs):
        check, code = measure(check_command, report)
        if code not in (0, 1):
            raise SystemExit(f"archlint check exited {code} on {model}")
        json.loads(report.read_text(encoding="utf-8"))
        checks.append(check)
        floor, _ = measure([sys.executable, "-c", FLOOR, str(model)], directory / "floor.out")
        floors.append(floor)
    return Row(
        services,
        model.stat().st_size / 1e6,
        median_usage(checks),
        median_usage(floors),
        code,
        runs,
        tuple(sorted(usage.wall for usage in checks)),
        tuple(sorted(usage.wall for usage in floors)),
    )


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
            f" {row.check_walls[0]:>6.2f}-{row.check_walls[-1]:<6.2f}"
        )
    print(f"median of {rows[0].runs} run(s) per figure")
    if len(rows) > 1:
        print(
            f"growth exponent: wall {exponent(rows, 'wall'):.2f}, cpu {exponent(rows, 'cpu'):.2f}"
        )
    by_size = {row.services: row for row in rows}
    if 10_000 in by_size and 100_000 in by_size:
        small, large = by_size[10_000].check, by_size[100_000].check
        print(
            f"100,000 / 10,000 services: wall {large.wall / small.wall:.1f}x,"
            f" cpu {large.cpu / small.cpu:.1f}x (target: at most 11x)"
        )


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
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="archlint-bench-") as directory:
        for services in sizes:
            rows.append(bench_size(services, Path(directory), max(1, arguments.repeat)))
            row = rows[-1]
            print(
                f"  {services} services: {row.check.cpu:.2f} s CPU, {row.check.peak_mb:.0f} MB",
                file=sys.stderr,
            )
    print_table(rows)
    if arguments.json is not None:
        arguments.json.write_text(
            json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
