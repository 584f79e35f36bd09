"""AL104 unprotected-data: nothing protects the datastore."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class UnprotectedData(Rule[Datastore]):
    id = "AL104"
    name = "unprotected-data"
    severity = "high"
    about_copies = True
    min_criticality = "medium"
    summary = "Nothing protects the data: no backup of it and no image of its host."
    rationale = (
        "Data that no backup names and no host image covers exists exactly once. The first "
        "failed disk, deleted directory, bad upgrade or ransomware run loses it for good, "
        "and nothing in the architecture says it was ever meant to be recoverable."
    )
    remediation = (
        "Add a backup with this datastore as `source` and a repository on another machine as "
        "`target` (a `dump` for a database, `file` for files), or an `image` backup of the "
        "host it lives on."
    )

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if datastore.kind == "config":
            return  # unprotected configuration is unprotected-config's business
        if facts.protections(datastore):
            return
        host = facts.placement_of(datastore).host
        # An image of a hypervisor does not include its VMs, so only the datastore's own
        # host matters here.
        no_image = f" and no image backup of its host '{host}'" if host else ""
        evidence = [f"no backup has source '{datastore.id}'"]
        if host:
            evidence.append(f"no image backup of host '{host}'")
        yield Problem(
            f"nothing protects it: no backup has it as source{no_image}, so any failure of its "
            f"storage loses it for good",
            fix="add a backup of it to a repository on another machine",
            evidence=tuple(evidence),
        )

    failing = (
        Example(
            description="A database in use by a service is in no backup at all.",
            findings=("wiki-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
services:
  wiki: {host: app, data: [wiki-db]}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
""",
        ),
        Example(
            description="The hypervisor's image does not include its VMs' data.",
            findings=("wiki-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  pve-image: {source: pve, target: nas-pbs, method: image, schedule: weekly}
""",
        ),
        Example(
            description="With min-criticality set to low, a low-value cache needs a backup too.",
            findings=("cache",),
            options={"min-criticality": "low"},
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
datastores:
  cache: {kind: files, host: app, criticality: low}
""",
        ),
    )
    passing = (
        Example(
            description="A daily dump of the database goes to the NAS.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
""",
        ),
        Example(
            description="An image of the VM the data lives on protects it.",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: home}
datastores:
  wiki-files: {kind: files, host: app}
repositories:
  nas-pbs: {tool: pbs, host: nas}
backups:
  app-image: {source: app, target: nas-pbs, method: image, schedule: daily}
""",
        ),
        Example(
            description=(
                "Configuration is unprotected-config's business; a low-value cache is ignored."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
datastores:
  compose: {kind: config, format: compose, host: app}
  cache: {kind: files, host: app, criticality: low}
""",
        ),
    )
