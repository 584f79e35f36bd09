"""References between entities, declared once: `RefersTo` on a field of archlint.model.entities.

A field that names other entities by id carries `RefersTo(kinds...)` in its
type, next to its description. Everything that follows references is derived
from those declarations: validation (unknown ids with a hint, wrong kinds,
placement cycles), the graph's edges, where things are placed, and the JSON
Schema. Adding a reference field is therefore a one-place change.
"""

import re
from functools import cache
from types import UnionType
from typing import Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel

# What an id may look like; every reference names an id of this form.
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RefersTo:
    """Field metadata: the field names entities of `kinds` by id.

    `relation` names the graph edge (default: the field's YAML name). `places`
    marks the field that says where the entity is: its parent in the chain of
    failure domains (a host's `in`, a VM's `hypervisor`, a datastore's `host`).
    """

    __slots__ = ("kinds", "places", "relation")

    def __init__(self, *kinds: str, relation: str | None = None, places: bool = False) -> None:
        self.kinds = kinds
        self.relation = relation
        self.places = places


class Reference(NamedTuple):
    """One reference field of one entity class, as its `RefersTo` declares it."""

    attribute: str  # the Python name (in_)
    field: str  # the YAML name (in)
    kinds: tuple[str, ...]  # the kinds of entity it accepts
    relation: str  # the graph edge it becomes
    places: bool  # the entity is placed where the named entity is
    many: bool  # its value is always a list of ids (or none), never one id

    def ids(self, entity: BaseModel) -> tuple[str, ...]:
        """The ids the field of `entity` names: none, one, or a list."""
        value = getattr(entity, self.attribute)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        return tuple(value)


@cache
def references_of(cls: type[BaseModel]) -> tuple[Reference, ...]:
    """The reference fields of an entity class, in the order of its fields."""
    found = []
    for attribute, info in cls.model_fields.items():
        field = info.alias or attribute
        for metadata in info.metadata:
            if isinstance(metadata, RefersTo):
                relation = metadata.relation or field
                many = not takes_one_id(info.annotation)
                found.append(
                    Reference(attribute, field, metadata.kinds, relation, metadata.places, many)
                )
    return tuple(found)


def takes_one_id(annotation: Any) -> bool:
    """Whether a field of this type can hold one id (a str), not only a list of them."""
    if annotation is str:
        return True
    if get_origin(annotation) in (Union, UnionType):
        return any(map(takes_one_id, get_args(annotation)))
    return False


def placement_parent(entity: BaseModel) -> tuple[Reference, str] | None:
    """The reference an entity is placed by and the id it names, if it sets one."""
    for reference in references_of(type(entity)):
        if reference.places:
            ids = reference.ids(entity)
            if ids:
                return reference, ids[0]
    return None


def an(words: str) -> str:
    """`words` with its indefinite article: "a host", "an object"."""
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"
