"""AL103 backup-on-live-storage: a backup writes to the physical machine of its source."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Backup


class BackupOnLiveStorage(Rule[Backup]):
    id = "AL103"
    name = "backup-on-live-storage"
    severity = "high"
    summary = "The backup writes to a repository on the same physical machine as its source."
    rationale = (
        "Backup storage must be separate from live storage. A repository on the machine that "
        "holds the data it protects (another disk of the same NAS, the local storage of the "
        "hypervisor a VM runs on) dies with that machine: a failed power supply, a corrupted "
        "pool or a stolen box takes the data and this backup together."
    )
    remediation = (
        "Point the backup at a repository on another machine (a backup server, a NAS that "
        "holds no live data, a cloud bucket), or move the repository there. A disk that is "
        "only attached while the job runs can be marked `offline: true`."
    )

    def check(self, backup: Backup, facts: Facts) -> Iterator[Problem]:
        if backup.target is None:
            return  # local snapshots without a target are snapshot-only's business
        source = facts.placement(backup.source)
        target = facts.placement(backup.target)
        machine = source.machine
        if machine is None or target.machine != machine:
            return
        if source.offline or target.offline:
            return  # offline media is attached to nothing: it does not share the machine
        yield Problem(
            f"writes to repository '{backup.target}' on machine '{machine}', the machine of its "
            f"source '{backup.source}': losing '{machine}' loses the data and this backup together",
            fix="point the backup at a repository on another machine",
            cause=backup.target,
            evidence=(
                f"source '{backup.source}' on machine '{machine}'",
                f"target '{backup.target}' on machine '{machine}'",
            ),
        )

    failing = (
        Example(
            description=(
                "The restic repository is on the NAS (even the same pool) that holds the data it "
                "backs up."
            ),
            findings=("photos-restic",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  tank: {kind: disk, in: nas}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, in: tank}
repositories:
  nas-restic: {tool: restic, in: tank}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "A VM is imaged onto its own hypervisor's disk: VM and hypervisor are one machine, "
                "whichever disk."
            ),
            findings=("app-image",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  local-ssd: {kind: disk, in: pve}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
repositories:
  pve-local: {tool: other, in: local-ssd}
backups:
  app-image: {source: app, target: pve-local, method: image, runs_on: pve, schedule: weekly}
""",
        ),
        Example(
            description="A copy between two repositories on one machine adds no separate storage.",
            findings=("restic-copy",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  pool-a: {kind: disk, in: nas}
  pool-b: {kind: disk, in: nas}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki: {kind: files, host: app}
repositories:
  restic-a: {tool: restic, in: pool-a}
  restic-b: {tool: restic, in: pool-b}
backups:
  wiki-restic: {source: wiki, target: restic-a, method: file, schedule: daily}
  restic-copy: {source: restic-a, target: restic-b, method: copy, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "The files are backed up from the app server to a repository on another machine, "
                "the NAS."
            ),
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
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-restic: {source: wiki, target: nas-restic, method: file, schedule: daily}
""",
        ),
        Example(
            description=(
                "Local snapshots without a target are snapshot-only's business, not this rule's."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas}
backups:
  photos-snapshots: {source: photos, method: snapshot, schedule: hourly}
""",
        ),
        Example(
            description=(
                "An offline USB disk is attached to no machine: a copy onto it leaves the machine."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  usb: {kind: disk, in: nas, offline: true}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  usb-restic: {tool: restic, in: usb}
backups:
  wiki-restic: {source: wiki, target: nas-restic, method: file, schedule: daily}
  usb-copy: {source: nas-restic, target: usb-restic, method: copy}
""",
        ),
        Example(
            description=(
                "Data and bucket at the same provider: no machine of the model holds either."
            ),
            model="""
archlint: 1
domains:
  b2-eu: {kind: site, provider: backblaze}
datastores:
  media: {kind: object-store, in: b2-eu}
repositories:
  b2-copy: {tool: rclone, in: b2-eu}
backups:
  media-sync: {source: media, target: b2-copy, method: file, schedule: daily}
""",
        ),
    )
