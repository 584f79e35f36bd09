"""The failure-scenario engine: after these losses, what can still be recovered?

A scenario is a set of lost failure domains (sites, physical machines, disks).
A datastore is recoverable when its live data or one of its copies survives
and is readable; encrypted data is readable only while its key is available;
a key is available when one place in its `stored_in` survives and, if that
place is a datastore, that datastore is recoverable without the key itself.

Key availability and recoverability depend on each other, so they are
evaluated together by recursion that refuses to use a key to unlock itself
(directly or through a chain of keys). That is the least fixed point of the
definitions: a key never "survives" only because it is needed to read itself.

The engine is lazy and memoised: a question is answered from the copies and
keys of the one datastore it is about, never by walking the whole model, and
each datastore is only asked about the failures that touch its own copies and
keys (its relevant failures), which keeps a full analysis linear in model size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archlint.copies import Copies, Copy
from archlint.model import Datastore, Model
from archlint.placement import Placements

Scenario = frozenset[str]
NO_KEYS: frozenset[str] = frozenset()


@dataclass(frozen=True, order=True)
class KeyLoss:
    """After `failure`, `datastore` is lost, and would not be if `key` were available."""

    key: str
    failure: str
    datastore: str
    cause: str  # "gone": no place keeps the key; "unreadable": kept only where it cannot be read


class ScenarioEngine:
    def __init__(self, model: Model, placements: Placements, copies: Copies) -> None:
        self.model = model
        self.placements = placements
        self.copies = copies
        self._recoverable_memo: dict[tuple[str, Scenario, frozenset[str]], bool] = {}
        self._key_memo: dict[tuple[str, Scenario, frozenset[str]], bool] = {}
        self._relevant: dict[str, frozenset[str]] = {}
        self._key_closure: dict[str, frozenset[str]] = {}

    # Physical survival, keys aside.

    def lost(self, entity_id: str, scenario: Scenario) -> bool:
        """Whether the thing's storage is destroyed by the scenario."""
        return not self.placements.placement(entity_id).losses.isdisjoint(scenario)

    def copy_lost(self, copy: Copy, scenario: Scenario) -> bool:
        return not copy.placement.losses.isdisjoint(scenario)

    def survives_physically(self, datastore: Datastore, scenario: Scenario) -> bool:
        """The live data or some copy is still stored somewhere, readable or not."""
        if not self.lost(datastore.id, scenario):
            return True
        return any(not self.copy_lost(c, scenario) for c in self.copies.copies(datastore))

    # Recoverability with keys.

    def recoverable(
        self, datastore: Datastore, scenario: Scenario, assume: frozenset[str] = NO_KEYS
    ) -> bool:
        """Whether the datastore can be recovered; keys in `assume` count as available."""
        return self._recoverable(datastore, scenario, assume, NO_KEYS)[0]

    def key_available(self, key: str, scenario: Scenario, assume: frozenset[str] = NO_KEYS) -> bool:
        return self._key_available(key, scenario, assume, NO_KEYS)[0]

    def readable_copies(self, datastore: Datastore, scenario: Scenario) -> list[Copy]:
        """The copies that survive the scenario and can be read."""
        return [
            copy
            for copy in self.copies.copies(datastore)
            if not self.copy_lost(copy, scenario)
            and all(self.key_available(k, scenario) for k in copy.keys)
        ]

    def live_readable(self, datastore: Datastore, scenario: Scenario) -> bool:
        return not self.lost(datastore.id, scenario) and (
            datastore.key is None or self.key_available(datastore.key, scenario)
        )

    # The recursion below returns (answer, cut): `cut` is true when the answer
    # relied on refusing a key that is being evaluated further up. Such a
    # negative answer holds only in that context and is not memoised.

    def _recoverable(
        self,
        datastore: Datastore,
        scenario: Scenario,
        assume: frozenset[str],
        stack: frozenset[str],
    ) -> tuple[bool, bool]:
        memo_key = (datastore.id, scenario, assume)
        if memo_key in self._recoverable_memo:
            return self._recoverable_memo[memo_key], False
        live_keys: tuple[str, ...] = (datastore.key,) if datastore.key else ()
        live_losses = self.placements.placement(datastore.id).losses
        candidates = [(live_losses, live_keys)]
        candidates += [(c.placement.losses, c.keys) for c in self.copies.copies(datastore)]
        cut = False
        answer = False
        for losses, keys in candidates:
            if not losses.isdisjoint(scenario):
                continue
            readable, place_cut = self._keys_available(keys, scenario, assume, stack)
            cut = cut or place_cut
            if readable:
                answer = True
                break
        if answer or not cut or not stack:
            self._recoverable_memo[memo_key] = answer
        return answer, cut and not answer

    def _keys_available(
        self, keys: Iterable[str], scenario: Scenario, assume: frozenset[str], stack: frozenset[str]
    ) -> tuple[bool, bool]:
        for key in keys:
            available, cut = self._key_available(key, scenario, assume, stack)
            if not available:
                return False, cut
        return True, False

    def _key_available(
        self, key: str, scenario: Scenario, assume: frozenset[str], stack: frozenset[str]
    ) -> tuple[bool, bool]:
        if key in assume:
            return True, False
        memo_key = (key, scenario, assume)
        if memo_key in self._key_memo:
            return self._key_memo[memo_key], False
        if key in stack:
            return False, True
        inner = stack | {key}
        cut = False
        answer = False
        for place in self.model.keys[key].stored_in:
            datastore = self.model.datastores.get(place)
            if datastore is None:
                available, place_cut = not self.lost(place, scenario), False
            else:
                available, place_cut = self._recoverable(datastore, scenario, assume, inner)
            cut = cut or place_cut
            if available:
                answer = True
                break
        if answer or not cut or not stack:
            self._key_memo[memo_key] = answer
        return answer, cut and not answer

    # Which failures can matter to a datastore.

    def keys_needed(self, datastore: Datastore) -> frozenset[str]:
        """Every key that reading the datastore or one of its copies may need."""
        direct = {datastore.key} if datastore.key else set()
        for copy in self.copies.copies(datastore):
            direct.update(copy.keys)
        closure: set[str] = set()
        for key in direct:
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
                    for needed in self._direct_keys(datastore):
                        if needed not in seen:
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
        """The failures that destroy the datastore, one of its copies, or a key's place."""
        if datastore.id not in self._relevant:
            failures = set(self._storage_losses(datastore))
            for key in self.keys_needed(datastore):
                for place in self.model.keys[key].stored_in:
                    place_datastore = self.model.datastores.get(place)
                    if place_datastore is None:
                        failures |= self.placements.placement(place).losses
                    else:
                        failures |= self._storage_losses(place_datastore)
            self._relevant[datastore.id] = frozenset(failures)
        return self._relevant[datastore.id]

    def _storage_losses(self, datastore: Datastore) -> set[str]:
        failures = set(self.placements.placement(datastore.id).losses)
        for copy in self.copies.copies(datastore):
            failures |= copy.placement.losses
        return failures

    def single_failures_losing(self, datastore: Datastore) -> list[str]:
        """The single failures after which the datastore is not recoverable, sorted."""
        return [
            failure
            for failure in sorted(self.relevant_failures(datastore))
            if not self.recoverable(datastore, frozenset({failure}))
        ]

    # Keys whose loss is what loses data.

    def key_losses(self, datastore: Datastore) -> list[KeyLoss]:
        """For each single failure that loses the datastore, the keys that would have saved it."""
        found = []
        for failure in self.single_failures_losing(datastore):
            scenario = frozenset({failure})
            for key in sorted(self.keys_needed(datastore)):
                if not self.recoverable(datastore, scenario, assume=frozenset({key})):
                    continue
                cause = "gone" if self._key_gone(key, scenario) else "unreadable"
                found.append(KeyLoss(key, failure, datastore.id, cause))
        return found

    def _key_gone(self, key: str, scenario: Scenario) -> bool:
        """No place of the key survives, not even as ciphertext."""
        for place in self.model.keys[key].stored_in:
            datastore = self.model.datastores.get(place)
            if datastore is None:
                if not self.lost(place, scenario):
                    return False
            elif self.survives_physically(datastore, scenario):
                return False
        return True
