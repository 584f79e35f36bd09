"""`archlint check`: run the rules on models and report the findings."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click

from archlint.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    as_of_option,
    file_name,
    model_size,
    output_option,
    split_handles,
)
from archlint.cli.output import write_output
from archlint.engine.baseline import read_baseline, render_baseline
from archlint.engine.cache import CheckKey, cached_check
from archlint.engine.config import Config, load_config, rule_settings
from archlint.engine.findings import Result, apply_baseline, select_rules
from archlint.engine.pipeline import check_model
from archlint.engine.rule import SEVERITIES, Severity
from archlint.engine.rulepack import RuleClass, load_rules
from archlint.load.limits import Limits
from archlint.load.model import model_file_kind
from archlint.model.errors import UsageError
from archlint.model.sizes import Size
from archlint.reporters import REPORTERS, Style
from archlint.reporters import text as text_report
from archlint.reporters.markdown import report as markdown_report
from archlint.reporters.style import json_text


@click.command()
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
    cache_dir: Path | None,
    color: str,
    statistics: bool,
    quiet: bool,
) -> None:
    """Check the models at PATHS. Without PATHS: the configuration's paths, else the
    current directory when it holds model files, else archlint.yaml."""
    refuse_conflicts(output_format, statistics, quiet)
    # Command-line flags override the configuration file, key by key.
    config = load_config(config_file)
    all_rules = load_rules(rule_packs or config.rule_packs)
    rules = choose_rules(all_rules, config, split_handles(select), split_handles(ignore))
    settings = rule_settings(config, all_rules)
    models = paths or config.paths or default_models()
    limits = model_limits(max_model_size or config.max_model_size)
    cache = cache_dir or config.cache_dir

    def check_one(path: Path) -> Result:
        def fresh() -> Result:
            return check_model(path, all_rules, rules, as_of, limits=limits, settings=settings)

        if cache is None:
            return fresh()
        key = CheckKey(
            path=path,
            as_of=as_of,
            rule_packs=rule_packs or config.rule_packs,
            rules=tuple(rule.id for rule in rules),
            settings=settings,
            config=config,
            limits=limits,
        )
        return cached_check(cache, key, all_rules, fresh)

    results = [check_one(path) for path in models]
    for path, checked in zip(models, results, strict=True):
        if checked.entities == 0:
            raise UsageError(empty_model(path, named=bool(paths), configured=bool(config.paths)))
    result = gate(merge(results, rules), baseline, write_baseline)
    style = Style(color=use_color(color, output), width=terminal_width(output))
    text = report(result, style, output_format, statistics, quiet)
    write_output(text, output, inputs=model_files(result))
    if output_format == "github":
        append_step_summary(result)
    threshold = fail_on or config.fail_on or "low"
    sys.exit(EXIT_FINDINGS if result.fails(threshold) and not exit_zero else EXIT_OK)


def refuse_conflicts(output_format: str, statistics: bool, quiet: bool) -> None:
    if statistics and quiet:
        raise UsageError("--statistics and --quiet exclude each other: choose one")
    if statistics and output_format not in ("text", "json"):
        raise UsageError("--statistics prints text or json: use --format text or --format json")
    if quiet and output_format != "text":
        raise UsageError("--quiet is for the text format: use --format text")


def report(result: Result, style: Style, output_format: str, statistics: bool, quiet: bool) -> str:
    if quiet:
        return text_report.quiet(result)
    if statistics:
        if output_format == "json":
            return json_text(statistics_data(result))
        return text_report.statistics(result)
    return REPORTERS[output_format](result, style)


def statistics_data(result: Result) -> list[dict[str, object]]:
    """--statistics --format json: one object per rule with findings, most first."""
    counts = Counter((f.rule, f.name, f.severity) for f in result.findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {"rule": rule, "name": name, "severity": severity, "count": count}
        for (rule, name, severity), count in rows
    ]


LOOKED_FOR = (
    "with no path, archlint check reads the configuration's `paths`, else the current "
    "directory when its YAML files make one model, else archlint.yaml"
)


def default_models() -> tuple[Path, ...]:
    """With no path and no configured paths: the current directory as a directory model
    when it is one (a model split over files must be checked whole), else archlint.yaml.

    The directory is one model when a YAML file in it is a part of a model that
    does not declare `archlint:` itself, or, without an archlint.yaml, when one
    declares it. Beside an archlint.yaml, files that declare it may be models of
    their own, and other tools' files (a docker-compose.yml) are no model's.
    Hidden files are skipped, as the directory walk skips them.
    """
    root_file = Path("archlint.yaml")
    kinds = {
        model_file_kind(candidate)
        for candidate in sorted(Path().iterdir())
        if candidate.name.endswith((".yaml", ".yml"))
        and not candidate.name.startswith(".")
        and candidate != root_file
        and candidate.is_file()
    }
    if "part" in kinds or ("root" in kinds and not root_file.exists()):
        return (Path("."),)
    if not root_file.exists():
        raise UsageError(
            f"no model to check: {LOOKED_FOR}, and found none here; name the model to check "
            "(archlint check PATH) or start one with archlint init"
        )
    return (root_file,)


def empty_model(path: Path, named: bool, configured: bool) -> str:
    """The error for a model without entities: nothing would be checked."""
    if named:
        source = "named on the command line"
    elif configured:
        source = "from the configuration's `paths`"
    else:
        source = f"found with no path given ({LOOKED_FOR})"
    return (
        f"{path}: the model {source} has no entities (hosts, services, datastores, ...), "
        "so nothing would be checked; name the model to check (archlint check PATH) "
        "or start one with archlint init"
    )


def terminal_width(output: Path | None) -> int:
    """The terminal's width when the report goes to one, else 0 (no wrapping)."""
    if output is not None or sys.stdout is None or not sys.stdout.isatty():
        return 0
    return shutil.get_terminal_size().columns


# Far above any real model (a 10,000-service model is about 10 MB), and small
# enough that a read of that many bytes is a valid request.
LARGEST_MODEL_SIZE = Size(2**40, "1TiB")


def model_limits(size: Size | None) -> Limits:
    """The default limits, with the size limits raised or lowered to `size`."""
    if size is None:
        return Limits()
    if size.bytes > LARGEST_MODEL_SIZE.bytes:
        raise UsageError(
            f"max model size {size.text} is larger than archlint reads "
            f"(at most {LARGEST_MODEL_SIZE.text})"
        )
    return Limits(max_file_bytes=size.bytes, max_model_bytes=size.bytes)


def model_files(result: Result) -> list[Path]:
    return [Path(file) for file in result.files]


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
        write_output(
            render_baseline(result.findings),
            write_baseline,
            "--write-baseline",
            inputs=model_files(result),
        )
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
            stream.write(markdown_report(result))
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
