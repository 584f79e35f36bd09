"""AL201 orphaned-key: a failure destroys every copy of a key, and with it the data."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts, capped
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Key


class OrphanedKey(Rule[Key]):
    id = "AL201"
    name = "orphaned-key"
    severity = "critical"
    summary = "A single failure destroys every copy of a key that is needed to recover data."
    rationale = (
        "Encrypted backups are only as recoverable as their key. A repository passphrase "
        "kept only on the machine that failed, or the key file of an encrypted pool kept "
        "on the system disk that died, turns surviving ciphertext into noise: the backups "
        "exist and nobody can read them."
    )
    remediation = (
        "Keep a copy of the key where the failure cannot reach it: with a person "
        "(`kind: person`), on paper in a safe at another site, or in a password manager "
        "that is itself recoverable without this key. Add each place to `stored_in`."
    )

    def check(self, key: Key, facts: Facts) -> Iterator[Problem]:
        if not facts.key_users(key.id):
            return  # a key nothing uses is unused-key's business
        losses = [loss for loss in facts.key_losses(key.id) if loss.cause == "gone"]
        if not losses:
            return
        first = losses[0]
        places = ", ".join(f"'{place}'" for place in key.stored_in) or "nowhere"
        others = len(losses) - 1
        more = (
            f" (and {others} more failure/data pair{'s' if others != 1 else ''})" if others else ""
        )
        yield Problem(
            f"{facts.after_failure(first.failure)}, datastore '{first.datastore}' "
            f"cannot be recovered: the key is lost too, kept only in {places}{more}",
            fix=f"keep a copy of the key where the {facts.describe_failure(first.failure)} "
            f"cannot reach it"
            if first.failure
            else "say where the key is kept (`stored_in`)",
            evidence=capped(
                f"{facts.describe_failure(loss.failure)}: datastore '{loss.datastore}' is lost, "
                f"key kept only in {places}"
                for loss in losses
            ),
        )

    failing = (
        Example(
            description=(
                "The restic password lives only on the NAS: the off-site copy survives a fire, and "
                "nobody can read it."
            ),
            findings=("restic-pass",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [nas]}
backups:
  photos-offsite: {source: photos, target: b2-offsite, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "A pool encrypted at rest has its key file on the system disk of the same machine."
            ),
            findings=("tank-key",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  system-ssd: {kind: disk, in: nas}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank, key: tank-key}
keys:
  tank-key: {kind: keyfile, stored_in: [system-ssd]}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "A person also keeps the password, so losing the NAS leaves a way to read the "
                "off-site copy."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
  alice: {kind: person}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [nas, alice]}
backups:
  photos-offsite: {source: photos, target: b2-offsite, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "The key survives only inside a vault that needs the key itself: "
                "circular-key-dependency's finding, not this rule's."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
  vault: {kind: secrets, host: nas}
repositories:
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [vault]}
backups:
  photos-offsite: {source: photos, target: b2-offsite, method: file, schedule: daily}
  vault-offsite: {source: vault, target: b2-offsite, method: file, schedule: daily}
""",
        ),
    )
