"""AL503 unprotected-host: a host runs services and no backup has it as source."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Host


class UnprotectedHost(Rule[Host]):
    id = "AL503"
    name = "unprotected-host"
    severity = "medium"
    summary = "The host runs services, directly or through its VMs, and no backup has it as source."
    rationale = (
        "Backing up the data is not enough to bring the services back: the operating system, "
        "its packages, users, mounts, network settings and the hypervisor's VM definitions "
        "must be rebuilt too. Without an image or a host backup that means reinstalling from "
        "memory, which turns an hour's restore into a weekend."
    )
    remediation = (
        "Add a backup with the host as `source`: an `image` backup (vzdump or PBS for a VM, "
        "proxmox-backup-client or a bare-metal image for a machine) to a repository on "
        "another machine."
    )

    def check(self, host: Host, facts: Facts) -> Iterator[Problem]:
        if facts.backups_of(host.id):  # the cheaper question first: most hosts are imaged
            return
        services = facts.services_on(host)
        if not services:
            return
        names = ", ".join(f"'{s.id}'" for s in services)
        yield Problem(
            f"runs {names} and no backup has it as source: it must be rebuilt by hand after "
            f"a failure",
            fix=f"add an `image` backup of '{host.id}' to a repository on another machine",
            evidence=tuple(
                f"service '{s.id}' on host '{s.host}'"
                + ("" if s.host == host.id else f" (a VM of '{host.id}')")
                for s in services
            ),
        )

    failing = (
        Example(
            description=(
                "The hypervisor runs a service through its VM, and neither machine is imaged."
            ),
            findings=("pve", "docker"),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  docker: {kind: vm, hypervisor: pve}
services:
  wiki: {host: docker}
""",
        ),
    )
    passing = (
        Example(
            description="Both images exist; the NAS runs no service, so it needs no image.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  docker: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
services:
  wiki: {host: docker}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  pve-host: {source: pve, target: nas-pbs, method: image, schedule: weekly}
  docker-image: {source: docker, target: nas-pbs, method: image, schedule: daily}
""",
        ),
    )
