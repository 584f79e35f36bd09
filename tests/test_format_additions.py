"""The fields added to the model format by issue 10: each parsed, validated and used."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from archlint.analysis.scenarios import Scenario
from archlint.analysis.simulation import simulate
from archlint.model.rates import parse_rate
from archlint.model.retention import retention_window
from archlint.model.schedules import parse_schedule
from tests.conftest import Run, facts_of

BASE = """
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
  vps: {kind: server, in: away}
"""

Write = Callable[..., Path]


def test_one_job_many_sources_and_targets_makes_a_copy_of_each_in_each(write: Write) -> None:
    facts = facts_of(
        write(
            BASE
            + """
datastores:
  docs: {kind: files, host: app}
  photos: {kind: files, host: app}
repositories:
  nas-borg: {tool: borg, host: nas}
  vps-borg: {tool: borg, host: vps}
backups:
  borgmatic: {source: [docs, photos], target: [nas-borg, vps-borg], method: file, schedule: daily}
"""
        )
    )
    for datastore in ("docs", "photos"):
        copies = facts.copies(facts.model.datastores[datastore])
        assert [(c.repository, c.via) for c in copies] == [
            ("nas-borg", ("borgmatic",)),
            ("vps-borg", ("borgmatic",)),
        ]
    assert facts.model.backups["borgmatic"].location.line == 19


def test_an_empty_list_of_sources_is_an_error(write: Write, archlint: Callable[..., Run]) -> None:
    path = write(
        BASE
        + """
datastores:
  docs: {kind: files, host: app}
repositories:
  nas-borg: {tool: borg, host: nas}
backups:
  borgmatic: {source: [], target: nas-borg, method: file, schedule: daily}
"""
    )
    run = archlint("check", path)
    assert run.code == 2
    assert "`source` needs at least one id" in run.err


CHAIN = (
    BASE
    + """
datastores:
  db: {kind: database, engine: postgresql, host: nas}
repositories:
  nas-restic: {tool: restic, host: nas}
  vps-restic: {tool: restic, host: vps}
backups:
  dump: {source: db, target: nas-restic, method: dump, schedule: daily}
  sync: {source: nas-restic, target: vps-restic, method: copy, after: dump, duration: 2h}
"""
)


def test_a_chained_job_adds_its_duration_to_the_first_jobs_schedule(write: Write) -> None:
    facts = facts_of(write(CHAIN))
    point = facts.worst_case_loss(facts.model.datastores["db"])
    assert point is not None
    assert point.repository == "vps-restic"
    assert point.chain == ("dump", "sync")
    assert point.loss.seconds == 86400 + 2 * 3600
    assert facts.model.backups["sync"].is_scheduled


def test_after_and_schedule_together_and_after_cycles_are_errors(
    write: Write, archlint: Callable[..., Run]
) -> None:
    both = CHAIN.replace("after: dump, duration: 2h", "after: dump, schedule: daily")
    run = archlint("check", write(both))
    assert run.code == 2
    assert "either on its `schedule` or right `after` another" in run.err
    looped = CHAIN.replace("schedule: daily}", "after: sync}")
    run = archlint("check", write(looped))
    assert run.code == 2
    assert "`after` makes a cycle: 'dump' -> 'sync' -> 'dump'" in run.err


def test_continuous_replication_loses_nothing(write: Write) -> None:
    schedule = parse_schedule("continuous")
    assert schedule.interval.seconds == 0
    facts = facts_of(
        write(
            BASE
            + """
datastores:
  db: {kind: database, engine: postgresql, host: app}
repositories:
  replica: {tool: other, host: vps}
backups:
  stream: {source: db, target: replica, method: replication, schedule: continuous}
"""
        )
    )
    point = facts.worst_case_loss(facts.model.datastores["db"])
    assert point is not None and point.loss.seconds == 0


ACCESS = (
    BASE
    + """
keys:
  pass: {kind: passphrase, stored_in: [alice]}
  b2-account: {kind: passphrase, stored_in: [nas]}
datastores:
  photos: {kind: files, host: nas}
repositories:
  b2: {tool: restic, in: away, key: pass, access: [b2-account]}
backups:
  photos-b2: {source: photos, target: b2, method: file, schedule: daily}
"""
)


def test_a_copy_needs_its_access_credentials_too(write: Write) -> None:
    facts = facts_of(write(ACCESS))
    photos = facts.model.datastores["photos"]
    [copy] = facts.copies(photos)
    assert copy.keys == ("b2-account", "pass")
    # Losing the NAS loses the data and the only place of the account key.
    result = simulate(facts, Scenario.losing("nas"))
    [outcome] = result.datastores
    assert not outcome.recoverable
    assert "b2-account" in result.keys_lost
    fixed = facts_of(write(ACCESS.replace("stored_in: [nas]", "stored_in: [nas, alice]")))
    assert simulate(fixed, Scenario.losing("nas")).datastores[0].recoverable


MIRROR = (
    BASE
    + """
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-restic: {tool: restic, host: nas}
  vps-copy: {tool: rclone, host: vps}
backups:
  photos-restic: {source: photos, target: nas-restic, method: file, schedule: daily}
  sync: {source: nas-restic, target: vps-copy, method: copy, copy_mode: mirror, schedule: daily}
"""
)


def test_a_mirror_is_destroyed_by_what_destroys_its_source(write: Write) -> None:
    facts = facts_of(write(MIRROR))
    mirror = facts.copies(facts.model.datastores["photos"])[1]
    assert mirror.repository == "vps-copy"
    # The app pushes into the NAS repository; the sync propagates its deletions.
    assert {"app", "nas", "vps"} <= mirror.compromisers
    result = simulate(facts, Scenario(compromised=frozenset({"app"})))
    assert not result.datastores[0].recoverable
    versioned = facts_of(write(MIRROR.replace("copy_mode: mirror", "copy_mode: versioned")))
    assert "app" not in versioned.copies(versioned.model.datastores["photos"])[1].compromisers


def test_immutability_enforced_by_a_host_does_not_survive_its_compromise(write: Write) -> None:
    facts = facts_of(
        write(
            BASE
            + """
datastores:
  photos: {kind: files, host: app}
repositories:
  nas-borg: {tool: borg, host: nas, immutable: true}
  bucket: {tool: restic, in: away, immutable: true}
backups:
  photos-borg: {source: photos, target: nas-borg, method: file, schedule: daily}
  photos-b2: {source: photos, target: bucket, method: file, schedule: daily}
"""
        )
    )
    by_repository = {c.repository: c for c in facts.copies(facts.model.datastores["photos"])}
    assert by_repository["nas-borg"].compromisers == frozenset({"nas"})  # not the pushing app
    assert by_repository["bucket"].compromisers == frozenset()


def test_a_rebuildable_datastore_does_not_block_its_service(write: Write) -> None:
    facts = facts_of(
        write(
            BASE
            + """
services:
  search: {host: app, depends_on: [], data: [index]}
datastores:
  index: {kind: volume, host: app, rebuildable: true}
"""
        )
    )
    result = simulate(facts, Scenario.losing("app"))
    assert result.datastores[0].recoverable
    assert [(s.service, s.restorable) for s in result.services] == [("search", True)]


@pytest.mark.parametrize(
    ("retention", "days"),
    [
        ("30d", 30),
        ("keep-within 2w", 14),
        ({"daily": 7, "weekly": 4, "monthly": 12}, 360),
        ({"keep-daily": 7, "keep-last": 3}, 7),
        ({"last": 10}, None),
        ("keep a lot", None),
        (None, None),
    ],
)
def test_retention_is_read_as_a_window(
    retention: str | dict[str, int] | None, days: int | None
) -> None:
    window = retention_window(retention)
    assert (window.seconds // 86400 if window is not None else None) == days


def test_bandwidths() -> None:
    assert parse_rate("100Mbit/s").bytes_per_second == 12_500_000
    assert parse_rate("50MB/s").bytes_per_second == 50_000_000
    assert parse_rate("1GiB/s").bytes_per_second == 1024**3
    for wrong in ("100Mbps", "0MB/s", "fast", 100):
        with pytest.raises(ValueError, match="is not a bandwidth"):
            parse_rate(wrong)


def test_secrets_in_config_and_monitor_fields_load(write: Write) -> None:
    facts = facts_of(
        write(
            BASE
            + """
datastores:
  env: {kind: config, format: env, host: app, contains_secrets: true}
repositories:
  git: {tool: git, host: nas, restore_latency: 5m, bandwidth: 1Gbit/s}
backups:
  env-git:
    source: env
    target: git
    method: git
    schedule: daily
    monitor: {kind: uptime-kuma, max_age: 26h}
"""
        )
    )
    assert facts.model.datastores["env"].is_secret
    monitor = facts.model.backups["env-git"].monitor
    assert monitor is not None and monitor.kind == "uptime-kuma"
    assert monitor.max_age is not None and monitor.max_age.seconds == 26 * 3600


def test_a_long_copy_chain_shares_routes_and_describes_only_their_ends(write: Write) -> None:
    hops = 400
    lines = [BASE, "datastores:\n"]
    lines += [f"  d{n}: {{kind: files, host: app}}\n" for n in range(20)]
    lines.append("repositories:\n")
    lines += [f"  r{n}: {{tool: restic, host: nas}}\n" for n in range(hops + 1)]
    lines.append("backups:\n")
    lines += [f"  b{n}: {{source: d{n}, target: r0, method: file}}\n" for n in range(20)]
    lines += [f"  c{n}: {{source: r{n}, target: r{n + 1}, method: copy}}\n" for n in range(hops)]
    facts = facts_of(write("".join(lines)))
    copies = facts.copies(facts.model.datastores["d0"])
    assert len(copies) == hops + 1
    assert all(later.route.before is earlier.route for earlier, later in pairwise(copies))
    assert (
        copies[-1].describe()
        == f"repository 'r{hops}' via b0 -> ({hops - 1} more backups) -> c{hops - 1}"
    )
    assert len(copies[-1].via) == hops + 1


def test_a_plan_of_a_long_copy_chain_stays_linear(
    write: Write, archlint: Callable[..., Run]
) -> None:
    hops = 300
    lines = [BASE, "services:\n  s: {host: app, data: [d0, d1, d2]}\n", "datastores:\n"]
    lines += [f"  d{n}: {{kind: files, host: app}}\n" for n in range(3)]
    lines.append("repositories:\n")
    lines += [f"  r{n}: {{tool: restic, host: nas}}\n" for n in range(hops + 1)]
    lines.append("backups:\n")
    lines += [f"  b{n}: {{source: d{n}, target: r0, method: file}}\n" for n in range(3)]
    lines += [f"  c{n}: {{source: r{n}, target: r{n + 1}, method: copy}}\n" for n in range(hops)]
    run = archlint("plan", write("".join(lines)))
    assert run.code == 0
    # One line per copy, each of bounded length (the full routes would take ~1 MB).
    assert len(run.out) < 3 * (hops + 1) * 120
    assert (
        f"repository r{hops} at home (via b0 -> ({hops - 1} more backups) -> c{hops - 1})"
        in run.out
    )
