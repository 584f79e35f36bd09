"""The `archlint` group and its error handling.

Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 for
invalid input, a bad option or an internal error. No traceback reaches the
user unless --debug is given. Each command lives in a module of its own,
imported only when that command runs (or help lists it): a run of
`archlint check` does not pay for the importers or the site generator.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import click

from archlint import __version__
from archlint.cli.options import EXIT_ERROR, EXIT_OK
from archlint.model.errors import InvalidModel, UsageError
from archlint.model.inert import printable

ISSUES_URL = "https://github.com/archlint/archlint/issues"


# Each command's name, module and function.
COMMANDS = {
    "check": ("archlint.cli.check", "check"),
    "simulate": ("archlint.cli.simulate", "simulate"),
    "plan": ("archlint.cli.plan", "plan"),
    "schema": ("archlint.cli.schema", "schema"),
    "rules": ("archlint.cli.rules", "list_rules"),
    "explain": ("archlint.cli.rules", "explain"),
    "import": ("archlint.cli.importing", "import_command"),
    "drift": ("archlint.cli.drift", "drift_command"),
    "site": ("archlint.cli.site", "site"),
    "graph": ("archlint.cli.graph", "graph"),
    "init": ("archlint.cli.init", "init"),
}


class Commands(click.Group):
    """The group of COMMANDS, each imported when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), name)
        return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="archlint")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(context: click.Context, debug: bool) -> None:
    """Lint backup architectures written as code.

    After this failure, can we get the data back and the service running?
    """
    context.obj = {"debug": debug}


def run() -> None:
    """Run the CLI and turn every error into exit code 2 (see archlint.cli.main)."""
    debug = "--debug" in sys.argv[1:]
    try:
        # Without standalone mode click returns the exit code of --help and
        # --version instead of exiting, and lets exceptions through to us.
        code = cli.main(standalone_mode=False)
    except click.exceptions.Exit as stop:
        sys.exit(stop.exit_code)
    except click.ClickException as error:
        # stderr may be closed or broken: the exit code still tells.
        with contextlib.suppress(OSError, AttributeError, ValueError):
            error.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        say("archlint: interrupted")
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:
        # The reader of our output left (`archlint check | head`): nothing to tell it.
        silence_stdout()
        sys.exit(EXIT_ERROR)
    except InvalidModel as error:
        report_invalid(error)
        sys.exit(EXIT_ERROR)
    except UsageError as error:
        say(printable(f"archlint: error: {error}"))
        sys.exit(EXIT_ERROR)
    except Exception as error:  # the last line of defence: no traceback without --debug
        if debug:
            import traceback  # only for --debug: it costs start-up (linecache, tokenize)

            traceback.print_exc()
        # The exception text may quote model text: printable keeps it one inert line.
        say(
            printable(
                f"archlint: internal error: {type(error).__name__}: {error}. "
                f"Please report it at {ISSUES_URL} (run with --debug for details)."
            )
        )
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def say(line: str) -> None:
    """One line on stderr; a closed or broken stderr must not change the exit code."""
    try:
        click.echo(line, err=True)
        sys.stderr.flush()
    except (OSError, AttributeError, ValueError):
        # stderr is closed (`2>&-` leaves sys.stderr None) or its reader has gone.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - replaces the stream for good


def silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final
    flush does not fail again (the recipe of Python's signal documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def report_invalid(error: InvalidModel) -> None:
    for problem in error.errors:
        say(printable(str(problem)))
    count = len(error.errors)
    say(f"Invalid model: {count} error{'s' if count != 1 else ''}.")
