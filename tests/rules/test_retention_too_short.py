"""retention-too-short (AL110): only copies out of the host's reach count; the window is set."""

from __future__ import annotations

from pathlib import Path

from archlint.model.retention import retention_window
from tests.conftest import AS_OF
from tests.rules.helpers import check_rule, facts_of_text, findings, rule_class

RULE = "retention-too-short"

MODEL = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  db: {kind: database, engine: postgresql, host: app, criticality: critical}
repositories:
  nas-restic: {tool: restic, host: nas, retention: {daily: 7, monthly: 12}}
  b2: {tool: restic, in: b2-eu, immutable: true, retention: 14d}
backups:
  dump: {source: db, target: nas-restic, method: dump, schedule: daily}
  offsite: {source: nas-restic, target: b2, method: copy, schedule: daily}
"""


def test_default_window_is_30_days() -> None:
    assert rule_class("retention-too-short").Options().model_dump() == {"detection_window_days": 30}


def test_a_long_history_the_host_can_delete_does_not_count() -> None:
    # nas-restic keeps a year, but the app pushes into it: its compromise prunes it.
    [finding] = findings("retention-too-short", MODEL)
    assert finding.entity == "db"
    assert "14d" in finding.message
    assert finding.evidence == ("repository 'b2' via dump -> offsite: keeps 14d",)


def test_the_window_option_and_an_unstated_retention() -> None:
    assert check_rule("retention-too-short", MODEL, {"detection-window-days": 14}) == []
    # No retention stated: the tools keep every snapshot until told to prune.
    assert check_rule("retention-too-short", MODEL.replace(", retention: 14d", "")) == []


def test_one_rule_object_judges_each_model_by_its_own_retention(tmp_path: Path) -> None:
    # Two models with the same repository ids: nothing the rule learnt of the
    # first one's retention may stand for the second one's.
    rule = rule_class(RULE)()
    short = rule.failing[0].model
    long = short.replace("retention: {daily: 7}", "retention: {daily: 7, monthly: 12}")
    for model, reported in ((short, True), (long, False), (short, True)):
        directory = tmp_path / str(len(list(tmp_path.iterdir())))
        directory.mkdir()
        facts = facts_of_text(model, AS_OF, directory)
        datastore = facts.model.datastores["wiki-db"]
        assert bool(list(rule.check(datastore, facts))) is reported


def test_a_mapping_is_read_by_its_periods_whichever_dict_asks() -> None:
    # Mapping windows are cached by their items: equal mappings share an answer,
    # a mapping with another period does not.
    assert retention_window({"daily": 7}) == retention_window(dict([("daily", 7)]))
    window = retention_window({"daily": 7, "monthly": 12})
    assert window is not None and window.seconds == 360 * 86400
    assert retention_window({"daily": 7, "keep-bogus": 1}) is None
    again = retention_window({"daily": 7})
    assert again is not None and again.seconds == 7 * 86400
