"""AL406 restore-time-exceeds-rto: the fastest surviving copy cannot restore the data in time."""

from collections.abc import Iterator
from typing import NamedTuple

from archlint.analysis.facts import Facts, capped
from archlint.analysis.scenarios import Scenario
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.durations import Duration
from archlint.model.entities import Datastore, Service


class Estimate(NamedTuple):
    """How long restoring one datastore from one repository takes."""

    datastore: str
    repository: str
    seconds: int

    def __str__(self) -> str:
        return (
            f"datastore '{self.datastore}' from '{self.repository}': about {minutes(self.seconds)}"
        )


_MODEL = """
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze, bandwidth: 100Mbit/s}
hosts:
  nas: {kind: nas, in: home}
services:
  photos: {host: nas, criticality: high, depends_on: [], data: [library], rto: %s}
datastores:
  library: {kind: files, host: nas, size: 2TB}
repositories:
  b2-restic: {tool: restic, in: b2-eu, restore_latency: 1h}
backups:
  library-b2: {source: library, target: b2-restic, method: file, schedule: daily}
"""
_DRILL = """drills:
  2026-10-photos: {restores: [photos], date: 2026-10-01, result: pass, duration: 20h}
"""


class RestoreTimeExceedsRto(Rule[Service]):
    id = "AL406"
    name = "restore-time-exceeds-rto"
    severity = "medium"
    summary = (
        "After a failure, restoring the service's data from the fastest surviving copy "
        "takes longer than its rto (latency + size / bandwidth)."
    )
    rationale = (
        "An off-site copy that survives a fire is worth little if bringing 4 TiB back over "
        "a home connection takes a week, or a deep-archive tier needs 12 hours before the "
        "first byte. The rto is only met if the copies that survive can be read fast enough."
    )
    remediation = (
        "Keep a copy that can be restored faster (a local or nearby repository, a faster "
        "tier or link), restore in stages (the service first, old data later), agree a "
        "longer `rto`, or record a passing restore drill that proves it is met."
    )

    def candidates(self, services: list[Service], facts: Facts) -> list[Service]:
        # A restore time is estimated from a bandwidth, a repository's or its site's: in a
        # model that states none, nothing can be estimated.
        model = facts.model
        if not any(r.bandwidth for r in model.repositories.values()) and not any(
            d.bandwidth for d in model.domains.values()
        ):
            return []
        return [service for service in services if service.rto is not None]

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        if service.rto is None or proven_by_drill(service, facts):
            return
        rto = service.rto.seconds
        for failure in failures_of(service, facts):
            estimates = self.estimates(service, Scenario.losing(failure), facts)
            if estimates is None:
                continue
            total = sum(estimate.seconds for estimate in estimates)
            if total <= rto:
                continue
            yield Problem(
                f"after the {facts.describe_failure(failure)}, restoring its data from the "
                f"fastest surviving copies takes about {minutes(total)}, longer "
                f"than its rto of {service.rto}",
                fix="keep a faster copy, or agree a longer `rto`, or prove it with a drill",
                evidence=capped(str(estimate) for estimate in estimates),
            )
            return  # one failure proves it; the others would repeat the advice

    failing = (
        Example(
            description=(
                "2 TB over a 100 Mbit/s link takes about 44 hours, plus an hour of latency; "
                "the rto is one day."
            ),
            findings=("photos",),
            model=_MODEL % "1d",
        ),
    )
    passing = (
        Example(
            description="An rto of three days leaves time for the download.", model=_MODEL % "3d"
        ),
        Example(
            description="A passing drill that restored the service within its rto proves it.",
            model=_MODEL % "1d" + _DRILL,
        ),
    )

    def estimates(
        self, service: Service, scenario: Scenario, facts: Facts
    ) -> list[Estimate] | None:
        """The fastest restore of each datastore the scenario destroys; None when one of
        them cannot be estimated (no size, no bandwidth, or unrecoverable: other rules)."""
        found: list[Estimate] = []
        for datastore_id in service.data:
            datastore = facts.model.datastores[datastore_id]
            if datastore.rebuildable or not facts.scenarios.live_destroyed(datastore, scenario):
                continue
            estimate = fastest(datastore, scenario, facts)
            if estimate is None:
                return None
            found.append(estimate)
        return found or None


def failures_of(service: Service, facts: Facts) -> list[str]:
    """The single failures that destroy the live copy of some of the service's data."""
    failures = facts.placements.failure_ids
    found: set[str] = set()
    for datastore_id in service.data:
        found |= facts.placement(datastore_id).losses & failures
    return sorted(found)


def fastest(datastore: Datastore, scenario: Scenario, facts: Facts) -> Estimate | None:
    """The quickest restore from a surviving readable repository; None if one cannot tell."""
    if datastore.size is None:
        return None
    best: Estimate | None = None
    for repository_id in facts.scenarios.source_repositories(datastore, scenario):
        if repository_id is None:
            return None  # a surviving snapshot restores in place: nothing to estimate
        repository = facts.model.repositories[repository_id]
        site = facts.placement(repository_id).site
        domain = facts.model.domains.get(site) if site is not None else None
        bandwidth = repository.bandwidth or (domain.bandwidth if domain is not None else None)
        if bandwidth is None:
            return None  # an unknown speed may be the fastest
        latency = repository.restore_latency.seconds if repository.restore_latency else 0
        seconds = latency + -(-datastore.size.bytes // bandwidth.bytes_per_second)
        if best is None or seconds < best.seconds:
            best = Estimate(datastore.id, repository_id, seconds)
    return best


def minutes(seconds: int) -> Duration:
    """An estimate, rounded up to whole minutes: seconds would claim a false precision."""
    return Duration.from_seconds(-(-seconds // 60) * 60)


def proven_by_drill(service: Service, facts: Facts) -> bool:
    """The newest passing drill restored the service within its rto."""
    drill = facts.newest_drill(service.id, ("pass",))
    return (
        drill is not None
        and drill.duration is not None
        and service.rto is not None
        and drill.duration <= service.rto
    )
