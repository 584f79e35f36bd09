"""`archlint check`: run the rules on models and report the findings.

This module is what every run of `check` imports: the options, and the cache
hit, which writes a stored run's output again without loading the model
engine (see archlint.engine.cache). A miss runs archlint.cli.checking.
"""

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import click

from archlint.cli.options import AS_OF_HELP, file_name, output_option, rule_packs_option
from archlint.cli.output import write_output
from archlint.engine.cache import Inputs, Output, entry_path, lookup
from archlint.engine.config import cache_directory, configured_paths, locate_config
from archlint.engine.packfiles import builtin_pack_directory, pack_digest
from archlint.model.errors import UsageError

if TYPE_CHECKING:
    from archlint.engine.rule import Severity

# The reporters' and severities' names, written out so that the options cost no
# import of the reporters or the rule engine (tests hold them equal to those).
FORMATS = ("github", "gitlab", "json", "junit", "markdown", "sarif", "text")
SEVERITIES = ("info", "low", "medium", "high", "critical")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Run only these rules (names or ids, comma-separated, repeatable).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Do not run these rules (names or ids, comma-separated, repeatable).",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit 1 when a finding has this severity or a higher one. "
    "Default: the configuration's fail-on, else low.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when findings reach --fail-on (invalid input still exits 2).",
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Report only the findings that the baseline FILE does not record.",
)
@click.option(
    "--write-baseline",
    callback=file_name,
    metavar="FILE",
    help="Record the current findings in the baseline FILE (they are then baselined).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Read this configuration file instead of looking for archlint.toml or pyproject.toml.",
)
@rule_packs_option(
    "Load the rule pack in DIR (repeatable; replaces the configuration's rule-packs)."
)
@click.option("--as-of", metavar="DATE", help=AS_OF_HELP)
@click.option(
    "--max-model-size",
    metavar="SIZE",
    help="The largest model (and model file) to read, e.g. 64MiB. Default: the "
    "configuration's max-model-size, else 32MiB.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Keep results in DIR and reuse them while the model, rules, configuration "
    "and --as-of are unchanged. Default: the configuration's cache-dir, else no cache.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output (auto: on a terminal, unless NO_COLOR is set).",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule gave instead of the findings (text or json).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (text).")
def check(**options: Any) -> None:
    """Check the models at PATHS. Without PATHS: the configuration's paths, else the
    current directory when it holds model files, else archlint.yaml."""
    request = Request(**options)
    # A run that stops at an error stores no entry: whatever is wrong with the
    # options, the check finds it, in click's order (a bad --as-of first).
    plan = cache_plan(request)
    if plan is not None:
        hit = lookup(plan.entry, plan.roots, use_color(request.color, request.output))
        if hit is not None:
            play(request, hit.output, hit.inputs, replayed=True)
    from archlint.cli.checking import run_check

    run_check(request, plan)


class Request(NamedTuple):
    """The options of `archlint check` as given (--as-of and --max-model-size unparsed:
    a cache hit needs only their text)."""

    paths: tuple[Path, ...]
    output_format: str
    output: Path | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    fail_on: "Severity | None"
    exit_zero: bool
    baseline: Path | None
    write_baseline: Path | None
    config_file: Path | None
    rule_packs: tuple[Path, ...]
    as_of: str | None
    max_model_size: str | None
    cache_dir: Path | None
    color: str
    statistics: bool
    quiet: bool

    def output_options(self) -> dict[str, Any]:
        """The options that decide what the run writes (not where: -o, --cache; --color
        counts through the style it gives)."""
        options = self._asdict()
        for where in ("output", "cache_dir", "color"):
            del options[where]
        return options


class CachePlan(NamedTuple):
    entry: Path  # the run's cache entry
    roots: tuple[str, ...] | None  # the models named, None when the check finds them


def cache_plan(request: Request) -> CachePlan | None:
    """Where the result of this run is cached, None without a cache.

    The key holds what decides the output before any model is read (see
    archlint.engine.cache). A configuration that is not valid gives no plan:
    the check then says what is wrong with it.
    """
    try:
        found = locate_config(request.config_file)
        directory = request.cache_dir
        if directory is None and found is not None:
            directory = cache_directory(found.path.parent, found.data, found.place)
        if directory is None:
            return None
        configured = configured_paths(found, "paths") if found is not None else ()
        packs = request.rule_packs
        if not packs and found is not None:
            packs = configured_paths(found, "rule-packs")
        pack_files = [pack_digest(pack) for pack in (builtin_pack_directory(), *packs)]
    except UsageError:
        return None
    roots = tuple(str(path) for path in request.paths or configured) or None
    key = {
        "options": request.output_options(),
        "config": None if found is None else [*found.place, found.data],
        "roots": roots,
        "packs": pack_files,
        "today": date.today().isoformat() if request.as_of is None else None,
        "style": [use_color(request.color, request.output), terminal_width(request.output)],
        "summary": step_summary_file(request.output_format) is not None,
    }
    return CachePlan(entry_path(directory, key), roots)


def play(request: Request, output: Output, inputs: Inputs, replayed: bool) -> NoReturn:
    """Write a run's output: the baseline, the report, the step summary; exit with its code.

    A replayed run prints its notes too (a fresh one printed them as it checked).
    """
    models = [Path(name) for name in inputs.models]
    if replayed and output.notes:
        click.echo(output.notes, err=True, nl=False)
    if request.write_baseline is not None and output.baseline is not None:
        write_output(output.baseline, request.write_baseline, "--write-baseline", inputs=models)
        click.echo(
            f"Recorded {output.recorded} findings in the baseline {request.write_baseline}.",
            err=True,
        )
    write_output(output.report, request.output, inputs=models)
    if output.summary is not None:
        append_step_summary(output.summary)
    sys.exit(output.exit_code)


def terminal_width(output: Path | None) -> int:
    """The terminal's width when the report goes to one, else 0 (no wrapping)."""
    if output is not None or sys.stdout is None or not sys.stdout.isatty():
        return 0
    import shutil  # only on a terminal: a piped run does not pay its import

    return shutil.get_terminal_size().columns


def step_summary_file(output_format: str) -> str | None:
    """On GitHub Actions, the job summary the github format appends its Markdown to."""
    if output_format != "github":
        return None
    return os.environ.get("GITHUB_STEP_SUMMARY") or None


def append_step_summary(summary: str) -> None:
    """Add the Markdown summary to the job's summary page."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    # Appended, never replaced: earlier steps of the job may have written to it too.
    try:
        with open(summary_file, "a", encoding="utf-8", newline="\n") as stream:
            stream.write(summary)
    except OSError as error:
        raise UsageError(
            f"GITHUB_STEP_SUMMARY: cannot append to {summary_file}: {error.strerror}"
        ) from None


def use_color(choice: str, output: Path | None) -> bool:
    if choice != "auto":
        return choice == "always"
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout is not None and sys.stdout.isatty()
