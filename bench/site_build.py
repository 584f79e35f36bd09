"""Benchmark: `archlint site build` of a generated model, stage by stage.

Usage: python bench/site_build.py [SERVICES]  (default 1000)

Generates the model with bench/generate.py into a temporary directory, then
times each stage in-process (analysis and rules, page Markdown, diagrams to
DOT, DOT to SVG with `dot`, the MkDocs build) and the whole command line as a
user runs it. The target is 60 s for 1,000 services on 2 cores. Figures vary
with the machine; the point is the order of magnitude and which stage dominates.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from archlint.site import diagrams
from archlint.site.build import (
    ModelInput,
    build_html,
    by_file,
    check_for_site,
    generate_pages,
    project,
    write_project,
)

HERE = Path(__file__).resolve().parent
AS_OF = date(2026, 11, 26)


def timed(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"{label:>12}: {now - started:6.2f} s")
    return now


def main() -> None:
    services = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as directory:
        model = Path(directory) / "model.yaml"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(services), str(model)], check=True
        )
        print(f"{services} services, {model.stat().st_size / 1e6:.1f} MB of YAML")
        started = begin = time.perf_counter()
        facts, result = check_for_site(model, AS_OF)
        started = timed("analysis", started)
        pages = generate_pages([ModelInput(model, facts, result)], "bench", None)
        started = timed("pages+DOT", started)
        print(f"{len(pages.pages):>12}  pages, {len(pages.diagrams)} diagrams")
        svgs = render_all(pages)
        started = timed("dot -Tsvg", started)
        built = project(pages, svgs, "bench", inline=False)
        write_project(Path(directory) / "project", built)
        started = timed("write", started)
        build_html(Path(directory) / "project", Path(directory) / "html", by_file(svgs, ""))
        started = timed("mkdocs", started)
        timed("in-process", begin)
        output = Path(directory) / "public"
        command = [sys.executable, "-m", "archlint", "site", "build", str(model)]
        command += ["--output", str(output), "--as-of", AS_OF.isoformat()]
        started = time.perf_counter()
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        timed("command", started)


def render_all(pages: object) -> dict[str, str]:
    from archlint.site.build import render_diagrams
    from archlint.site.pages import Pages

    assert isinstance(pages, Pages)
    diagrams.find_renderer()
    return render_diagrams(pages)


if __name__ == "__main__":
    main()
