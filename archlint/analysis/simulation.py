"""What-if: the consequences of one scenario, for `archlint simulate`.

Reads the same failure-scenario engine as the rules: which datastores become
unrecoverable, which keys are lost, which services cannot be restored and in
what order the others can be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archlint.analysis.copies import Copy
from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import Scenario
from archlint.model.entities import Criticality, Datastore, criticality_rank
from archlint.model.errors import UsageError, did_you_mean


@dataclass(frozen=True)
class MissingKey:
    """A key that would have made a surviving copy readable, and where it was kept."""

    key: str
    lost_in: tuple[str, ...]  # places of the key the scenario destroyed
    locked_in: tuple[str, ...]  # surviving datastores that keep it, unreadable themselves


@dataclass(frozen=True)
class DatastoreOutcome:
    datastore: str
    recoverable: bool
    sources: tuple[str, ...]  # where it can be restored from (empty when unrecoverable)
    criticality: Criticality = "medium"
    # Why it is unrecoverable: "no-copy" (it never had one), "copies-destroyed"
    # (the scenario destroyed every copy) or "key-lost" (a copy survives, but not
    # the keys that read it); "" when it is recoverable.
    reason: str = ""
    destroyed: tuple[str, ...] = ()  # the copies the scenario destroyed
    locked: tuple[str, ...] = ()  # the copies that survive but cannot be read
    missing_keys: tuple[MissingKey, ...] = ()
    # Recoverable only from a replica, which carries corruption and deletions
    # over and keeps no history.
    mirror_only: bool = False


@dataclass(frozen=True)
class ServiceOutcome:
    service: str
    restorable: bool
    blockers: tuple[str, ...]  # unrecoverable data and unrestorable dependencies
    lost_data: tuple[str, ...] = ()  # its datastores that are unrecoverable
    blocked_by: tuple[str, ...] = ()  # the services it needs that cannot be restored


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


class Reach:
    """Which datastores and services each place can take down with it (lost or
    compromised), so that `simulate --all` asks about those only instead of the
    whole model in every scenario."""

    def __init__(self, facts: Facts) -> None:
        model = facts.model
        self.datastores: dict[str, list[str]] = {}
        for datastore_id in sorted(model.datastores):
            placement = facts.placement(datastore_id)
            for place in placement.losses | placement.attached:
                self.datastores.setdefault(place, []).append(datastore_id)
        self.services: dict[str, list[str]] = {}
        for service in model.services.values():
            placement = facts.placement(service.host)
            for place in placement.losses | placement.attached:
                self.services.setdefault(place, []).append(service.id)
        self.keys = tuple(sorted(model.keys))

    def places(self, scenario: Scenario) -> frozenset[str]:
        return scenario.lost | scenario.compromised

    def datastores_for(self, scenario: Scenario) -> list[str]:
        return sorted({d for p in self.places(scenario) for d in self.datastores.get(p, ())})

    def services_for(self, scenario: Scenario) -> set[str]:
        return {s for p in self.places(scenario) for s in self.services.get(p, ())}


def simulate(facts: Facts, scenario: Scenario, reach: Reach | None = None) -> Simulation:
    """The consequences of the scenario; `reach` (for many scenarios) narrows the
    datastores and services examined to those the scenario's places can reach."""
    engine = facts.scenarios
    model = facts.model
    candidates = reach.datastores_for(scenario) if reach else sorted(model.datastores)
    hit = [
        model.datastores[d]
        for d in candidates
        if engine.live_destroyed(model.datastores[d], scenario)
    ]
    outcomes = tuple(datastore_outcome(facts, ds, scenario) for ds in hit)
    unrecoverable = {o.datastore for o in outcomes if not o.recoverable}
    keys = reach.keys if reach else sorted(model.keys)
    keys_lost = tuple(key for key in keys if not engine.key_available(key, scenario))
    services = reach.services_for(scenario) if reach else set(model.services)
    services |= {user.id for ds in hit for user in facts.users(ds)}
    return Simulation(
        lost=tuple(sorted(scenario.lost)),
        compromised=tuple(sorted(scenario.compromised)),
        datastores=outcomes,
        keys_lost=keys_lost,
        services=service_outcomes(facts, scenario, {ds.id for ds in hit}, unrecoverable, services),
    )


def datastore_outcome(facts: Facts, datastore: Datastore, scenario: Scenario) -> DatastoreOutcome:
    engine = facts.scenarios
    sources = tuple(how for _repository, how in engine.sources(datastore, scenario))
    if not sources and datastore.rebuildable:
        # Rebuilt without a backup (a cache, an index): it does not block its services.
        sources = (REBUILT,)
    copies = facts.copies(datastore)
    destroyed = [c for c in copies if scenario.destroys(c.placement.losses, c.compromisers)]
    survivors = [c for c in copies if c not in destroyed]
    locked = [c for c in survivors if not readable(facts, c, scenario)]
    missing = sorted(
        {key for c in locked for key in c.keys if not engine.key_available(key, scenario)}
    )
    return DatastoreOutcome(
        datastore=datastore.id,
        recoverable=bool(sources),
        sources=sources,
        criticality=facts.datastore_criticality(datastore),
        reason="" if sources else loss_reason(copies, locked),
        destroyed=tuple(c.describe() for c in destroyed),
        locked=tuple(c.describe() for c in locked),
        missing_keys=tuple(missing_key(facts, key, scenario) for key in missing),
        mirror_only=bool(sources)
        and all(is_mirror(facts, c) for c in survivors if c not in locked),
    )


def readable(facts: Facts, copy: Copy, scenario: Scenario) -> bool:
    return all(facts.scenarios.key_available(key, scenario) for key in copy.keys)


def loss_reason(copies: Sequence[Copy], locked: Sequence[Copy]) -> str:
    if not copies:
        return "no-copy"
    return "key-lost" if locked else "copies-destroyed"


def missing_key(facts: Facts, key_id: str, scenario: Scenario) -> MissingKey:
    lost, locked = [], []
    for place in facts.model.keys[key_id].stored_in:
        datastore = facts.model.datastores.get(place)
        if datastore is None:
            lost.append(place)  # a surviving host or person would have kept the key
        elif facts.scenarios.survives_physically(datastore, scenario):
            locked.append(place)
        else:
            lost.append(place)
    return MissingKey(key_id, tuple(lost), tuple(locked))


def is_mirror(facts: Facts, copy: Copy) -> bool:
    """A copy with no history of its own: made by replication, or a `mirror` copy."""
    return any(
        facts.model.backups[b].method == "replication"
        or facts.model.backups[b].copy_mode == "mirror"
        for b in copy.via
    )


def service_outcomes(
    facts: Facts,
    scenario: Scenario,
    destroyed: set[str],
    unrecoverable: set[str],
    candidates: Iterable[str],
) -> tuple[ServiceOutcome, ...]:
    """The services the scenario hits (among the candidates): their host is
    destroyed or their data is (`destroyed`: the datastores whose live data is)."""
    model = facts.model
    hit = {
        s
        for s in candidates
        if facts.scenarios.place_destroyed(model.services[s].host, scenario)
        or not destroyed.isdisjoint(model.services[s].data)
    }
    order = facts.dependencies.order(hit)
    blocked: dict[str, tuple[str, ...]] = {}
    outcomes = []
    for service_id in order:
        if service_id not in hit:
            continue  # still running: needed services that the scenario spared
        service = model.services[service_id]
        lost_data = tuple(d for d in service.data if d in unrecoverable)
        blocked_by = tuple(n for n in facts.dependencies.needs(service_id) if n in blocked)
        blockers = [f"datastore '{d}' is unrecoverable" for d in lost_data]
        blockers += [f"needs service '{n}', which cannot be restored" for n in blocked_by]
        if blockers:
            blocked[service_id] = tuple(blockers)
        outcomes.append(
            ServiceOutcome(service_id, not blockers, tuple(blockers), lost_data, blocked_by)
        )
    # Unrestorable services first: they are what the reader must act on.
    return tuple(sorted(outcomes, key=lambda o: o.restorable))


@dataclass(frozen=True)
class ScenarioRow:
    """One line of `simulate --all`: what one single failure costs."""

    scenario: str  # "lose <id>" or "compromise <host>"
    kind: str  # site, disk, machine or host compromise
    worst: Criticality | None  # the highest criticality of the data lost, None when none is
    datastores_lost: tuple[str, ...]
    services_down: tuple[str, ...]  # services that cannot be restored
    keys_lost: tuple[str, ...]


def single_scenarios(facts: Facts) -> list[tuple[str, Scenario]]:
    """Every single failure (site, disk, machine) and every single host compromise."""
    found: list[tuple[str, Scenario]] = [
        (f.kind, Scenario.losing(f.id)) for f in facts.placements.failures()
    ]
    found += [
        ("compromise", Scenario(compromised=frozenset({h}))) for h in sorted(facts.model.hosts)
    ]
    return found


def simulate_all(facts: Facts) -> tuple[ScenarioRow, ...]:
    """Every single failure, worst first: by the criticality of the data lost, then
    by how much data, how many services and how many keys it loses."""
    reach = Reach(facts)
    rows = [
        scenario_row(facts, kind, scenario, reach) for kind, scenario in single_scenarios(facts)
    ]
    return tuple(sorted(rows, key=severity_order))


def scenario_row(facts: Facts, kind: str, scenario: Scenario, reach: Reach) -> ScenarioRow:
    result = simulate(facts, scenario, reach)
    lost = [o for o in result.datastores if not o.recoverable]
    worst = max((o.criticality for o in lost), key=criticality_rank, default=None)
    name = f"lose {result.lost[0]}" if result.lost else f"compromise {result.compromised[0]}"
    return ScenarioRow(
        scenario=name,
        kind=kind,
        worst=worst,
        datastores_lost=tuple(o.datastore for o in lost),
        services_down=tuple(sorted(o.service for o in result.services if not o.restorable)),
        keys_lost=result.keys_lost,
    )


def severity_order(row: ScenarioRow) -> tuple[int, int, int, int, str]:
    rank = criticality_rank(row.worst) if row.worst else -1
    return (
        -rank,
        -len(row.datastores_lost),
        -len(row.services_down),
        -len(row.keys_lost),
        row.scenario,
    )


def loses_at_least(datastores: Iterable[DatastoreOutcome], minimum: Criticality) -> bool:
    """Whether some unrecoverable datastore has this criticality or a higher one."""
    threshold = criticality_rank(minimum)
    return any(
        criticality_rank(o.criticality) >= threshold for o in datastores if not o.recoverable
    )
