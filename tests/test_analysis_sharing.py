"""Answers the analyses share between entities equal the answers made for each alone.

Datastores protected alike (the same own key, the same targets of their
protections) share one walk of their chains of copies; datastores kept alike
(a storage class) share what each failure or compromise leaves of them; and
datastores of one machine whose protections cost alike share the search for
their best recovery point. Copies are compared with those walked from one
datastore alone; a fresh analysis asked about one datastore only answers from that
datastore itself.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlint.analysis import dependencies as dependencies_module
from archlint.analysis.components import strongly_connected
from archlint.analysis.copies import Copy
from archlint.analysis.dependencies import CYCLES_COUNTED, Dependencies, _closed_from
from archlint.analysis.facts import Facts
from archlint.analysis.graph import build_graph
from archlint.analysis.scenarios import Scenario, _group_cycles
from archlint.engine.pipeline import read_model
from archlint.model.entities import Datastore, Model
from archlint.model.references import references_of
from tests.conftest import AS_OF, bench_model_file
from tests.rules.helpers import facts_of_text
from tests.strategies import GeneratedModel, budget, valid_models, write_files


def bench_model(directory: Path, services: int) -> Model:
    return read_model(bench_model_file(directory, services))


def described(copies: tuple[Copy, ...]) -> list[tuple[Any, ...]]:
    """A copy's fields, its route as its backups; and which earlier copy's route each
    route continues (the routes of a chain share their beginnings)."""
    routes = [copy.route for copy in copies]
    return [
        (
            copy.datastore,
            copy.repository,
            copy.via,
            copy.placement,
            copy.keys,
            copy.compromisers,
            next((k for k, route in enumerate(routes) if route is copy.route.before), None),
        )
        for copy in copies
    ]


def walked_alone(facts: Facts, datastore: Datastore) -> list[tuple[Any, ...]]:
    """The copies of one datastore as `described` gives them, walked from its own
    protections alone: its snapshots, then breadth first along its backups and the
    `copy` backups of each repository reached, each repository by its shortest chain."""
    copies = facts._copies
    live = facts.placement(datastore.id)
    protections = facts.backups_of(datastore.id)
    if live.host is not None:
        protections = protections + facts.backups_of(live.host)
    assert facts.protections(datastore) == protections
    own_keys = (datastore.key,) if datastore.key else ()
    found: list[tuple[Any, ...]] = [
        (datastore.id, None, (b.id,), live, own_keys, live.attached, None)
        for b in protections
        if not b.targets
    ]
    # (repository, the backups of its route, the index in `found` of the copy it continues)
    queue: list[tuple[str, tuple[str, ...], int | None]] = [
        (target, (b.id,), None) for b in protections for target in b.targets
    ]
    seen: set[str] = set()
    for repository, via, before in queue:
        if repository in seen:
            continue
        seen.add(repository)
        index = len(found)
        kept = (
            facts.placement(repository),
            copies.copy_keys(own_keys, repository),
            copies.compromisers(repository),
        )
        found.append((datastore.id, repository, via, *kept, before))
        # A route continues its copy's route: the one route of a backup for a first hop
        # (the first copy made through that backup), else that copy's own.
        if len(via) == 1:
            index = next(k for k, copy in enumerate(found) if copy[2] == via)
        queue += [
            (target, (*via, b.id), index)
            for b in facts.backups_of(repository)
            for target in b.targets
            if target not in seen
        ]
    return found


def assert_copies_as_alone(facts: Facts) -> None:
    """Every datastore's copies, made for every datastore at once from the shapes they
    share, equal those walked from that datastore alone."""
    for datastore in facts.model.datastores.values():
        copies = facts.copies(datastore)
        assert described(copies) == walked_alone(facts, datastore), datastore.id
        expected = tuple(copy for copy in copies if copy.repository is not None)
        assert facts.repository_copies(datastore) == expected


def scenarios_about(facts: Facts, datastore: Datastore) -> list[Scenario]:
    """The loss of each place, and the compromise of each host, that reach the datastore's
    live data or one of its copies."""
    live = facts.placement(datastore.id)
    lost = set(live.losses)
    compromised = set(live.attached)
    for copy in facts.copies(datastore):
        lost |= copy.placement.losses
        compromised |= copy.compromisers
    return [Scenario.losing(place) for place in sorted(lost)] + [
        Scenario(compromised=frozenset({host})) for host in sorted(compromised)
    ]


def answers(facts: Facts, datastore: Datastore) -> tuple[Any, ...]:
    """What the rules ask about a datastore's recovery."""
    scenarios = scenarios_about(facts, datastore)
    engine = facts.scenarios
    return (
        [engine.source_repositories(datastore, scenario) for scenario in scenarios],
        [engine.recoverable(datastore, scenario) for scenario in scenarios],
        facts.single_failures_losing(datastore),
        facts.compromising_hosts(datastore),
        engine.key_losses(datastore),
        facts.worst_case_loss(datastore),
    )


def assert_answers_as_alone(facts: Facts, every: int = 1) -> None:
    """Every datastore is asked in turn of one analysis; every `every`-th one's answers
    equal those of an analysis asked about that datastore alone."""
    shared = {d.id: answers(facts, d) for d in facts.model.datastores.values()}
    for datastore_id in sorted(shared)[::every]:
        alone = Facts(facts.model, facts.as_of)
        assert shared[datastore_id] == answers(alone, alone.model.datastores[datastore_id])


def test_datastores_protected_alike_share_their_copies_and_keep_their_own_routes() -> None:
    with tempfile.TemporaryDirectory() as directory:
        facts = Facts(bench_model(Path(directory), 400), AS_OF)
    assert_copies_as_alone(facts)
    # The walks were shared: far fewer than the datastores.
    assert len(facts._copies._shapes) < len(facts.model.datastores) / 10


def test_datastores_kept_alike_share_their_answers() -> None:
    with tempfile.TemporaryDirectory() as directory:
        facts = Facts(bench_model(Path(directory), 400), AS_OF)
    assert_answers_as_alone(facts, every=37)
    datastores = len(facts.model.datastores)
    assert len(facts._copies._classes) < datastores / 4
    assert len(facts.recovery_points._best_chains) < datastores / 4


def test_a_copy_chained_after_one_protection_is_cheaper_after_that_one_only(
    tmp_path: Path,
) -> None:
    facts = facts_of_text(
        """
archlint: 1
domains:
  home: {kind: site}
  b2: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  one: {kind: files, host: nas}
  two: {kind: files, host: nas}
repositories:
  local: {tool: restic, host: nas}
  remote: {tool: restic, in: b2}
backups:
  one-file: {source: one, target: local, method: file, schedule: daily}
  two-file: {source: two, target: local, method: file, schedule: daily}
  offsite: {source: local, target: remote, method: copy, after: one-file, duration: 2h}
""",
        AS_OF,
        tmp_path,
    )
    assert_answers_as_alone(facts)
    # Off the NAS through the copy, which runs right after one's backup only.
    one, two = (facts.worst_case_loss(facts.model.datastores[d]) for d in ("one", "two"))
    assert one is not None and two is not None
    assert (one.chain, one.repository, one.loss.seconds) == (
        ("one-file", "offsite"),
        "remote",
        26 * 3600,
    )
    assert (two.chain, two.repository, two.loss.seconds) == (
        ("two-file", "offsite"),
        "remote",
        50 * 3600,
    )


def test_a_snapshot_and_a_copy_chain_are_shared_in_order(tmp_path: Path) -> None:
    facts = facts_of_text(
        """
archlint: 1
domains:
  home: {kind: site}
  b2: {kind: site, provider: backblaze}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  one: {kind: files, host: app}
  two: {kind: files, host: nas}
repositories:
  local: {tool: restic, host: nas}
  pbs: {tool: pbs, host: nas}
  remote: {tool: restic, in: b2}
  tape: {tool: borg, in: b2}
backups:
  one-snap: {source: one, method: snapshot}
  one-dump: {source: one, target: pbs, method: file}
  one-file: {source: one, target: local, method: file}
  two-snap: {source: two, method: snapshot}
  two-dump: {source: two, target: pbs, method: file}
  two-file: {source: two, target: local, method: file}
  offsite: {source: local, target: remote, method: copy}
  to-tape: {source: pbs, target: tape, method: copy}
""",
        AS_OF,
        tmp_path,
    )
    one, two = facts.model.datastores["one"], facts.model.datastores["two"]
    assert [(c.repository, c.via) for c in facts.copies(one)] == [
        (None, ("one-snap",)),
        ("pbs", ("one-dump",)),
        ("local", ("one-file",)),
        ("tape", ("one-dump", "to-tape")),
        ("remote", ("one-file", "offsite")),
    ]
    assert [(c.datastore, c.repository, c.via) for c in facts.copies(two)] == [
        ("two", None, ("two-snap",)),
        ("two", "pbs", ("two-dump",)),
        ("two", "local", ("two-file",)),
        ("two", "tape", ("two-dump", "to-tape")),
        ("two", "remote", ("two-file", "offsite")),
    ]
    assert len(facts._copies._shapes) == 1
    # The snapshot is kept where each datastore is, the repositories where they are.
    assert facts.copies(two)[0].placement == facts.placement("two") != facts.placement("one")
    assert [c.repository for c in facts.repository_copies(two)] == [
        "pbs",
        "local",
        "tape",
        "remote",
    ]
    assert_copies_as_alone(facts)


@given(valid_models())
@budget("ARCHLINT_PROPERTY_EXAMPLES", 25)
def test_shared_answers_equal_answers_made_alone(model: GeneratedModel) -> None:
    with tempfile.TemporaryDirectory() as directory:
        facts = Facts(read_model(write_files(Path(directory), model.files())), AS_OF)
    assert_copies_as_alone(facts)
    assert_answers_as_alone(facts)


# --------------------------------------------------------------------------
# Cycles found without networkx: those networkx finds

SERVICES = st.sampled_from([f"s{index}" for index in range(7)])
NEEDS = st.dictionaries(SERVICES, st.lists(SERVICES, max_size=5), max_size=7)


def networkx_cycles(dependencies: Dependencies, component: list[str]) -> list[tuple[str, ...]]:
    """Every cycle of the knot as networkx enumerates them, closed at the first service."""
    knot = dependencies.graph.subgraph(sorted(component))
    return [_closed_from(cycle) for cycle in nx.simple_cycles(knot)]


@given(NEEDS)
def test_the_cycles_of_a_knot_are_those_networkx_enumerates(needs: dict[str, list[str]]) -> None:
    dependencies = Dependencies(needs)
    for component in dependencies._knotted():
        every = networkx_cycles(dependencies, component)
        found = dependencies._cycles_of(set(component))
        assert len(found) == min(len(every), CYCLES_COUNTED + 1)
        assert len(set(found)) == len(found) and set(found) <= set(every)


def test_a_knot_of_many_cycles_is_counted_to_the_bound_and_a_long_search_left_to_networkx(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = [f"s{index}" for index in range(7)]
    # Every service needs every other: 2,365 cycles, more than are counted.
    dependencies = Dependencies({s: [o for o in services if o != s] for s in services})
    (component,) = dependencies._knotted()
    found = dependencies._cycles_of(set(component))
    assert len(found) == CYCLES_COUNTED + 1
    assert set(found) <= set(networkx_cycles(dependencies, component))
    assert dependencies.knots()[0].total is None
    ring = Dependencies({"a": ["b"], "b": ["c", "a"], "c": ["a"]})
    (component,) = ring._knotted()
    assert ring._search_cycles(set(component)) == [("a", "b", "a"), ("a", "b", "c", "a")]
    monkeypatch.setattr(dependencies_module, "CYCLE_SEARCH_STEPS", 3)
    assert ring._search_cycles(set(component)) is None
    assert sorted(ring._cycles_of(set(component))) == [("a", "b", "a"), ("a", "b", "c", "a")]
    assert ring.knots()[0].total == 2


@given(NEEDS)
def test_without_its_back_edges_a_knot_has_no_cycle(needs: dict[str, list[str]]) -> None:
    dependencies = Dependencies(needs)
    for component in dependencies._knotted():
        knot = nx.DiGraph(dependencies.graph.subgraph(component))
        breaks = dependencies._back_edges(set(component))
        assert all(knot.has_edge(*edge) for edge in breaks)
        knot.remove_edges_from(breaks)
        assert nx.is_directed_acyclic_graph(knot)


KEYS = st.sampled_from([f"k{index}" for index in range(9)])
LOCKED = st.dictionaries(KEYS, st.dictionaries(KEYS, st.sampled_from(["p", "q"])), max_size=9)


@given(LOCKED)
def test_each_locked_key_gets_a_cycle_of_needs_and_places_through_it(
    locked: dict[str, dict[str, str]],
) -> None:
    for members in strongly_connected(locked):
        inside = set(members)
        group = {m: {k: p for k, p in locked.get(m, {}).items() if k in inside} for m in members}
        if len(members) == 1 and members[0] not in group[members[0]]:
            continue
        cycles = _group_cycles(group)
        assert sorted(cycles) == sorted(members)
        for key, chain in cycles.items():
            # key -> place -> key ... back to the key, its middle elided when long.
            segments = " ".join(chain).split(" ... ")
            assert segments[0].split()[0] == key and segments[-1].split()[-1] == key
            for segment in segments:
                parts = segment.split()
                assert len(parts) % 2 == 1
                for index in range(0, len(parts) - 2, 2):
                    current, place, needed = parts[index : index + 3]
                    assert group[current][needed] == place


def test_each_relation_indexed_when_asked_is_every_reference_turned_round() -> None:
    with tempfile.TemporaryDirectory() as directory:
        model = bench_model(Path(directory), 400)
    expected: dict[str, dict[str, set[str]]] = {}
    for _kind, entity in model.entities():
        for reference in references_of(type(entity)):
            for target in reference.ids(entity):
                expected.setdefault(reference.relation, {}).setdefault(target, set()).add(entity.id)
    graph = build_graph(model)
    assert graph.named_by_all("no-such-relation") == {}
    for relation, by_node in sorted(expected.items()):
        index = graph.named_by_all(relation)
        assert index == {node: sorted(ids) for node, ids in by_node.items()}, relation
        assert graph.named_by_all(relation) is index  # indexed once
