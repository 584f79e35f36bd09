"""unrecoverable-dependency (AL604): dependencies are followed transitively."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings

MODEL = """
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
hosts:
  app: {kind: server, in: home}
  db: {kind: server, in: home}
  vps: {kind: server, in: away}
services:
  wiki: {host: app, depends_on: [proxy], data: [wiki-files]}
  proxy: {host: app, depends_on: [sso], data: []}
  sso: {host: db, depends_on: [], data: [sso-db]}
datastores:
  wiki-files: {kind: files, host: app}
  sso-db: {kind: database, engine: postgresql, host: db}
repositories:
  offsite: {tool: restic, host: vps}
backups:
  wiki-offsite: {source: wiki-files, target: offsite, method: file, schedule: daily}
"""


def test_a_dependency_of_a_dependency_counts() -> None:
    found = findings("unrecoverable-dependency", MODEL)
    assert sorted((f.entity, f.key) for f in found) == [("proxy", "sso"), ("wiki", "sso")]
    [wiki] = [f for f in found if f.entity == "wiki"]
    assert wiki.message.startswith(
        "after the loss of machine 'db' (and 1 other failures), its own data can be recovered"
    )
    assert wiki.evidence == (
        "service 'wiki' depends on 'sso'",
        "datastore 'sso-db': unrecoverable after the failure",
    )


def test_no_finding_when_the_dependency_is_protected() -> None:
    text = MODEL + "  sso-dump: {source: sso-db, target: offsite, method: dump, schedule: daily}\n"
    assert check_rule("unrecoverable-dependency", text) == []
