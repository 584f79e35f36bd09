"""`archlint simulate`: what one failure or compromise would cost."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from archlint.analysis import simulation
from archlint.analysis.simulation import check_scenario
from archlint.cli.options import as_of_option, output_option
from archlint.cli.output import write_output
from archlint.engine.pipeline import analyse
from archlint.model.errors import UsageError
from archlint.reporters import simulation as simulation_report


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default="archlint.yaml")
@click.option(
    "--lose", multiple=True, metavar="ID", help="A site, host or disk that is lost (repeatable)."
)
@click.option(
    "--compromise",
    multiple=True,
    metavar="HOST",
    help="A host whose credentials an attacker holds (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@as_of_option
def simulate(
    path: Path,
    lose: tuple[str, ...],
    compromise: tuple[str, ...],
    output_format: str,
    output: Path | None,
    as_of: date,
) -> None:
    """Show what a failure or a compromise would cost: lost data, keys and services."""
    if not lose and not compromise:
        raise UsageError("simulate: name at least one --lose or --compromise")
    facts = analyse(path, as_of)
    scenario = check_scenario(facts, lose, compromise)
    result = simulation.simulate(facts, scenario)
    renderers = {"text": simulation_report.render_text, "json": simulation_report.render_json}
    write_output(renderers[output_format](result), output, inputs=map(Path, facts.model.files))
