"""The graph stage: the references between entities, indexed both ways.

Entities are nodes; typed edges point from the entity that names another to
the entity it names, one edge per id that a reference field names. The
reference fields are declared on the entity classes (archlint.model.references);
an edge's relation is its field's YAML name (`in`, `host`, `depends_on`, ...)
unless the declaration gives another (a VM's `hypervisor` is `on`).

The analyses ask two questions only, "whom does this node name through this
relation?" and "who names this node through it?", so the edges are kept as two
dictionaries of id lists. A networkx graph would pay several dictionaries per
edge for attributes nobody reads: on a 100,000-service model, a gigabyte.
networkx stays where its algorithms are needed (archlint.analysis.dependencies
builds the `depends_on` graph of services for its cycles and restore order).
"""

from __future__ import annotations

from collections import defaultdict

from archlint.model.entities import Model
from archlint.model.references import references_of

_Edge = tuple[str, str]  # (node, relation)


class ReferenceGraph:
    """The model's references: the ids each (node, relation) names, and is named by."""

    __slots__ = ("_named", "_named_by")

    def __init__(self, named: dict[_Edge, list[str]], named_by: dict[_Edge, list[str]]) -> None:
        self._named = named
        self._named_by = named_by

    def names(self, node: str, relation: str) -> list[str]:
        """The ids `node` names through `relation`, in the order the model gives them."""
        return self._named.get((node, relation), [])

    def named_by(self, node: str, relation: str) -> list[str]:
        """The ids of the entities that name `node` through `relation`, sorted."""
        return self._named_by.get((node, relation), [])


def build_graph(model: Model) -> ReferenceGraph:
    named: dict[_Edge, list[str]] = defaultdict(list)
    naming: dict[_Edge, list[str]] = defaultdict(list)
    for _kind, entity in model.entities():
        source = entity.id
        # What named_ids gives, spelled out: this loop runs for every reference of a model.
        for reference in references_of(type(entity)):
            targets = getattr(entity, reference.attribute)
            if targets is None:
                continue
            relation = reference.relation
            for target in (targets,) if isinstance(targets, str) else targets:
                named[(source, relation)].append(target)
                naming[(target, relation)].append(source)
    named_by = {
        edge: sorted(set(sources)) if len(sources) > 1 else sources
        for edge, sources in naming.items()
    }
    return ReferenceGraph(dict(named), named_by)


def named_by(graph: ReferenceGraph, node: str, relation: str) -> list[str]:
    """The ids of the entities that name `node` through `relation`, sorted."""
    return graph.named_by(node, relation)


def names(graph: ReferenceGraph, node: str, relation: str) -> list[str]:
    """The ids `node` names through `relation`, in the order the model gives them."""
    return graph.names(node, relation)
