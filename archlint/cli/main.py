"""The command line's entry point: the `archlint` group and its error handling.

Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 for
invalid input, a bad option or an internal error. No traceback reaches the
user unless --debug is given. Each command lives in a module of its own.
"""

from __future__ import annotations

import sys
import traceback

import click

from archlint import __version__
from archlint.cli.check import check
from archlint.cli.graph import graph
from archlint.cli.options import EXIT_ERROR, EXIT_OK
from archlint.cli.plan import plan
from archlint.cli.rules import explain, list_rules
from archlint.cli.schema import schema
from archlint.cli.simulate import simulate
from archlint.cli.site import site
from archlint.model.errors import InvalidModel, UsageError
from archlint.reporters.style import printable

ISSUES_URL = "https://github.com/archlint/archlint/issues"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archlint")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(context: click.Context, debug: bool) -> None:
    """Lint backup architectures written as code.

    After this failure, can we get the data back and the service running?
    """
    context.obj = {"debug": debug}


for command in (check, simulate, plan, schema, list_rules, explain, site, graph):
    cli.add_command(command)


def main() -> None:
    """The console script: run the CLI and turn every error into exit code 2."""
    debug = "--debug" in sys.argv[1:]
    try:
        # Without standalone mode click returns the exit code of --help and
        # --version instead of exiting, and lets exceptions through to us.
        code = cli.main(standalone_mode=False)
    except click.exceptions.Exit as stop:
        sys.exit(stop.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except InvalidModel as error:
        report_invalid(error)
        sys.exit(EXIT_ERROR)
    except UsageError as error:
        click.echo(printable(f"archlint: error: {error}"), err=True)
        sys.exit(EXIT_ERROR)
    except Exception as error:  # the last line of defence: no traceback without --debug
        if debug:
            traceback.print_exc()
        # The exception text may quote model text: printable keeps it one inert line.
        click.echo(
            printable(
                f"archlint: internal error: {type(error).__name__}: {error}. "
                f"Please report it at {ISSUES_URL} (run with --debug for details)."
            ),
            err=True,
        )
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def report_invalid(error: InvalidModel) -> None:
    for problem in error.errors:
        click.echo(printable(str(problem)), err=True)
    count = len(error.errors)
    click.echo(f"Invalid model: {count} error{'s' if count != 1 else ''}.", err=True)
