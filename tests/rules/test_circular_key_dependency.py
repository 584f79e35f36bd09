"""circular-key-dependency (AL202): evidence, and the split with orphaned-key."""

from __future__ import annotations

import pytest

from archlint.engine.findings import Finding
from tests.rules.helpers import findings, rule_class

BORG_IN_VAULT = rule_class("circular-key-dependency").failing[0].model

# One key, two situations: losing the site destroys every place of the key (the vault
# and its NAS copy), which is orphaned-key's; losing the app machine leaves the vault's
# NAS copy, which needs the key itself, which is circular-key-dependency's.
GONE_AND_CIRCULAR = """
archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  vault: {kind: secrets, host: app}
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
  b2: {tool: restic, in: cloud, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [vault]}
backups:
  vault-nas: {source: vault, target: nas-restic, method: file, schedule: daily}
  photos-b2: {source: photos, target: b2, method: file, schedule: daily}
"""


def situations(finding: Finding) -> set[str]:
    """The failure/datastore pairs a key rule's evidence names ("<failure>: datastore 'x'")."""
    return {line.split(" is lost")[0] for line in finding.evidence}


def test_evidence_names_each_loss_the_data_and_the_cycle() -> None:
    (finding,) = findings("circular-key-dependency", BORG_IN_VAULT)
    assert (finding.rule, finding.entity, finding.severity) == ("AL202", "borg-pass", "critical")
    assert finding.evidence == (
        "loss of machine 'app': datastore 'vault' is lost, cycle borg-pass -> vault -> borg-pass",
        "loss of site 'home': datastore 'vault' is lost, cycle borg-pass -> vault -> borg-pass",
    )


def test_a_cycle_through_a_second_key_is_reported_on_both_keys() -> None:
    example = rule_class("circular-key-dependency").failing[1]
    found = {f.entity: f for f in findings("circular-key-dependency", example.model)}
    assert sorted(found) == ["k1", "k2"]
    assert (
        "loss of machine 'app': datastore 'photos' is lost, cycle "
        + ("k1 -> vault -> k2 -> secrets-file -> k1")
        in found["k1"].evidence
    )
    assert all(
        line.endswith("k2 -> secrets-file -> k1 -> vault -> k2") for line in found["k2"].evidence
    )


def test_orphaned_and_circular_key_never_report_the_same_situation() -> None:
    (gone,) = findings("orphaned-key", GONE_AND_CIRCULAR)
    (circular,) = findings("circular-key-dependency", GONE_AND_CIRCULAR)
    assert gone.entity == circular.entity == "restic-pass"
    assert situations(gone) == {"loss of site 'home': datastore 'photos'"}
    assert situations(circular) == {
        "loss of machine 'app': datastore 'photos'",
        "loss of machine 'app': datastore 'vault'",
    }


KEY_MODELS = {
    f"{name}-{kind}-{index}": example.model
    for name in ("orphaned-key", "circular-key-dependency")
    for kind, examples in (("fail", rule_class(name).failing), ("pass", rule_class(name).passing))
    for index, example in enumerate(examples)
} | {"gone-and-circular": GONE_AND_CIRCULAR}


@pytest.mark.parametrize("model", KEY_MODELS.values(), ids=KEY_MODELS.keys())
def test_no_example_of_either_key_rule_is_reported_twice(model: str) -> None:
    gone = {f.entity: situations(f) for f in findings("orphaned-key", model)}
    circular = {f.entity: situations(f) for f in findings("circular-key-dependency", model)}
    for key in set(gone) & set(circular):
        assert not gone[key] & circular[key]
