"""single-host-compromise (AL108): which host is named, pull mode, and the threshold."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings, rule_class

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


def test_default_options() -> None:
    rule = rule_class("single-host-compromise")
    assert rule.min_criticality == "high"
    assert rule.Options().model_dump() == {}


def test_the_job_runner_is_the_host_named() -> None:
    # The image job runs on the hypervisor: the VM holds no credentials to the
    # repository, so compromising the VM alone leaves the image, and only the
    # hypervisor (which reaches the VM and runs the push) destroys both.
    [finding] = findings("single-host-compromise", RUNS_ON_HYPERVISOR)
    assert finding.entity == "wiki"
    assert "'pve'" in finding.message and "'app'" not in finding.message
    assert finding.evidence == (
        "live data on host 'app', which runs on 'pve'",
        "repository 'nas-pbs' via app-image: written with credentials held by push "
        "'app-image' on 'pve'",
    )


def test_the_data_s_own_host_is_named_before_its_hypervisor() -> None:
    # Sorted by name the hypervisor 'hv' would come first; the message names 'web' first.
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
    [finding] = findings("single-host-compromise", model)
    assert "'hv'" in finding.message
    assert finding.message.index("'web'") < finding.message.index("'hv'")
    assert finding.evidence == (
        "live data on host 'web'",
        "repository 'offsite' via shop-dump: written with credentials held by push "
        "'shop-dump' on 'web'",
    )


def test_pull_mode_with_the_repository_on_the_data_host_is_still_reported() -> None:
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
    [finding] = findings("single-host-compromise", model)
    assert finding.evidence == (
        "live data on host 'app'",
        "repository 'local' via wiki-local: stored on host 'app'",
    )


def test_threshold_is_an_option() -> None:
    model = RUNS_ON_HYPERVISOR.replace("criticality: high", "criticality: medium")
    assert check_rule("single-host-compromise", model) == []
    medium = check_rule("single-host-compromise", model, {"min-criticality": "medium"})
    assert medium == [("single-host-compromise", "wiki")]


def test_credentials_on_a_vm_are_named_on_the_vm_not_its_hypervisor() -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  runner: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  media: {kind: files, host: pve, criticality: high}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  media-push: {source: media, target: nas-restic, method: file, runs_on: runner, schedule: daily}
"""
    (finding,) = findings("single-host-compromise", model)
    assert finding.entity == "media"
    assert finding.evidence[1] == (
        "repository 'nas-restic' via media-push: written with credentials held by push "
        "'media-push' on 'runner', which runs on 'pve'"
    )


def test_a_surviving_copy_whose_only_key_is_on_the_compromised_host_is_lost() -> None:
    model = rule_class("single-host-compromise").failing[2].model
    (finding,) = findings("single-host-compromise", model)
    assert (finding.entity, finding.evidence) == (
        "wiki-db",
        (
            "live data on host 'app'",
            "repository 'b2-locked' via wiki-dump: survives, but key 'restic-pass' is lost "
            "with it (kept in 'app')",
        ),
    )
    # A copy of the key with a person keeps the immutable copy readable.
    kept = model.replace("stored_in: [app]", "stored_in: [app, alice]").replace(
        "  home: {kind: site}", "  home: {kind: site}\n  alice: {kind: person}"
    )
    assert findings("single-host-compromise", kept) == []
