"""AL110 retention-too-short: no compromise-proof copy keeps history past the detection window."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts, capped
from archlint.analysis.scenarios import Scenario
from archlint.engine.rule import Example, Problem, Rule, RuleOptions
from archlint.model.durations import Duration
from archlint.model.entities import Datastore
from archlint.model.retention import retention_window


class RetentionTooShort(Rule[Datastore]):
    id = "AL110"
    name = "retention-too-short"
    severity = "medium"
    about_copies = True
    min_criticality = "high"
    summary = (
        "No copy that survives a compromise of the data's host keeps history longer than "
        "the time it takes to notice an attack."
    )
    rationale = (
        "Ransomware and slow corruption are often found weeks after they start. A backup "
        "that keeps only the last seven days holds seven days of encrypted or damaged data "
        "by then: the good versions have been pruned. At least one copy out of the "
        "attacker's reach must reach back further than the time it takes to notice."
    )
    remediation = (
        "Keep more history on a copy the data's host cannot delete (e.g. `retention: "
        "{daily: 7, weekly: 5, monthly: 12}`), or set `detection-window-days` to the time "
        "you are confident an attack is noticed in."
    )

    class Options(RuleOptions):
        detection_window_days: int = Field(
            default=30, ge=1, description="How long an attack or corruption may go unnoticed."
        )

    options: Options

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        window = self.options.detection_window_days * 86400
        copies = facts.repository_copies(datastore)
        windows = [(copy, copy_window(copy, facts)) for copy in copies]
        if not any(kept is not None and kept.seconds < window for _copy, kept in windows):
            # Decided before asking which copies survive a compromise, which is costly:
            # when no copy keeps too little history, neither do those that survive.
            return
        reach = out_of_reach(datastore, facts)
        windows = [(copy, kept) for copy, kept in windows if copy.repository in reach]
        if not windows:
            return  # nothing survives the compromise: single-host-compromise's business
        if any(kept is None or kept.seconds >= window for _copy, kept in windows):
            return
        days = self.options.detection_window_days
        yield Problem(
            f"no copy out of reach of its host keeps more than {longest(windows)} of history, "
            f"less than the {days}-day detection window: an attack noticed late has been "
            "copied over every good version",
            fix=f"keep at least {days} days of history on one of these repositories",
            evidence=capped(f"{copy.describe()}: keeps {kept}" for copy, kept in windows),
        )

    failing = (
        Example(
            description="The off-site copy keeps a week of daily snapshots.",
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
  b2-restic: {tool: restic, in: b2-eu, immutable: true, retention: {daily: 7}}
backups:
  wiki-dump: {source: wiki-db, target: b2-restic, method: dump, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="Weekly and monthly snapshots reach back a year.",
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
  b2-restic: {tool: restic, in: b2-eu, immutable: true, retention: {daily: 7, monthly: 12}}
backups:
  wiki-dump: {source: wiki-db, target: b2-restic, method: dump, schedule: daily}
""",
        ),
        Example(
            description="A window of 7 days is accepted where attacks are noticed within a week.",
            options={"detection-window-days": 7},
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
  b2-restic: {tool: restic, in: b2-eu, immutable: true, retention: 7d}
backups:
  wiki-dump: {source: wiki-db, target: b2-restic, method: dump, schedule: daily}
""",
        ),
    )


def copy_window(copy: Copy, facts: Facts) -> Duration | None:
    """How far back the copy reaches: its repository's retention, else the job's that wrote
    it; None when neither says (the tools keep everything until told to prune)."""
    assert copy.repository is not None
    repository = facts.model.repositories[copy.repository]
    if repository.retention is not None:
        return retention_window(repository.retention)
    return retention_window(facts.model.backups[copy.route.backup].retention)


def out_of_reach(datastore: Datastore, facts: Facts) -> set[str | None]:
    """The repositories whose copy stays readable whichever host of the data is compromised
    (a VM's or its hypervisor's): it survives, and so does a key that reads it."""
    reach: set[str | None] | None = None
    for host in sorted(facts.placement_of(datastore).attached):
        scenario = Scenario(compromised=frozenset({host}))
        readable = set(facts.scenarios.source_repositories(datastore, scenario))
        reach = readable if reach is None else reach & readable
    return reach or set()


def longest(windows: list[tuple[Copy, Duration | None]]) -> Duration:
    return max(kept for _copy, kept in windows if kept is not None)
