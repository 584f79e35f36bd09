"""The stages in order: load, validate, analyse, check.

A newcomer can read a run of `archlint check` from here: each function calls
the stage modules in the order data flows through them.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from archlint.analysis.facts import Facts
from archlint.engine.findings import Result, run
from archlint.engine.rule import RuleSettings
from archlint.engine.rulepack import RuleClass
from archlint.load.limits import Limits
from archlint.load.model import load_model, load_model_fast
from archlint.model.entities import Model
from archlint.validate.entities import validate, validate_slowly
from archlint.validate.fast import valid_model


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a model is analysed.

    Every stage allocates millions of small objects and frees almost none; the
    collector's repeated passes over them cost more than the stages themselves
    on large models. Nothing here builds reference cycles worth collecting.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def read_model(path: Path, limits: Limits | None = None) -> Model:
    """Load and validate one model; raises InvalidModel with every error.

    The fast loader's data is located only as far as a valid model needs: any
    error, or any file it cannot read exactly, sends the model to the located
    loader, which reports every error where it is.
    """
    limits = limits or Limits()
    root_is_file = path.is_file()
    with without_cycle_collection():
        documents = load_model_fast(path, limits)
        if documents is None:
            return validate(load_model(path, limits), root_is_file)
        model = valid_model(documents, root_is_file)
        if model is not None:
            return model
        # The model has an error: only the located path can say where.
        return validate_slowly(load_model(path, limits), root_is_file)


def analyse(path: Path, as_of: date, limits: Limits | None = None) -> Facts:
    """Load, validate and analyse one model: the facts every command reads."""
    with without_cycle_collection():
        return Facts(read_model(path, limits), as_of)


def check_model(
    path: Path,
    all_rules: Sequence[RuleClass],
    rules: Sequence[RuleClass],
    as_of: date,
    limits: Limits | None = None,
    settings: Mapping[str, RuleSettings] | None = None,
    note: Callable[[str], None] | None = None,
    keep: list[object] | None = None,
) -> Result:
    """Load, validate, analyse and check one model; `settings` are the configured rules'.

    Notes for the user (one line each) go to `note`, else to stderr. The analysed
    model goes to `keep` when it is given, instead of being freed on return: a
    process that ends without a teardown (archlint.cli.console) then never frees
    its millions of objects one by one.
    """
    with without_cycle_collection():
        facts = analyse(path, as_of, limits)
        if keep is not None:
            keep.append(facts)
        note_future_drills(path, facts, note or print_note)
        return run(facts.model, facts, all_rules, rules, settings)


def print_note(line: str) -> None:
    print(line, file=sys.stderr)


def note_future_drills(path: Path, facts: Facts, note: Callable[[str], None]) -> None:
    """Say on stderr that drills dated after the as-of date were ignored: a silent
    typo in a year would otherwise hide a failed drill behind a "newer" one."""
    ignored = facts.drills.ignored
    if ignored:
        names = ", ".join(f"'{drill.id}' ({drill.date.isoformat()})" for drill in ignored[:5])
        more = f" and {len(ignored) - 5} more" if len(ignored) > 5 else ""
        note(
            f"archlint: note: {path}: ignored {len(ignored)} restore drill"
            f"{'s' if len(ignored) != 1 else ''} dated after {facts.as_of.isoformat()}: "
            f"{names}{more}"
        )
