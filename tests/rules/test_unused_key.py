"""unused-key (AL203): a key that protects nothing is no other key rule's business."""

from __future__ import annotations

from tests.rules.helpers import check_rule


def test_an_unused_key_is_only_unused_key_business() -> None:
    model = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
keys:
  old-gpg-key: {kind: gpg, stored_in: [nas]}
"""
    assert check_rule("unused-key", model) == [("unused-key", "old-gpg-key")]
    assert check_rule("circular-key-dependency", model) == []
    assert check_rule("orphaned-key", model) == []
