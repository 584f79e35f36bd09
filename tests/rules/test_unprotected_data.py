"""unprotected-data (AL104): evidence and the criticality threshold."""

from __future__ import annotations

from tests.rules.helpers import entities, findings, rule_class

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


def test_default_options() -> None:
    rule = rule_class("unprotected-data")
    assert rule.min_criticality == "medium"
    assert rule.Options().model_dump() == {}


def test_evidence_names_the_missing_image() -> None:
    by_entity = {f.entity: f for f in findings("unprotected-data", UNPROTECTED)}
    assert sorted(by_entity) == ["bucket", "wiki-db"]
    assert by_entity["wiki-db"].evidence == (
        "no backup has source 'wiki-db'",
        "no image backup of host 'app'",
    )
    # Data at a provider has no host, so there is no image to ask for.
    assert by_entity["bucket"].evidence == ("no backup has source 'bucket'",)


def test_threshold_is_an_option() -> None:
    low = findings("unprotected-data", UNPROTECTED, {"min-criticality": "low"})
    assert entities(low) == ["bucket", "cache", "wiki-db"]
    assert findings("unprotected-data", UNPROTECTED, {"min-criticality": "high"}) == []
