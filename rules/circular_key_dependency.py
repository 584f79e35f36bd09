"""AL202 circular-key-dependency: a key survives only inside copies that need the key itself."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts, capped
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Key


class CircularKeyDependency(Rule[Key]):
    id = "AL202"
    name = "circular-key-dependency"
    severity = "critical"
    summary = "After a failure, a key survives only inside copies that need that same key to read."
    rationale = (
        "A passphrase saved in the password manager whose only backup is encrypted with that "
        "passphrase looks safe until the machine dies: the backup survives, the key is in it, "
        "and nobody can open it. The same trap closes through a chain of keys, when key A is "
        "kept in a vault whose backup needs key B, and key B is kept in data whose backup "
        "needs key A. The copies exist; the data is still lost. Data that cannot be read even "
        "before anything fails (a vault encrypted with a key kept only inside it) is reported "
        "as such."
    )
    remediation = (
        "Keep one copy of the key outside the cycle, where reading it needs no key from the "
        "cycle: with a person (`kind: person`), on paper in a safe at another site, or in a "
        "password manager backed up to a repository with a key kept elsewhere. Add that "
        "place to `stored_in`."
    )

    def check(self, key: Key, facts: Facts) -> Iterator[Problem]:
        if not facts.key_users(key.id):
            return  # a key nothing uses is unused-key's business
        # Each KeyLoss has exactly one cause, so this rule and orphaned-key never report
        # the same situation: "gone" (no place of the key survives, not even as
        # ciphertext) is orphaned-key's; "locked" (kept behind other unavailable keys)
        # is reported on those other keys, as "gone" or "circular".
        losses = [loss for loss in facts.key_losses(key.id) if loss.cause == "circular"]
        if not losses:
            return
        first = losses[0]
        others = len(losses) - 1
        more = (
            f" (and {others} more failure/data pair{'s' if others != 1 else ''})" if others else ""
        )
        yield Problem(
            f"{facts.after_failure(first.failure)}, datastore '{first.datastore}' "
            f"cannot be recovered: the key survives only inside copies that need it to be read "
            f"({' -> '.join(first.cycle)}){more}",
            fix="keep a copy of the key outside that cycle, e.g. with a person or on paper at "
            "another site",
            evidence=capped(
                f"{facts.describe_failure(loss.failure)}: datastore '{loss.datastore}' is lost, "
                f"cycle {' -> '.join(loss.cycle)}"
                for loss in losses
            ),
        )

    failing = (
        Example(
            description=(
                "The borg passphrase is kept only in the password manager, whose only off-machine "
                "copy is in that borg repository."
            ),
            findings=("borg-pass",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  hetzner: {kind: site, provider: hetzner}
hosts:
  app: {kind: server, in: home}
  vps: {kind: vm, in: hetzner}
datastores:
  vault: {kind: secrets, host: app}
repositories:
  vps-borg: {tool: borg, host: vps, key: borg-pass}
keys:
  borg-pass: {kind: passphrase, stored_in: [vault]}
backups:
  vault-borg: {source: vault, target: vps-borg, method: dump, schedule: daily}
""",
        ),
        Example(
            description=(
                "The cycle runs through a second key (k1 in the vault, backed up with k2; k2 in the"
                " secrets file, backed up with k1): both keys are reported."
            ),
            findings=("k1", "k2"),
            model="""
archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
datastores:
  vault: {kind: secrets, host: app}
  secrets-file: {kind: secrets, host: app}
  photos: {kind: files, host: app}
repositories:
  repo-a: {tool: restic, in: cloud, key: k2}
  repo-b: {tool: restic, in: cloud, key: k1}
keys:
  k1: {kind: passphrase, stored_in: [vault]}
  k2: {kind: passphrase, stored_in: [secrets-file]}
backups:
  vault-a: {source: vault, target: repo-a, method: file, schedule: daily}
  secrets-b: {source: secrets-file, target: repo-b, method: file, schedule: daily}
  photos-b: {source: photos, target: repo-b, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "The vault is encrypted with the key it keeps: it cannot be read even before "
                "anything fails, and the finding says so rather than blaming a failure."
            ),
            findings=("vault-key",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
datastores:
  vault: {kind: secrets, host: app, key: vault-key}
keys:
  vault-key: {kind: passphrase, stored_in: [vault]}
""",
        ),
    )
    passing = (
        Example(
            description="A second copy of the passphrase, kept by a person, breaks the cycle.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  hetzner: {kind: site, provider: hetzner}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  vps: {kind: vm, in: hetzner}
datastores:
  vault: {kind: secrets, host: app}
repositories:
  vps-borg: {tool: borg, host: vps, key: borg-pass}
keys:
  borg-pass: {kind: passphrase, stored_in: [vault, alice]}
backups:
  vault-borg: {source: vault, target: vps-borg, method: dump, schedule: daily}
""",
        ),
        Example(
            description="The vault is backed up with a different key, kept by a person: no cycle.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  cloud: {kind: site, provider: backblaze}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
datastores:
  vault: {kind: secrets, host: app}
  photos: {kind: files, host: app}
repositories:
  vault-repo: {tool: restic, in: cloud, key: vault-pass}
  photos-repo: {tool: restic, in: cloud, key: photos-pass}
keys:
  vault-pass: {kind: passphrase, stored_in: [alice]}
  photos-pass: {kind: passphrase, stored_in: [vault]}
backups:
  vault-offsite: {source: vault, target: vault-repo, method: file, schedule: daily}
  photos-offsite: {source: photos, target: photos-repo, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "Every place of the key is destroyed, ciphertext included: that is orphaned-key's "
                "finding, not this rule's."
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
repositories:
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [nas]}
backups:
  photos-offsite: {source: photos, target: b2-offsite, method: file, schedule: daily}
""",
        ),
    )
