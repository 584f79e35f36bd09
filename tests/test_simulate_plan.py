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
