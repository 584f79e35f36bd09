"""`archlint simulate`: what one failure or compromise would cost."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from archlint.analysis import simulation
from archlint.analysis.simulation import check_scenario
from archlint.cli.options import EXIT_FINDINGS, EXIT_OK, as_of_option, output_option
from archlint.cli.output import write_output
from archlint.engine.pipeline import analyse
from archlint.engine.rule import at_least
from archlint.model.entities import CRITICALITIES, Criticality
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
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Run every single failure (site, disk, machine) and host compromise; print a matrix.",
)
@click.option(
    "--fail-on-loss",
    type=click.Choice(CRITICALITIES),
    metavar="CRITICALITY",
    help="Exit 1 when a scenario loses data of this criticality or a higher one "
    "(low, medium, high, critical).",
)
@output_option
@as_of_option
def simulate(
    path: Path,
    lose: tuple[str, ...],
    compromise: tuple[str, ...],
    output_format: str,
    every: bool,
    fail_on_loss: Criticality | None,
    output: Path | None,
    as_of: date,
) -> None:
    """Show what a failure or a compromise would cost: lost data, keys and services."""
    if every and (lose or compromise):
        raise UsageError("simulate: --all runs every single failure; drop --lose and --compromise")
    if not lose and not compromise and not every:
        raise UsageError("simulate: name at least one --lose or --compromise, or use --all")
    facts = analyse(path, as_of)
    inputs = map(Path, facts.model.files)
    if every:
        rows = simulation.simulate_all(facts)
        render_all = {
            "text": simulation_report.render_all_text,
            "json": simulation_report.render_all_json,
        }
        write_output(render_all[output_format](rows), output, inputs=inputs)
        worst = [row.worst for row in rows if row.worst is not None]
        loses = fail_on_loss is not None and any(at_least(w, fail_on_loss) for w in worst)
    else:
        result = simulation.simulate(facts, check_scenario(facts, lose, compromise))
        renderers = {"text": simulation_report.render_text, "json": simulation_report.render_json}
        write_output(renderers[output_format](result), output, inputs=inputs)
        loses = fail_on_loss is not None and simulation.loses_at_least(
            result.datastores, fail_on_loss
        )
    sys.exit(EXIT_FINDINGS if loses else EXIT_OK)
