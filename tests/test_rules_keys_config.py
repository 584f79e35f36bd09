"""Rules of keys, RPO, configuration and hygiene: what their documented examples cannot show."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.engine.findings import Finding, apply_rule
from archlint.engine.rule import DEFAULT_SETTINGS, RuleOptions, RuleSettings
from archlint.engine.rulepack import load_rules
from archlint.model.entities import Criticality
from tests.conftest import Run, facts_of

Write = Callable[..., Path]
Archlint = Callable[..., Run]
RULES = {rule.name: rule for rule in load_rules()}


def findings(
    path: Path,
    name: str,
    options: RuleOptions | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    facts = facts_of(path)
    return sorted(apply_rule(RULES[name](options), facts.model, facts, settings))


def situations(finding: Finding) -> set[str]:
    """The failure/datastore pairs a key rule's evidence names ("<failure>: datastore 'x'")."""
    return {line.split(" is lost")[0] for line in finding.evidence}


# --- circular-key-dependency -------------------------------------------------------

BORG_IN_VAULT = """
archlint: 1
domains:
  home: {kind: site}
  hetzner: {kind: site, provider: hetzner}
hosts:
  app: {kind: server, in: home}
  vps: {kind: vm, in: hetzner}
datastores:
  vault: {kind: secrets, host: app}
repositories:
  vps-borg: {tool: borg, host: vps, key: borg-pass}
keys:
  borg-pass: {kind: passphrase, stored_in: [vault]}
backups:
  vault-borg: {source: vault, target: vps-borg, method: dump, schedule: daily}
"""

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


def test_circular_key_evidence_names_each_loss_the_data_and_the_cycle(write: Write) -> None:
    (finding,) = findings(write(BORG_IN_VAULT), "circular-key-dependency")
    assert (finding.rule, finding.entity, finding.severity) == ("AL202", "borg-pass", "critical")
    assert finding.evidence == (
        "loss of machine 'app': datastore 'vault' is lost, cycle borg-pass -> vault -> borg-pass",
        "loss of site 'home': datastore 'vault' is lost, cycle borg-pass -> vault -> borg-pass",
    )


def test_a_cycle_through_a_second_key_is_reported_on_both_keys(write: Write) -> None:
    example = RULES["circular-key-dependency"].failing[1]
    found = {f.entity: f for f in findings(write(example.model), "circular-key-dependency")}
    assert sorted(found) == ["k1", "k2"]
    assert (
        "loss of machine 'app': datastore 'photos' is lost, cycle "
        + ("k1 -> vault -> k2 -> secrets-file -> k1")
        in found["k1"].evidence
    )
    assert all(
        line.endswith("k2 -> secrets-file -> k1 -> vault -> k2") for line in found["k2"].evidence
    )


def test_orphaned_and_circular_key_never_report_the_same_situation(write: Write) -> None:
    path = write(GONE_AND_CIRCULAR)
    (gone,) = findings(path, "orphaned-key")
    (circular,) = findings(path, "circular-key-dependency")
    assert gone.entity == circular.entity == "restic-pass"
    assert situations(gone) == {"loss of site 'home': datastore 'photos'"}
    assert situations(circular) == {
        "loss of machine 'app': datastore 'photos'",
        "loss of machine 'app': datastore 'vault'",
    }


KEY_MODELS = {
    f"{name}-{kind}-{index}": example.model
    for name in ("orphaned-key", "circular-key-dependency")
    for kind, examples in (("fail", RULES[name].failing), ("pass", RULES[name].passing))
    for index, example in enumerate(examples)
} | {"gone-and-circular": GONE_AND_CIRCULAR}


@pytest.mark.parametrize("model", KEY_MODELS.values(), ids=KEY_MODELS.keys())
def test_no_example_of_either_key_rule_is_reported_twice(write: Write, model: str) -> None:
    path = write(model)
    gone = {f.entity: situations(f) for f in findings(path, "orphaned-key")}
    circular = {f.entity: situations(f) for f in findings(path, "circular-key-dependency")}
    for key in set(gone) & set(circular):
        assert not gone[key] & circular[key]


def test_an_unused_key_is_only_unused_key_business(write: Write) -> None:
    path = write(
        """
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
keys:
  old-gpg-key: {kind: gpg, stored_in: [nas]}
"""
    )
    assert [f.entity for f in findings(path, "unused-key")] == ["old-gpg-key"]
    assert findings(path, "circular-key-dependency") == []
    assert findings(path, "orphaned-key") == []


# --- rpo-not-met -------------------------------------------------------------------


def test_rpo_evidence_lists_the_chain_and_the_sum(write: Write) -> None:
    example = RULES["rpo-not-met"].failing[1]
    (finding,) = findings(write(example.model), "rpo-not-met")
    assert finding.entity == "photos"
    assert finding.evidence == (
        "backup 'photos-restic' (daily) -> repository 'nas-restic'",
        "backup 'offsite' (daily) -> repository 'b2-offsite'",
        "worst-case loss 2d > rpo 24h of service 'immich'",
    )


def test_rpo_uses_the_smallest_rpo_of_the_services(write: Write) -> None:
    example = RULES["rpo-not-met"].failing[0]
    (finding,) = findings(write(example.model), "rpo-not-met")
    assert finding.evidence[-1] == "worst-case loss 7d > rpo 24h of service 'shop'"


def test_rpo_without_any_chain_off_the_machine_says_so(write: Write) -> None:
    example = RULES["rpo-not-met"].failing[2]
    (finding,) = findings(write(example.model), "rpo-not-met")
    assert finding.entity == "hass-db"
    assert finding.evidence == (
        "no scheduled chain from 'hass-db' leaves machine 'pve'",
        "backup 'hass-db-manual' (no schedule) -> repository 'nas-restic'",
        "backup 'hass-vzdump' (daily) -> repository 'pve-local'",
        "rpo 24h of service 'home-assistant'",
    )


@pytest.mark.parametrize(("schedule", "reported"), [("6h", []), ("7h", ["db"])])
def test_rpo_is_missed_only_when_the_loss_is_strictly_greater(
    write: Write, schedule: str, reported: list[str]
) -> None:
    path = write(
        f"""
archlint: 1
domains:
  home: {{kind: site}}
hosts:
  app: {{kind: server, in: home}}
  nas: {{kind: nas, in: home}}
services:
  shop: {{host: app, rpo: 6h, data: [db]}}
datastores:
  db: {{kind: database, host: app}}
repositories:
  nas-restic: {{tool: restic, host: nas}}
backups:
  db-dump: {{source: db, target: nas-restic, method: dump, schedule: {schedule}}}
"""
    )
    assert [f.entity for f in findings(path, "rpo-not-met")] == reported


# --- configuration and hosts -------------------------------------------------------

CONFIGS = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  jellyfin: {host: app, criticality: low, data: [jellyfin-config]}
  wiki: {host: app, criticality: medium, data: [wiki-compose, wiki-env]}
datastores:
  jellyfin-config: {kind: config, host: app}
  wiki-compose: {kind: config, format: compose, host: app}
  wiki-env: {kind: config, format: env, host: app}
"""


def test_unprotected_config_names_every_unprotected_config(write: Write) -> None:
    (finding,) = findings(write(CONFIGS), "unprotected-config")
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "config datastore 'wiki-compose': no protection",
        "config datastore 'wiki-env': no protection",
    )


@pytest.mark.parametrize(
    ("minimum", "reported"), [("low", ["jellyfin", "wiki"]), ("medium", ["wiki"]), ("high", [])]
)
def test_unprotected_config_threshold_is_an_option(
    write: Write, minimum: Criticality, reported: list[str]
) -> None:
    settings = RuleSettings(min_criticality=minimum)
    found = findings(write(CONFIGS), "unprotected-config", settings=settings)
    assert sorted(f.entity for f in found) == reported


def test_unprotected_config_does_not_count_other_kinds(write: Write) -> None:
    path = write(
        """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, data: [wiki-db]}
datastores:
  wiki-db: {kind: database, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
"""
    )
    (finding,) = findings(path, "unprotected-config")
    assert finding.evidence == ("data: wiki-db",)


def test_config_not_versioned_names_the_protections_that_keep_no_history(write: Write) -> None:
    example = RULES["config-not-versioned"].failing[1]
    (finding,) = findings(write(example.model), "config-not-versioned")
    assert finding.entity == "hass-config"
    assert finding.evidence == ("backup 'hass-image': method image",)


def test_unprotected_host_evidence_shows_services_on_its_vms(write: Write) -> None:
    example = RULES["unprotected-host"].failing[0]
    found = {f.entity: f.evidence for f in findings(write(example.model), "unprotected-host")}
    assert found == {
        "docker": ("service 'wiki' on host 'docker'",),
        "pve": ("service 'wiki' on host 'docker' (a VM of 'pve')",),
    }


# --- hygiene -----------------------------------------------------------------------

WAIVED = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  media:
    kind: files
    host: nas
    waive:
      - {rule: snapshot-only, reason: films can be ripped again, until: 2026-09-30}
      - {rule: AL101, reason: one site is enough for films, until: 2026-10-31}
backups:
  media-snapshots: {source: media, method: snapshot, schedule: daily}
"""


def reported(run: Run) -> list[tuple[str, str]]:
    return [(f["name"], f["entity"]) for f in json.loads(run.out)["findings"]]


def test_expired_waiver_and_the_waived_finding_are_both_reported(
    archlint: Archlint, write: Write
) -> None:
    path = write(WAIVED)
    select = "expired-waiver,snapshot-only"
    run = archlint("check", path, "--as-of", "2026-10-01", "--select", select, "--format", "json")
    assert run.code == 1
    assert sorted(reported(run)) == [("expired-waiver", "media"), ("snapshot-only", "media")]


def test_a_waiver_still_waives_on_its_until_day(archlint: Archlint, write: Write) -> None:
    path = write(WAIVED)
    select = "expired-waiver,snapshot-only"
    run = archlint("check", path, "--as-of", "2026-09-30", "--select", select, "--format", "json")
    assert (run.code, reported(run)) == (0, [])


def test_one_expired_waiver_finding_per_waiver(write: Write) -> None:
    found = findings(write(WAIVED), "expired-waiver")  # as of 2026-11-26: both expired
    assert sorted(f.evidence for f in found) == [
        ("waiver of 'AL101' until 2026-10-31", "as of 2026-11-26"),
        ("waiver of 'snapshot-only' until 2026-09-30", "as of 2026-11-26"),
    ]
    assert {(f.rule, f.entity, f.severity) for f in found} == {("AL801", "media", "low")}


def test_unused_repository_and_unscheduled_backup(write: Write) -> None:
    path = write(
        """
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
    )
    assert [f.entity for f in findings(path, "unused-repository")] == ["b2-bucket"]
    (unscheduled,) = findings(path, "unscheduled-backup")
    assert unscheduled.entity == "photos-usb"
    assert unscheduled.evidence == ("backup 'photos-usb': photos -> repository 'usb', no schedule",)
