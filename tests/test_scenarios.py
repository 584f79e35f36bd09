"""The failure-scenario engine: placements, copies, key availability, recoverability."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import Scenario
from tests.conftest import Run, facts_of

SITE = """
archlint: 1
domains:
  home: {kind: site}
  rack: {kind: rack, in: home}
  b2: {kind: site, provider: backblaze}
  alice: {kind: person}
  tank: {kind: disk, in: nas}
  usb: {kind: disk, in: nas, offline: true}
hosts:
  pve: {kind: hypervisor, in: rack}
  app: {kind: vm, hypervisor: pve}
  nas: {kind: nas, in: rack}
"""


def facts(write: Callable[..., Path], body: str) -> Facts:
    return facts_of(write(SITE + body))


def test_failures_are_sites_machines_and_disks_not_vms(write: Callable[..., Path]) -> None:
    f = facts(write, "")
    assert [(x.kind, x.id) for x in f.placements.failures()] == [
        ("disk", "tank"),
        ("disk", "usb"),
        ("machine", "nas"),
        ("machine", "pve"),
        ("site", "b2"),
        ("site", "home"),
    ]


def test_a_vm_shares_its_hypervisor_failure_domains(write: Callable[..., Path]) -> None:
    f = facts(write, "datastores:\n  db: {kind: database, host: app}\n")
    placement = f.placement("db")
    assert placement.chain == ("app", "pve", "rack", "home")
    assert placement.machine == "pve" and placement.host == "app" and placement.site == "home"
    assert placement.losses == {"app", "pve", "home"} and placement.attached == {"app", "pve"}


def test_offline_disk_survives_its_machine_but_not_its_site(write: Callable[..., Path]) -> None:
    f = facts(write, "repositories:\n  shelf: {tool: borg, in: usb}\n")
    assert f.placement("shelf").offline
    assert f.placement("shelf").losses == {"usb", "home"}
    assert f.placement("shelf").attached == frozenset()


def test_a_person_is_never_lost(write: Callable[..., Path]) -> None:
    f = facts(write, "")
    assert f.placement("alice").losses == frozenset()


def test_copies_follow_copy_backups_transitively(write: Callable[..., Path]) -> None:
    f = facts(
        write,
        """
datastores:
  files: {kind: files, in: tank}
repositories:
  local: {tool: restic, host: nas}
  remote: {tool: restic, in: b2}
backups:
  nightly: {source: files, target: local, method: file}
  offsite: {source: local, target: remote, method: copy}
  snaps: {source: files, method: snapshot}
""",
    )
    copies = {(c.repository, c.via) for c in f.copies(f.model.datastores["files"])}
    assert copies == {
        (None, ("snaps",)),
        ("local", ("nightly",)),
        ("remote", ("nightly", "offsite")),
    }


def test_host_images_hold_the_data_of_that_host_only(write: Callable[..., Path]) -> None:
    f = facts(
        write,
        """
datastores:
  db: {kind: database, host: app}
  share: {kind: files, host: nas}
repositories:
  pbs: {tool: pbs, host: nas}
backups:
  app-image: {source: app, target: pbs, method: image}
  pve-image: {source: pve, target: pbs, method: image}
""",
    )
    assert [c.via for c in f.copies(f.model.datastores["db"])] == [("app-image",)]
    assert f.copies(f.model.datastores["share"]) == ()


def test_recoverable_when_a_readable_copy_survives(write: Callable[..., Path]) -> None:
    f = facts(
        write,
        """
datastores:
  db: {kind: database, host: app}
repositories:
  local: {tool: restic, host: nas, key: k}
  remote: {tool: restic, in: b2, key: k}
keys:
  k: {kind: passphrase, stored_in: [alice]}
backups:
  dump: {source: db, target: local, method: dump}
  offsite: {source: local, target: remote, method: copy}
""",
    )
    db = f.model.datastores["db"]
    engine = f.scenarios
    assert engine.recoverable(db, Scenario.losing("pve"))
    assert engine.recoverable(db, Scenario.losing("home"))
    assert not engine.recoverable(db, Scenario.losing("home", "b2"))
    assert engine.single_failures_losing(db) == []


def test_key_kept_only_on_the_lost_machine_loses_the_offsite_copy(
    write: Callable[..., Path],
) -> None:
    f = facts(
        write,
        """
datastores:
  files: {kind: files, host: nas}
repositories:
  remote: {tool: restic, in: b2, key: k}
keys:
  k: {kind: passphrase, stored_in: [nas]}
backups:
  up: {source: files, target: remote, method: file}
""",
    )
    files = f.model.datastores["files"]
    assert not f.scenarios.key_available("k", Scenario.losing("nas"))
    assert f.scenarios.single_failures_losing(files) == ["home", "nas"]
    assert [(loss.failure, loss.cause) for loss in f.key_losses("k")] == [
        ("home", "gone"),
        ("nas", "gone"),
    ]


def test_a_key_cannot_unlock_itself(write: Callable[..., Path]) -> None:
    # The only surviving copy of the key is inside a repository it encrypts.
    f = facts(
        write,
        """
datastores:
  files: {kind: files, host: nas}
  vault: {kind: secrets, host: nas}
repositories:
  remote: {tool: restic, in: b2, key: k}
keys:
  k: {kind: passphrase, stored_in: [vault]}
backups:
  up: {source: files, target: remote, method: file}
  vault-up: {source: vault, target: remote, method: file}
""",
    )
    scenario = Scenario.losing("nas")
    assert not f.scenarios.key_available("k", scenario)
    assert f.scenarios.key_available("k", Scenario.losing("b2"))
    losses = [(loss.failure, loss.datastore, loss.cause, loss.cycle) for loss in f.key_losses("k")]
    assert losses == [
        ("home", "files", "circular", ("k", "vault", "k")),
        ("home", "vault", "circular", ("k", "vault", "k")),
        ("nas", "files", "circular", ("k", "vault", "k")),
        ("nas", "vault", "circular", ("k", "vault", "k")),
    ]


def test_a_key_reached_through_another_key_is_available(write: Callable[..., Path]) -> None:
    f = facts(
        write,
        """
datastores:
  files: {kind: files, host: nas}
  vault: {kind: secrets, host: nas}
repositories:
  remote: {tool: restic, in: b2, key: k1}
  vault-remote: {tool: restic, in: b2, key: k2}
keys:
  k1: {kind: passphrase, stored_in: [vault]}
  k2: {kind: passphrase, stored_in: [alice]}
backups:
  up: {source: files, target: remote, method: file}
  vault-up: {source: vault, target: vault-remote, method: file}
""",
    )
    files = f.model.datastores["files"]
    assert f.scenarios.key_available("k1", Scenario.losing("nas"))
    assert f.scenarios.recoverable(files, Scenario.losing("nas"))
    assert f.scenarios.relevant_failures(files) == {"nas", "home", "b2"}


def test_encryption_at_rest_needs_the_key_even_when_the_disk_survives(
    write: Callable[..., Path],
) -> None:
    model = (
        SITE.replace("  usb:", "  ssd: {kind: disk, in: nas}\n  usb:")
        + """
datastores:
  photos: {kind: files, in: tank, key: pool-key}
keys:
  pool-key: {kind: keyfile, stored_in: [ssd]}
"""
    )
    f = facts_of(write(model))
    photos = f.model.datastores["photos"]
    assert f.scenarios.survives_physically(photos, Scenario.losing("ssd"))
    assert not f.scenarios.recoverable(photos, Scenario.losing("ssd"))
    assert f.scenarios.recoverable(photos, Scenario.losing("ssd"), assume=frozenset({"pool-key"}))


def test_check_notes_the_drills_dated_after_the_as_of_date(
    write: Callable[..., Path], archlint: Callable[..., Run]
) -> None:
    path = write(
        SITE
        + """
services:
  wiki: {host: app}
drills:
  typo: {restores: [wiki], date: 2062-09-01, result: pass}
  real: {restores: [wiki], date: 2026-10-01, result: pass}
"""
    )
    done = archlint("check", path, "--as-of", "2026-11-26", "--select", "failed-restore-drill")
    assert done.code == 0
    assert done.err == (
        f"archlint: note: {path}: ignored 1 restore drill dated after 2026-11-26: "
        "'typo' (2062-09-01)\n"
    )
