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
        "repository 'nas-pbs' via app-image: written with credentials held on 'pve' "
        "by push 'app-image'",
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
        "repository 'offsite' via shop-dump: written with credentials held on 'web' "
        "by push 'shop-dump'",
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
