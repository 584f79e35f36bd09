"""`archlint drift`: compare a model with the configuration that really runs.

    archlint drift archlint.yaml compose docker/*.yml borgmatic /etc/borgmatic/config.yaml

The files are imported as `archlint import` would, then matched with the model by
what things are; each difference is a finding of an AL9xx rule, reported and gated
like the findings of `archlint check`.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from archlint.cli.check import use_color
from archlint.cli.importing import reported_import_errors, run_importer, tool_groups
from archlint.cli.options import EXIT_FINDINGS, EXIT_OK, as_of_option, output_option
from archlint.cli.output import write_output
from archlint.engine.findings import apply_waivers
from archlint.engine.pipeline import analyse
from archlint.engine.rule import SEVERITIES, Severity
from archlint.importers.draft import ImportOptions
from archlint.importers.drift import drift
from archlint.importers.merge import combine
from archlint.importers.registry import tools
from archlint.reporters import REPORTERS, Style


@click.command("drift", epilog="Importers: " + ", ".join(tools()) + ".")
@click.argument("model", type=click.Path(path_type=Path, exists=True))
@click.argument("arguments", nargs=-1, required=True, metavar="TOOL FILE... [TOOL FILE...]")
@click.option("--host", metavar="NAME", help="The model's host the files run on.")
@click.option("--site", metavar="NAME", help="The site that host is at.")
@click.option(
    "--env",
    "env_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Variables for Compose interpolation instead of the .env next to the files.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="low",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings reach --fail-on.")
@as_of_option
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output.",
)
def drift_command(
    model: Path,
    arguments: tuple[str, ...],
    host: str | None,
    site: str | None,
    env_files: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    fail_on: Severity,
    exit_zero: bool,
    as_of: date,
    color: str,
) -> None:
    """Compare MODEL with the live configuration files of each TOOL.

    Reports what the model claims but nothing implements (in the model), what runs
    but is not modelled, and what differs (schedule, verify, encryption, retention),
    located in the configuration files. Name the model's host with --host so that
    paths are matched on it."""
    facts = analyse(model, as_of)
    options = ImportOptions(host, site, env_files)
    groups = tool_groups(arguments)
    with reported_import_errors():
        live = combine(run_importer(tool, files, options) for tool, files in groups)
    result = drift(facts.model, live)
    kept, waived = apply_waivers(result.findings, facts.model, facts)
    result = type(result)(tuple(kept), tuple(waived), result.rules, result.entities, result.files)
    style = Style(color=use_color(color, output))
    write_output(REPORTERS[output_format](result, style), output)
    sys.exit(EXIT_FINDINGS if result.fails(fail_on) and not exit_zero else EXIT_OK)
