"""The command line: `archlint check`, `archlint rules`, `archlint explain`.

Exit codes: 0 when no finding reaches --fail-on, 1 when one does, 2 for
invalid input, a bad option or an internal error. No traceback reaches the
user unless --debug is given.
"""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import click

from archlint import __version__, simulation
from archlint.baseline import read_baseline, render_baseline
from archlint.config import Config, load_config, rule_settings
from archlint.errors import InvalidModel, UsageError
from archlint.findings import Result, apply_baseline, resolve_handles, select_rules
from archlint.load import Limits
from archlint.pipeline import analyse, check_model
from archlint.reporters import REPORTERS, Style
from archlint.reporters import runbook as runbook_report
from archlint.reporters import simulation as simulation_report
from archlint.reporters.github import step_summary
from archlint.reporters.style import printable
from archlint.rule import SEVERITIES, Severity
from archlint.rulepack import RuleClass, load_rules
from archlint.runbook import build_runbook
from archlint.schema import render_schema
from archlint.simulation import check_scenario
from archlint.values import Size, parse_date, parse_size

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
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


def split_handles(values: Iterable[str]) -> list[str]:
    """--select a,b --select c -> [a, b, c]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def as_of_date(_context: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def model_size(_context: click.Context, _param: click.Parameter, value: str | None) -> Size | None:
    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


# Options several commands share.
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to FILE instead of standard output.",
)
as_of_option = click.option(
    "--as-of",
    callback=as_of_date,
    metavar="DATE",
    help="The date that counts as today (YYYY-MM-DD). Default: today.",
)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
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
    type=click.Path(path_type=Path, dir_okay=False),
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
@click.option(
    "--rules",
    "rule_packs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Load the rule pack in DIR (repeatable; replaces the configuration's rule-packs).",
)
@as_of_option
@click.option(
    "--max-model-size",
    callback=model_size,
    metavar="SIZE",
    help="The largest model (and model file) to read, e.g. 64MiB. Default: the "
    "configuration's max-model-size, else 32MiB.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output (auto: on a terminal, unless NO_COLOR is set).",
)
def check(
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: Severity | None,
    exit_zero: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    config_file: Path | None,
    rule_packs: tuple[Path, ...],
    as_of: date,
    max_model_size: Size | None,
    color: str,
) -> None:
    """Check the models at PATHS (default: the configuration's paths, else archlint.yaml)."""
    # Command-line flags override the configuration file, key by key.
    config = load_config(config_file)
    all_rules = load_rules(rule_packs or config.rule_packs)
    rules = choose_rules(all_rules, config, split_handles(select), split_handles(ignore))
    settings = rule_settings(config, all_rules)
    models = paths or config.paths or (Path("archlint.yaml"),)
    limits = model_limits(max_model_size or config.max_model_size)
    results = [
        check_model(path, all_rules, rules, as_of, limits=limits, settings=settings)
        for path in models
    ]
    result = gate(merge(results, rules), baseline, write_baseline)
    style = Style(color=use_color(color, output))
    write_output(REPORTERS[output_format](result, style), output)
    if output_format == "github":
        append_step_summary(result)
    threshold = fail_on or config.fail_on or "low"
    sys.exit(EXIT_FINDINGS if result.fails(threshold) and not exit_zero else EXIT_OK)


def model_limits(size: Size | None) -> Limits:
    """The default limits, with the size limits raised or lowered to `size`."""
    if size is None:
        return Limits()
    return Limits(max_file_bytes=size.bytes, max_model_bytes=size.bytes)


def choose_rules(
    all_rules: list[RuleClass], config: Config, select: list[str], ignore: list[str]
) -> list[RuleClass]:
    """--select and --ignore each replace the configuration's list when given."""
    if select:
        chosen_select, select_source = select, "--select"
    else:
        chosen_select, select_source = list(config.select or ()), config.place.at("select")
    if ignore:
        chosen_ignore, ignore_source = ignore, "--ignore"
    else:
        chosen_ignore, ignore_source = list(config.ignore or ()), config.place.at("ignore")
    return select_rules(all_rules, chosen_select, chosen_ignore, select_source, ignore_source)


def merge(results: list[Result], rules: list[RuleClass]) -> Result:
    return Result(
        findings=tuple(sorted(f for r in results for f in r.findings)),
        waived=tuple(sorted(f for r in results for f in r.waived)),
        rules=tuple(rules),
        entities=sum(r.entities for r in results),
        files=tuple(file for r in results for file in r.files),
    )


def gate(result: Result, baseline: Path | None, write_baseline: Path | None) -> Result:
    """Apply a baseline: the one just written (it records every current finding), or a read one."""
    if write_baseline is not None:
        write_output(render_baseline(result.findings), write_baseline, "--write-baseline")
        known = frozenset(finding.fingerprint for finding in result.findings)
        click.echo(f"Recorded {len(known)} findings in the baseline {write_baseline}.", err=True)
    elif baseline is not None:
        known = read_baseline(baseline)
    else:
        return result
    return apply_baseline(result, known)


def append_step_summary(result: Result) -> None:
    """On GitHub Actions, add the Markdown summary to the job's summary page."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    # Appended, never replaced: earlier steps of the job may have written to it too.
    try:
        with open(summary_file, "a", encoding="utf-8", newline="\n") as stream:
            stream.write(step_summary(result))
    except OSError as error:
        raise UsageError(
            f"GITHUB_STEP_SUMMARY: cannot append to {summary_file}: {error.strerror}"
        ) from None


def use_color(choice: str, output: Path | None) -> bool:
    if choice != "auto":
        return choice == "always"
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(text: str, output: Path | None, option: str = "--output") -> None:
    """Write to stdout, or atomically to a file: a temporary file renamed into place."""
    if output is None:
        # The reporter decided about colour already; click must not strip it.
        click.echo(text, nl=False, color=True)
        return
    directory = output.parent
    if not directory.is_dir():
        raise UsageError(f"{option}: directory '{directory}' does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file readable by its owner only; a report is an
        # ordinary file, so it gets the mode open() would give it under the umask.
        os.chmod(temporary, 0o666 & ~current_umask())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@cli.command()
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
    write_output(renderers[output_format](result), output)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default="archlint.yaml")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@output_option
@as_of_option
def plan(path: Path, output_format: str, output: Path | None, as_of: date) -> None:
    """Print the restore runbook: keys first, then services in dependency order."""
    book = build_runbook(analyse(path, as_of))
    renderers = {
        "text": runbook_report.render_text,
        "markdown": runbook_report.render_markdown,
        "json": runbook_report.render_json,
    }
    write_output(renderers[output_format](book), output)


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to FILE instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of model files, for editors (yaml-language-server)."""
    write_output(render_schema(), output)


@cli.command("rules")
def list_rules() -> None:
    """List the rules: id, name, severity, what each looks at, and its summary."""
    rules = load_rules()
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        click.echo(
            f"{rule.id}  {rule.name:<{width}}  {rule.severity:<8}  "
            f"{rule.entity_kind:<10}  {rule.summary}"
        )


@cli.command()
@click.argument("rule_name", metavar="RULE")
def explain(rule_name: str) -> None:
    """Print a rule's documentation and examples (RULE is a name or an id)."""
    rules = load_rules()
    (rule,) = resolve_handles(rules, [rule_name], "explain")
    click.echo(explanation(rule), nl=False)


def explanation(rule: RuleClass) -> str:
    lines = [
        f"{rule.name} ({rule.id})",
        "",
        f"Severity: {rule.severity}. Checks each {rule.entity_kind}.",
        "",
        rule.summary,
        "",
        "Why it matters:",
        wrapped(rule.rationale),
        "",
        "How to fix it:",
        wrapped(rule.remediation),
    ]
    options = rule.Options.model_fields
    if options:
        lines += ["", "Options:"]
        for name, info in options.items():
            lines.append(
                f"  {name.replace('_', '-')} (default: {info.default}): "
                f"{info.description or ''}".rstrip()
            )
    for title, examples in (("Failing example", rule.failing), ("Passing example", rule.passing)):
        for example in examples:
            reported = f" (reports {', '.join(example.findings)})" if example.findings else ""
            lines += ["", f"{title}{reported}:", "", indent(example.model.strip("\n"))]
    return "\n".join(lines) + "\n"


def wrapped(text: str) -> str:
    """Prose for a terminal: indented, and folded at 80 columns."""
    return textwrap.fill(text, width=80, initial_indent="    ", subsequent_indent="    ")


def indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.strip("\n").splitlines())


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
