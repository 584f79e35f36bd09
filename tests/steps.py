"""Counting the work a piece of code does, for tests that guard against slow shapes.

A wall-time bound in a test flakes on a loaded machine and says nothing on a
fast one. The number of Python lines a call executes is the same on every
machine and under any load, so these tests count it instead: they assert that
the count grows linearly between two sizes of a shape (`growth`), or that it
stays below what the slow way would need by construction. Every Python line
counts, archlint's and its libraries' (networkx, PyYAML's parser), so work
moved into a library call is counted too; work inside C code is not (a
quadratic `in` over a list would pass), which is what bench/shapes.py and its
wall times are for.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

# Growth exponents: 1.0 is linear, 2.0 quadratic. Between sizes four times apart,
# 1.5 is a count eight times larger: linear work with any fixed part stays below
# it, quadratic work of any weight that dominates goes above.
LINEAR = 1.5


@dataclass
class Steps:
    lines: int = 0


@contextmanager
def counting() -> Iterator[Steps]:
    """Count the Python lines run inside the block (in this thread)."""
    steps = Steps()

    def on_line(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            steps.lines += 1
        return on_line

    def on_call(frame: FrameType, event: str, arg: Any) -> Any:
        return on_line

    previous = sys.gettrace()  # coverage's tracer, when it runs: given back after
    sys.settrace(on_call)
    try:
        yield steps
    finally:
        sys.settrace(previous)


def growth(small: tuple[int, Steps], large: tuple[int, Steps]) -> float:
    """The growth exponent of the count between two sizes (see LINEAR)."""
    (small_size, small_steps), (large_size, large_steps) = small, large
    return math.log(large_steps.lines / small_steps.lines) / math.log(large_size / small_size)
