"""`archlint plan`: the restore runbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from archlint.analysis.runbook import build_runbook
from archlint.analysis.simulation import check_scenario
from archlint.cli.options import as_of_option, output_option
from archlint.cli.output import write_output
from archlint.engine.pipeline import analyse
from archlint.reporters import runbook as runbook_report


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default="archlint.yaml")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--lose",
    multiple=True,
    metavar="ID",
    help="Plan for this failure only: a site, host or disk that is lost (repeatable).",
)
@output_option
@as_of_option
def plan(
    path: Path, output_format: str, lose: tuple[str, ...], output: Path | None, as_of: date
) -> None:
    """Print the restore runbook: keys first, then services in dependency order.

    With --lose, only what that failure destroys, from the copies and keys that survive it.
    """
    facts = analyse(path, as_of)
    book = build_runbook(facts, check_scenario(facts, lose, ()) if lose else None)
    renderers = {
        "text": runbook_report.render_text,
        "markdown": runbook_report.render_markdown,
        "json": runbook_report.render_json,
    }
    write_output(renderers[output_format](book), output, inputs=map(Path, facts.model.files))
