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


def check_model(
    path: Path,
    all_rules: Sequence[RuleClass],
    rules: Sequence[RuleClass],
    as_of: date,
    limits: Limits | None = None,
) -> Result:
    model = read_model(path, limits)
    facts = Facts(model, as_of)
    return run(model, facts, all_rules, rules)
