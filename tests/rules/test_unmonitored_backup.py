"""unmonitored-backup (AL804): backups of important data, direct, copied or imaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.unmonitored_backup import UnmonitoredBackup
from tests.conftest import AS_OF, bench_facts, facts_of
from tests.rules.helpers import check_rule, facts_of_text, findings

MODELS = Path(__file__).resolve().parents[2] / "models"

MODEL = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  ledger: {kind: database, engine: postgresql, host: app, criticality: critical}
  cache: {kind: files, host: nas, criticality: low}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2: {tool: restic, in: b2-eu}
backups:
  dump: {source: ledger, target: nas-restic, method: dump, schedule: daily, monitor: {kind: email}}
  offsite: {source: nas-restic, target: b2, method: copy, schedule: daily}
  app-image: {source: app, target: nas-restic, method: image, schedule: weekly}
  cache-copy: {source: cache, target: nas-restic, method: file, schedule: daily}
"""


def test_copies_and_images_of_important_data_need_a_monitor_too() -> None:
    found = sorted(findings("unmonitored-backup", MODEL), key=lambda f: f.entity)
    assert [f.entity for f in found] == ["app-image", "offsite"]
    # Most critical first; the low-criticality data beside it is named too.
    assert found[1].evidence == (
        "datastore 'ledger': criticality critical",
        "datastore 'cache': criticality low",
    )


def test_the_threshold_is_an_option() -> None:
    low = check_rule("unmonitored-backup", MODEL, {"min-criticality": "low"})
    assert sorted(entity for _rule, entity in low) == ["app-image", "cache-copy", "offsite"]


@pytest.mark.parametrize("model", ["test", "reference", "homelab", "bench"])
def test_the_single_datastore_shortcut_finds_what_merging_finds(model: str, tmp_path: Path) -> None:
    if model == "test":
        facts = facts_of_text(MODEL, AS_OF, tmp_path)
    elif model == "bench":
        facts = bench_facts(tmp_path)
    else:
        facts = facts_of(MODELS / model)
    backups = facts.model.backups.values()
    shortcuts = [b for b in backups if b.source in facts.model.datastores]
    assert shortcuts and len(shortcuts) < len(backups)
    for backup in backups:
        merged = UnmonitoredBackup.merged_data(backup.sources, facts)
        assert UnmonitoredBackup.data_carried(backup, facts) == merged, backup.id
