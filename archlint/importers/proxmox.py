"""Proxmox VE: vzdump jobs (jobs.cfg), storages (storage.cfg) and guest configs.

Guests (`qemu-server/<vmid>.conf`, `lxc/<vmid>.conf`) become VMs on their node
(the node is read from a `nodes/<node>/` path, else `--host`). Each vzdump job
becomes one `image` backup per guest it selects, into the repository of its
storage: a Proxmox Backup Server storage is a `pbs` repository on the PBS server,
with a key when the storage has an `encryption-key`; a directory or NFS/CIFS
storage holds vzdump archives. `mode snapshot` with the QEMU guest agent (which
freezes the file systems) or `mode stop` make the image `quiesce`d. Disks that
vzdump skips (`backup=0`, LXC mount points without `backup=1`, bind mounts) become
datastores on the node with no backup, so the linter reports them as uncovered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archlint.importers import _jobs
from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.schedules import (
    Timing,
    Untranslatable,
    calendar_to_schedule,
    command_words,
    split_paths,
)
from archlint.importers.yamlread import read_text

TOOL = "proxmox"
_HEADER = re.compile(r"^([a-z][a-z0-9-]*):\s*(\S+)\s*$")
_STORAGE_TYPES = frozenset(
    (
        *("dir", "nfs", "cifs", "pbs", "zfspool", "zfs", "lvm", "lvmthin", "rbd"),
        *("cephfs", "glusterfs", "iscsi", "iscsidirect", "btrfs", "esxi"),
    )
)
_QEMU_DISK = re.compile(r"^(ide|sata|scsi|virtio|efidisk|tpmstate)\d+$")
_LXC_MOUNT = re.compile(r"^mp\d+$")
_NODE_PATH = re.compile(r"(?:^|/)nodes/([^/]+)/(qemu-server|lxc)/")
_TRUE = ("1", "yes", "true", "on")


@dataclass
class _Section:
    """One `type: id` section of jobs.cfg or storage.cfg, with its properties."""

    kind: str
    name: str
    origin: Origin
    properties: dict[str, tuple[str, Origin]] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        return self.properties[key][0] if key in self.properties else default


@dataclass
class _Guest:
    vmid: str
    kind: str  # qemu or lxc
    node: str
    host: str  # the draft id of the VM
    agent: bool


def import_files(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft(TOOL)
    files, timings = split_paths(paths, options)
    draft.sources.extend(str(path) for path in paths)
    jobs: list[_Section] = [_cron_job(timing) for timing in timings if "vzdump" in timing.command]
    for timing in timings:
        if "vzdump" not in timing.command:
            draft.notes.append(
                f"TODO: {timing.origin} runs {timing.command!r}, not vzdump: left out"
            )
    storages: dict[str, _Section] = {}
    guest_files: list[tuple[Path, str]] = []
    for path in files:
        text = read_text(path, str(path), options.limits)
        sections = _sections(text, str(path)) if _is_section_config(text) else None
        if sections is None:
            guest_files.append((path, text))
        elif any(section.kind in _STORAGE_TYPES for section in sections):
            storages.update((s.name, s) for s in sections if s.kind in _STORAGE_TYPES)
        else:
            jobs.extend(section for section in sections if section.kind == "vzdump")
    if not jobs and not guest_files:
        fail(
            Origin(str(paths[0]) if paths else "-", 1),
            "no jobs.cfg vzdump job and no guest config given",
        )
    importer = _Importer(draft, options, storages)
    for path, text in guest_files:
        importer.guest(path, text)
    for job in jobs:
        importer.job(job)
    if not jobs:
        draft.notes.append("TODO: no jobs.cfg given: the guests' backups are not known")
    return draft


def _is_section_config(text: str) -> bool:
    """jobs.cfg and storage.cfg start sections with `type: id` at the start of a line and
    indent their properties; a guest config has no indented lines."""
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return (
        bool(lines) and bool(_HEADER.match(lines[0])) and any(line[:1] in " \t" for line in lines)
    )


def _sections(text: str, display: str) -> list[_Section]:
    sections: list[_Section] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        at = Origin(display, number)
        if line[:1] not in " \t":
            header = _HEADER.match(line)
            if header is None:
                fail(at, "expected a section header `type: id` (jobs.cfg, storage.cfg)")
            sections.append(_Section(header.group(1), header.group(2), at))
            continue
        if not sections:
            fail(at, "a property before the first `type: id` section")
        key, _, value = line.strip().partition(" ")
        sections[-1].properties[key] = (value.strip(), at)
    return sections


class _Importer:
    def __init__(self, draft: Draft, options: ImportOptions, storages: dict[str, _Section]) -> None:
        self.draft = draft
        self.options = options
        self.storages = storages
        self.guests: dict[str, _Guest] = {}
        self.nodes: dict[str, str] = {}
        self.repositories: dict[str, str] = {}

    # -- nodes and guests ------------------------------------------------------

    def node(self, name: str, at: Origin | None) -> str:
        if name in self.nodes:
            return self.nodes[name]
        host = self.draft.ensure_host(name or None, self.options, at)
        entity = self.draft[host]
        entity.fields["kind"] = "hypervisor"
        entity.todos = [t for t in entity.todos if not t.startswith("check the host's kind")]
        self.nodes[name] = host
        return host

    def guest(self, path: Path, text: str) -> None:
        display = str(path)
        values = _guest_values(text, display)
        vmid = path.stem
        found = _NODE_PATH.search(path.as_posix())
        kind = "lxc" if "rootfs" in values or (found and found.group(2) == "lxc") else "qemu"
        if not vmid.isdigit():
            fail(Origin(display, 1), "a guest config is named <vmid>.conf (e.g. 105.conf)")
        node = self.node(found.group(1) if found else "", Origin(display, 1))
        name = values.get("name") or values.get("hostname") or (f"vm-{vmid}", Origin(display, 1))
        what = "LXC container" if kind == "lxc" else "QEMU VM"
        host = self.draft.add(
            "hosts",
            name[0],
            {"kind": "vm", "hypervisor": node, "description": f"{what} {vmid} ({name[0]})"},
            Origin(display, 1),
            [],
            {"vmid": vmid},
        )
        agent = values.get("agent", ("0", Origin(display, 1)))[0].split(",")
        enabled = agent[0] in _TRUE or "enabled=1" in agent
        self.guests[vmid] = _Guest(vmid, kind, node, host, enabled and kind == "qemu")
        for key, (value, at) in values.items():
            self._disk(key, value, at, kind, vmid, node)

    def _disk(self, key: str, value: str, at: Origin, kind: str, vmid: str, node: str) -> None:
        options = value.split(",")
        volume = options[0]
        flags = dict(option.partition("=")[::2] for option in options[1:])
        if kind == "qemu":
            if not _QEMU_DISK.match(key) or flags.get("media") == "cdrom" or volume == "none":
                return
            skipped = flags.get("backup") == "0"
        else:
            if not _LXC_MOUNT.match(key):
                return
            skipped = volume.startswith("/") or flags.get("backup") not in _TRUE
        if not skipped:
            return
        why = (
            "a bind mount vzdump never backs up"
            if volume.startswith("/")
            else (
                "backup=0: vzdump leaves it out of the guest's image"
                if kind == "qemu"
                else "a mount point without backup=1: vzdump leaves it out"
            )
        )
        todo = (
            f"{key} of guest {vmid} is not in any backup ({why}): back it up some other "
            "way or accept the loss"
        )
        if volume.startswith("/"):
            self.draft.path_datastore(
                node, volume, at, {"description": f"{key} of guest {vmid}"}, [todo]
            )
            return
        fields = {
            "kind": "vm-image",
            "host": node,
            "path": volume,
            "description": f"{key} of guest {vmid}",
        }
        self.draft.add(
            "datastores",
            f"{vmid}-{key}",
            fields,
            at,
            [
                todo,
                f"its bytes are on storage {volume.split(':')[0]!r}: if that is not on the "
                "node, move it",
            ],
        )

    # -- storages ----------------------------------------------------------------

    def repository(self, storage: str, node: str, at: Origin) -> str:
        if storage in self.repositories:
            return self.repositories[storage]
        section = self.storages.get(storage)
        if section is None:
            todos = [
                f"storage {storage!r} is not in the storage.cfg given: add storage.cfg, "
                "or say where it is"
            ]
            fields: dict[str, Any] = {
                "tool": "other",
                "host": node,
                "description": f"Proxmox storage {storage}",
            }
            where = at
        else:
            fields, todos = self._storage(section, node)
            where = section.origin
        match = {"tool": str(fields["tool"]), "url": f"pve-storage:{storage}"}
        repository = self.draft.add("repositories", storage, fields, where, todos, match)
        self.repositories[storage] = repository
        return repository

    def _storage(self, section: _Section, node: str) -> tuple[dict[str, Any], list[str]]:
        todos: list[str] = []
        server = section.get("server")
        host = self._server(server, section) if server else node
        fields: dict[str, Any] = {"tool": "pbs" if section.kind == "pbs" else "other", "host": host}
        if section.kind == "pbs":
            fields["description"] = (
                f"Proxmox Backup Server datastore {section.get('datastore')} on {server}"
            )
            todos.append(
                "verification jobs run on the PBS server: set verify to how often they run"
            )
            if "encryption-key" in section.properties:
                fields["key"] = self._key(section, node)
        elif section.kind in ("dir", "nfs", "cifs", "cephfs", "btrfs", "glusterfs"):
            where = section.get("path") or section.get("export") or section.get("share")
            fields["description"] = (
                f"vzdump archives on {section.kind} storage {section.name} ({where})"
            )
            if section.kind == "dir":
                todos.append(
                    "a directory on the node: if it is another disk or a mount of another "
                    "machine, put the repository there"
                )
        else:
            todos.append(
                f"{section.kind} storage cannot hold vzdump backups: check the job's storage"
            )
        keep = _prune(section.get("prune-backups"))
        if keep:
            fields["retention"] = keep
        return fields, todos

    def _server(self, server: str, section: _Section) -> str:
        for entity in self.draft.entities("hosts"):
            if entity.match.get("server") == server:
                return entity.id
        site = self.draft.ensure_site(self.options)
        todos = [
            f"{server} serves storage {section.name!r}: check where it runs (its own machine, "
            "or a VM: set hypervisor) and at which site"
        ]
        return self.draft.add(
            "hosts",
            server,
            {"kind": "server", "in": site},
            section.origin,
            todos,
            {"server": server},
        )

    def _key(self, section: _Section, node: str) -> str:
        at = section.properties["encryption-key"][1]
        todos = [
            f"the key is in /etc/pve/priv/storage/{section.name}.enc on the cluster (its "
            "value is not copied): keep a copy off the cluster (a paper key, a password manager)"
        ]
        return self.draft.add(
            "keys",
            f"{section.name}-encryption-key",
            {"kind": "keyfile", "stored_in": [node]},
            at,
            todos,
        )

    # -- jobs --------------------------------------------------------------------

    def job(self, job: _Section) -> None:
        if job.get("enabled", "1") not in _TRUE:
            self.draft.notes.append(f"{job.origin}: vzdump job {job.name} is disabled and left out")
            return
        schedule, todo = _job_schedule(job)
        mode = job.get("mode", "snapshot")
        guests, todos = self._selected(job)
        keep = _prune(job.get("prune-backups"))
        storage = job.get("storage")
        if not storage:
            todos.append("the job names no storage: vzdump uses the default of /etc/vzdump.conf")
            storage = "local"
        for guest in guests:
            target = self.repository(storage, guest.node, job.origin)
            fields: dict[str, Any] = {
                "source": guest.host,
                "target": target,
                "method": "image",
                "description": f"vzdump job {job.name} (mode {mode})",
            }
            quiesce = mode == "stop" or (mode == "snapshot" and guest.agent)
            if quiesce:
                fields["quiesce"] = True
            if schedule:
                fields["schedule"] = schedule
            if keep:
                fields["retention"] = keep
            guest_todos = [*todos, *([todo] if todo else [])]
            if mode == "suspend":
                guest_todos.append(
                    "mode suspend: say whether the application is consistent (quiesce)"
                )
            elif mode == "snapshot" and guest.kind == "qemu" and not guest.agent:
                guest_todos.append("snapshot without the guest agent: crash-consistent")
            self.draft.add(
                "backups",
                f"{guest.vmid}-{job.name}",
                fields,
                job.origin,
                guest_todos,
                {"job": f"{TOOL}:{job.name}:{guest.vmid}"},
            )

    def _selected(self, job: _Section) -> tuple[list[_Guest], list[str]]:
        node = job.get("node")
        todos: list[str] = []
        if job.get("all") in _TRUE:
            excluded = set(re.split(r"[\s,]+", job.get("exclude")))
            chosen = [g for g in self.guests.values() if g.vmid not in excluded]
            todos.append("`all`: only the guest configs given were seen; add the others")
        elif job.get("pool"):
            todos.append(
                f"pool {job.get('pool')!r}: its members are in user.cfg; add their backups"
            )
            chosen = []
        else:
            chosen = []
            for vmid in (v for v in re.split(r"[\s,]+", job.get("vmid")) if v):
                chosen.append(
                    self.guests.get(vmid) or self._unseen(vmid, node, job.properties["vmid"][1])
                )
        if node:
            chosen = [g for g in chosen if g.node == self.node(node, job.origin)]
        return sorted(chosen, key=lambda g: int(g.vmid) if g.vmid.isdigit() else 0), todos

    def _unseen(self, vmid: str, node: str, at: Origin) -> _Guest:
        host = self.node(node, at)
        vm = self.draft.add(
            "hosts",
            f"vm-{vmid}",
            {"kind": "vm", "hypervisor": host},
            at,
            [f"guest {vmid}'s config was not given: name it and add its disks"],
            {"vmid": vmid},
        )
        guest = _Guest(vmid, "qemu", host, vm, False)
        self.guests[vmid] = guest
        return guest


def _guest_values(text: str, display: str) -> dict[str, tuple[str, Origin]]:
    """A guest config's current settings (snapshot sections after `[name]` are left out)."""
    values: dict[str, tuple[str, Origin]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            break
        key, colon, value = stripped.partition(":")
        if not colon or " " in key:
            fail(Origin(display, number), "not a Proxmox guest config line: expected `key: value`")
        values[key] = (value.strip(), Origin(display, number))
    if not values:
        fail(Origin(display, 1), "an empty guest config")
    return values


def _cron_job(timing: Timing) -> _Section:
    """A line of the vzdump.cron of Proxmox VE before 7 (`vzdump 100 101 --mode snapshot
    --storage pbs`) as the jobs.cfg section it became."""
    words = command_words(timing.command)
    words = words[next(i for i, w in enumerate(words) if w.endswith("vzdump")) + 1 :]
    job = _Section("vzdump", f"cron-{timing.origin.line}", timing.origin)
    vmids = []
    for index, word in enumerate(words):
        if word.startswith("-") and index + 1 < len(words):
            job.properties[word.lstrip("-")] = (words[index + 1], timing.origin)
        elif word.isdigit() and not (index and words[index - 1].startswith("-")):
            vmids.append(word)
    if vmids:
        job.properties["vmid"] = (",".join(vmids), timing.origin)
    if timing.schedule is not None:
        job.properties["cron"] = (timing.schedule, timing.origin)
    return job


def _job_schedule(job: _Section) -> tuple[str | None, str | None]:
    if job.get("cron"):
        return job.get("cron"), None
    event = job.get("schedule")
    if not event and job.get("starttime"):
        # The format before PVE 7: `dow mon,tue` and `starttime 02:00`.
        event = " ".join(filter(None, (job.get("dow"), job.get("starttime"))))
    if not event:
        return None, "the job has no schedule: write it"
    try:
        return calendar_to_schedule(event), None
    except Untranslatable as reason:
        return None, f"schedule {event!r} cannot be said in cron ({reason}): write it"


def _prune(value: str) -> dict[str, int]:
    """`keep-daily=7,keep-weekly=4` as `{daily: 7, weekly: 4}`."""
    pairs = dict(item.partition("=")[::2] for item in value.split(",") if "=" in item)
    return _jobs.retention(pairs, "-")
