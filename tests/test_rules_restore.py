"""Restore validation and restore order rules (AL401-AL405, AL601-AL603).

The documented examples are run by test_rule_examples.py; these tests cover what
examples cannot show: evidence, options, the --as-of date and the reference model.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from archlint.engine.findings import Finding, apply_rule, run
from archlint.engine.pipeline import read_model
from archlint.engine.rule import RuleSettings
from archlint.engine.rulepack import RuleClass, load_rules
from archlint.model.entities import Criticality
from tests.conftest import AS_OF, facts_of

RULES: dict[str, RuleClass] = {rule.name: rule for rule in load_rules()}
ROOT = Path(__file__).resolve().parent.parent

MINE = {
    "missing-restore-drill": "AL401",
    "stale-restore-drill": "AL402",
    "failed-restore-drill": "AL403",
    "rto-not-met": "AL404",
    "unverified-repository": "AL405",
    "restore-dependency-cycle": "AL601",
    "implicit-dependencies": "AL602",
    "criticality-inversion": "AL603",
}

HEAD = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
"""


def check(
    write: Callable[..., Path],
    name: str,
    body: str,
    as_of: date = AS_OF,
    min_criticality: Criticality | None = None,
    **options: Any,
) -> list[Finding]:
    """The findings of one rule, with its minimum criticality and options, on HEAD + body."""
    facts = facts_of(write(HEAD + body), as_of)
    rule = RULES[name]
    settings = RuleSettings(min_criticality=min_criticality)
    return apply_rule(rule(rule.Options(**options)), facts.model, facts, settings)


def entities(findings: list[Finding]) -> list[str]:
    return sorted(finding.entity for finding in findings)


def test_ids_severities_and_kinds_are_as_assigned() -> None:
    severities = {
        "missing-restore-drill": "medium",
        "stale-restore-drill": "medium",
        "failed-restore-drill": "high",
        "rto-not-met": "high",
        "unverified-repository": "medium",
        "restore-dependency-cycle": "high",
        "implicit-dependencies": "low",
        "criticality-inversion": "medium",
    }
    for name, rule_id in MINE.items():
        rule = RULES[name]
        assert rule.id == rule_id
        assert rule.severity == severities[name]
        expected_kind = "repository" if name == "unverified-repository" else "service"
        assert rule.entity_kind == expected_kind


def test_reference_model_passes_every_restore_rule() -> None:
    path = ROOT / "models" / "reference"
    model = read_model(path)
    rules = [RULES[name] for name in MINE]
    result = run(model, facts_of(path), list(RULES.values()), rules)
    assert result.findings == ()


# missing-restore-drill


SERVICES = """
services:
  dns: {host: app, criticality: critical, depends_on: []}
  wiki: {host: app, criticality: high, depends_on: []}
  chat: {host: app, criticality: medium, depends_on: []}
"""


def test_missing_drill_threshold_is_an_option(write: Callable[..., Path]) -> None:
    assert entities(check(write, "missing-restore-drill", SERVICES)) == ["dns", "wiki"]
    critical = check(write, "missing-restore-drill", SERVICES, min_criticality="critical")
    assert entities(critical) == ["dns"]
    medium = check(write, "missing-restore-drill", SERVICES, min_criticality="medium")
    assert entities(medium) == ["chat", "dns", "wiki"]


def test_missing_drill_evidence_names_the_service(write: Callable[..., Path]) -> None:
    [finding] = check(write, "missing-restore-drill", SERVICES, min_criticality="critical")
    assert finding.evidence == (
        "service 'dns': criticality critical",
        "no drill has 'dns' in `restores`",
    )


# stale-restore-drill

STALE = """
services:
  wiki: {host: app, criticality: high, depends_on: []}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass}
"""


def test_stale_drill_is_judged_on_the_as_of_date(write: Callable[..., Path]) -> None:
    # 2026-03-01 is 270 days before AS_OF (2026-11-26), and 180 days before 2026-08-28.
    [finding] = check(write, "stale-restore-drill", STALE)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "drill '2026-03-wiki' on 2026-03-01: pass",
        "270 days before 2026-11-26 (limit 180)",
    )
    assert check(write, "stale-restore-drill", STALE, as_of=date(2026, 8, 28)) == []
    assert len(check(write, "stale-restore-drill", STALE, as_of=date(2026, 8, 29))) == 1


def test_stale_drill_age_is_an_option(write: Callable[..., Path]) -> None:
    assert check(write, "stale-restore-drill", STALE, max_age_days=270) == []
    assert len(check(write, "stale-restore-drill", STALE, max_age_days=269)) == 1


def test_stale_drill_threshold_is_an_option(write: Callable[..., Path]) -> None:
    assert check(write, "stale-restore-drill", STALE, min_criticality="critical") == []


def test_stale_drill_judges_the_newest_drill_whatever_its_result(
    write: Callable[..., Path],
) -> None:
    body = STALE + "  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: fail}\n"
    assert check(write, "stale-restore-drill", body) == []


# failed-restore-drill


def test_failed_drill_evidence_names_the_drill(write: Callable[..., Path]) -> None:
    body = """
services:
  wiki: {host: app, depends_on: []}
drills:
  b-pass: {restores: [wiki], date: 2026-09-01, result: pass}
  a-partial: {restores: [wiki], date: 2026-10-01, result: partial}
"""
    [finding] = check(write, "failed-restore-drill", body)
    assert finding.evidence == ("drill 'a-partial' on 2026-10-01: partial",)


# rto-not-met


def test_rto_evidence_names_the_drill_and_the_rto(write: Callable[..., Path]) -> None:
    body = """
services:
  wiki: {host: app, depends_on: [], rto: 4h}
drills:
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: partial, duration: 1d}
"""
    [finding] = check(write, "rto-not-met", body)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "drill '2026-10-wiki' on 2026-10-01: partial in 1d",
        "service 'wiki': rto 4h",
    )


def test_rto_skips_a_newest_drill_without_duration(write: Callable[..., Path]) -> None:
    # The newest completed drill has no duration: an older slow one is not judged.
    body = """
services:
  wiki: {host: app, depends_on: [], rto: 4h}
drills:
  2026-03-wiki: {restores: [wiki], date: 2026-03-01, result: pass, duration: 1d}
  2026-10-wiki: {restores: [wiki], date: 2026-10-01, result: pass}
"""
    assert check(write, "rto-not-met", body) == []


# unverified-repository


def test_unverified_repository_evidence_lists_its_writers(write: Callable[..., Path]) -> None:
    body = """
datastores:
  photos: {kind: files, host: app}
  db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-borg: {tool: borg, host: nas}
backups:
  photos-nightly: {source: photos, target: nas-borg, method: file, schedule: daily}
  db-dump: {source: db, target: nas-borg, method: dump, schedule: daily}
  app-image: {source: app, target: nas-borg, method: image, schedule: weekly}
"""
    [finding] = check(write, "unverified-repository", body)
    assert finding.entity == "nas-borg" and finding.kind == "repository"
    assert finding.evidence == (
        "backup 'app-image' writes to it (image of 'app')",
        "backup 'db-dump' writes to it (dump of 'db')",
        "backup 'photos-nightly' writes to it (file of 'photos')",
    )


# restore-dependency-cycle


def test_cycle_evidence_is_every_edge_of_the_cycle(write: Callable[..., Path]) -> None:
    body = """
services:
  c: {host: app, depends_on: [a]}
  b: {host: app, depends_on: [c]}
  a: {host: app, depends_on: [b]}
"""
    [finding] = check(write, "restore-dependency-cycle", body)
    assert finding.entity == "a"
    assert finding.evidence == ("'a' depends on 'b'", "'b' depends on 'c'", "'c' depends on 'a'")
    assert "a -> b -> c -> a" in finding.message


def test_cycles_are_recomputed_for_another_model(write: Callable[..., Path]) -> None:
    # The rule caches the cycles of the Facts it checks; a new Facts starts afresh.
    rule = RULES["restore-dependency-cycle"]()
    first = facts_of(write(HEAD + "services:\n  a: {host: app, depends_on: [a]}\n", "one.yaml"))
    second = facts_of(
        write(
            HEAD + "services:\n  a: {host: app, depends_on: []}\n"
            "  b: {host: app, depends_on: [c]}\n  c: {host: app, depends_on: [b]}\n",
            "two.yaml",
        )
    )
    assert entities(apply_rule(rule, first.model, first)) == ["a"]
    assert entities(apply_rule(rule, second.model, second)) == ["b"]


# implicit-dependencies


def test_implicit_dependencies_threshold_is_an_option(write: Callable[..., Path]) -> None:
    body = """
services:
  dns: {host: app, criticality: critical}
  wiki: {host: app, criticality: high}
  chat: {host: app}
  tiny: {host: app, criticality: low, depends_on: []}
"""
    assert entities(check(write, "implicit-dependencies", body)) == ["dns", "wiki"]
    low = check(write, "implicit-dependencies", body, min_criticality="low")
    assert entities(low) == ["chat", "dns", "wiki"]


# criticality-inversion


def test_inversion_names_every_less_critical_dependency(write: Callable[..., Path]) -> None:
    body = """
services:
  dns: {host: app, criticality: low, depends_on: []}
  proxy: {host: app, criticality: medium, depends_on: [dns]}
  auth: {host: app, criticality: critical, depends_on: []}
  vault: {host: app, criticality: critical, depends_on: [proxy, dns, auth]}
"""
    findings = check(write, "criticality-inversion", body)
    assert entities(findings) == ["proxy", "vault"]
    vault = next(finding for finding in findings if finding.entity == "vault")
    assert vault.evidence == (
        "'vault' (critical) depends on 'dns' (low)",
        "'vault' (critical) depends on 'proxy' (medium)",
    )
