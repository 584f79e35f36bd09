"""Loading rule packs: directories of rule modules.

The built-in pack (the repository's `rules/`, shipped as archlint.builtin_rules)
and a user's own packs load the same way: every `*.py` file of the directory
whose name does not start with `_` is imported by path and must define exactly
one Rule subclass. A rule pack is code: only packs named by the user load.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from archlint.engine.packfiles import builtin_pack_directory
from archlint.engine.rule import ENTITY_KINDS, KINDS_WITH_CRITICALITY, SEVERITIES, Rule
from archlint.model.entities import CRITICALITIES
from archlint.model.errors import UsageError

RuleClass = type[Rule[Any]]
ID_PATTERN = re.compile(r"[A-Z]{2,8}[0-9]{3,4}")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
REQUIRED = ("summary", "rationale", "remediation")


def load_rules(extra_packs: tuple[Path, ...] = ()) -> list[RuleClass]:
    """The built-in rules and those of `extra_packs`, sorted by id; ids and names unique."""
    rules = load_pack(builtin_pack_directory())
    for directory in extra_packs:
        rules += load_pack(directory)
    check_unique(rules)
    return sorted(rules, key=lambda rule: rule.id)


def load_pack(directory: Path) -> list[RuleClass]:
    if not directory.is_dir():
        raise UsageError(f"{directory}: rule pack directory not found")
    prefix = "archlint_pack_" + hashlib.sha1(str(directory.resolve()).encode()).hexdigest()[:10]
    rules = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = import_by_path(f"{prefix}.{path.stem}", path)
        rules.append(rule_of(module, path))
    return rules


def import_by_path(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{path}: cannot be imported as a rule module")
    module = importlib.util.module_from_spec(spec)
    # Registered first, as a normal import would, so pydantic and dataclasses
    # can resolve the module's annotations.
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a rule pack is code: whatever it raises, say where
        del sys.modules[name]
        raise UsageError(
            f"{path}: the rule module failed to load: {type(error).__name__}: {error}"
        ) from None
    return module


def rule_of(module: ModuleType, path: Path) -> RuleClass:
    classes = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, Rule)
        and value is not Rule
        and value.__module__ == module.__name__
    ]
    if len(classes) != 1:
        raise UsageError(
            f"{path}: a rule module defines exactly one Rule subclass, found {len(classes)}"
        )
    rule = classes[0]
    check_rule(rule, path)
    return rule


def check_rule(rule: RuleClass, path: Path) -> None:
    """A rule pack is trusted code, but a mistake in it should read like one."""
    problems = []
    if not ID_PATTERN.fullmatch(getattr(rule, "id", "")):
        problems.append("`id` must look like AL101 (letters then digits)")
    if not NAME_PATTERN.fullmatch(getattr(rule, "name", "")):
        problems.append("`name` must be a lower-case slug such as single-domain-copies")
    if getattr(rule, "severity", None) not in SEVERITIES:
        problems.append(f"`severity` must be one of {', '.join(SEVERITIES)}")
    kind = getattr(rule, "entity_kind", None)
    if kind not in ENTITY_KINDS:
        problems.append(
            "subclass Rule with the entity class it checks, e.g. Rule[Datastore] "
            "(Entity for every kind)"
        )
    minimum = getattr(rule, "min_criticality", None)
    if minimum is not None and minimum not in CRITICALITIES:
        problems.append(f"`min_criticality` must be one of {', '.join(CRITICALITIES)}")
    elif minimum is not None and kind not in KINDS_WITH_CRITICALITY:
        problems.append("`min_criticality` is only for rules on services or datastores")
    problems += [f"`{attr}` is missing" for attr in REQUIRED if not getattr(rule, attr, "")]
    if not getattr(rule, "failing", ()) or not getattr(rule, "passing", ()):
        problems.append("a rule needs at least one failing and one passing example")
    if problems:
        raise UsageError(f"{path}: invalid rule: " + "; ".join(problems))


def check_unique(rules: list[RuleClass]) -> None:
    seen: dict[str, RuleClass] = {}
    for rule in rules:
        for handle in (rule.id, rule.name):
            other = seen.get(handle)
            if other is not None:
                raise UsageError(
                    f"rule '{handle}' is defined twice "
                    f"({inspect.getfile(other)} and {inspect.getfile(rule)})"
                )
            seen[handle] = rule
