"""AL108 single-host-compromise: one compromised host can destroy the data and every copy."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts, capped
from archlint.analysis.scenarios import Scenario
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class SingleHostCompromise(Rule[Datastore]):
    id = "AL108"
    name = "single-host-compromise"
    severity = "high"
    about_copies = True
    min_criticality = "high"
    summary = "Compromising one host destroys the live data and every copy of it."
    rationale = (
        "An attacker (or ransomware) with one host's credentials can delete everything that "
        "host holds and everything it can write to. When the live data and every backup are "
        "within reach of the same host (stored on it, or in repositories its push jobs write "
        "to), one break-in ends in total loss, however many copies there are. A compromise "
        "also destroys the keys kept on the host: a copy that survives counts only when a key "
        "that reads it survives too."
    )
    remediation = (
        "Put one copy out of that host's reach: make a repository `immutable: true` (object "
        "lock, append-only), keep a copy `offline`, or let the backup side fetch the data "
        "(`mode: pull`) so the source host holds no credentials that can delete it."
    )

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if not facts.protections(datastore):
            return  # data that nothing protects is unprotected-data's business
        hosts = facts.compromising_hosts(datastore)
        if not hosts:
            return
        live_host = facts.placement_of(datastore).host
        # Name the data's own host when it is one of them; a hypervisor above it comes second.
        host = live_host if live_host in hosts else hosts[0]
        others = ", ".join(f"'{other}'" for other in hosts if other != host)
        also = f"; so does compromising {others}" if others else ""
        copies = facts.copies(datastore)
        names = ", ".join(
            f"'{copy.repository}'" if copy.repository else "a local snapshot" for copy in copies[:5]
        )
        if len(copies) > 5:
            names += f" and {len(copies) - 5} more"
        scenario = Scenario(compromised=frozenset({host}))
        yield Problem(
            f"compromising host '{host}' alone destroys the live data and every copy "
            f"({names}), or the keys that read them{also}",
            fix="put one copy, and a key that reads it, out of its reach: make a repository "
            "`immutable: true`, keep a copy offline, let the backup side fetch the data "
            "(`mode: pull`), and keep the key somewhere else too (e.g. with a person)",
            cause=host,
            evidence=(
                live_reach(datastore, host, scenario, facts),
                *capped(reach(copy, host, scenario, facts) for copy in copies),
            ),
        )

    failing = (
        Example(
            description=(
                "The app server pushes its backup, so it holds credentials that can delete it."
            ),
            findings=("wiki-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, criticality: high, data: [wiki-db]}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, schedule: daily}
""",
        ),
        Example(
            description=(
                "The image job runs on the hypervisor (`runs_on`), which also hosts the VM: "
                "compromising it reaches both."
            ),
            findings=("wiki-files",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  pve: {kind: hypervisor, in: home}
  app: {kind: vm, hypervisor: pve}
datastores:
  wiki-files: {kind: files, host: app, criticality: critical}
repositories:
  b2-images: {tool: pbs, in: b2-eu}
backups:
  app-image: {source: app, target: b2-images, method: image, runs_on: pve, schedule: daily}
""",
        ),
        Example(
            description=(
                "The off-site repository is immutable, but its passphrase is kept only on the "
                "server that pushes to it: the compromise destroys the key, and the copy that "
                "survives cannot be read."
            ),
            findings=("wiki-db",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app, criticality: high}
repositories:
  b2-locked: {tool: restic, in: b2-eu, immutable: true, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [app]}
backups:
  wiki-dump: {source: wiki-db, target: b2-locked, method: dump, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "The backup server pulls: the app server holds no credentials to its repository."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app, criticality: high}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  wiki-dump: {source: wiki-db, target: nas-restic, method: dump, mode: pull, schedule: daily}
""",
        ),
        Example(
            description="An immutable repository survives whoever pushes into it.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
datastores:
  wiki-db: {kind: database, engine: postgresql, host: app, criticality: high}
repositories:
  b2-locked: {tool: restic, in: b2-eu, immutable: true}
backups:
  wiki-dump: {source: wiki-db, target: b2-locked, method: dump, schedule: daily}
""",
        ),
        Example(
            description=(
                "A copy on an offline disk survives the compromise of the host it belongs to."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  usb: {kind: disk, in: nas, offline: true}
hosts:
  nas: {kind: nas, in: home}
datastores:
  photos: {kind: files, host: nas, criticality: high}
repositories:
  usb-restic: {tool: restic, in: usb}
backups:
  photos-usb: {source: photos, target: usb-restic, method: file, schedule: weekly}
""",
        ),
        Example(
            description="Below the threshold, and unprotected (unprotected-data's business).",
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  notes: {kind: files, host: app, criticality: medium}
  ledger: {kind: database, engine: sqlite, host: app, criticality: critical}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  notes-restic: {source: notes, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )


def live_reach(datastore: Datastore, host: str, scenario: Scenario, facts: Facts) -> str:
    """How a compromise of `host` makes the live data unreadable."""
    placement = facts.placement_of(datastore)
    live = f"live data on host '{placement.host}'"
    if host in placement.attached:
        if placement.host != host:
            live += f", which runs on '{host}'"
        return live
    return f"{live}: {lost_keys((datastore.key,) if datastore.key else (), scenario, facts)}"


def reach(copy: Copy, host: str, scenario: Scenario, facts: Facts) -> str:
    """How a compromise of `host` destroys the copy, or the keys that read it."""
    if host not in copy.compromisers:
        return f"{copy.describe()}: survives, but {lost_keys(copy.keys, scenario, facts)}"
    # A snapshot shares the live data's storage, so it is always in the first case.
    if host in copy.placement.attached or copy.repository is None:
        stored_on = copy.placement.host
        if stored_on is not None and stored_on != host:
            return f"{copy.describe()}: stored on '{stored_on}', which runs on '{host}'"
        return f"{copy.describe()}: stored on host '{host}'"
    pushers = []
    for backup, runner in facts.pushers_reached(copy.repository, host):
        # Name the host that holds the credentials, and the compromised one above it.
        where = f"'{runner}'" if runner == host else f"'{runner}', which runs on '{host}'"
        pushers.append(f"push '{backup}' on {where}")
    return f"{copy.describe()}: written with credentials held by {', '.join(pushers)}"


def lost_keys(keys: tuple[str, ...], scenario: Scenario, facts: Facts) -> str:
    """The keys a compromise makes unavailable, and where they were kept."""
    lost = [key for key in keys if not facts.scenarios.key_available(key, scenario)]
    return "; ".join(
        f"key '{key}' is lost with it (kept in "
        f"{', '.join(repr(p) for p in facts.model.keys[key].stored_in[:5])}"
        f"{'...' if len(facts.model.keys[key].stored_in) > 5 else ''})"
        for key in lost
    )
