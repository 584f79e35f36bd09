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

from archlint.model.entities import SECTIONS, Entity, Model
from archlint.model.references import references_of

_Edges = dict[str, dict[str, list[str]]]  # relation -> node -> ids (relations asked so far)


class ReferenceGraph:
    """The model's references: the ids each (node, relation) names, and is named by.

    Only the "named by" direction is indexed, by relation then node (a dictionary
    per relation costs less than a (node, relation) tuple per edge on a model of
    100,000 services); what a node names is read from the node itself. A relation
    is indexed when first asked about: `archlint check` never asks about some.
    """

    __slots__ = ("_model", "_named_by")

    def __init__(self, model: Model) -> None:
        self._model = model
        self._named_by: _Edges = {}

    def named_by_all(self, relation: str) -> dict[str, list[str]]:
        """Every node named through `relation`, and the sorted ids of those that name it."""
        found = self._named_by.get(relation)
        if found is None:
            found = self._named_by[relation] = _index(self._model, relation)
        return found

    def named_by(self, node: str, relation: str) -> list[str]:
        """The ids of the entities that name `node` through `relation`, sorted."""
        found = self.named_by_all(relation).get(node)
        return found if found is not None else []


def build_graph(model: Model) -> ReferenceGraph:
    return ReferenceGraph(model)


def _index(model: Model, relation: str) -> dict[str, list[str]]:
    """Each node named through `relation`, and the sorted ids of those that name it."""
    naming: dict[str, list[str]] = {}
    # Section by section, field by field: this loop runs for every reference of a model,
    # and an entity's references are those its class declares (archlint.model.references).
    for name, (_kind, cls) in SECTIONS.items():
        entities = model.section(name).values()
        for reference in references_of(cls):
            if reference.relation != relation:
                continue
            attribute = reference.attribute
            for entity in entities:
                targets = getattr(entity, attribute)
                if targets is None:
                    continue
                if isinstance(targets, str):
                    targets = (targets,)
                for target in targets:
                    sources = naming.get(target)
                    if sources is None:
                        naming[target] = [entity.id]
                    else:
                        sources.append(entity.id)
    for node, sources in naming.items():
        if len(sources) > 1:
            naming[node] = sorted(set(sources))
    return naming


def named_by(graph: ReferenceGraph, node: str, relation: str) -> list[str]:
    """The ids of the entities that name `node` through `relation`, sorted."""
    return graph.named_by(node, relation)


def names_of(entity: Entity, relation: str) -> list[str]:
    """The ids the entity names through `relation`, in the order the model gives them."""
    return [
        target
        for reference in references_of(type(entity))
        if reference.relation == relation
        for target in reference.ids(entity)
    ]
