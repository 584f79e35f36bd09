"""Run one rule on a model, with options and a date, as a rule's tests need it."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from archlint.analysis.facts import Facts
from archlint.engine.config import settings_from_options
from archlint.engine.findings import Finding, apply_rule, run
from archlint.engine.pipeline import read_model
from archlint.engine.rule import Example
from archlint.engine.rulepack import RuleClass, load_rules
from tests.conftest import AS_OF

RULES: tuple[RuleClass, ...] = tuple(load_rules())
BY_HANDLE: dict[str, RuleClass] = {
    handle: rule for rule in RULES for handle in (rule.id, rule.name)
}

# The start of many test models: one site, an app server and a NAS.
HOME = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
"""


def rule_class(rule: str | RuleClass) -> RuleClass:
    """A built-in rule by name or id, or the rule itself."""
    return BY_HANDLE[rule] if isinstance(rule, str) else rule


def facts_of_text(model: str, as_of: date, directory: Path) -> Facts:
    path = directory / "archlint.yaml"
    path.write_text(model, encoding="utf-8")
    return Facts(read_model(path), as_of)


def findings(
    rule: str | RuleClass,
    model: str,
    options: Mapping[str, object] | None = None,
    as_of: date = AS_OF,
) -> list[Finding]:
    """The rule's findings on the model, sorted, before any waiver.

    Option names are written as in a configuration, kebab- or snake-case.
    """
    checked = rule_class(rule)
    settings = settings_from_options(checked, options or {}, "test options")
    with tempfile.TemporaryDirectory() as directory:
        facts = facts_of_text(model, as_of, Path(directory))
        return sorted(apply_rule(checked(settings.options), facts.model, facts, settings))


def check_rule(
    rule: str | RuleClass,
    model: str,
    options: Mapping[str, object] | None = None,
    as_of: date = AS_OF,
) -> list[tuple[str, str]]:
    """(rule name, entity id) of each finding of the rule on the model."""
    return [(f.name, f.entity) for f in findings(rule, model, options, as_of)]


def entities(found: list[Finding]) -> list[str]:
    return sorted(finding.entity for finding in found)


def run_example(rule: RuleClass, example: Example) -> list[tuple[str, str]]:
    """What the engine reports for a documented example: with its options and
    date, and after the waivers it declares (which may name any rule)."""
    settings = {rule.id: settings_from_options(rule, example.options, f"{rule.name} example")}
    with tempfile.TemporaryDirectory() as directory:
        facts = facts_of_text(example.model, example.as_of or AS_OF, Path(directory))
        result = run(facts.model, facts, RULES, [rule], settings)
    return sorted((finding.name, finding.entity) for finding in result.findings)


# Two datastores, each with the copies some rules count: 'wiki' (high) in a
# NAS repository, its off-site copy and a snapshot; 'notes' (medium) in a
# snapshot only.
THREE_COPIES = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki: {kind: files, host: app, criticality: high}
  notes: {kind: files, host: app, criticality: medium}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-offsite: {tool: restic, in: b2-eu}
backups:
  wiki-restic: {source: wiki, target: nas-restic, method: file, schedule: daily}
  wiki-snapshots: {source: wiki, method: snapshot, schedule: hourly}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
  notes-snapshots: {source: notes, method: snapshot, schedule: hourly}
"""

# A repository written to without a schedule ('usb') and one never written to.
TWO_REPOSITORIES = """
archlint: 1
domains:
  home: {kind: site}
  b2: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  usb: {tool: restic, in: b2}
  b2-bucket: {tool: s3, in: b2}
backups:
  photos-usb: {source: photos, target: usb, method: file}
"""
