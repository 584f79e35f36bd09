"""unprotected-config (AL501): evidence, the threshold, and what counts as configuration."""

from __future__ import annotations

import pytest

from tests.rules.helpers import entities, findings

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


def test_names_every_unprotected_config() -> None:
    (finding,) = findings("unprotected-config", CONFIGS)
    assert finding.entity == "wiki"
    assert finding.evidence == (
        "config datastore 'wiki-compose': no protection",
        "config datastore 'wiki-env': no protection",
    )


@pytest.mark.parametrize(
    ("minimum", "reported"), [("low", ["jellyfin", "wiki"]), ("medium", ["wiki"]), ("high", [])]
)
def test_threshold_is_an_option(minimum: str, reported: list[str]) -> None:
    found = findings("unprotected-config", CONFIGS, {"min-criticality": minimum})
    assert entities(found) == reported


def test_does_not_count_other_kinds() -> None:
    model = """
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
    (finding,) = findings("unprotected-config", model)
    assert finding.evidence == ("data: wiki-db",)
