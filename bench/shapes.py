"""Benchmark: the model shapes that once needed a big machine, at growing sizes.

Usage: python bench/shapes.py [--quick] [SHAPE...]

Each shape is a small model that grows along one axis: a long chain of `copy`
backups, aliases repeated across many files, chains and cycles of keys,
dependency chains for `plan` and `simulate`, a dependency knot with many ways
back, many distinct cron schedules, one key kept on thousands of hosts. Every
size runs the real command in a fresh process, and the table shows its wall
time and peak memory (the process's maximum resident set size) and, per shape,
the growth exponent between the two largest sizes: 1.0 is linear, 2.0
quadratic. The tests of these shapes count steps instead (tests/steps.py): wall
times belong here, where a loaded machine shows as noise, not as a failure.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEADER = (
    "archlint: 1\ndomains:\n  home: {kind: site}\n  away: {kind: site}\n  alice: {kind: person}\n"
)


def copy_chain(directory: Path, hops: int) -> list[str]:
    """200 datastores backed up into r0, then r0 -> r1 -> ... -> r{hops} by `copy`."""
    lines = [HEADER, "hosts:\n  app: {kind: server, in: home}\n  nas: {kind: nas, in: away}\n"]
    lines.append("keys:\n  pass: {kind: passphrase, stored_in: [alice]}\n")
    lines.append("datastores:\n")
    lines += [f"  d{n}: {{kind: files, host: app, path: /d{n}}}\n" for n in range(200)]
    lines.append("repositories:\n")
    lines += [f"  r{n}: {{tool: restic, host: nas, key: pass}}\n" for n in range(hops + 1)]
    lines.append("backups:\n")
    lines += [
        f"  b{n}: {{source: d{n}, target: r0, method: file, schedule: daily}}\n" for n in range(200)
    ]
    lines += [
        f"  c{n}: {{source: r{n}, target: r{n + 1}, method: copy, schedule: daily}}\n"
        for n in range(hops)
    ]
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


def aliases_across_files(directory: Path, files: int) -> list[str]:
    """`files` files, each aliasing a 1,000-item tag list 99 times."""
    (directory / "root.yaml").write_text(HEADER + "hosts:\n  nas: {kind: nas, in: home}\n")
    items = ", ".join(f"t{n}" for n in range(1000))
    for number in range(files):
        lines = [f"datastores:\n  f{number}-0: {{kind: files, host: nas, tags: &t [{items}]}}\n"]
        lines += [f"  f{number}-{n}: {{kind: files, host: nas, tags: *t}}\n" for n in range(1, 100)]
        (directory / f"part{number:04}.yaml").write_text("".join(lines))
    return ["check", str(directory)]


def key_chain(directory: Path, length: int) -> list[str]:
    """Key k{n} is kept in datastore v{n}, which is encrypted with key k{n+1}."""
    lines = [HEADER, "hosts:\n  nas: {kind: nas, in: home}\n", "keys:\n"]
    lines += [f"  k{n}: {{kind: passphrase, stored_in: [v{n}]}}\n" for n in range(length)]
    lines.append(f"  k{length}: {{kind: passphrase, stored_in: [alice]}}\n")
    lines.append("datastores:\n")
    lines += [f"  v{n}: {{kind: secrets, host: nas, key: k{n + 1}}}\n" for n in range(length)]
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


def key_cycle(directory: Path, length: int) -> list[str]:
    """Like key_chain, but the last vault is encrypted with the first key: a cycle."""
    lines = [HEADER, "hosts:\n  nas: {kind: nas, in: home}\n", "keys:\n"]
    lines += [f"  k{n}: {{kind: passphrase, stored_in: [v{n}]}}\n" for n in range(length)]
    lines.append("datastores:\n")
    lines += [
        f"  v{n}: {{kind: secrets, host: nas, key: k{(n + 1) % length}}}\n" for n in range(length)
    ]
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


def dependency_chain(directory: Path, length: int, command: str) -> list[str]:
    """Service s{n} depends on s{n-1}; every service has one backed-up datastore."""
    lines = [HEADER, "hosts:\n  app: {kind: server, in: home}\n  nas: {kind: nas, in: away}\n"]
    lines.append("services:\n")
    lines += [
        f"  s{n}: {{host: app, data: [d{n}], depends_on: [{f's{n - 1}' if n else ''}]}}\n"
        for n in range(length)
    ]
    lines.append("datastores:\n")
    lines += [f"  d{n}: {{kind: files, host: app, path: /d{n}}}\n" for n in range(length)]
    lines.append("repositories:\n  r: {tool: restic, host: nas}\nbackups:\n")
    lines += [
        f"  b{n}: {{source: d{n}, target: r, method: file, schedule: daily}}\n"
        for n in range(length)
    ]
    (directory / "model.yaml").write_text("".join(lines))
    path = str(directory / "model.yaml")
    return ["simulate", path, "--lose", "app"] if command == "simulate" else ["plan", path]


def knot_needs(count: int) -> Callable[[int], list[int]]:
    """Among `count` services: s0 needs the first half, each of those needs the one
    after the half, and a chain leads from there back to s0 (many ways back)."""
    half = count // 2

    def needs(n: int) -> list[int]:
        if n == 0:
            return list(range(1, half + 1))
        return [half + 1] if n <= half else [(n + 1) % count]

    return needs


def dependency_knot(directory: Path, count: int) -> list[str]:
    """`count` services tied in one knot by knot_needs, on one host."""
    lines = [HEADER, "hosts:\n  app: {kind: server, in: home}\nservices:\n"]
    for n in range(count):
        named = ", ".join(f"s{m}" for m in knot_needs(count)(n))
        lines.append(f"  s{n}: {{host: app, depends_on: [{named}]}}\n")
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


def distinct_schedules(directory: Path, count: int) -> list[str]:
    """`count` backups whose cron schedules all run on different days, then one invalid field.

    The days of the month of schedule n are the bits of n + 1, so no two share a
    day pattern (a cache of patterns cannot help), and every one runs: the
    unknown field of the last backup is the model's only error.
    """
    lines = [HEADER, "hosts:\n  app: {kind: server, in: home}\n  nas: {kind: nas, in: away}\n"]
    lines.append("datastores:\n  d: {kind: files, host: app, path: /d}\n")
    lines.append("repositories:\n  r: {tool: restic, host: nas}\nbackups:\n")
    for n in range(count):
        days = ",".join(str(day + 1) for day in range(28) if (n + 1) >> day & 1)
        lines.append(
            f"  b{n}: {{source: d, target: r, method: file, "
            f"schedule: '{n % 60} {n // 60 % 24} {days} * *'}}\n"
        )
    lines.append("  broken: {source: d, target: r, method: file, schedule: daily, colour: red}\n")
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


def key_on_every_host(directory: Path, hosts: int) -> list[str]:
    """One repository passphrase kept on every client host that backs up to it."""
    lines = [HEADER, "hosts:\n  nas: {kind: nas, in: away}\n"]
    lines += [f"  h{n}: {{kind: server, in: home}}\n" for n in range(hosts)]
    lines.append("datastores:\n")
    lines += [f"  d{n}: {{kind: files, host: h{n}, path: /d}}\n" for n in range(hosts)]
    stored = ", ".join(f"h{n}" for n in range(hosts))
    lines.append(f"keys:\n  pass: {{kind: passphrase, stored_in: [{stored}]}}\n")
    lines.append("repositories:\n  r: {tool: restic, host: nas, key: pass}\nbackups:\n")
    lines += [
        f"  b{n}: {{source: d{n}, target: r, method: file, schedule: daily}}\n"
        for n in range(hosts)
    ]
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


@dataclass(frozen=True)
class Shape:
    name: str
    build: Callable[[Path, int], list[str]]
    sizes: tuple[int, ...]
    quick: tuple[int, ...]


def underscores_on_one_line(directory: Path, count: int) -> list[str]:
    """One description of `count` blank-separated underscores on one line: each one
    makes the fast loader ask whether a number with underscores starts there."""
    lines = [HEADER, f'hosts:\n  nas: {{kind: nas, in: home, description: "{"  _" * count}"}}\n']
    (directory / "model.yaml").write_text("".join(lines))
    return ["check", str(directory / "model.yaml")]


SHAPES = (
    Shape("copy-chain", copy_chain, (250, 500, 1000, 2000), (100, 200)),
    Shape("aliases-across-files", aliases_across_files, (10, 25, 50), (5, 10)),
    Shape("key-chain", key_chain, (330, 1000, 3000), (100, 330)),
    Shape("key-cycle", key_cycle, (500, 1500, 4500), (100, 500)),
    Shape(
        "plan-chain",
        lambda directory, n: dependency_chain(directory, n, "plan"),
        (2500, 5000, 10000),
        (500, 1000),
    ),
    Shape(
        "simulate-chain",
        lambda directory, n: dependency_chain(directory, n, "simulate"),
        (2500, 5000, 10000),
        (500, 1000),
    ),
    Shape("dependency-knot", dependency_knot, (750, 1500, 3000), (250, 500)),
    Shape("distinct-schedules", distinct_schedules, (5000, 10000, 20000), (1000, 2000)),
    Shape("key-on-every-host", key_on_every_host, (2000, 4000, 8000), (500, 1000)),
    Shape(
        "underscores-on-one-line", underscores_on_one_line, (40000, 80000, 160000), (10000, 20000)
    ),
)


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mib: float
    code: int
    output_bytes: int


def measure(arguments: list[str]) -> Measure:
    """Run archlint in a fresh process; its own rusage gives the peak memory."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "archlint", *arguments],
            stdout=output,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        size = output.seek(0, os.SEEK_END)
    code = os.waitstatus_to_exitcode(status)
    return Measure(seconds, usage.ru_maxrss / 1024, code, size)


def exponent(small: tuple[int, Measure], large: tuple[int, Measure]) -> float:
    return math.log(large[1].seconds / small[1].seconds) / math.log(large[0] / small[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument("shapes", nargs="*", help="shapes to run (default: all)")
    options = parser.parse_args()
    chosen = [shape for shape in SHAPES if not options.shapes or shape.name in options.shapes]
    print(f"{'shape':<22} {'size':>6} {'seconds':>8} {'peak MiB':>9} {'exit':>4} {'output':>9}")
    for shape in chosen:
        results: list[tuple[int, Measure]] = []
        for size in shape.quick if options.quick else shape.sizes:
            with tempfile.TemporaryDirectory() as directory:
                result = measure(shape.build(Path(directory), size))
            results.append((size, result))
            print(
                f"{shape.name:<22} {size:>6} {result.seconds:>8.2f} {result.peak_mib:>9.0f} "
                f"{result.code:>4} {result.output_bytes:>9}",
                flush=True,
            )
        print(f"{shape.name:<22} growth exponent (time): {exponent(results[-2], results[-1]):.2f}")


if __name__ == "__main__":
    main()
