"""`archlint schema`: the JSON Schema of model files."""

from __future__ import annotations

from pathlib import Path

import click

from archlint.cli.options import file_name
from archlint.cli.output import write_output
from archlint.model.schema import render_schema


@click.command()
@click.option(
    "-o",
    "--output",
    callback=file_name,
    metavar="FILE",
    help="Write the schema to FILE instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of model files, for editors (yaml-language-server)."""
    write_output(render_schema(), output)
