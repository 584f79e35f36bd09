"""The graph stage: the model as a networkx graph.

Entities are nodes (attribute `kind`, and `entity` holding the typed entity);
typed edges (attribute `relation`) point from the entity that names another to
the entity it names:

| relation     | from -> to                                          |
| ------------ | --------------------------------------------------- |
| `in`         | domain, host, datastore, repository -> its parent   |
| `on`         | vm -> its hypervisor                                |
| `host`       | service, datastore, repository -> its host          |
| `data`       | service -> datastore                                |
| `depends_on` | service -> service                                  |
| `source`     | backup -> what it protects                          |
| `target`     | backup -> repository                                |
| `runs_on`    | backup -> host                                      |
| `key`        | datastore, repository -> key                        |
| `stored_in`  | key -> datastore, host or domain                    |
| `restores`   | drill -> service or datastore                       |
| `from`       | drill -> repository                                 |
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx

from archlint.model.entities import (
    Backup,
    Datastore,
    Domain,
    Drill,
    Entity,
    Host,
    Key,
    Model,
    Repository,
    Service,
)


def build_graph(model: Model) -> nx.MultiDiGraph:
    """The graph, carrying in `graph.graph["named_by"]` an index of its edges by target.

    networkx answers "who points at this node?" by scanning every incoming
    edge; a repository that thousands of backups target would make each
    question linear, so the answers are indexed once here.
    """
    graph = nx.MultiDiGraph()
    for kind, entity in model.entities():
        graph.add_node(entity.id, kind=kind, entity=entity)
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for _kind, entity in model.entities():
        for relation, target in references(entity):
            graph.add_edge(entity.id, target, relation=relation)
            index[(target, relation)].append(entity.id)
    graph.graph["named_by"] = {pair: sorted(set(sources)) for pair, sources in index.items()}
    return graph


def references(entity: Entity) -> Iterator[tuple[str, str]]:
    """The (relation, target id) pairs an entity names."""
    if isinstance(entity, Domain):
        yield from optional("in", entity.in_)
    elif isinstance(entity, Host):
        yield from optional("in", entity.in_)
        yield from optional("on", entity.hypervisor)
    elif isinstance(entity, Service):
        yield "host", entity.host
        yield from each("data", entity.data)
        yield from each("depends_on", entity.depends_on or ())
    elif isinstance(entity, (Datastore, Repository)):
        yield from optional("host", entity.host)
        yield from optional("in", entity.in_)
        yield from optional("key", entity.key)
    elif isinstance(entity, Key):
        yield from each("stored_in", entity.stored_in)
    elif isinstance(entity, Backup):
        yield "source", entity.source
        yield from optional("target", entity.target)
        yield from optional("runs_on", entity.runs_on)
    elif isinstance(entity, Drill):
        yield from each("restores", entity.restores)
        yield from optional("from", entity.from_)


def optional(relation: str, target: str | None) -> Iterator[tuple[str, str]]:
    if target is not None:
        yield relation, target


def each(relation: str, targets: Iterable[str]) -> Iterator[tuple[str, str]]:
    for target in targets:
        yield relation, target


def named_by(graph: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    """The ids of the entities that name `node` through `relation`, sorted."""
    found: list[str] = graph.graph["named_by"].get((node, relation), [])
    return found


def names(graph: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    """The ids `node` names through `relation`, in the order the model gives them."""
    return [
        target
        for _source, target, edge_relation in graph.out_edges(node, data="relation")
        if edge_relation == relation
    ]
