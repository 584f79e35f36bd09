"""The failure-scenario engine: after these losses, what can still be recovered?

A scenario is a set of lost places (sites, machines, VMs, disks) and a set of
compromised hosts. A datastore is recoverable when its live data or one of its
copies survives and is readable; encrypted data is readable only while its key
is available; a key is available when one place in its `stored_in` survives
and, if that place is a datastore, that datastore is recoverable without the
key itself.

Key availability and recoverability depend on each other, so the keys that
depend on one another are evaluated together, as the least fixed point of the
definitions (see _solve_keys): a key never "survives" only because it is needed
to read itself, directly or through a chain of keys. No graph walk recurses, so
chains and cycles of thousands of keys cost no stack.

The engine is lazy and memoised: a question is answered from the copies and
keys of the one datastore it is about, never by walking the whole model, and
each datastore is only asked about the failures that touch its own copies and
keys (its relevant failures), which keeps a full analysis linear in model size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from archlint.analysis.copies import Copies
from archlint.analysis.placement import Placements
from archlint.model.entities import Datastore, Model

NO_KEYS: frozenset[str] = frozenset()
NO_FAILURE = ""  # the failure of a KeyLoss that happens before anything fails


@dataclass(frozen=True)
class Scenario:
    """What happened: places lost and hosts compromised."""

    lost: frozenset[str] = field(default_factory=frozenset)
    compromised: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def losing(cls, *ids: str) -> Scenario:
        return cls(lost=frozenset(ids))

    def destroys(self, losses: frozenset[str], compromisers: frozenset[str]) -> bool:
        return not losses.isdisjoint(self.lost) or not compromisers.isdisjoint(self.compromised)


NOTHING_LOST = Scenario()


@dataclass(frozen=True, order=True)
class KeyLoss:
    """After `failure` (NO_FAILURE: even with nothing lost), `datastore` is lost, and would
    not be if `key` were available."""

    key: str
    failure: str
    datastore: str
    # "gone": no place keeps the key any more; "circular": it survives only
    # where reading it needs the key itself; "locked": it survives only where
    # reading it needs other keys that are unavailable.
    cause: str
    cycle: tuple[str, ...] = ()  # for "circular": key -> place -> key ... back to the key


class ScenarioEngine:
    def __init__(self, model: Model, placements: Placements, copies: Copies) -> None:
        self.model = model
        self.placements = placements
        self.copies = copies
        self.failure_ids = frozenset(f.id for f in placements.failures())
        self._recoverable_memo: dict[tuple[str, Scenario, frozenset[str]], bool] = {}
        self._key_memo: dict[tuple[str, Scenario, frozenset[str]], bool] = {}
        self._relevant: dict[str, frozenset[str]] = {}
        self._key_closure: dict[str, frozenset[str]] = {}
        self._place_reach: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._unavailable_compromised: dict[str, frozenset[str]] = {}
        self._places: dict[str, list[str]] = {}
        self._unavailable: dict[str, frozenset[str]] = {}

    # Physical survival, keys aside.

    def place_destroyed(self, place: str, scenario: Scenario) -> bool:
        """Whether a host or domain (as a place that keeps something) is destroyed."""
        placement = self.placements.placement(place)
        return scenario.destroys(placement.losses, placement.attached)

    def live_destroyed(self, datastore: Datastore, scenario: Scenario) -> bool:
        placement = self.placements.placement(datastore.id)
        return scenario.destroys(placement.losses, placement.attached)

    def survives_physically(self, datastore: Datastore, scenario: Scenario) -> bool:
        """The live data or some copy is still stored somewhere, readable or not."""
        if not self.live_destroyed(datastore, scenario):
            return True
        return any(
            not scenario.destroys(c.placement.losses, c.compromisers)
            for c in self.copies.copies(datastore)
        )

    # Recoverability with keys.

    def recoverable(
        self, datastore: Datastore, scenario: Scenario, assume: frozenset[str] = NO_KEYS
    ) -> bool:
        """Whether the datastore can be recovered; keys in `assume` count as available."""
        memo_key = (datastore.id, scenario, assume)
        if memo_key not in self._recoverable_memo:
            self._recoverable_memo[memo_key] = any(
                all(self.key_available(key, scenario, assume) for key in keys)
                for keys in self._surviving_key_sets(datastore, scenario)
            )
        return self._recoverable_memo[memo_key]

    def key_available(self, key: str, scenario: Scenario, assume: frozenset[str] = NO_KEYS) -> bool:
        memo_key = (key, scenario, assume)
        if memo_key not in self._key_memo:
            self._solve_keys(self.key_closure(key), scenario, assume)
        return self._key_memo[memo_key]

    def sources(self, datastore: Datastore, scenario: Scenario) -> list[tuple[str | None, str]]:
        """Where the datastore can be restored from: (repository or None for live/snapshot, how)."""
        found: list[tuple[str | None, str]] = []
        if not self.live_destroyed(datastore, scenario) and self._readable(
            (datastore.key,) if datastore.key else (), scenario
        ):
            found.append((None, "live data"))
        for copy in self.copies.copies(datastore):
            if scenario.destroys(copy.placement.losses, copy.compromisers):
                continue
            if self._readable(copy.keys, scenario):
                found.append((copy.repository, copy.describe()))
        return found

    def _readable(self, keys: Iterable[str], scenario: Scenario) -> bool:
        return all(self.key_available(key, scenario) for key in keys)

    def _surviving_key_sets(
        self, datastore: Datastore, scenario: Scenario
    ) -> list[tuple[str, ...]]:
        """For the live data and each copy that survive the scenario, the keys that read it."""
        key_sets: list[tuple[str, ...]] = []
        if not self.live_destroyed(datastore, scenario):
            key_sets.append((datastore.key,) if datastore.key else ())
        key_sets += [
            copy.keys
            for copy in self.copies.copies(datastore)
            if not scenario.destroys(copy.placement.losses, copy.compromisers)
        ]
        return key_sets

    def _solve_keys(self, keys: frozenset[str], scenario: Scenario, assume: frozenset[str]) -> None:
        """Memoise the availability of every key of `keys`, a set closed under "needed to
        read a place of" (a key closure), as the least fixed point of the definitions.

        Forward chaining, with no recursion: the keys kept somewhere readable
        without other keys are available first; each newly available key counts
        down the keys still missing to read the places that wait for it, and a
        place whose count reaches zero makes the key it keeps available. A key
        that is only kept where reading it needs the key itself never starts.
        """
        available: set[str] = set()
        newly_available: list[str] = []
        # For each key still missing, the places waiting for it: [keys missing, key kept].
        waiting: dict[str, list[list[Any]]] = {}

        def make_available(key: str) -> None:
            if key not in available:
                available.add(key)
                newly_available.append(key)

        for key in sorted(keys):
            for place in self._places_cheapest_first(key):
                if key in available:
                    break  # one readable place is enough: a key kept on 8,000 hosts costs one
                datastore = self.model.datastores.get(place)
                if datastore is None:
                    if not self.place_destroyed(place, scenario):
                        make_available(key)
                    continue
                for key_set in self._surviving_key_sets(datastore, scenario):
                    missing = set(key_set) - assume
                    if not missing:
                        make_available(key)
                        break
                    place_waits: list[Any] = [len(missing), key]
                    for needed in missing:
                        waiting.setdefault(needed, []).append(place_waits)
        while newly_available:
            for place_waits in waiting.pop(newly_available.pop(), ()):
                place_waits[0] -= 1
                if place_waits[0] == 0:
                    make_available(place_waits[1])
        for key in keys:
            self._key_memo[(key, scenario, assume)] = key in available or key in assume

    def _places_cheapest_first(self, key: str) -> list[str]:
        """The key's places, hosts and domains before datastores: they are answered
        without other keys, and a person who knows the key settles it at once."""
        if key not in self._places:
            stored_in = self.model.keys[key].stored_in
            self._places[key] = sorted(stored_in, key=lambda p: p in self.model.datastores)
        return self._places[key]

    # Which failures can matter to a datastore.

    def keys_needed(self, datastore: Datastore) -> frozenset[str]:
        """Every key that reading the datastore or one of its copies may need."""
        closure: set[str] = set()
        for key in self._direct_keys(datastore):
            closure |= self.key_closure(key)
        return frozenset(closure)

    def key_closure(self, key: str) -> frozenset[str]:
        """The key and every key needed to reach a place where it is kept, transitively."""
        if key not in self._key_closure:
            seen = {key}
            pending = [key]
            while pending:
                for place in self.model.keys[pending.pop()].stored_in:
                    datastore = self.model.datastores.get(place)
                    if datastore is None:
                        continue
                    for needed in self._direct_keys(datastore) - seen:
                        seen.add(needed)
                        pending.append(needed)
            self._key_closure[key] = frozenset(seen)
        return self._key_closure[key]

    def _direct_keys(self, datastore: Datastore) -> set[str]:
        keys = {datastore.key} if datastore.key else set()
        for copy in self.copies.copies(datastore):
            keys.update(copy.keys)
        return keys

    def relevant_failures(self, datastore: Datastore) -> frozenset[str]:
        """The single failures that destroy the datastore, one of its copies, or a key's place."""
        if datastore.id not in self._relevant:
            failures = set(self._storage_losses(datastore))
            for key in self.keys_needed(datastore):
                failures |= self._key_place_losses(key)
            self._relevant[datastore.id] = frozenset(failures & self.failure_ids)
        return self._relevant[datastore.id]

    def _key_place_losses(self, key: str) -> frozenset[str]:
        """The losses that can destroy a place where the key is kept."""
        return self._key_place_reach(key)[0]

    def _key_place_reach(self, key: str) -> tuple[frozenset[str], frozenset[str]]:
        """The losses and the compromised hosts that can destroy a place where the key is
        kept (computed once per key: a key kept in thousands of datastores is asked about
        by each of them)."""
        if key not in self._place_reach:
            failures: set[str] = set()
            attackers: set[str] = set()
            for place in self.model.keys[key].stored_in:
                place_datastore = self.model.datastores.get(place)
                if place_datastore is None:
                    failures |= self.placements.placement(place).losses
                    attackers |= self.placements.placement(place).attached
                else:
                    failures |= self._storage_losses(place_datastore)
                    attackers |= self._storage_attackers(place_datastore)
            self._place_reach[key] = (frozenset(failures), frozenset(attackers))
        return self._place_reach[key]

    def _unavailable_after(self, key: str) -> frozenset[str]:
        """The single failures after which the key is unavailable, computed once per key.

        Only the failures that destroy a place of the key, or of a key needed to
        read one of its places, can change its availability.
        """
        if key not in self._unavailable:
            suspects: set[str] = set()
            for needed in self.key_closure(key):
                suspects |= self._key_place_losses(needed)
            self._unavailable[key] = frozenset(
                failure
                for failure in suspects & self.failure_ids
                if not self.key_available(key, Scenario.losing(failure))
            )
        return self._unavailable[key]

    def _unavailable_after_compromise(self, key: str) -> frozenset[str]:
        """The hosts whose compromise alone makes the key unavailable, computed once per key.

        A compromise destroys the keys kept on the hosts it reaches, like a loss does.
        """
        if key not in self._unavailable_compromised:
            suspects: set[str] = set()
            for needed in self.key_closure(key):
                suspects |= self._key_place_reach(needed)[1]
            self._unavailable_compromised[key] = frozenset(
                host
                for host in suspects
                if not self.key_available(key, Scenario(compromised=frozenset({host})))
            )
        return self._unavailable_compromised[key]

    def _storage_attackers(self, datastore: Datastore) -> set[str]:
        attackers = set(self.placements.placement(datastore.id).attached)
        for copy in self.copies.copies(datastore):
            attackers |= copy.compromisers
        return attackers

    def _storage_losses(self, datastore: Datastore) -> set[str]:
        failures = set(self.placements.placement(datastore.id).losses)
        for copy in self.copies.copies(datastore):
            failures |= copy.placement.losses
        return failures

    def single_failures_losing(self, datastore: Datastore) -> list[str]:
        """The single failures after which the datastore is not recoverable, sorted."""
        failures = self.relevant_failures(datastore)
        if not self.recoverable(datastore, NOTHING_LOST):
            # Its keys lock themselves away: it is lost whatever fails.
            return sorted(failures)
        # A failure that spares a copy readable without any key cannot lose the
        # data; only the failures that destroy every such copy need the full
        # evaluation with keys.
        keyless = [c.placement.losses for c in self.copies.copies(datastore) if not c.keys]
        if datastore.key is None:
            keyless.append(self.placements.placement(datastore.id).losses)
        for losses in keyless:
            failures = failures & losses
        # A failure that destroys none of its storage loses it only by making one
        # of its keys unavailable; each key knows once which failures do that.
        at_risk = set(self._storage_losses(datastore))
        for key in self._direct_keys(datastore):
            at_risk |= self._unavailable_after(key)
        failures = failures & at_risk
        return [
            failure
            for failure in sorted(failures)
            if not self.recoverable(datastore, Scenario.losing(failure))
        ]

    def compromising_hosts(self, datastore: Datastore) -> list[str]:
        """The hosts whose compromise alone leaves the datastore unrecoverable, sorted.

        A compromise destroys what the host can reach: the live data and copies
        attached to it or written by its push jobs, and the keys kept on it. So
        a copy that survives is no help when every key that reads it is gone.
        Data that is lost before anything happens has no compromising host: it
        is the key rules' business.
        """
        if not self.recoverable(datastore, NOTHING_LOST):
            return []
        # A host can only win if, for the live data and every copy, it destroys
        # the storage or makes one of the keys that read it unavailable.
        suspects: set[str] | None = None
        for attackers, keys in self._sources_reach(datastore):
            reach = set(attackers)
            for key in keys:
                reach |= self._unavailable_after_compromise(key)
            suspects = reach if suspects is None else suspects & reach
        return sorted(
            host
            for host in suspects or ()
            if not self.recoverable(datastore, Scenario(compromised=frozenset({host})))
        )

    def _sources_reach(self, datastore: Datastore) -> list[tuple[frozenset[str], tuple[str, ...]]]:
        """For the live data and each copy: the hosts whose compromise destroys it, its keys."""
        live = self.placements.placement(datastore.id).attached
        own_keys: tuple[str, ...] = (datastore.key,) if datastore.key else ()
        found = [(live, own_keys)]
        found += [(copy.compromisers, copy.keys) for copy in self.copies.copies(datastore)]
        return found

    # Keys whose loss is what loses data.

    def key_losses(self, datastore: Datastore) -> list[KeyLoss]:
        """For each single failure that loses the datastore, the keys that would have saved it.

        Data that cannot be read before anything fails is reported once, for
        the no-failure case (failure NO_FAILURE), whatever could fail next: a
        finding must not depend on which failure sorts first.
        """
        if not self.recoverable(datastore, NOTHING_LOST):
            return self._key_losses_after(datastore, NO_FAILURE, NOTHING_LOST)
        found = []
        for failure in self.single_failures_losing(datastore):
            found += self._key_losses_after(datastore, failure, Scenario.losing(failure))
        return found

    def _key_losses_after(
        self, datastore: Datastore, failure: str, scenario: Scenario
    ) -> list[KeyLoss]:
        if not self.survives_physically(datastore, scenario):
            return []  # the data itself is gone: no key would save it
        return [
            self._key_loss(key, failure, datastore, scenario)
            for key in sorted(self.keys_needed(datastore))
            if self.recoverable(datastore, scenario, assume=frozenset({key}))
        ]

    def _key_loss(
        self, key: str, failure: str, datastore: Datastore, scenario: Scenario
    ) -> KeyLoss:
        if self._key_gone(key, scenario):
            return KeyLoss(key, failure, datastore.id, "gone")
        cycle = self._cycle_back_to(key, scenario)
        if cycle:
            return KeyLoss(key, failure, datastore.id, "circular", cycle)
        return KeyLoss(key, failure, datastore.id, "locked")

    def _key_gone(self, key: str, scenario: Scenario) -> bool:
        """No place of the key survives, not even as ciphertext."""
        for place in self.model.keys[key].stored_in:
            datastore = self.model.datastores.get(place)
            if datastore is None:
                if not self.place_destroyed(place, scenario):
                    return False
            elif self.survives_physically(datastore, scenario):
                return False
        return True

    def _cycle_back_to(self, key: str, scenario: Scenario) -> tuple[str, ...]:
        """A chain key -> place -> key ... that leads back to `key`, if the key locks itself.

        Follows, from each surviving datastore place of a key, the unavailable
        keys that reading it needs; breadth first, so the shortest cycle is found.
        """
        paths: list[tuple[str, ...]] = [(key,)]
        seen = {key}
        while paths:
            path = paths.pop(0)
            for place in self.model.keys[path[-1]].stored_in:
                datastore = self.model.datastores.get(place)
                if datastore is None or not self.survives_physically(datastore, scenario):
                    continue
                for needed in sorted(self._direct_keys(datastore)):
                    if self.key_available(needed, scenario):
                        continue
                    if needed == key:
                        return (*path, place, key)
                    if needed not in seen:
                        seen.add(needed)
                        paths.append((*path, place, needed))
        return ()
