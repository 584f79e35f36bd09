"""AL109 mirror-only-offsite: every off-site copy is a mirror that propagates deletions."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts, capped, quoted_names
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class MirrorOnlyOffsite(Rule[Datastore]):
    id = "AL109"
    name = "mirror-only-offsite"
    severity = "medium"
    about_copies = True
    summary = "Every copy away from the data's site is a mirror of something a compromise reaches."
    rationale = (
        "A sync (`rclone sync`, `remove-vanished`, a mirrored bucket) copies deletions and "
        "encryption as faithfully as it copies data: the night ransomware encrypts the "
        "source, the mirror follows. An off-site copy protects against a fire, but if it is "
        "only a mirror, a single compromise or a mistaken deletion still reaches every "
        "copy of the data away from home."
    )
    remediation = (
        "Keep history off-site: make the off-site repository `immutable: true` (object lock), "
        "switch the job to a versioned copy (`restic copy`, `rclone copy --backup-dir`, bucket "
        "versioning) and mark it `copy_mode: versioned`, or add an off-site copy that is not "
        "a mirror."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        # Only a copy written by a mirroring job is a mirror: a model without one has no
        # data to check, and most have none.
        if any(backup.copy_mode == "mirror" for backup in facts.model.backups.values()):
            return datastores
        return []

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        live = facts.placement_of(datastore)
        offsite = [
            copy for copy in facts.repository_copies(datastore) if copy.placement.apart_from(live)
        ]
        if not offsite or not all(is_mirror(copy, facts) for copy in offsite):
            return
        names = quoted_names([str(copy.repository) for copy in offsite])
        yield Problem(
            f"every off-site copy ({names}) is a mirror: a compromise or a deletion at "
            "the source propagates to it with the next sync",
            fix="make one off-site repository immutable, or keep history there "
            "(copy_mode: versioned)",
            evidence=capped(
                f"{copy.describe()}: mirrored by '{copy.route.backup}'" for copy in offsite
            ),
        )

    failing = (
        Example(
            description="The only off-site copy is an `rclone sync` of the NAS repository.",
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
  app: {kind: server, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-sync: {tool: rclone, in: b2-eu}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  sync: {source: nas-restic, target: b2-sync, method: copy, copy_mode: mirror, schedule: daily}
""",
        ),
        Example(
            description="A nightly `rclone sync` of the live directory is a mirror too.",
            findings=("photos",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  storage: {kind: site, provider: hetzner}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
repositories:
  storagebox: {tool: rclone, in: storage}
backups:
  photos-sync: {source: photos, target: storagebox, method: file, copy_mode: mirror}
""",
        ),
    )
    passing = (
        Example(
            description="The off-site mirror is object-locked: the sync cannot delete history.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
  app: {kind: server, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-sync: {tool: rclone, in: b2-eu, immutable: true}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  sync: {source: nas-restic, target: b2-sync, method: copy, copy_mode: mirror, schedule: daily}
""",
        ),
        Example(
            description="A versioned copy keeps its own history off-site.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  nas: {kind: nas, in: home}
  app: {kind: server, in: home}
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  b2-restic: {tool: restic, in: b2-eu}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  copy: {source: nas-restic, target: b2-restic, method: copy, copy_mode: versioned, schedule: daily}
""",
        ),
    )


def is_mirror(copy: Copy, facts: Facts) -> bool:
    """The copy arrived by a mirroring sync into a repository that keeps no history of its own."""
    backup = facts.model.backups[copy.route.backup]
    return backup.copy_mode == "mirror" and not facts.is_immutable_or_offline(copy)
