"""AL203 unused-key: no repository or datastore names the key."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Key


class UnusedKey(Rule[Key]):
    id = "AL203"
    name = "unused-key"
    severity = "low"
    summary = "No repository or datastore names the key."
    rationale = (
        "A key that nothing uses is either a leftover from a retired setup, which people "
        "will keep guarding and rotating for nothing, or a key whose repository or datastore "
        "forgot to say `key:`, in which case archlint believes that data is unencrypted and "
        "cannot check that the key survives the failures it must."
    )
    remediation = (
        "If the key encrypts something, set `key: <this key>` on that repository or "
        "datastore; if it is retired, remove it from the model."
    )

    def check(self, key: Key, facts: Facts) -> Iterator[Problem]:
        if facts.key_users(key.id):
            return
        yield Problem(
            "no repository or datastore names this key in its `key` field",
            fix=f"set `key: {key.id}` on what it encrypts, or remove the key if it is retired",
            evidence=(f"key '{key.id}': named by no repository and no datastore",),
        )

    failing = (
        Example(
            description="The GPG key of a retired duplicity setup is still listed.",
            findings=("old-gpg-key",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  alice: {kind: person}
hosts:
  nas: {kind: nas, in: home}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
  old-gpg-key: {kind: gpg, stored_in: [alice]}
""",
        ),
    )
    passing = (
        Example(
            description="One key encrypts a repository, the other a datastore at rest.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  alice: {kind: person}
hosts:
  nas: {kind: nas, in: home}
datastores:
  secrets: {kind: secrets, host: nas, key: sops-age}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
  sops-age: {kind: age, stored_in: [alice]}
""",
        ),
    )
