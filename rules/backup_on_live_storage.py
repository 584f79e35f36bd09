"""AL103 backup-on-live-storage: a backup writes to the physical machine of its source."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts, quoted_names
from archlint.analysis.scenarios import Scenario
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
        "pool or a stolen box takes the data and this backup together. It is reported only "
        "when no backup copy of the data survives the loss of that machine: a fast local "
        "repository beside a copy that leaves the machine is the textbook 3-2-1, not a risk. Its "
        "`min-criticality` compares the highest criticality of the data the backup carries."
    )
    remediation = (
        "Point the backup at a repository on another machine (a backup server, a NAS that "
        "holds no live data, a cloud bucket), or move the repository there. A disk that is "
        "only attached while the job runs can be marked `offline: true`."
    )

    def check(self, backup: Backup, facts: Facts) -> Iterator[Problem]:
        for source in backup.sources:
            source_place = facts.placement(source)
            machine = source_place.machine
            # Offline media is attached to nothing: it does not share the machine.
            if machine is None or source_place.offline:
                continue
            for target in backup.targets:
                target_place = facts.placement(target)
                if target_place.machine != machine or target_place.offline:
                    continue
                problem = self._shared_machine(source, target, machine, facts)
                if problem is not None:
                    yield problem
                    return  # one finding per backup: the first pair that proves it

    def _shared_machine(
        self, source: str, target: str, machine: str, facts: Facts
    ) -> Problem | None:
        """The problem of a source and a target on one machine, unless a copy of its
        data leaves the machine."""
        # A fast local repository beside an off-machine copy is textbook 3-2-1: only
        # data that nothing else carries through the machine's loss makes this noise a risk.
        data = facts.data_behind(source)
        lost = [d for d in data if not facts.backup_survives(d, Scenario.losing(machine))]
        if data and not lost:
            return None
        names = quoted_names([d.id for d in lost])
        unsaved = f"; no backup of {names} survives the loss of '{machine}'" if lost else ""
        if source in facts.model.repositories:
            what = (
                f"copies repository '{source}' to repository '{target}' on the same machine "
                f"'{machine}': losing '{machine}' loses both{unsaved}"
            )
        else:
            kind = "host" if source in facts.model.hosts else "datastore"
            what = (
                f"writes to repository '{target}' on machine '{machine}', the machine of its "
                f"source {kind} '{source}': losing '{machine}' loses the data and this backup "
                f"together{unsaved}"
            )
        return Problem(
            what,
            fix="point the backup at a repository on another machine, or add a copy that "
            "leaves the machine",
            cause=target,
            evidence=(
                f"source '{source}' on machine '{machine}'",
                f"target '{target}' on machine '{machine}'",
                *(
                    f"after the loss of machine '{machine}', no backup of '{d.id}' survives"
                    for d in lost
                ),
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
