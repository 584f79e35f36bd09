"""The graph stage: the model as a networkx graph.

Entities are nodes (attribute `kind`, and `entity` holding the typed entity);
typed edges (attribute `relation`) point from the entity that names another to
the entity it names, one edge per id that a reference field names. The
reference fields are declared on the entity classes (archlint.model.references);
an edge's relation is its field's YAML name (`in`, `host`, `depends_on`, ...)
unless the declaration gives another (a VM's `hypervisor` is `on`).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from archlint.model.entities import Model
from archlint.model.references import named_ids


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
        for reference, target in named_ids(entity):
            graph.add_edge(entity.id, target, relation=reference.relation)
            index[(target, reference.relation)].append(entity.id)
    graph.graph["named_by"] = {pair: sorted(set(sources)) for pair, sources in index.items()}
    return graph


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
