"""What-if: the consequences of one scenario, for `archlint simulate`.

Reads the same failure-scenario engine as the rules: which datastores become
unrecoverable, which keys are lost, which services cannot be restored and in
what order the others can be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import Scenario
from archlint.model.entities import Datastore, Service
from archlint.model.errors import UsageError, did_you_mean


@dataclass(frozen=True)
class DatastoreOutcome:
    datastore: str
    recoverable: bool
    sources: tuple[str, ...]  # where it can be restored from (empty when unrecoverable)


@dataclass(frozen=True)
class ServiceOutcome:
    service: str
    restorable: bool
    blockers: tuple[str, ...]  # unrecoverable data and unrestorable dependencies


@dataclass(frozen=True)
class Simulation:
    lost: tuple[str, ...]
    compromised: tuple[str, ...]
    datastores: tuple[DatastoreOutcome, ...]  # the datastores whose live data was destroyed
    keys_lost: tuple[str, ...]
    services: tuple[ServiceOutcome, ...]  # the services hit, restorable ones in restore order


LOSABLE_DOMAINS = ("site", "disk")
REBUILT = "rebuilt from scratch (rebuildable)"


def check_scenario(facts: Facts, lose: Iterable[str], compromise: Iterable[str]) -> Scenario:
    """The scenario named on the command line; unknown or unsuitable ids are usage errors."""
    model = facts.model
    losable = {d.id for d in model.domains.values() if d.kind in LOSABLE_DOMAINS} | set(model.hosts)
    for entity_id in lose:
        if entity_id not in losable:
            raise UsageError(
                f"--lose: '{entity_id}' is not a site, host or disk of the model"
                f"{did_you_mean(entity_id, losable)}"
            )
    for entity_id in compromise:
        if entity_id not in model.hosts:
            raise UsageError(
                f"--compromise: '{entity_id}' is not a host of the model"
                f"{did_you_mean(entity_id, model.hosts)}"
            )
    return Scenario(lost=frozenset(lose), compromised=frozenset(compromise))


def simulate(facts: Facts, scenario: Scenario) -> Simulation:
    engine = facts.scenarios
    hit = [
        ds
        for _id, ds in sorted(facts.model.datastores.items())
        if engine.live_destroyed(ds, scenario)
    ]
    outcomes = tuple(datastore_outcome(facts, ds, scenario) for ds in hit)
    unrecoverable = {o.datastore for o in outcomes if not o.recoverable}
    keys_lost = tuple(
        key for key in sorted(facts.model.keys) if not engine.key_available(key, scenario)
    )
    return Simulation(
        lost=tuple(sorted(scenario.lost)),
        compromised=tuple(sorted(scenario.compromised)),
        datastores=outcomes,
        keys_lost=keys_lost,
        services=service_outcomes(facts, scenario, unrecoverable),
    )


def datastore_outcome(facts: Facts, datastore: Datastore, scenario: Scenario) -> DatastoreOutcome:
    sources = tuple(how for _repository, how in facts.scenarios.sources(datastore, scenario))
    if not sources and datastore.rebuildable:
        # Rebuilt without a backup (a cache, an index): it does not block its services.
        sources = (REBUILT,)
    return DatastoreOutcome(datastore=datastore.id, recoverable=bool(sources), sources=sources)


def service_outcomes(
    facts: Facts, scenario: Scenario, unrecoverable: set[str]
) -> tuple[ServiceOutcome, ...]:
    """The services the scenario hits: their host is destroyed or their data is."""
    model = facts.model
    hit = {s.id for s in model.services.values() if is_hit(facts, s, scenario)}
    order = facts.dependencies.order(hit)
    blocked: dict[str, tuple[str, ...]] = {}
    outcomes = []
    for service_id in order:
        if service_id not in hit:
            continue  # still running: needed services that the scenario spared
        service = model.services[service_id]
        blockers = [f"datastore '{d}' is unrecoverable" for d in service.data if d in unrecoverable]
        blockers += [
            f"needs service '{needed}', which cannot be restored"
            for needed in facts.dependencies.needs(service_id)
            if needed in blocked
        ]
        if blockers:
            blocked[service_id] = tuple(blockers)
        outcomes.append(ServiceOutcome(service_id, not blockers, tuple(blockers)))
    # Unrestorable services first: they are what the reader must act on.
    return tuple(sorted(outcomes, key=lambda o: o.restorable))


def is_hit(facts: Facts, service: Service, scenario: Scenario) -> bool:
    host = facts.placement(service.host)
    if scenario.destroys(host.losses, host.attached):
        return True
    return any(
        facts.scenarios.live_destroyed(facts.model.datastores[d], scenario) for d in service.data
    )
