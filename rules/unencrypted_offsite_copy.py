"""AL106 unencrypted-offsite-copy: a repository keeps clear-text data at another site."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Repository


class UnencryptedOffsiteCopy(Rule[Repository]):
    id = "AL106"
    name = "unencrypted-offsite-copy"
    severity = "high"
    summary = "The repository keeps unencrypted data at another site than the live data."
    rationale = (
        "An off-site copy lives on someone else's premises: a provider's storage, a friend's "
        "house, a courier's van. Whoever can read that storage (the provider's staff, a thief, "
        "an attacker holding a leaked access key) reads the data in clear unless it was "
        "encrypted before it left. A repository placed directly in a region (a cloud bucket "
        "with no site above it) is away from every site outside that region."
    )
    remediation = (
        "Encrypt client-side and record it as the repository's `key`: a restic, borg or kopia "
        "repository, an rclone `crypt` remote, a gpg-encrypted archive. Data that is already "
        "encrypted at rest gets a `key` on the datastore instead."
    )

    def check(self, repository: Repository, facts: Facts) -> Iterator[Problem]:
        if repository.key is not None:
            return
        placement = facts.placement(repository.id)
        concerned: list[tuple[Copy, str]] = []
        for copy in facts.held_by(repository.id):
            datastore = facts.model.datastores[copy.datastore]
            if datastore.kind == "config" or datastore.key is not None:
                continue  # config is excluded by definition; keyed data is ciphertext anyway
            live = facts.placement_of(datastore)
            if placement.apart_from(live):
                concerned.append((copy, live.describe_area()))
        if not concerned:
            return
        names = ", ".join(f"'{copy.datastore}'" for copy, _live_site in concerned)
        where = placement.describe_area()
        yield Problem(
            f"holds clear-text copies of {names} at {where}, away from the live data, "
            f"and neither this repository nor that data is encrypted: anyone who can read "
            f"{where} reads them",
            fix="encrypt client-side and set `key` on this repository",
            evidence=tuple(
                f"datastore '{copy.datastore}' live at {live_site}, copied to {where} "
                f"via {' -> '.join(copy.via)}"
                for copy, live_site in concerned
            ),
        )

    failing = (
        Example(
            description="A plain rclone sync of the photos to a provider's storage box.",
            findings=("storagebox",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  hetzner-fsn: {kind: site, provider: hetzner}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  storagebox: {tool: rclone, in: hetzner-fsn}
backups:
  photos-rclone: {source: photos, target: storagebox, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "The local repository is encrypted, but the copy is read with the target's key "
                "only, and the bucket declares none."
            ),
            findings=("b2-bucket",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
  b2-bucket: {tool: s3, in: b2-eu}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
backups:
  wiki-restic: {source: wiki, target: nas-restic, method: file, schedule: daily}
  b2-sync: {source: nas-restic, target: b2-bucket, method: copy, schedule: daily}
""",
        ),
        Example(
            description=(
                "A bucket placed directly in a region, with no site above it, is away from "
                "every site outside that region."
            ),
            findings=("s3-bucket",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  eu-west: {kind: region, provider: aws}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  s3-bucket: {tool: rclone, in: eu-west}
backups:
  photos-rclone: {source: photos, target: s3-bucket, method: file, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="The off-site restic repository is encrypted with a key.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  hetzner-fsn: {kind: site, provider: hetzner}
  alice: {kind: person}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  storagebox: {tool: restic, in: hetzner-fsn, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
backups:
  photos-restic: {source: photos, target: storagebox, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "Configuration in a public git mirror is out of scope, and a sops-encrypted secret "
                "store is ciphertext anywhere."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  github: {kind: site, provider: github}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
datastores:
  compose: {kind: config, format: compose, host: app}
  secrets: {kind: secrets, host: app, key: sops-age}
repositories:
  github-mirror: {tool: git, in: github}
keys:
  sops-age: {kind: age, stored_in: [alice]}
backups:
  compose-git: {source: compose, target: github-mirror, method: git}
  secrets-git: {source: secrets, target: github-mirror, method: git}
""",
        ),
        Example(
            description="Unencrypted, but at the same site as the live data.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki: {kind: files, host: app}
repositories:
  nas-rsync: {tool: rsync, host: nas}
backups:
  wiki-rsync: {source: wiki, target: nas-rsync, method: file, schedule: daily}
""",
        ),
    )
