"""Benchmark: `archlint check` on a generated model, stage by stage.

Usage: python bench/check_large.py [SERVICES]  (default 10000)

Generates the model with bench/generate.py into a temporary directory, then
times each stage in-process (load, validate, facts, rules, report) and the
whole command line as a user runs it. Figures vary with the machine; the
point is the order of magnitude and which stage dominates.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from archlint.analysis.facts import Facts
from archlint.engine.findings import run
from archlint.engine.pipeline import without_cycle_collection
from archlint.engine.rulepack import load_rules
from archlint.load.limits import Limits
from archlint.load.model import load_model, load_model_fast
from archlint.reporters import REPORTERS, Style
from archlint.validate.entities import validate

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 11, 26)


def timed(label: str, started: float) -> float:
    """Print the CPU time since `started` (wall time is unreliable on a shared machine)."""
    now = time.process_time()
    print(f"{label:>10}: {now - started:6.2f} s CPU")
    return now


def main() -> None:
    services = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as directory:
        model_file = Path(directory) / "model.yaml"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(services), str(model_file)], check=True
        )
        size = model_file.stat().st_size / 1e6
        print(f"model: {services} services, {size:.1f} MB")
        with without_cycle_collection():
            started = time.process_time()
            # The command's path: the fast loader, the located one if it declines.
            documents = load_model_fast(model_file, Limits()) or load_model(model_file)
            step = timed("load", started)
            model = validate(documents, root_is_file=True)
            step = timed("validate", step)
            facts = Facts(model, AS_OF)
            step = timed("facts", step)
            rules = load_rules()
            result = run(model, facts, rules, rules)
            step = timed("rules", step)
            REPORTERS["json"](result, Style())
            timed("report", step)
            timed("in-process", started)
        print(f"{sum(1 for _ in model.entities())} entities, {len(result.findings)} findings")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "archlint",
                "check",
                str(model_file),
                "--as-of",
                AS_OF.isoformat(),
                "-o",
                str(Path(directory) / "report.txt"),
            ],
            check=False,
        )
        print(f"   command: {time.perf_counter() - started:6.2f} s wall")


if __name__ == "__main__":
    main()
