"""The stages in order: load, validate, analyse, check.

A newcomer can read a run of `archlint check` from here: each function calls
the stage modules in the order data flows through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from archlint.facts import Facts
from archlint.findings import Result, run
from archlint.load import Limits, load_model
from archlint.model import Model
from archlint.rulepack import RuleClass
from archlint.validate import validate


def read_model(path: Path, limits: Limits | None = None) -> Model:
    """Load and validate one model; raises InvalidModel with every error."""
    documents = load_model(path, limits or Limits())
    return validate(documents, root_is_file=path.is_file())


def analyse(path: Path, as_of: date, limits: Limits | None = None) -> Facts:
    """Load, validate and analyse one model: the facts every command reads."""
    return Facts(read_model(path, limits), as_of)


def check_model(
    path: Path,
    all_rules: Sequence[RuleClass],
    rules: Sequence[RuleClass],
    as_of: date,
    limits: Limits | None = None,
) -> Result:
    facts = analyse(path, as_of, limits)
    return run(facts.model, facts, all_rules, rules)
