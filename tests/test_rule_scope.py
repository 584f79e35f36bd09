"""What the engine does for every rule: the kind it checks, its minimum criticality, its fix."""

from __future__ import annotations

import inspect
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.engine.config import load_config, rule_settings
from archlint.engine.findings import Finding, Result, run
from archlint.engine.pipeline import read_model
from archlint.engine.rulepack import load_pack, load_rules
from archlint.model.errors import Location, UsageError
from archlint.reporters import REPORTERS, Style
from tests.conftest import Run, facts_of
from tests.rules.helpers import check_rule

Archlint = Callable[..., Run]
RULES = {rule.name: rule for rule in load_rules()}

# Two datastores of medium criticality (the default) protected only by snapshots,
# and one high.
SNAPSHOTS = """archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, criticality: high}
  music: {kind: files, in: tank}
backups:
  photos-hourly: {source: photos, method: snapshot, schedule: hourly}
  music-hourly: {source: music, method: snapshot, schedule: hourly}
"""
MODEL = "archlint: 1\\ndomains:\\n  home: {kind: site}\\nhosts:\\n  box: {kind: nas, in: home}\\n"
# A rule pack module; {base} is the class it subclasses, {body} more class attributes.
PACK_RULE = """from collections.abc import Iterator

from pydantic import Field

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule, RuleOptions, at_least
from archlint.model.entities import Criticality, Entity, Host, Service

MODEL = "{model}"


class Mine({base}):
    id = "XY001"
    name = "mine"
    severity = "low"
    summary = "A test rule."
    rationale = "Only a test."
    remediation = "None."
    failing = (Example(model=MODEL, description="A NAS is reported.", findings=("box",)),)
    passing = (Example(model=MODEL.replace("nas", "server"), description="A server is not."),)
{body}
    def check(self, entity: Entity, facts: Facts) -> Iterator[Problem]:
        if getattr(entity, "kind", None) == "nas":
            yield Problem("is a NAS", fix="use a server")
"""


LEGACY_OPTION = """
    class Options(RuleOptions):
        min_criticality: Criticality = Field(default="low")

    options: Options

"""
LEGACY_GUARD = "at_least(facts.service_criticality(entity), self.options.min_criticality)"
ONE_SERVICE = """archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, criticality: medium, depends_on: []}
"""


def pack(tmp_path: Path, base: str, body: str = "") -> Path:
    directory = tmp_path / "pack"
    directory.mkdir(exist_ok=True)
    text = PACK_RULE.format(model=MODEL, base=base, body=body)
    (directory / "mine.py").write_text(text, encoding="utf-8")
    return directory


def reported(result: Run) -> list[str]:
    assert result.code in (0, 1), result.err
    return [finding["entity"] for finding in json.loads(result.out)["findings"]]


# The kind a rule checks comes from its type parameter.


def test_built_in_rules_take_their_kind_from_the_type_parameter() -> None:
    kinds = {name: rule.entity_kind for name, rule in RULES.items()}
    assert kinds["single-domain-copies"] == "datastore"
    assert kinds["backup-on-live-storage"] == "backup"
    assert kinds["unused-key"] == "key"
    assert kinds["expired-waiver"] == "entity"
    assert not any("entity_kind =" in inspect.getsource(rule) for rule in RULES.values())


@pytest.mark.parametrize(("base", "kind"), [("Rule[Host]", "host"), ("Rule[Entity]", "entity")])
def test_a_pack_rule_takes_its_kind_from_the_type_parameter(
    tmp_path: Path, base: str, kind: str
) -> None:
    (rule,) = load_pack(pack(tmp_path, base))
    assert rule.entity_kind == kind


def test_a_pack_rule_that_still_sets_its_kind_keeps_it(tmp_path: Path) -> None:
    (rule,) = load_pack(pack(tmp_path, "Rule", '    entity_kind = "host"\n'))
    assert rule.entity_kind == "host"


def test_a_pack_rule_without_a_kind_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"subclass Rule with the entity class it checks"):
        load_pack(pack(tmp_path, "Rule"))


# Minimum criticality: a rule's default, and the configuration's override.


def test_rules_declare_their_minimum_criticality() -> None:
    assert RULES["missing-restore-drill"].min_criticality == "high"
    assert RULES["single-domain-copies"].min_criticality == "medium"
    assert RULES["snapshot-only"].min_criticality is None


@pytest.mark.parametrize(
    ("config", "entities"),
    [
        ("", ["photos", "music"]),
        ('min-criticality = "high"', ["photos"]),
        ('min-criticality = "critical"', []),
    ],
)
def test_min_criticality_applies_to_a_rule_without_a_default(
    archlint: Archlint,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    entities: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archlint.yaml").write_text(SNAPSHOTS, encoding="utf-8")
    (tmp_path / "archlint.toml").write_text(f"[rules.snapshot-only]\n{config}\n", encoding="utf-8")
    result = archlint("check", "--select", "snapshot-only", "--format", "json")
    assert reported(result) == entities


def test_min_criticality_lowers_a_rule_default(
    archlint: Archlint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archlint.yaml").write_text(SNAPSHOTS, encoding="utf-8")
    select = ("check", "--select", "no-immutable-copy", "--format", "json")
    assert reported(archlint(*select)) == ["photos"]  # the rule's default: high
    (tmp_path / "archlint.toml").write_text(
        '[rules.no-immutable-copy]\nmin-criticality = "low"\n', encoding="utf-8"
    )
    assert reported(archlint(*select)) == ["photos", "music"]


def test_min_criticality_is_unknown_for_kinds_without_criticality(
    archlint: Archlint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archlint.yaml").write_text(SNAPSHOTS, encoding="utf-8")
    (tmp_path / "archlint.toml").write_text(
        '[rules.unused-key]\nmin-criticality = "high"\n', encoding="utf-8"
    )
    result = archlint("check")
    assert result.code == 2 and "[rules.unused-key]: unknown key 'min-criticality'" in result.err


def test_a_minimum_criticality_on_a_kind_without_one_is_rejected(tmp_path: Path) -> None:
    body = '    min_criticality = "high"\n'
    with pytest.raises(UsageError, match=r"`min_criticality` is only for rules on services"):
        load_pack(pack(tmp_path, "Rule[Host]", body))


def test_a_pack_rule_with_its_own_min_criticality_option_keeps_it(
    archlint: Archlint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written before the engine applied the minimum: the key stays the rule's option.
    text = (
        PACK_RULE.format(model=MODEL, base="Rule[Host]", body=LEGACY_OPTION)
        .replace("Host", "Service")
        .replace('getattr(entity, "kind", None) == "nas"', LEGACY_GUARD)
    )
    directory = tmp_path / "pack"
    directory.mkdir()
    (directory / "mine.py").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "archlint.yaml").write_text(ONE_SERVICE, encoding="utf-8")
    select = ("check", "--rules", str(directory), "--select", "mine", "--format", "json")
    assert reported(archlint(*select)) == ["wiki"]
    config = tmp_path / "archlint.toml"
    config.write_text('[rules.mine]\nmin-criticality = "high"\n', encoding="utf-8")
    assert reported(archlint(*select)) == []
    settings = rule_settings(load_config(config), load_rules((directory,)))["XY001"]
    assert settings.min_criticality is None
    assert getattr(settings.options, "min_criticality", None) == "high"


def test_explain_lists_the_minimum_criticality(archlint: Archlint) -> None:
    result = archlint("explain", "missing-restore-drill")
    assert result.code == 0
    assert "min-criticality (default: high): Ignore services below this criticality." in (
        result.out
    )


# The fix: separate from the message, and not part of the finding's identity.


def test_every_built_in_finding_has_a_fix_apart_from_its_message(
    archlint: Archlint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    result = archlint("check", "models/homelab", "--format", "json", "--as-of", "2026-11-26")
    findings = json.loads(result.out)["findings"]
    assert {finding["name"] for finding in findings} >= {"orphaned-key", "rpo-not-met"}
    for finding in findings:
        assert finding["fix"], finding
        assert finding["fix"] not in finding["message"]


def test_the_fix_is_not_in_the_fingerprint(write: Callable[..., Path]) -> None:
    path = write(SNAPSHOTS)
    rules = load_rules()
    found = run(read_model(path), facts_of(path), rules, rules).findings
    assert found and all(finding.fix for finding in found)
    for finding in found:
        assert finding._replace(fix="another fix").fingerprint == finding.fingerprint


HOSTILE_FIX = "set `key: k` | <b>bold</b>\n::error::forged {0}"


def test_every_format_shows_the_fix_and_keeps_it_inert() -> None:
    finding = Finding(
        location=Location("home.yaml", 9, 3),
        rule="AL101",
        name="single-domain-copies",
        entity="photos",
        kind="datastore",
        severity="high",
        message="a message",
        fix=HOSTILE_FIX,
    )
    result = Result(findings=(finding,), waived=(), rules=(), entities=1)
    out = {name: render(result, Style()) for name, render in REPORTERS.items()}
    assert out["text"].splitlines()[:2] == [
        "home.yaml:9:3: high single-domain-copies photos: a message",
        "  help: set `key: k` | <b>bold</b>\\n::error::forged {0}",
    ]
    assert json.loads(out["json"])["findings"][0]["fix"] == HOSTILE_FIX
    (sarif_result,) = json.loads(out["sarif"])["runs"][0]["results"]
    assert sarif_result["message"]["text"] == (
        "a message. Fix: set `key: k` | <b>bold</b>\n::error::forged {{0}}."
    )
    (command,) = [line for line in out["github"].splitlines() if line.startswith("::")]
    assert command.endswith("::a message%0AFix: set `key: k` | <b>bold</b>%0A::error::forged {0}")
    (issue,) = json.loads(out["gitlab"])
    assert issue["description"] == f"single-domain-copies: a message. Fix: {HOSTILE_FIX}."
    failure = next(ET.fromstring(out["junit"]).iter("failure"))
    assert "\nfix: set `key: k` | <b>bold</b>\\n::error::forged {0}" in str(failure.text)
    assert (
        "<b>" not in out["markdown"]
        and "a message<br>Fix: set \\`key: k\\` \\|" in (out["markdown"])
    )


# A search index a critical service needs: no backup at all, or one copy on a NAS.
NO_COPY = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  search: {host: app, criticality: critical, data: [search-index]}
datastores:
  search-index: {kind: files, host: app, path: /var/lib/index, rebuildable: REBUILDABLE}
"""
ONE_COPY = (
    NO_COPY
    + """
repositories:
  nas-restic: {tool: restic, host: app}
backups:
  index-nightly: {source: search-index, target: nas-restic, method: file, schedule: daily}
"""
)


@pytest.mark.parametrize(
    ("rule_name", "model"), [("unprotected-data", NO_COPY), ("insufficient-copies", ONE_COPY)]
)
def test_rebuildable_data_is_exempt_from_the_copy_rules(rule_name: str, model: str) -> None:
    rule = next(r for r in load_rules() if r.name == rule_name)
    assert rule.about_copies
    assert check_rule(rule, model.replace("REBUILDABLE", "false")) == [(rule_name, "search-index")]
    assert check_rule(rule, model.replace("REBUILDABLE", "true")) == []
