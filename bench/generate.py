"""Generate a large, valid, synthetic archlint model for benchmarks.

Usage: python bench/generate.py [N] OUT_FILE

Writes a single-file model (format version 1) with N services (default 10000)
to OUT_FILE ("-" for standard output). The output is deterministic: the same
N and options always give byte-identical files, because every choice below is
arithmetic on an entity's index (no random numbers).

Shape of the generated estate:

- regions `eu` and `us`; sites alternate between them; every site has racks,
  every rack has hypervisors and one backup NAS with a ZFS pool;
- 20 VMs per hypervisor, 5 services per VM; per service a database, a files
  datastore and a compose file;
- per service: a dump of the database, a file backup of the files and a git
  backup of the compose file; per VM a PBS image; per hypervisor a host
  backup; per rack a copy of the local restic repository to an immutable
  bucket in the region's cloud site; per site an infrastructure git
  repository mirrored to GitHub;
- keys per site stored with an on-call person and in a safe; a restore
  drill for every high or critical service.

Unless `--no-gaps` is given, a deterministic fraction of entities carries a
typical gap (raw database files, crash-consistent images, snapshot-only
data, files backed up onto the NAS they live on, clear-text off-site copies,
unversioned config, VMs without images, a key kept only on the NAS of its
site, a key kept only inside the data it protects, missing, stale, failed or
slow drills, missing `depends_on`, dependency cycles, criticality inversions,
unverified and unused repositories, an unused key, unscheduled copies, a
too-tight RPO, a valid and an expired waiver), so that every rule has work
to do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import TextIO

SERVICES_PER_VM = 5
VMS_PER_HYPERVISOR = 20
HYPERVISORS_PER_RACK = 5
RACKS_PER_SITE = 4
SERVICES_PER_SITE = SERVICES_PER_VM * VMS_PER_HYPERVISOR * HYPERVISORS_PER_RACK * RACKS_PER_SITE

AS_OF = dt.date(2026, 11, 26)
REGIONS = ("eu", "us")

APPS = (
    "nextcloud",
    "gitea",
    "vaultwarden",
    "immich",
    "paperless",
    "wikijs",
    "grafana",
    "mattermost",
    "keycloak",
    "outline",
    "jellyfin",
    "bookstack",
)
ENGINES = ("postgresql", "mariadb", "mysql", "sqlite", "mongodb", "redis")
# Criticality of the application services (slot 1-4 on each VM); slot 0 is the
# VM's reverse proxy, which everything else on the VM depends on.
APP_CRITICALITY = ("high", "medium", "medium", "low", "high", "medium", "critical", "low")


@dataclass
class Gaps:
    """How often each deliberate gap occurs (every n-th entity); 0 disables it.

    Service-level gaps count services, `*_vm` VMs, `*_rack` racks and
    `*_site` sites. `orphaned_key_site` and `circular_key_site` use different
    offsets, so no site gets both. `extras` adds the one-off entities: an
    unused key, unused buckets and two waivers (one of them expired).
    """

    raw_db_files: int = 7
    snapshot_only_files: int = 11
    unversioned_config: int = 13
    vm_without_image: int = 17
    crash_image_vm: int = 3
    tight_rpo: int = 19
    missing_drill: int = 43
    stale_drill: int = 23
    failed_drill: int = 29
    slow_drill: int = 31
    implicit_dependencies: int = 37
    files_on_nas: int = 41
    inversion_vm: int = 50
    cycle_vm: int = 250
    unverified_rack: int = 5
    unscheduled_copy_rack: int = 7
    orphaned_key_site: int = 3
    circular_key_site: int = 3
    clear_offsite_files: int = 47
    extras: bool = True

    @classmethod
    def none(cls) -> Gaps:
        """No deliberate gaps at all: the model should pass every rule."""
        off = {f.name: 0 for f in fields(cls) if f.name != "extras"}
        return cls(**off, extras=False)


def every(n: int, i: int) -> bool:
    """True for every n-th index (1-based), never when n is 0."""
    return n > 0 and i % n == n - 1


@dataclass
class Sections:
    """The lines of each top-level section, in output order."""

    domains: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    datastores: list[str] = field(default_factory=list)
    repositories: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    backups: list[str] = field(default_factory=list)
    drills: list[str] = field(default_factory=list)

    def items(self) -> Iterator[tuple[str, list[str]]]:
        yield "domains", self.domains
        yield "hosts", self.hosts
        yield "services", self.services
        yield "datastores", self.datastores
        yield "repositories", self.repositories
        yield "keys", self.keys
        yield "backups", self.backups
        yield "drills", self.drills


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def site_id(s: int) -> str:
    return f"site{s:03d}"


def rack_id(r: int) -> str:
    return f"rack{r:04d}"


def nas_id(r: int) -> str:
    return f"nas{r:04d}"


def hypervisor_id(h: int) -> str:
    return f"hv{h:04d}"


def vm_id(v: int) -> str:
    return f"vm{v:05d}"


def service_id(i: int) -> str:
    if i % SERVICES_PER_VM == 0:
        return f"proxy-{i:06d}"
    return f"{APPS[i % len(APPS)]}-{i:06d}"


def vm_unimaged(gaps: Gaps, v: int) -> bool:
    """VMs that no image backup covers."""
    return every(gaps.vm_without_image, v)


def vm_crash_image(gaps: Gaps, v: int) -> bool:
    """VMs imaged without the guest agent (crash-consistent images)."""
    return every(gaps.crash_image_vm, v)


def region_of_site(s: int) -> str:
    return REGIONS[s % len(REGIONS)]


def generate(count: int, gaps: Gaps) -> Sections:
    out = Sections()
    vms = ceil_div(count, SERVICES_PER_VM)
    hypervisors = ceil_div(vms, VMS_PER_HYPERVISOR)
    racks = ceil_div(hypervisors, HYPERVISORS_PER_RACK)
    sites = ceil_div(racks, RACKS_PER_SITE)
    regions = sorted({region_of_site(s) for s in range(sites)})

    dom, hst, svc, dst, rep, key, bak, drl = (
        out.domains,
        out.hosts,
        out.services,
        out.datastores,
        out.repositories,
        out.keys,
        out.backups,
        out.drills,
    )

    # ---- regions, cloud sites, safes, git hosting --------------------------------
    for region in regions:
        dom.append(f'  {region}: {{kind: region, description: "Region {region}"}}')
        dom.append(
            f"  b2-{region}: {{kind: site, in: {region}, provider: backblaze,"
            f' description: "Object-locked buckets for off-site copies in {region}"}}'
        )
        dom.append(
            f"  safe-{region}: {{kind: site, in: {region}, offline: true,"
            f' description: "Bank safe with the printed recovery sheets of {region}"}}'
        )
        if gaps.extras:
            rep.append(
                f"  spare-bucket-{region}: {{tool: s3, in: b2-{region},"
                f' description: "Bucket created for a migration that never happened"}}'
            )
        if gaps.clear_offsite_files:
            rep.append(
                f"  rclone-{region}: {{tool: rclone, in: b2-{region}, verify: monthly,"
                f' description: "Plain rclone sync target, no crypt remote"}}'
            )
    dom.append('  github: {kind: site, provider: github, description: "Off-site git mirrors"}')

    # ---- sites: people, keys, infrastructure git ----------------------------------
    for s in range(sites):
        site = site_id(s)
        region = region_of_site(s)
        first_nas = nas_id(s * RACKS_PER_SITE)
        orphaned = every(gaps.orphaned_key_site, s)
        circular = every(gaps.circular_key_site, s + 1)
        dom.append(f'  {site}: {{kind: site, in: {region}, description: "Data centre {s}"}}')
        dom.append(f'  oncall-{site}: {{kind: person, description: "On-call engineer of {site}"}}')
        if orphaned:
            # Only in a file on the NAS, and the off-site copies reuse it.
            key.append(
                f"  restic-{site}: {{kind: passphrase, stored_in: [{first_nas}],"
                ' description: "Only in a file on the NAS"}'
            )
        else:
            key.append(
                f"  restic-{site}: {{kind: passphrase, stored_in: [oncall-{site}, safe-{region}]}}"
            )
            if circular:
                # Kept only inside a database whose sole off-site copy it encrypts.
                offsite_places = f"{service_id(s * SERVICES_PER_SITE)}-db"
            else:
                offsite_places = f"oncall-{site}, safe-{region}"
            key.append(f"  offsite-{site}: {{kind: passphrase, stored_in: [{offsite_places}]}}")
        key.append(f"  pbs-{site}: {{kind: keyfile, stored_in: [oncall-{site}, safe-{region}]}}")
        rep.append(
            f"  infra-git-{site}: {{tool: git, in: pool-{first_nas},"
            f' description: "Infrastructure repository of {site}"}}'
        )
        rep.append(f"  mirror-{site}: {{tool: git, in: github}}")
        bak.append(
            f"  push-mirror-{site}: {{source: infra-git-{site}, target: mirror-{site},"
            ' method: copy, schedule: "*/15 * * * *"}'
        )
    if gaps.extras:
        key.append('  legacy-gpg: {kind: gpg, stored_in: [safe-eu], description: "Retired"}')

    # ---- racks: NAS, pool, repositories, off-site copies --------------------------------
    for r in range(racks):
        s = r // RACKS_PER_SITE
        site = site_id(s)
        region = region_of_site(s)
        rack, nas = rack_id(r), nas_id(r)
        orphaned = every(gaps.orphaned_key_site, s)
        dom.append(f"  {rack}: {{kind: rack, in: {site}}}")
        dom.append(f"  pool-{nas}: {{kind: disk, in: {nas}}}")
        hst.append(f'  {nas}: {{kind: nas, in: {rack}, description: "Backup NAS of {rack}"}}')
        verify = "" if every(gaps.unverified_rack, r) else ", verify: weekly"
        rep.append(
            f"  restic-{rack}: {{tool: restic, in: pool-{nas}, key: restic-{site}{verify},"
            " retention: {daily: 14, weekly: 8, monthly: 12}}"
        )
        rep.append(f"  pbs-{rack}: {{tool: pbs, in: pool-{nas}, key: pbs-{site}, verify: weekly}}")
        offsite_key = f"restic-{site}" if orphaned else f"offsite-{site}"
        rep.append(
            f"  offsite-{rack}: {{tool: restic, in: b2-{region}, key: {offsite_key},"
            " immutable: true, verify: monthly}"
        )
        schedule = "" if every(gaps.unscheduled_copy_rack, r) else ", schedule: 6h"
        bak.append(
            f"  copy-offsite-{rack}: {{source: restic-{rack}, target: offsite-{rack},"
            f" method: copy{schedule}}}"
        )

    # ---- hypervisors ------------------------------------------------------------------
    for h in range(hypervisors):
        r = h // HYPERVISORS_PER_RACK
        hv = hypervisor_id(h)
        hst.append(f"  {hv}: {{kind: hypervisor, in: {rack_id(r)}}}")
        bak.append(
            f"  {hv}-host: {{source: {hv}, target: pbs-{rack_id(r)}, method: image,"
            ' schedule: "30 3 * * 0"}'
        )

    # ---- VMs ----------------------------------------------------------------------------
    for v in range(vms):
        h = v // VMS_PER_HYPERVISOR
        r = h // HYPERVISORS_PER_RACK
        hv, vm = hypervisor_id(h), vm_id(v)
        hst.append(f"  {vm}: {{kind: vm, hypervisor: {hv}}}")
        if not vm_unimaged(gaps, v):
            quiesce = "" if vm_crash_image(gaps, v) else ", quiesce: true"
            bak.append(
                f"  {vm}-image: {{source: {vm}, target: pbs-{rack_id(r)}, method: image,"
                f' runs_on: {hv}{quiesce}, schedule: "0 1 * * *"}}'
            )

    # ---- services and their data --------------------------------------------------------
    waived_db = False
    for i in range(count):
        v = i // SERVICES_PER_VM
        slot = i % SERVICES_PER_VM
        r = v // VMS_PER_HYPERVISOR // HYPERVISORS_PER_RACK
        s = r // RACKS_PER_SITE
        vm, rack, nas, site = vm_id(v), rack_id(r), nas_id(r), site_id(s)
        sid = service_id(i)
        proxy = service_id(v * SERVICES_PER_VM)
        app = "traefik" if slot == 0 else APPS[i % len(APPS)]

        if slot == 0:
            crit = "medium" if every(gaps.inversion_vm, v) else "critical"
            deps: list[str] = []
            if every(gaps.cycle_vm, v) and v * SERVICES_PER_VM + 1 < count:
                deps = [service_id(v * SERVICES_PER_VM + 1)]
        else:
            crit = APP_CRITICALITY[i % len(APP_CRITICALITY)]
            if every(gaps.inversion_vm, v) and crit in ("medium", "low"):
                crit = "high"
            deps = [proxy]
        high = crit in ("high", "critical")
        rpo = "1h" if every(gaps.tight_rpo, i) else ("24h" if high else "2d")
        rto = {"critical": "2h", "high": "8h", "medium": "1d", "low": "1w"}[crit]
        implicit = high and every(gaps.implicit_dependencies, i)
        depends = "" if implicit else f", depends_on: [{', '.join(deps)}]"
        svc.append(
            f"  {sid}: {{host: {vm}, criticality: {crit}{depends},"
            f" data: [{sid}-db, {sid}-files, {sid}-compose], rpo: {rpo}, rto: {rto},"
            f' owner: team-{site}, description: "{app} instance {i}"}}'
        )

        engine = ENGINES[i % len(ENGINES)]
        raw_db = every(gaps.raw_db_files, i)
        waive = ""
        if (
            gaps.extras
            and not waived_db
            and raw_db
            and (vm_unimaged(gaps, v) or vm_crash_image(gaps, v))
        ):
            waived_db = True
            waive = (
                ", waive: [{rule: inconsistent-database-backup, until: 2027-12-31,"
                ' reason: "Read-only archive database, never written to"}]'
            )
        dst.append(
            f"  {sid}-db: {{kind: database, engine: {engine}, host: {vm},"
            f" path: /var/lib/{app}/db, size: {1 + i % 50}GiB{waive}}}"
        )
        snapshot_only = every(gaps.snapshot_only_files, i)
        on_nas = snapshot_only or every(gaps.files_on_nas, i)
        where = f"in: pool-{nas}" if on_nas else f"host: {vm}"
        waive = ""
        if gaps.extras and i == gaps.snapshot_only_files - 1:
            waive = (
                ", waive: [{rule: snapshot-only, until: 2026-01-31,"
                ' reason: "Share to be retired in January"}]'
            )
        dst.append(
            f"  {sid}-files: {{kind: files, {where}, path: /srv/{app}/{i},"
            f" size: {10 + i % 500}GiB{waive}}}"
        )
        dst.append(
            f"  {sid}-compose: {{kind: config, format: compose, host: {vm},"
            f" path: /opt/stacks/{app}/compose.yaml}}"
        )

        method = "file" if raw_db else "dump"
        if not (vm_unimaged(gaps, v) and slot == SERVICES_PER_VM - 1):
            # On a VM without an image, the last service's database is not
            # backed up at all.
            bak.append(
                f"  {sid}-db-{method}: {{source: {sid}-db, target: restic-{rack},"
                f' method: {method}, schedule: "0 */6 * * *"}}'
            )
        if every(gaps.clear_offsite_files, i):
            bak.append(
                f"  {sid}-files-rclone: {{source: {sid}-files, target: rclone-{region_of_site(s)},"
                " method: file, schedule: daily}"
            )
        if snapshot_only:
            bak.append(
                f"  {sid}-files-snap: {{source: {sid}-files, method: snapshot, schedule: hourly}}"
            )
        else:
            bak.append(
                f"  {sid}-files-restic: {{source: {sid}-files, target: restic-{rack},"
                " method: file, schedule: daily}"
            )
        if not every(gaps.unversioned_config, i):
            bak.append(
                f"  {sid}-compose-git: {{source: {sid}-compose, target: infra-git-{site},"
                " method: git, schedule: hourly}"
            )

        if high and not every(gaps.missing_drill, i):
            if every(gaps.stale_drill, i):
                date = AS_OF - dt.timedelta(days=400 + i % 100)
            else:
                date = AS_OF - dt.timedelta(days=1 + i % 150)
            result = "fail" if every(gaps.failed_drill, i) else "pass"
            duration = "2d" if every(gaps.slow_drill, i) else "90m"
            source = f"offsite-{rack}" if i % 2 else f"restic-{rack}"
            drl.append(
                f"  drill-{sid}: {{restores: [{sid}], from: {source},"
                f" date: {date.isoformat()}, result: {result}, duration: {duration}}}"
            )
    return out


def write(out: TextIO, count: int, sections: Sections) -> None:
    noun = "service" if count == 1 else "services"
    out.write(f"# Synthetic archlint model with {count} {noun}, written by bench/generate.py.\n")
    out.write("archlint: 1\n")
    out.write("defaults: {criticality: medium}\n")
    for name, lines in sections.items():
        if not lines:
            continue
        out.write(f"{name}:\n")
        out.write("\n".join(lines))
        out.write("\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Write a deterministic synthetic archlint model for benchmarks."
    )
    parser.add_argument(
        "count", nargs="?", type=int, default=10000, help="number of services (default 10000)"
    )
    parser.add_argument("output", help='file to write, or "-" for standard output')
    parser.add_argument(
        "--no-gaps", action="store_true", help="generate a model without deliberate gaps"
    )
    args = parser.parse_intermixed_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    count: int = args.count
    gaps = Gaps.none() if args.no_gaps else Gaps()
    sections = generate(count, gaps)
    if args.output == "-":
        try:
            write(sys.stdout, count, sections)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. piped into `head`
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
            write(handle, count, sections)


if __name__ == "__main__":
    main()
