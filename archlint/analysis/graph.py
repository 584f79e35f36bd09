"""The graph stage: the references between entities, indexed both ways.

Entities are nodes; typed edges point from the entity that names another to
the entity it names, one edge per id that a reference field names. The
reference fields are declared on the entity classes (archlint.model.references);
an edge's relation is its field's YAML name (`in`, `host`, `depends_on`, ...)
unless the declaration gives another (a VM's `hypervisor` is `on`).

The analyses ask two questions only, "whom does this node name through this
relation?" and "who names this node through it?": the first is read from the
node itself, the second from an index of id lists. A networkx graph would pay
several dictionaries per edge for attributes nobody reads: on a 100,000-service
model, a gigabyte.
networkx stays where its algorithms are needed (archlint.analysis.dependencies
builds the `depends_on` graph of services for its cycles and restore order).
"""

from __future__ import annotations

from collections import defaultdict

from archlint.model.entities import Model
from archlint.model.references import references_of

_Edges = dict[str, dict[str, list[str]]]  # relation -> node -> ids


class ReferenceGraph:
    """The model's references: the ids each (node, relation) names, and is named by.

    Only the "named by" direction is indexed, by relation then node (a dictionary
    per relation costs less than a (node, relation) tuple per edge on a model of
    100,000 services); what a node names is read from the node itself.
    """

    __slots__ = ("_model", "_named_by")

    def __init__(self, model: Model, named_by: _Edges) -> None:
        self._model = model
        self._named_by = named_by

    def names(self, node: str, relation: str) -> list[str]:
        """The ids `node` names through `relation`, in the order the model gives them."""
        entity = self._model.get(node)
        if entity is None:
            return []
        return [
            target
            for reference in references_of(type(entity))
            if reference.relation == relation
            for target in reference.ids(entity)
        ]

    def named_by(self, node: str, relation: str) -> list[str]:
        """The ids of the entities that name `node` through `relation`, sorted."""
        by_node = self._named_by.get(relation)
        found = by_node.get(node) if by_node is not None else None
        return found if found is not None else []


def build_graph(model: Model) -> ReferenceGraph:
    naming: _Edges = defaultdict(dict)
    for _kind, entity in model.entities():
        source = entity.id
        # What named_ids gives, spelled out: this loop runs for every reference of a model.
        for reference in references_of(type(entity)):
            targets = getattr(entity, reference.attribute)
            if targets is None:
                continue
            naming_here = naming[reference.relation]
            for target in (targets,) if isinstance(targets, str) else targets:
                naming_here.setdefault(target, []).append(source)
    for by_node in naming.values():
        for node, sources in by_node.items():
            if len(sources) > 1:
                by_node[node] = sorted(set(sources))
    return ReferenceGraph(model, dict(naming))


def named_by(graph: ReferenceGraph, node: str, relation: str) -> list[str]:
    """The ids of the entities that name `node` through `relation`, sorted."""
    return graph.named_by(node, relation)


def names(graph: ReferenceGraph, node: str, relation: str) -> list[str]:
    """The ids `node` names through `relation`, in the order the model gives them."""
    return graph.names(node, relation)
