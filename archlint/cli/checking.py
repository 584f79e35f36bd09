"""`archlint check` on a cache miss, or without a cache: load, check, render, store."""

from __future__ import annotations

import heapq
from collections import Counter
from pathlib import Path
from typing import NoReturn

import click

from archlint import cli
from archlint.cli.check import (
    CachePlan,
    Request,
    play,
    step_summary_file,
    terminal_width,
    use_color,
)
from archlint.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    as_of_date,
    model_size,
    parse_later,
    split_handles,
)
from archlint.engine.baseline import read_baseline, render_baseline
from archlint.engine.cache import Inputs, Output, store
from archlint.engine.config import Config, load_config, rule_settings
from archlint.engine.findings import Result, apply_baseline, select_rules
from archlint.engine.pipeline import check_model
from archlint.engine.rulepack import RuleClass, load_rules
from archlint.load.limits import Limits
from archlint.load.model import model_file_kind
from archlint.model.errors import UsageError
from archlint.model.sizes import Size
from archlint.reporters import REPORTERS, Style
from archlint.reporters.style import json_text


def run_check(request: Request, plan: CachePlan | None) -> NoReturn:
    """Check the models, store the run in the cache when there is one, write its output."""
    as_of = parse_later("as_of", as_of_date, request.as_of)
    max_model_size = parse_later("max_model_size", model_size, request.max_model_size)
    refuse_conflicts(request.output_format, request.statistics, request.quiet)
    # Command-line flags override the configuration file, key by key.
    config = load_config(request.config_file)
    all_rules = load_rules(request.rule_packs or config.rule_packs)
    select, ignore = split_handles(request.select), split_handles(request.ignore)
    rules = choose_rules(all_rules, config, select, ignore)
    settings = rule_settings(config, all_rules)
    found = not (request.paths or config.paths)
    models = request.paths or config.paths or default_models()
    limits = model_limits(max_model_size or config.max_model_size)
    notes: list[str] = []

    def note(line: str) -> None:
        notes.append(line + "\n")
        click.echo(line, err=True)

    # One model is held to the end rather than freed; of several, each is freed
    # before the next is read, so that only one is ever in memory.
    held = cli.held_to_exit if len(models) == 1 else None
    results = [
        check_model(
            path, all_rules, rules, as_of, limits=limits, settings=settings, note=note, keep=held
        )
        for path in models
    ]
    for path, checked in zip(models, results, strict=True):
        if checked.entities == 0:
            raise UsageError(
                empty_model(path, named=bool(request.paths), configured=bool(config.paths))
            )
    result = merge(results, rules)
    baseline, recorded = None, 0
    if request.write_baseline is not None:
        # The baseline just written records every current finding.
        baseline = render_baseline(result.findings)
        known = frozenset(finding.fingerprint for finding in result.findings)
        result, recorded = apply_baseline(result, known), len(known)
    elif request.baseline is not None:
        result = apply_baseline(result, read_baseline(request.baseline))
    threshold = request.fail_on or config.fail_on or "low"
    fails = result.fails(threshold) and not request.exit_zero
    output = Output(
        report=report(result, request),
        notes="".join(notes),
        exit_code=EXIT_FINDINGS if fails else EXIT_OK,
        baseline=baseline,
        recorded=recorded,
        summary=step_summary(result) if step_summary_file(request.output_format) else None,
    )
    inputs = Inputs(
        roots=tuple(str(path) for path in models),
        models=result.files,
        others=(
            *([str(request.baseline)] if request.baseline and baseline is None else []),
            *(str(path) for path in (default_candidates() if found else [])),
        ),
    )
    if plan is not None:
        store(plan.entry, inputs, output)
    play(request, output, inputs, replayed=False)


def refuse_conflicts(output_format: str, statistics: bool, quiet: bool) -> None:
    if statistics and quiet:
        raise UsageError("--statistics and --quiet exclude each other: choose one")
    if statistics and output_format not in ("text", "json"):
        raise UsageError("--statistics prints text or json: use --format text or --format json")
    if quiet and output_format != "text":
        raise UsageError("--quiet is for the text format: use --format text")


def report(result: Result, request: Request) -> str | bytes:
    # The reporters are imported when used, as REPORTERS imports them: a check
    # imports only what its output needs (start-up time).
    if request.quiet:
        from archlint.reporters import text as text_report

        return text_report.quiet(result)
    if request.statistics:
        if request.output_format == "json":
            return json_text(statistics_data(result))
        from archlint.reporters import text as text_report

        return text_report.statistics(result)
    if request.output_format == "json":
        from archlint.reporters.json_report import document

        # As the bytes it is written as: a large report is never held twice.
        return document(result)
    style = Style(
        color=use_color(request.color, request.output), width=terminal_width(request.output)
    )
    return REPORTERS[request.output_format](result, style)


def step_summary(result: Result) -> str:
    """The Markdown summary for GitHub's job summary page."""
    from archlint.reporters.markdown import report as markdown_report

    return markdown_report(result)


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
ROOT_FILE = Path("archlint.yaml")


def default_candidates() -> list[Path]:
    """The YAML files default_models reads to choose, archlint.yaml aside.

    Hidden files are skipped, as the directory walk skips them.
    """
    return [
        candidate
        for candidate in sorted(Path().iterdir())
        if candidate.name.endswith((".yaml", ".yml"))
        and not candidate.name.startswith(".")
        and candidate != ROOT_FILE
        and candidate.is_file()
    ]


def default_models() -> tuple[Path, ...]:
    """With no path and no configured paths: the current directory as a directory model
    when it is one (a model split over files must be checked whole), else archlint.yaml.

    The directory is one model when a YAML file in it is a part of a model that
    does not declare `archlint:` itself, or, without an archlint.yaml, when one
    declares it. Beside an archlint.yaml, files that declare it may be models of
    their own, and other tools' files (a docker-compose.yml) are no model's.
    """
    kinds = {model_file_kind(candidate) for candidate in default_candidates()}
    if "part" in kinds or ("root" in kinds and not ROOT_FILE.exists()):
        return (Path("."),)
    if not ROOT_FILE.exists():
        raise UsageError(
            f"no model to check: {LOOKED_FOR}, and found none here; name the model to check "
            "(archlint check PATH) or start one with archlint init"
        )
    return (ROOT_FILE,)


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
    """The models' results as one. Each model's findings come sorted (engine.findings.run):
    they are merged, not sorted again, and one model's are taken as they are."""
    return Result(
        findings=tuple(heapq.merge(*(r.findings for r in results))),
        waived=tuple(heapq.merge(*(r.waived for r in results))),
        rules=tuple(rules),
        entities=sum(r.entities for r in results),
        files=tuple(file for r in results for file in r.files),
    )
