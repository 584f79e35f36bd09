"""Copies, failure domains and consistency: what the rules' examples cannot show.

Messages naming hosts, evidence contents and option changes; the examples in
each rule module cover which entities are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archlint.engine.findings import Finding, apply_rule, run
from archlint.engine.rule import Rule, RuleSettings
from archlint.engine.rulepack import load_rules
from archlint.model.entities import Criticality
from tests.conftest import facts_of

Write = Callable[..., Path]
ROOT = Path(__file__).resolve().parent.parent
RULES = {rule.name: rule for rule in load_rules()}
MY_NAMES = {
    "backup-on-live-storage",
    "unprotected-data",
    "insufficient-copies",
    "unencrypted-offsite-copy",
    "no-immutable-copy",
    "single-host-compromise",
    "inconsistent-database-backup",
}


Checker = tuple[Rule[Any], RuleSettings]


def rule(name: str, min_criticality: Criticality | None = None, **options: Any) -> Checker:
    """The rule named `name`, with its minimum criticality and `options` changed."""
    rule_class = RULES[name]
    return rule_class(rule_class.Options(**options)), RuleSettings(min_criticality=min_criticality)


def findings(checker: Checker, path: Path) -> list[Finding]:
    facts = facts_of(path)
    checked, settings = checker
    return sorted(apply_rule(checked, facts.model, facts, settings))


def reported(checker: Checker, path: Path) -> list[str]:
    return [finding.entity for finding in findings(checker, path)]


def test_ids_names_and_severities_are_as_assigned() -> None:
    assigned = {
        (RULES[name].id, name, RULES[name].severity, RULES[name].entity_kind) for name in MY_NAMES
    }
    assert assigned == {
        ("AL103", "backup-on-live-storage", "high", "backup"),
        ("AL104", "unprotected-data", "high", "datastore"),
        ("AL105", "insufficient-copies", "medium", "datastore"),
        ("AL106", "unencrypted-offsite-copy", "high", "repository"),
        ("AL107", "no-immutable-copy", "medium", "datastore"),
        ("AL108", "single-host-compromise", "high", "datastore"),
        ("AL301", "inconsistent-database-backup", "high", "datastore"),
    }


def test_default_options() -> None:
    assert RULES["unprotected-data"].min_criticality == "medium"
    assert RULES["insufficient-copies"].min_criticality == "high"
    assert RULES["insufficient-copies"].Options().model_dump() == {"min_copies": 3}
    assert RULES["no-immutable-copy"].min_criticality == "high"
    assert RULES["single-host-compromise"].min_criticality == "high"


# backup-on-live-storage

VM_DATA_ON_HYPERVISOR = """
archlint: 1
domains:
  home: {kind: site}
  pve-ssd: {kind: disk, in: pve}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
datastores:
  wiki: {kind: files, host: app}
repositories:
  pve-local: {tool: restic, in: pve-ssd}
backups:
  wiki-restic: {source: wiki, target: pve-local, method: file, schedule: daily}
"""


def test_backup_of_vm_data_onto_its_hypervisor_names_the_machine(write: Write) -> None:
    [finding] = findings(rule("backup-on-live-storage"), write(VM_DATA_ON_HYPERVISOR))
    assert finding.entity == "wiki-restic"
    assert finding.evidence == (
        "source 'wiki' on machine 'pve'",
        "target 'pve-local' on machine 'pve'",
    )


def test_offline_source_disk_does_not_share_the_machine(write: Write) -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
  usb: {kind: disk, in: nas, offline: true}
hosts:
  nas: {kind: nas, in: home}
datastores:
  archive: {kind: files, in: usb}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  archive-restic: {source: archive, target: nas-restic, method: file}
"""
    assert reported(rule("backup-on-live-storage"), write(model)) == []


# unprotected-data

UNPROTECTED = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
  bucket: {kind: object-store, in: b2-eu}
  cache: {kind: files, host: app, criticality: low}
"""


def test_unprotected_data_evidence_names_the_missing_image(write: Write) -> None:
    by_entity = {f.entity: f for f in findings(rule("unprotected-data"), write(UNPROTECTED))}
    assert sorted(by_entity) == ["bucket", "wiki-db"]
    assert by_entity["wiki-db"].evidence == (
        "no backup has source 'wiki-db'",
        "no image backup of host 'app'",
    )
    # Data at a provider has no host, so there is no image to ask for.
    assert by_entity["bucket"].evidence == ("no backup has source 'bucket'",)


def test_unprotected_data_threshold_is_an_option(write: Write) -> None:
    path = write(UNPROTECTED)
    low = rule("unprotected-data", min_criticality="low")
    assert sorted(reported(low, path)) == ["bucket", "cache", "wiki-db"]
    assert reported(rule("unprotected-data", min_criticality="high"), path) == []


# insufficient-copies

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


def test_insufficient_copies_counts_live_data_and_each_repository(write: Write) -> None:
    path = write(THREE_COPIES)
    assert reported(rule("insufficient-copies"), path) == []
    [finding] = findings(rule("insufficient-copies", min_copies=4), path)
    assert finding.entity == "wiki"
    # The snapshot is not listed: it is no copy in this count.
    assert finding.evidence == (
        "live data 'wiki'",
        "repository 'nas-restic' via wiki-restic",
        "repository 'b2-offsite' via wiki-restic -> offsite",
    )


def test_insufficient_copies_threshold_is_an_option(write: Write) -> None:
    path = write(THREE_COPIES)
    medium = rule("insufficient-copies", min_criticality="medium")
    [finding] = findings(medium, path)
    assert (finding.entity, finding.evidence) == ("notes", ("live data 'notes'",))
    relaxed = rule("insufficient-copies", min_criticality="medium", min_copies=1)
    assert reported(relaxed, path) == []


def test_insufficient_copies_rejects_a_nonsense_number() -> None:
    with pytest.raises(ValueError):
        RULES["insufficient-copies"].Options(min_copies=0)


# unencrypted-offsite-copy

MIXED_BUCKET = """
archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site, provider: hetzner}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  vps: {kind: server, in: cloud}
datastores:
  photos: {kind: files, host: app}
  documents: {kind: files, host: app}
  compose: {kind: config, format: compose, host: app}
  secrets: {kind: secrets, host: app, key: sops-age}
  vps-data: {kind: files, host: vps}
repositories:
  bucket: {tool: rclone, in: cloud}
keys:
  sops-age: {kind: age, stored_in: [alice]}
backups:
  photos-sync: {source: photos, target: bucket, method: file, schedule: daily}
  documents-sync: {source: documents, target: bucket, method: file, schedule: daily}
  compose-sync: {source: compose, target: bucket, method: file, schedule: daily}
  secrets-sync: {source: secrets, target: bucket, method: file, schedule: daily}
  vps-sync: {source: vps-data, target: bucket, method: file, schedule: daily}
"""


def test_one_finding_per_repository_listing_only_the_exposed_data(write: Write) -> None:
    [finding] = findings(rule("unencrypted-offsite-copy"), write(MIXED_BUCKET))
    assert finding.entity == "bucket"
    # Not the config, not the encrypted secrets, not the data that lives at the same site.
    assert finding.evidence == (
        "datastore 'documents' live at site 'home', copied to site 'cloud' via documents-sync",
        "datastore 'photos' live at site 'home', copied to site 'cloud' via photos-sync",
    )


# no-immutable-copy


def test_no_immutable_copy_lists_every_writable_copy(write: Write) -> None:
    path = write(THREE_COPIES)
    [finding] = findings(rule("no-immutable-copy"), path)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "local snapshot via wiki-snapshots: writable, online",
        "repository 'nas-restic' via wiki-restic: writable, online",
        "repository 'b2-offsite' via wiki-restic -> offsite: writable, online",
    )
    medium = rule("no-immutable-copy", min_criticality="medium")
    assert sorted(reported(medium, path)) == ["notes", "wiki"]


# single-host-compromise

RUNS_ON_HYPERVISOR = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  wiki: {kind: files, host: app, criticality: high}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  app-image: {source: app, target: nas-pbs, method: image, runs_on: pve, schedule: daily}
"""


def test_the_job_runner_is_the_host_named(write: Write) -> None:
    # The image job runs on the hypervisor: the VM holds no credentials to the
    # repository, so compromising the VM alone leaves the image, and only the
    # hypervisor (which reaches the VM and runs the push) destroys both.
    [finding] = findings(rule("single-host-compromise"), write(RUNS_ON_HYPERVISOR))
    assert finding.entity == "wiki"
    assert "'pve'" in finding.message and "'app'" not in finding.message
    assert finding.evidence == (
        "live data on host 'app', which runs on 'pve'",
        "repository 'nas-pbs' via app-image: written with credentials held on 'pve' "
        "by push 'app-image'",
    )


def test_the_data_s_own_host_is_named_before_its_hypervisor(write: Write) -> None:
    # Sorted by name the hypervisor 'hv' would come first; the message names 'web'.
    model = """
archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site, provider: hetzner}
hosts:
  hv: {kind: hypervisor, in: home}
  web: {kind: vm, hypervisor: hv}
datastores:
  shop-db: {kind: database, engine: mysql, host: web, criticality: critical}
repositories:
  offsite: {tool: borg, in: cloud}
backups:
  shop-dump: {source: shop-db, target: offsite, method: dump, schedule: daily}
"""
    [finding] = findings(rule("single-host-compromise"), write(model))
    assert finding.message.startswith("compromising host 'web' alone")
    assert "so does compromising 'hv'" in finding.message
    assert finding.evidence == (
        "live data on host 'web'",
        "repository 'offsite' via shop-dump: written with credentials held on 'web' "
        "by push 'shop-dump'",
    )


def test_pull_mode_with_the_repository_on_the_data_host_is_still_reported(
    write: Write,
) -> None:
    # Pull only protects the source side's credentials; a repository on the
    # same host is destroyed with it whatever the mode.
    model = """
archlint: 1
domains:
  home: {kind: site}
  spare: {kind: disk, in: app}
hosts:
  app: {kind: server, in: home}
datastores:
  wiki: {kind: files, host: app, criticality: high}
repositories:
  local: {tool: restic, in: spare}
backups:
  wiki-local: {source: wiki, target: local, method: file, mode: pull, schedule: daily}
"""
    [finding] = findings(rule("single-host-compromise"), write(model))
    assert finding.evidence == (
        "live data on host 'app'",
        "repository 'local' via wiki-local: stored on host 'app'",
    )


def test_single_host_compromise_threshold_is_an_option(write: Write) -> None:
    path = write(RUNS_ON_HYPERVISOR.replace("criticality: high", "criticality: medium"))
    assert reported(rule("single-host-compromise"), path) == []
    medium = rule("single-host-compromise", min_criticality="medium")
    assert reported(medium, path) == ["wiki"]


# inconsistent-database-backup


def test_evidence_gives_each_protection_and_its_consistency(write: Write) -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  db1: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  shop-db: {kind: database, engine: mysql, host: db1}
repositories:
  nas-restic: {tool: restic, host: nas}
  nas-pbs: {tool: pbs, host: nas}
backups:
  shop-files: {source: shop-db, target: nas-restic, method: file, schedule: daily}
  db1-image: {source: db1, target: nas-pbs, method: image, runs_on: pve, schedule: daily}
"""
    [finding] = findings(rule("inconsistent-database-backup"), write(model))
    assert finding.evidence == (
        "backup 'shop-files' (file): consistency none",
        "backup 'db1-image' (image of host 'db1'): consistency crash",
    )


def test_an_explicit_application_consistency_counts(write: Write) -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  ldap: {kind: database, engine: other, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  ldap-export:
    {source: ldap, target: nas-restic, method: file, consistency: application, schedule: daily}
"""
    assert reported(rule("inconsistent-database-backup"), write(model)) == []


# The example models of models/README.md


def names_and_entities(path: Path) -> list[tuple[str, str]]:
    facts = facts_of(path)
    mine = [RULES[name] for name in sorted(MY_NAMES)]
    result = run(facts.model, facts, list(RULES.values()), mine)
    return sorted((finding.name, finding.entity) for finding in result.findings)


def test_reference_model_passes_these_rules() -> None:
    assert names_and_entities(ROOT / "models" / "reference") == []


def test_homelab_model_gives_the_documented_findings() -> None:
    assert names_and_entities(ROOT / "models" / "homelab") == [
        ("backup-on-live-storage", "hass-vzdump"),
        ("backup-on-live-storage", "immich-library-restic"),
        ("backup-on-live-storage", "paperless-media-restic"),
        ("inconsistent-database-backup", "hass-db"),
        ("inconsistent-database-backup", "kuma-db"),
        ("inconsistent-database-backup", "paperless-db"),
        ("insufficient-copies", "hass-config"),
        ("insufficient-copies", "hass-db"),
        ("insufficient-copies", "vaultwarden-data"),
        ("no-immutable-copy", "hass-db"),
        ("no-immutable-copy", "vaultwarden-data"),
        ("single-host-compromise", "hass-config"),
        ("single-host-compromise", "hass-db"),
        ("single-host-compromise", "vaultwarden-data"),
        ("unencrypted-offsite-copy", "storagebox"),
        ("unprotected-data", "authelia-db"),
    ]
