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

from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any, NamedTuple

from archlint.analysis.components import strongly_connected
from archlint.analysis.copies import Copies, Copy
from archlint.analysis.placement import Placements
from archlint.model.entities import Datastore, Model

NO_KEYS: frozenset[str] = frozenset()
_new_tuple = tuple.__new__
NO_FAILURE = ""  # the failure of a KeyLoss that happens before anything fails


class Scenario(NamedTuple):
    """What happened: places lost and hosts compromised.

    A named tuple: scenarios key the memos of every answer, and a tuple hashes and
    compares in C where a frozen dataclass runs Python code each time."""

    lost: frozenset[str] = frozenset()
    compromised: frozenset[str] = frozenset()

    @classmethod
    def losing(cls, *ids: str) -> "Scenario":
        return cls(lost=frozenset(ids))

    def destroys(self, losses: frozenset[str], compromisers: frozenset[str]) -> bool:
        return not losses.isdisjoint(self.lost) or not compromisers.isdisjoint(self.compromised)


NOTHING_LOST = Scenario()


class KeyLoss(NamedTuple):
    """After `failure` (NO_FAILURE: even with nothing lost), `datastore` is lost, and would
    not be if `key` were available.

    A named tuple, ordered by its fields in turn: the datastores that share a storage
    class get one each, tens of thousands on a large model, and a frozen dataclass
    is made at several times the cost."""

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
        self.failure_ids = placements.failure_ids
        self._recoverable_memo: dict[tuple[int, Scenario, frozenset[str]], bool] = {}
        self._key_memo: dict[tuple[str, Scenario, frozenset[str]], bool] = {}
        self._reach: dict[str, tuple[frozenset[str], frozenset[str]]] | None = None
        self._circular: dict[Scenario, dict[str, tuple[str, ...]]] = {}
        self._in_datastores: dict[str, list[Datastore]] = {}
        self._gone: dict[tuple[str, Scenario], bool] = {}
        self._place_reach: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._unavailable_compromised: dict[str, frozenset[str]] = {}
        self._places: dict[str, list[str]] = {}
        self._unavailable: dict[str, frozenset[str]] = {}
        self._losing: dict[int, list[str]] = {}  # by storage class
        self._key_losses: dict[tuple[Any, ...], list[KeyLoss]] = {}
        self._key_losses_by_class: dict[int, list[KeyLoss]] = {}
        self._compromising: dict[tuple[Any, ...], list[str]] = {}
        self._losing_by_signature: dict[tuple[Any, ...], list[str]] = {}
        self._signatures: dict[int, tuple[Any, ...]] = {}
        self._source_repositories: dict[tuple[int, Scenario], list[str | None]] = {}
        self._compromising_by_class: dict[int, list[str]] = {}

    # Physical survival, keys aside.

    def place_destroyed(self, place: str, scenario: Scenario) -> bool:
        """Whether a host or domain (as a place that keeps something) is destroyed."""
        placement = self.placements.placement(place)
        return scenario.destroys(placement.losses, placement.attached)

    def live_destroyed(self, datastore: Datastore, scenario: Scenario) -> bool:
        placement = self.placements.of_datastore(datastore)
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
        # Once per storage class: datastores kept alike are recovered alike.
        memo_key = (self.copies.storage_class(datastore), scenario, assume)
        if memo_key not in self._recoverable_memo:
            self._recoverable_memo[memo_key] = any(
                all(self.key_available(key, scenario, assume) for key in keys)
                for keys in self._surviving_key_sets(datastore, scenario)
            )
        return self._recoverable_memo[memo_key]

    def key_available(self, key: str, scenario: Scenario, assume: frozenset[str] = NO_KEYS) -> bool:
        memo_key = (key, scenario, assume)
        if memo_key not in self._key_memo:
            self._solve_keys(self._unsolved(key, scenario, assume), scenario, assume)
        return self._key_memo[memo_key]

    def sources(self, datastore: Datastore, scenario: Scenario) -> list[tuple[str | None, str]]:
        """Where the datastore can be restored from: (repository or None for live/snapshot, how)."""
        return [
            (None, "live data") if copy is None else (copy.repository, copy.describe())
            for copy in self._readable_sources(datastore, scenario)
        ]

    def source_repositories(self, datastore: Datastore, scenario: Scenario) -> list[str | None]:
        """The repositories of `sources` (None for live data or a snapshot), without
        describing how each was reached.

        Once per storage class and scenario: the rules ask it of every datastore for the
        compromise of each of its hosts, and of every copy for the loss of its machine."""
        memo_key = (self.copies.storage_class(datastore), scenario)
        found = self._source_repositories.get(memo_key)
        if found is None:
            found = self._source_repositories[memo_key] = [
                None if copy is None else copy.repository
                for copy in self._readable_sources(datastore, scenario)
            ]
        return list(found)

    def _readable_sources(self, datastore: Datastore, scenario: Scenario) -> list[Copy | None]:
        """The copies that survive the scenario readable, after None for the live data
        when it does."""
        found: list[Copy | None] = []
        if not self.live_destroyed(datastore, scenario) and self._readable(
            (datastore.key,) if datastore.key else (), scenario
        ):
            found.append(None)
        for copy in self.copies.copies(datastore):
            if scenario.destroys(copy.placement.losses, copy.compromisers):
                continue
            if self._readable(copy.keys, scenario):
                found.append(copy)
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

    def _solve_keys(self, keys: set[str], scenario: Scenario, assume: frozenset[str]) -> None:
        """Memoise the availability of every key of `keys`, a set closed under "needed to
        read a place of" but for the keys this scenario has settled already, as the least
        fixed point of the definitions.

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
                    if any(self._key_memo.get((k, scenario, assume)) is False for k in key_set):
                        continue  # needs a key already known to be unavailable
                    missing = {
                        k
                        for k in key_set
                        if k not in assume and (k, scenario, assume) not in self._key_memo
                    }
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

    def _unsolved(self, key: str, scenario: Scenario, assume: frozenset[str]) -> set[str]:
        """The key and the keys needed to read its places, transitively, that this scenario
        has not settled yet: each key is solved once per scenario, so a chain of thousands
        of keys costs its length, not its square."""
        unsolved = {key}
        pending = [key]
        while pending:
            for datastore in self._datastore_places(pending.pop()):
                for needed in self._direct_keys(datastore):
                    if needed not in unsolved and (needed, scenario, assume) not in self._key_memo:
                        unsolved.add(needed)
                        pending.append(needed)
        return unsolved

    def _datastore_places(self, key: str) -> list[Datastore]:
        """The datastores among the key's places (a key kept on 8,000 hosts has none)."""
        if key not in self._in_datastores:
            self._in_datastores[key] = [
                self.model.datastores[place]
                for place in self.model.keys[key].stored_in
                if place in self.model.datastores
            ]
        return self._in_datastores[key]

    def _places_cheapest_first(self, key: str) -> list[str]:
        """The key's places, hosts and domains before datastores: they are answered
        without other keys, and a person who knows the key settles it at once."""
        if key not in self._places:
            stored_in = self.model.keys[key].stored_in
            self._places[key] = sorted(stored_in, key=lambda p: p in self.model.datastores)
        return self._places[key]

    # Which failures can matter to a datastore.

    def _direct_keys(self, datastore: Datastore) -> set[str]:
        keys = {datastore.key} if datastore.key else set()
        for copy in self.copies.copies(datastore):
            keys.update(copy.keys)
        return keys

    def relevant_failures(self, datastore: Datastore) -> frozenset[str]:
        """The single failures that destroy the datastore, one of its copies, or a key's place."""
        failures = set(self._storage_losses(datastore))
        for key in self._direct_keys(datastore):
            failures |= self._key_reach(key)[0]
        return frozenset(failures & self.failure_ids)

    def _key_reach(self, key: str) -> tuple[frozenset[str], frozenset[str]]:
        """The losses and the compromised hosts that can destroy a place of the key or of a
        key needed to read one of its places, transitively.

        Computed once for every key, over the strongly connected groups of the
        "needed to read a place of" graph, sinks first: a chain or a cycle of
        thousands of keys costs its length.
        """
        if self._reach is None:
            self._reach = self._all_key_reach()
        return self._reach[key]

    def _all_key_reach(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        needs: dict[str, list[str]] = {}
        for key in sorted(self.model.keys):
            needs[key] = []
            for place in self.model.keys[key].stored_in:
                datastore = self.model.datastores.get(place)
                if datastore is not None:
                    needs[key] += sorted(self._direct_keys(datastore))
        reach: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        # Sinks first: what a group needs is settled before the group.
        for group in strongly_connected(needs):
            failures: set[str] = set()
            attackers: set[str] = set()
            for key in group:
                place_failures, place_attackers = self._key_place_reach(key)
                failures |= place_failures
                attackers |= place_attackers
                for needed in needs.get(key, ()):
                    if needed in reach:  # settled: another group's
                        failures |= reach[needed][0]
                        attackers |= reach[needed][1]
            answer = (frozenset(failures), frozenset(attackers))
            reach.update(dict.fromkeys(group, answer))
        return reach

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
            self._unavailable[key] = frozenset(
                failure
                for failure in sorted(self._key_reach(key)[0] & self.failure_ids)
                if not self.key_available(key, Scenario.losing(failure))
            )
        return self._unavailable[key]

    def _unavailable_after_compromise(self, key: str) -> frozenset[str]:
        """The hosts whose compromise alone makes the key unavailable, computed once per key.

        A compromise destroys the keys kept on the hosts it reaches, like a loss does.
        """
        if key not in self._unavailable_compromised:
            self._unavailable_compromised[key] = frozenset(
                host
                for host in sorted(self._key_reach(key)[1])
                if not self.key_available(key, Scenario(compromised=frozenset({host})))
            )
        return self._unavailable_compromised[key]

    def _storage_attackers(self, datastore: Datastore) -> set[str]:
        attackers = set(self.placements.of_datastore(datastore).attached)
        for copy in self.copies.copies(datastore):
            attackers |= copy.compromisers
        return attackers

    def _storage_losses(self, datastore: Datastore) -> set[str]:
        failures = set(self.placements.of_datastore(datastore).losses)
        for copy in self.copies.copies(datastore):
            failures |= copy.placement.losses
        return failures

    def single_failures_losing(self, datastore: Datastore) -> list[str]:
        """The single failures after which the datastore is not recoverable, sorted.

        Answered once per signature (see _loss_signature): the datastores of one
        machine, kept alike, share their answer, whatever VM of it they are on."""
        storage = self.copies.storage_class(datastore)
        found = self._losing.get(storage)
        if found is None:
            signature = self._loss_signature(datastore)
            found = self._losing_by_signature.get(signature)
            if found is None:
                found = self._single_failures_losing(datastore)
                self._losing_by_signature[signature] = found
            self._losing[storage] = found
        return found

    def _loss_signature(self, datastore: Datastore) -> tuple[Any, ...]:
        """All that the losses of single failures depend on: which failures destroy the
        live data and each copy, and the keys that read them. A single failure loses a
        site, a machine or a disk and compromises no host; a VM is lost with its machine,
        so the datastores of every VM of one machine, kept alike, share one signature.

        Made once per storage class: single_failures_losing and key_losses both ask."""
        storage = self.copies.storage_class(datastore)
        found = self._signatures.get(storage)
        if found is None:
            failures = self.failure_ids
            found = self._signatures[storage] = (
                datastore.key,
                self.placements.of_datastore(datastore).losses & failures,
                *[
                    (copy.placement.losses & failures, copy.keys)
                    for copy in self.copies.copies(datastore)
                ],
            )
        return found

    def _single_failures_losing(self, datastore: Datastore) -> list[str]:
        if not self.recoverable(datastore, NOTHING_LOST):
            # Its keys lock themselves away: it is lost whatever fails.
            return sorted(self.relevant_failures(datastore))
        failures = self.failure_ids
        # A failure that spares a copy readable without any key cannot lose the
        # data; only the failures that destroy every such copy need the full
        # evaluation with keys.
        keyless = [c.placement.losses for c in self.copies.copies(datastore) if not c.keys]
        if datastore.key is None:
            keyless.append(self.placements.of_datastore(datastore).losses)
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

        Answered once per signature: what a compromise can reach of the live data
        and each copy, and the keys that read them; looked up once per storage class.
        """
        storage = self.copies.storage_class(datastore)
        found = self._compromising_by_class.get(storage)
        if found is None:
            suspects = self._suspects(datastore)
            if not suspects:
                found = []  # the common case, answered without a signature of its own
            else:
                signature = (
                    datastore.key,
                    self.placements.of_datastore(datastore).attached,
                    *[(copy.compromisers, copy.keys) for copy in self.copies.copies(datastore)],
                )
                found = self._compromising.get(signature)
                if found is None:
                    found = self._compromising_hosts(datastore, suspects)
                    self._compromising[signature] = found
            self._compromising_by_class[storage] = found
        return found

    def _suspects(self, datastore: Datastore) -> set[str]:
        """The hosts that, for the live data and every copy, destroy its storage or make
        one of the keys that read it unavailable: only they can win.

        The few hosts of the live data are tried against each copy in turn: a copy in
        a shared repository has a hundred hosts that can destroy it."""
        suspects = set(self.placements.of_datastore(datastore).attached)
        if datastore.key:
            suspects |= self._unavailable_after_compromise(datastore.key)
        for copy in self.copies.copies(datastore):
            if not suspects:
                break  # e.g. an immutable copy off-site, read with keys kept apart
            unavailable = [self._unavailable_after_compromise(key) for key in copy.keys]
            suspects = {
                host
                for host in suspects
                if host in copy.compromisers or any(host in hosts for hosts in unavailable)
            }
        return suspects

    def _compromising_hosts(self, datastore: Datastore, suspects: set[str]) -> list[str]:
        if not self.recoverable(datastore, NOTHING_LOST):
            return []
        return sorted(
            host
            for host in suspects
            if not self.recoverable(datastore, Scenario(compromised=frozenset({host})))
        )

    # Keys whose loss is what loses data.

    def key_losses(self, datastore: Datastore) -> list[KeyLoss]:
        """For each single failure that loses the datastore, the keys that would have saved it.

        Data that cannot be read before anything fails is reported once, for
        the no-failure case (failure NO_FAILURE), whatever could fail next: a
        finding must not depend on which failure sorts first.
        """
        # Looked up by storage class, then shared by signature: every datastore is asked,
        # and a class is a number where a signature is a tuple hashed anew each time.
        storage = self.copies.storage_class(datastore)
        shared = self._key_losses_by_class.get(storage)
        if shared is None:
            signature = self._loss_signature(datastore)
            shared = self._key_losses.get(signature)
            if shared is None:
                shared = self._key_losses[signature] = self._find_key_losses(datastore)
            self._key_losses_by_class[storage] = shared
        if not shared:
            return []
        if shared[0].datastore == datastore.id:
            return list(shared)
        # Answered for another datastore of the same signature: the same keys, failures
        # and causes, about this one (made as the tuple it is: KeyLoss(...) runs Python).
        datastore_id = datastore.id
        return [
            _new_tuple(KeyLoss, (loss.key, loss.failure, datastore_id, loss.cause, loss.cycle))
            for loss in shared
        ]

    def _find_key_losses(self, datastore: Datastore) -> list[KeyLoss]:
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
        # Only the keys the data names directly: a key needed further up a chain is
        # reported on the datastore it locks, which is lost too (it keeps the next key).
        return [
            self._key_loss(key, failure, datastore, scenario)
            for key in sorted(self._direct_keys(datastore))
            if self._saved_by(datastore, scenario, key)
        ]

    def _saved_by(self, datastore: Datastore, scenario: Scenario, key: str) -> bool:
        """Whether the datastore would be recoverable if `key` were available."""
        for keys in self._surviving_key_sets(datastore, scenario):
            if key not in keys:
                continue
            if all(self.key_available(other, scenario) for other in keys if other != key):
                return True  # the common case, answered without a scenario of its own
        return self.recoverable(datastore, scenario, assume=frozenset({key}))

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
        """No place of the key survives, not even as ciphertext (once per key and scenario:
        a key kept on thousands of hosts is asked about by every datastore it locks)."""
        if (key, scenario) not in self._gone:
            self._gone[(key, scenario)] = not any(
                self.survives_physically(self.model.datastores[place], scenario)
                if place in self.model.datastores
                else not self.place_destroyed(place, scenario)
                for place in self.model.keys[key].stored_in
            )
        return self._gone[(key, scenario)]

    def _cycle_back_to(self, key: str, scenario: Scenario) -> tuple[str, ...]:
        """A chain key -> place -> key ... that leads back to `key`, if the key locks itself.

        The chain follows, from each surviving datastore place of a key, the
        unavailable keys that reading it needs. The keys that lock one another
        form strongly connected groups; each group is found once per scenario,
        and the chain shown is capped (its middle elided), so thousands of keys
        in one cycle cost their number, not its square.
        """
        settled = self._circular.setdefault(scenario, {})
        if key not in settled:
            self._settle_locked_groups(key, scenario, settled)
        return settled[key]

    def _settle_locked_groups(
        self, key: str, scenario: Scenario, settled: dict[str, tuple[str, ...]]
    ) -> None:
        # Each locked key, and the keys it needs with the first place found to need each.
        locked: _Locked = {key: {}}
        pending = [key]
        while pending:
            current = pending.pop()
            for place, needed in self._locked_needs(current, scenario):
                if needed in settled:
                    continue  # a settled group never leads back to an unsettled key
                if needed not in locked:
                    locked[needed] = {}
                    pending.append(needed)
                locked[current].setdefault(needed, place)
        for members in strongly_connected(locked):
            first = min(members)
            if len(members) == 1 and first not in locked[first]:
                settled[first] = ()
            else:
                inside = set(members)
                group = {
                    member: {k: place for k, place in locked[member].items() if k in inside}
                    for member in members
                }
                settled.update(_group_cycles(group))

    def _locked_needs(self, key: str, scenario: Scenario) -> list[tuple[str, str]]:
        """(place, needed key) for each surviving datastore place of the key and each
        unavailable key that reading it needs."""
        found = []
        for place in self.model.keys[key].stored_in:
            datastore = self.model.datastores.get(place)
            if datastore is None or not self.survives_physically(datastore, scenario):
                continue
            for needed in sorted(self._direct_keys(datastore)):
                if not self.key_available(needed, scenario):
                    found.append((place, needed))
        return found


# A cycle of keys longer than this many steps is shown with its middle elided.
CYCLE_STEPS_SHOWN = 6

# Keys that lock one another: each key, and the keys it needs, each with the place
# whose reading needs it.
_Locked = dict[str, dict[str, str]]


def _group_cycles(group: _Locked) -> dict[str, tuple[str, ...]]:
    """For every key of a strongly connected group of locked keys, a cycle through it.

    Two breadth-first trees rooted at the group's first key give, for any key,
    a path to the root and a path back from it: their concatenation is a
    closed chain through the key, and only its ends are walked.
    """
    root = min(group)
    needed_by: dict[str, list[str]] = {key: [] for key in group}
    for key, needs in group.items():
        for needed in needs:
            needed_by[needed].append(key)
    to_root = _bfs_tree(needed_by, root)  # key -> next key towards the root
    from_root = _bfs_tree(group, root)  # key -> previous key from the root
    cycles = {}
    for key in sorted(group):
        if key == root:
            # Out to the successor nearest the way back, then back to the root.
            first = min(group[root], key=lambda k: (to_root[k][1], k))
            steps = [root, first, *_walk(to_root, first, to_root[first][1])]
        else:
            length = to_root[key][1] + from_root[key][1]
            head = [key, *_walk(to_root, key, min(to_root[key][1], CYCLE_STEPS_SHOWN))]
            back = [*reversed(_walk(from_root, key, min(from_root[key][1], CYCLE_STEPS_SHOWN)))]
            if length <= CYCLE_STEPS_SHOWN:
                steps = [*head, *back[1:], key] if head[-1] == root else []
            else:
                steps = []
            if not steps:
                cycles[key] = (
                    *_with_places(group, head[: CYCLE_STEPS_SHOWN // 2 + 1]),
                    "...",
                    *_with_places(group, [*back, key][-(CYCLE_STEPS_SHOWN // 2 + 1) :]),
                )
                continue
        cycles[key] = _with_places(group, steps)
    if len(cycles[root]) > 4 * CYCLE_STEPS_SHOWN:
        whole = cycles[root]
        cycles[root] = (*whole[: CYCLE_STEPS_SHOWN + 1], "...", *whole[-(CYCLE_STEPS_SHOWN + 1) :])
    return cycles


def _bfs_tree(neighbours: Mapping[str, Iterable[str]], root: str) -> dict[str, tuple[str, int]]:
    """Breadth first from the root, in id order: key -> (neighbour towards the root, depth)."""
    tree = {root: (root, 0)}
    frontier = [root]
    while frontier:
        following = []
        for key in frontier:
            for neighbour in sorted(neighbours[key]):
                if neighbour not in tree:
                    tree[neighbour] = (key, tree[key][1] + 1)
                    following.append(neighbour)
        frontier = following
    return tree


def _walk(tree: dict[str, tuple[str, int]], key: str, steps: int) -> list[str]:
    """The next `steps` keys from `key` towards the tree's root."""
    found = []
    for _ in range(steps):
        key = tree[key][0]
        found.append(key)
    return found


def _with_places(group: _Locked, keys: list[str]) -> tuple[str, ...]:
    """key -> place -> key ...: each step names the place that keeps the key it leaves."""
    chain = [keys[0]]
    for current, needed in pairwise(keys):
        chain += [group[current][needed], needed]
    return tuple(chain)
