"""`archlint graph`: one diagram of the model, as DOT or SVG."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from archlint.analysis.simulation import check_scenario
from archlint.cli.options import as_of_option, output_option
from archlint.cli.output import write_output
from archlint.engine.pipeline import analyse
from archlint.model.errors import UsageError


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default="archlint.yaml")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["dot", "svg"]),
    default="dot",
    show_default=True,
    help="DOT source, or SVG rendered by Graphviz's `dot` program.",
)
@click.option("--site", metavar="ID", help="Draw one site: its racks, hosts, VMs and disks.")
@click.option(
    "--focus", metavar="ENTITY", help="Draw one entity: a datastore's copy paths, a service..."
)
@click.option(
    "--lose",
    metavar="FAILURE",
    help="Draw what the loss of a site, host or disk destroys and what survives.",
)
@output_option
@as_of_option
def graph(
    path: Path,
    output_format: str,
    site: str | None,
    focus: str | None,
    lose: str | None,
    output: Path | None,
    as_of: date,
) -> None:
    """Draw the architecture (or one site, entity or failure) as a Graphviz diagram."""
    # Imported here so that `archlint check` never loads the site package.
    from archlint.site import diagrams

    chosen = [
        name for name, value in (("--site", site), ("--focus", focus), ("--lose", lose)) if value
    ]
    if len(chosen) > 1:
        raise UsageError(f"graph: {' and '.join(chosen)} cannot be combined; choose one")
    if output_format == "svg":
        diagrams.find_renderer()  # before the analysis: fail fast without Graphviz
    facts = analyse(path, as_of)
    if site is not None:
        diagram = diagrams.site_diagram(facts, site)
    elif focus is not None:
        diagram = diagrams.focus_diagram(facts, focus)
    elif lose is not None:
        diagram = diagrams.scenario_diagram(facts, check_scenario(facts, [lose], []))
    else:
        diagram = diagrams.overview_diagram(facts)
    text = diagrams.render_svg(diagram) if output_format == "svg" else diagram.dot
    write_output(text, output)
