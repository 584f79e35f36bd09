"""Plot bench/run.py's figures as an SVG, and print them as a Markdown table.

Usage: python bench/plot.py FIGURES.json OUT.svg [--before BEFORE.json]

Two log-log panels against the number of services: time (the command's CPU
and wall time, and the PyYAML floor's CPU time) and peak memory. With
`--before`, the figures of an earlier run are drawn dashed. The SVG is written
by hand (no plotting library): a few lines and labels, nothing more.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 360, 260  # one panel
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 28, 40
COLOURS = {"cpu": "#1f77b4", "wall": "#2ca02c", "floor": "#7f7f7f", "memory": "#d62728"}

Rows = list[dict[str, Any]]
Series = tuple[str, str, list[tuple[float, float]], bool]  # label, colour, points, dashed


def log_scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    span = math.log10(high) - math.log10(low)
    return lambda value: start + (math.log10(value) - math.log10(low)) / span * (end - start)


def decades(low: float, high: float) -> list[float]:
    """Tick values: 1, 2, 5 times the powers of ten between low and high."""
    ticks = []
    for power in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for step in (1, 2, 5):
            value = step * 10.0**power
            if low <= value <= high:
                ticks.append(value)
    return ticks


def label(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def panel(x0: float, title: str, unit: str, services: Sequence[int], series: list[Series]) -> str:
    values = [y for _label, _colour, points, _dashed in series for _x, y in points]
    low, high = min(values) / 1.5, max(values) * 1.5
    x = log_scale(min(services) / 1.3, max(services) * 1.3, x0 + LEFT, x0 + WIDTH - RIGHT)
    y = log_scale(low, high, HEIGHT - BOTTOM, TOP)
    parts = [
        f'<text x="{x0 + WIDTH / 2}" y="16" text-anchor="middle" font-weight="bold">'
        f"{escape(title)}</text>",
        f'<rect x="{x0 + LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{HEIGHT - TOP - BOTTOM}" fill="none" stroke="#999"/>',
    ]
    for tick in decades(low, high):
        parts.append(
            f'<line x1="{x0 + LEFT}" x2="{x0 + WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="#eee"/>'
            f'<text x="{x0 + LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{label(tick)}</text>"
        )
    for count in services:
        parts.append(
            f'<text x="{x(count):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle">'
            f"{label(count)}</text>"
        )
    parts.append(
        f'<text x="{x0 + WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle">services</text>'
        f'<text x="{x0 + 14}" y="{TOP + (HEIGHT - TOP - BOTTOM) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 {x0 + 14} {TOP + (HEIGHT - TOP - BOTTOM) / 2})">'
        f"{escape(unit)}</text>"
    )
    for index, (name, colour, points, dashed) in enumerate(series):
        path = " ".join(f"{x(px):.1f},{y(py):.1f}" for px, py in points)
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        parts.extend(
            f'<circle cx="{x(px):.1f}" cy="{y(py):.1f}" r="2.5" fill="{colour}"/>'
            for px, py in points
        )
        legend_y = TOP + 14 + 14 * index
        parts.append(
            f'<line x1="{x0 + LEFT + 8}" x2="{x0 + LEFT + 26}" y1="{legend_y - 4}" '
            f'y2="{legend_y - 4}" stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{x0 + LEFT + 30}" y="{legend_y}">{escape(name)}</text>'
        )
    return "\n".join(parts)


def points(rows: Rows, run: str, cost: str) -> list[tuple[float, float]]:
    return [(row["services"], row[run][cost]) for row in rows]


def svg(after: Rows, before: Rows | None) -> str:
    services = sorted({row["services"] for row in after + (before or [])})
    times: list[Series] = [
        ("check, CPU", COLOURS["cpu"], points(after, "check", "cpu"), False),
        ("check, wall", COLOURS["wall"], points(after, "check", "wall"), False),
        ("PyYAML floor, CPU", COLOURS["floor"], points(after, "floor", "cpu"), False),
    ]
    memory: list[Series] = [
        ("peak memory", COLOURS["memory"], points(after, "check", "peak_mb"), False)
    ]
    if before:
        times.append(("before, CPU", COLOURS["cpu"], points(before, "check", "cpu"), True))
        memory.append(("before", COLOURS["memory"], points(before, "check", "peak_mb"), True))
    body = panel(0, "Time", "seconds", services, times) + panel(
        WIDTH, "Peak memory", "MB", services, memory
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {2 * WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">\n'
        f'<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n'
    )


def table(after: Rows, before: Rows | None) -> str:
    earlier = {row["services"]: row for row in before or []}
    lines = [
        "| services | MB | CPU s | wall s | peak MB | PyYAML floor CPU s "
        "| CPU before s | peak MB before |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in after:
        old = earlier.get(row["services"])
        old_cpu = f"{old['check']['cpu']:.2f}" if old else "-"
        old_peak = f"{old['check']['peak_mb']:.0f}" if old else "-"
        lines.append(
            f"| {row['services']:,} | {row['megabytes']:.1f} | {row['check']['cpu']:.2f} "
            f"| {row['check']['wall']:.2f} | {row['check']['peak_mb']:.0f} "
            f"| {row['floor']['cpu']:.2f} | {old_cpu} | {old_peak} |"
        )
    return "\n".join(lines)


def read(path: Path) -> Rows:
    rows: Rows = json.loads(path.read_text(encoding="utf-8"))
    return sorted(rows, key=lambda row: int(row["services"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("figures", type=Path, help="bench/run.py --json output")
    parser.add_argument("svg", type=Path, help="the SVG file to write")
    parser.add_argument("--before", type=Path, help="an earlier run's figures, drawn dashed")
    arguments = parser.parse_args(argv)
    after = read(arguments.figures)
    before = read(arguments.before) if arguments.before else None
    arguments.svg.write_text(svg(after, before), encoding="utf-8")
    print(table(after, before))


if __name__ == "__main__":
    main()
