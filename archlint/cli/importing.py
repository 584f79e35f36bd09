"""`archlint import`: draft a model from the configuration files of the tools already running.

    archlint import compose docker/*.yml borgmatic /etc/borgmatic/config.yaml

Arguments are groups of a tool name followed by its files; every group is
imported, the drafts are joined by path (merge.py), and the result is checked
to load before it is printed or written.
"""

from __future__ import annotations

import shlex
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archlint.cli.options import EXIT_ERROR, output_option
from archlint.cli.output import write_output
from archlint.engine.pipeline import read_model
from archlint.importers.draft import Draft, ImportOptions
from archlint.importers.emit import emit
from archlint.importers.merge import combine, model_draft
from archlint.importers.registry import importer, tools
from archlint.load.model import load_model
from archlint.model.errors import InvalidModel, UsageError
from archlint.reporters.style import printable


@click.command("import", epilog="Importers: " + ", ".join(tools()) + ".")
@click.argument("arguments", nargs=-1, required=True, metavar="TOOL FILE... [TOOL FILE...]")
@click.option("--host", metavar="NAME", help="The host the files run on (when they do not say).")
@click.option("--site", metavar="NAME", help="The site that host is at.")
@click.option(
    "--env",
    "env_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Read variables for interpolation from FILE instead of the .env next to the "
    "Compose files (repeatable; the environment archlint runs in is never read).",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, exists=True),
    metavar="MODEL",
    help="Join the imported entities to this existing model and print the whole.",
)
@output_option
def import_command(
    arguments: tuple[str, ...],
    host: str | None,
    site: str | None,
    env_files: tuple[Path, ...],
    into: Path | None,
    output: Path | None,
) -> None:
    """Draft a model from other tools' files. TOOL is one of the importers listed below;
    several TOOL FILE... groups make one model in which backups point at the
    datastores the Compose files declare.

    Every entity says the file and line it came from; what the files cannot say is a
    `# TODO` comment. Secret values are never copied."""
    with reported_import_errors():
        text = import_text(arguments, ImportOptions(host, site, env_files), into)
    write_output(text, output)


@contextmanager
def reported_import_errors() -> Iterator[None]:
    """Errors in the imported files: each on its own line, then exit 2."""
    try:
        yield
    except InvalidModel as error:
        for problem in error.errors:
            click.echo(printable(str(problem)), err=True)
        click.echo("Nothing imported.", err=True)
        sys.exit(EXIT_ERROR)


def import_text(arguments: tuple[str, ...], options: ImportOptions, into: Path | None) -> str:
    """The model text the arguments import."""
    groups = tool_groups(arguments)
    base = None
    if into is not None:
        read_model(into)  # the model must be valid before anything is joined to it
        base = model_draft(load_model(into))
    draft = combine((run_importer(tool, files, options) for tool, files in groups), base)
    command = "archlint import " + shlex.join(arguments)
    text = emit(draft, command)
    check_loads(text)
    return text


def tool_groups(arguments: tuple[str, ...]) -> list[tuple[str, list[Path]]]:
    """TOOL FILE... TOOL FILE... as (tool, files) pairs; a tool name starts a group."""
    known = tools()
    if arguments[0] not in known:
        raise UsageError(f"unknown importer '{arguments[0]}': choose from {', '.join(known)}")
    groups: list[tuple[str, list[Path]]] = []
    for argument in arguments:
        if argument in known:
            groups.append((argument, []))
        else:
            groups[-1][1].append(Path(argument))
    for tool, files in groups:
        if not files:
            raise UsageError(f"no files given for '{tool}'")
        for path in files:
            if not path.is_file():
                raise UsageError(f"{path}: not a file")
    return groups


def run_importer(tool: str, files: list[Path], options: ImportOptions) -> Draft:
    return importer(tool)(files, options)


def check_loads(text: str) -> None:
    """The drafted model must load as it is: an importer bug must not reach the user's
    repository as a model that does not load."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "imported.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            read_model(path)
        except InvalidModel as error:
            raise UsageError(
                "internal error: the imported model does not load; please report it:\n" + str(error)
            ) from None
