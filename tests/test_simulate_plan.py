"""`archlint simulate` and `archlint plan` on the scenario engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MODEL = """archlint: 1
domains:
  home: {kind: site}
  b2: {kind: site, provider: backblaze}
  alice: {kind: person}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
services:
  db: {host: app, depends_on: [], data: [db-data]}
  web: {host: app, depends_on: [db], data: [web-files]}
  wiki: {host: nas, depends_on: [], data: [wiki-files]}
datastores:
  db-data: {kind: database, host: app}
  web-files: {kind: files, host: app}
  wiki-files: {kind: files, host: nas}
  vault: {kind: secrets, host: nas}
repositories:
  local: {tool: restic, host: nas, key: local-pass}
  remote: {tool: restic, in: b2, key: remote-pass}
keys:
  local-pass: {kind: passphrase, stored_in: [vault, alice]}
  remote-pass: {kind: passphrase, stored_in: [nas]}
backups:
  db-dump: {source: db-data, target: local, method: dump, schedule: daily}
  web-backup: {source: web-files, target: local, method: file, schedule: daily}
  offsite: {source: local, target: remote, method: copy, schedule: daily}
"""
Archlint = Callable[..., Run]
Write = Callable[..., Path]


def test_losing_the_hypervisor_keeps_everything_recoverable(
    archlint: Archlint, write: Write
) -> None:
    run = archlint("simulate", write(MODEL), "--lose", "pve", "--format", "json")
    assert run.code == 0
    result = json.loads(run.out)
    assert [(d["datastore"], d["recoverable"]) for d in result["datastores"]] == [
        ("db-data", True),
        ("web-files", True),
    ]
    assert [(s["service"], s["restorable"]) for s in result["services"]] == [
        ("db", True),
        ("web", True),
    ]


def test_losing_the_site_loses_the_key_and_blocks_dependants(
    archlint: Archlint, write: Write
) -> None:
    run = archlint("simulate", write(MODEL), "--lose", "home", "--format", "json")
    result = json.loads(run.out)
    assert result["keys_lost"] == ["remote-pass"]
    unrecoverable = [d["datastore"] for d in result["datastores"] if not d["recoverable"]]
    assert unrecoverable == ["db-data", "vault", "web-files", "wiki-files"]
    services = {s["service"]: s for s in result["services"]}
    assert not services["db"]["restorable"] and not services["web"]["restorable"]
    assert "needs service 'db', which cannot be restored" in services["web"]["blockers"]


def test_compromise_destroys_what_the_host_can_write(archlint: Archlint, write: Write) -> None:
    run = archlint("simulate", write(MODEL), "--compromise", "nas", "--format", "json")
    result = json.loads(run.out)
    # The NAS pushes the off-site copy, so its compromise reaches the bucket too.
    assert [d["datastore"] for d in result["datastores"]] == ["vault", "wiki-files"]
    assert not any(d["recoverable"] for d in result["datastores"])
    text = archlint("simulate", write(MODEL), "--compromise", "nas")
    assert text.out.startswith("Scenario: compromise nas.\n")
    assert "Services that cannot be restored (1):\n  - wiki: datastore 'wiki-files'" in text.out


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--lose", "nass"],
            "--lose: 'nass' is not a site, host or disk of the model (did you mean 'nas'?)",
        ),
        (["--lose", "db-data"], "--lose: 'db-data' is not a site, host or disk"),
        (["--compromise", "home"], "--compromise: 'home' is not a host"),
        ([], "name at least one --lose or --compromise"),
    ],
)
def test_simulate_rejects_unknown_scenarios(
    archlint: Archlint, write: Write, options: list[str], message: str
) -> None:
    run = archlint("simulate", write(MODEL), *options)
    assert run.code == 2 and message in run.err


def test_plan_orders_services_after_their_dependencies(archlint: Archlint, write: Write) -> None:
    run = archlint("plan", write(MODEL), "--format", "json")
    assert run.code == 0
    book = json.loads(run.out)
    assert [s["service"] for s in book["services"]] == ["db", "web", "wiki"]
    assert [k["key"] for k in book["keys"]] == ["local-pass", "remote-pass"]
    assert [s["datastore"] for s in book["secret_stores"]] == ["vault"]
    db_sources = book["services"][0]["data"][0]["sources"]
    assert [(s["repository"], s["keys"]) for s in db_sources] == [
        ("local", ["local-pass"]),
        ("remote", ["remote-pass"]),
    ]


def test_plan_markdown_escapes_model_text(archlint: Archlint, write: Write) -> None:
    run = archlint("plan", write(MODEL.replace("wiki", "my_wiki")), "--format", "markdown")
    assert run.code == 0
    assert run.out.startswith("# Restore runbook\n")
    assert "### 1. db\n" in run.out and "### 2. my\\_wiki\n" in run.out
    assert "| local-pass | passphrase | vault, alice |" in run.out


def test_plan_is_deterministic(archlint: Archlint, write: Write) -> None:
    path = write(MODEL)
    assert archlint("plan", path).out == archlint("plan", path).out


README_MODEL = """archlint: 1
domains:
  home:    {kind: site}
  b2-eu:   {kind: site, provider: backblaze}
hosts:
  nas:     {kind: nas, in: home}
datastores:
  photos:  {kind: files, host: nas, path: /tank/photos, criticality: high}
  scratch: {kind: files, host: nas}
repositories:
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass, immutable: true}
keys:
  restic-pass: {kind: passphrase, stored_in: [nas]}
backups:
  photos-offsite: {source: photos, target: b2-offsite, method: file, schedule: daily}
"""


def test_plan_lists_data_no_service_lists_and_numbers_steps_as_printed(
    archlint: Archlint, write: Write
) -> None:
    path = write(README_MODEL)
    book = json.loads(archlint("plan", path, "--format", "json").out)
    # `scratch` has no copy: there is nothing to restore it from.
    assert [d["datastore"] for d in book["other_data"]] == ["photos"]
    assert [k["key"] for k in book["keys"]] == ["restic-pass"]
    run = archlint("plan", path)
    assert run.code == 0
    headings = [line for line in run.out.splitlines() if line[:1].isdigit()]
    assert headings == ["1. Keys to have at hand:", "2. Restore the data no service lists:"]
    markdown = archlint("plan", path, "--format", "markdown").out
    assert "## 1. Keys to have at hand\n" in markdown
    assert "## 2. Restore the data no service lists\n" in markdown


PRIORITY_MODEL = """archlint: 1
domains:
  home: {kind: site}
hosts:
  srv: {kind: server, in: home}
services:
  a-blog: {host: srv, criticality: low}
  b-auth: {host: srv, criticality: medium}
  c-mail: {host: srv, criticality: critical, depends_on: [b-auth]}
  d-photos: {host: srv, criticality: high}
"""


def test_plan_puts_critical_services_first_where_dependencies_allow(
    archlint: Archlint, write: Write
) -> None:
    book = json.loads(archlint("plan", write(PRIORITY_MODEL), "--format", "json").out)
    # c-mail is the most critical and needs b-auth, which comes first; d-photos outranks a-blog.
    assert [s["service"] for s in book["services"]] == ["b-auth", "c-mail", "d-photos", "a-blog"]


def test_plan_for_one_failure_restores_what_it_destroyed_from_what_survives(
    archlint: Archlint, write: Write
) -> None:
    path = write(MODEL)
    book = json.loads(archlint("plan", path, "--lose", "pve", "--format", "json").out)
    assert book["lost"] == ["pve"]
    assert [s["service"] for s in book["services"]] == ["db", "web"]  # wiki is still running
    assert book["unrecoverable"] == []
    sources = book["services"][0]["data"][0]["sources"]
    assert [s["repository"] for s in sources] == ["local", "remote"]
    run = archlint("plan", path, "--lose", "home", "--format", "json")
    assert run.code == 0
    book = json.loads(run.out)
    assert book["keys"] == []
    assert book["unrecoverable"] == ["db-data", "web-files", "wiki-files"]
    db_data = book["services"][0]["data"][0]
    assert db_data["sources"] == []
    assert db_data["lost_copies"] == [
        "repository 'local' via db-dump (destroyed)",
        "repository 'remote' via db-dump -> offsite (its key is lost)",
    ]
    text = archlint("plan", path, "--lose", "home").out
    assert text.startswith("Restore runbook after the loss of home\n")
    assert "warning: no surviving copy of db-data, web-files, wiki-files" in text


def test_plan_lose_rejects_an_unknown_failure(archlint: Archlint, write: Write) -> None:
    run = archlint("plan", write(MODEL), "--lose", "nass")
    assert run.code == 2 and "--lose: 'nass' is not a site, host or disk" in run.err


VAULTS = """archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site}
  alice: {kind: person}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
  vault-a: {kind: secrets, host: nas}
  vault-b: {kind: secrets, host: nas}
repositories:
  photos-repo: {tool: restic, in: cloud, key: photos-pass}
  a-repo: {tool: restic, in: cloud, key: a-pass}
  b-repo: {tool: restic, in: cloud, key: b-pass}
keys:
  photos-pass: {kind: passphrase, stored_in: [vault-a]}
  a-pass: {kind: passphrase, stored_in: [vault-b]}
  b-pass: {kind: passphrase, stored_in: [B_PASS_PLACE]}
backups:
  photos-backup: {source: photos, target: photos-repo, method: file, schedule: daily}
  a-backup: {source: vault-a, target: a-repo, method: file, schedule: daily}
  b-backup: {source: vault-b, target: b-repo, method: file, schedule: daily}
"""


def test_plan_restores_the_store_of_a_key_before_the_store_that_needs_it(
    archlint: Archlint, write: Write
) -> None:
    path = write(VAULTS.replace("B_PASS_PLACE", "alice"))
    book = json.loads(archlint("plan", path, "--lose", "home", "--format", "json").out)
    # vault-a needs a-pass, which is inside vault-b.
    assert [s["datastore"] for s in book["secret_stores"]] == ["vault-b", "vault-a"]
    assert book["warnings"] == []
    assert [k["key"] for k in book["keys"]] == ["a-pass", "b-pass", "photos-pass"]
    assert book["keys"][0]["stored_in"] == ["vault-b"]


def test_plan_warns_when_a_key_is_only_inside_a_copy_restored_later(
    archlint: Archlint, write: Write
) -> None:
    # b-pass is kept in vault-a, which needs a-pass from vault-b: each waits for the other.
    book = json.loads(
        archlint("plan", write(VAULTS.replace("B_PASS_PLACE", "vault-a")), "--format", "json").out
    )
    assert book["warnings"] == [
        "key 'a-pass', needed to restore 'vault-a', is kept only in 'vault-b', "
        "which is not restored before it",
    ]


def test_simulate_explains_each_loss(archlint: Archlint, write: Write) -> None:
    result = json.loads(
        archlint("simulate", write(MODEL), "--lose", "home", "--format", "json").out
    )
    lost = {d["datastore"]: d for d in result["datastores"]}
    assert lost["wiki-files"]["reason"] == "no-copy"
    db = lost["db-data"]
    assert db["reason"] == "key-lost"
    assert db["destroyed"] == ["repository 'local' via db-dump"]
    assert db["locked"] == ["repository 'remote' via db-dump -> offsite"]
    assert db["missing_keys"] == [{"key": "remote-pass", "lost_in": ["nas"], "locked_in": []}]
    web = {s["service"]: s for s in result["services"]}["web"]
    assert web["lost_data"] == ["web-files"] and web["blocked_by"] == ["db"]
    text = archlint("simulate", write(MODEL), "--lose", "home").out
    assert (
        "  - db-data (medium): a copy survives, but not the key that reads it\n"
        "      destroyed: repository 'local' via db-dump\n"
        "      unreadable: repository 'remote' via db-dump -> offsite\n"
        "      key 'remote-pass' was kept in nas (lost)\n"
    ) in text


def test_simulate_says_when_every_copy_was_destroyed(archlint: Archlint, write: Write) -> None:
    model = MODEL.replace(
        "remote-pass: {kind: passphrase, stored_in: [nas]}",
        "remote-pass: {kind: passphrase, stored_in: [alice]}",
    )
    result = json.loads(
        archlint("simulate", write(model), "--compromise", "nas", "--format", "json").out
    )
    vault = {d["datastore"]: d for d in result["datastores"]}["vault"]
    assert vault["reason"] == "no-copy"
    result = json.loads(
        archlint("simulate", write(model), "--lose", "home", "--lose", "b2", "--format", "json").out
    )
    db = {d["datastore"]: d for d in result["datastores"]}["db-data"]
    assert db["reason"] == "copies-destroyed" and db["locked"] == []
    assert len(db["destroyed"]) == 2


MIRROR = """archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
hosts:
  db1: {kind: server, in: home}
  db2: {kind: server, in: away}
datastores:
  pg: {kind: database, host: db1, criticality: critical}
repositories:
  replica: {tool: zfs, host: db2}
backups:
  stream: {source: pg, target: replica, method: replication, schedule: hourly}
"""


def test_simulate_flags_a_mirror_as_the_only_survivor(archlint: Archlint, write: Write) -> None:
    result = json.loads(
        archlint("simulate", write(MIRROR), "--lose", "home", "--format", "json").out
    )
    (pg,) = result["datastores"]
    assert pg["recoverable"] and pg["mirror_only"]
    text = archlint("simulate", write(MIRROR), "--lose", "home").out
    assert "only a mirror survives" in text


def test_simulate_all_prints_every_single_failure_worst_first(
    archlint: Archlint, write: Write
) -> None:
    run = archlint("simulate", write(MODEL), "--all", "--format", "json")
    assert run.code == 0
    rows = json.loads(run.out)["scenarios"]
    assert [r["scenario"] for r in rows] == [
        "lose home",
        "compromise nas",
        "lose nas",
        "compromise app",
        "compromise pve",
        "lose b2",
        "lose pve",
    ]
    home = rows[0]
    assert home["kind"] == "site" and home["worst"] == "medium"
    assert home["datastores_lost"] == ["db-data", "vault", "web-files", "wiki-files"]
    assert home["services_down"] == ["db", "web", "wiki"]
    assert home["keys_lost"] == ["remote-pass"]
    assert rows[-1]["datastores_lost"] == [] and rows[-1]["worst"] is None
    text = archlint("simulate", write(MODEL), "--all").out.splitlines()
    assert text[2].split() == [
        "scenario",
        "worst",
        "loss",
        "data",
        "lost",
        "services",
        "down",
        "keys",
        "lost",
        "which",
        "data",
    ]
    assert text[3].split()[:6] == ["lose", "home", "medium", "4", "3", "1"]
    assert text[3].endswith("  db-data, vault, web-files and 1 more")
    assert rows[1]["kind"] == "compromise"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        (["--all", "--fail-on-loss", "medium"], 1),
        (["--all", "--fail-on-loss", "high"], 0),
        (["--lose", "nas", "--fail-on-loss", "low"], 1),
        (["--lose", "pve", "--fail-on-loss", "low"], 0),
        (["--all"], 0),
    ],
)
def test_simulate_fails_on_loss_of_data_this_critical(
    archlint: Archlint, write: Write, options: list[str], code: int
) -> None:
    assert archlint("simulate", write(MODEL), *options).code == code


def test_simulate_all_excludes_named_scenarios(archlint: Archlint, write: Write) -> None:
    run = archlint("simulate", write(MODEL), "--all", "--lose", "home")
    assert run.code == 2 and "--all runs every single failure" in run.err
    run = archlint("simulate", write(MODEL), "--all", "--fail-on-loss", "severe")
    assert run.code == 2


def test_plan_warns_once_about_a_key_kept_inside_the_data_it_unlocks(
    archlint: Archlint, write: Write
) -> None:
    model = VAULTS.replace("B_PASS_PLACE", "alice").replace(
        "stored_in: [vault-a]}", "stored_in: [photos]}"
    )
    book = json.loads(archlint("plan", write(model), "--format", "json").out)
    assert book["warnings"] == [
        "key 'photos-pass', needed to restore 'photos', is kept only inside 'photos' itself"
    ]
