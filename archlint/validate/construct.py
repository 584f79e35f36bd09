"""Typed entities and defaults from raw data, through pydantic."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from archlint.model.entities import SECTIONS, Defaults, Entity, place
from archlint.model.errors import Location
from archlint.model.located import LocatedMap, locate
from archlint.validate.field_errors import error_location, error_message, merge_union_errors
from archlint.validate.raw import Collector, RawEntity, describe_type
from archlint.validate.shape import check_entity_shape


def validate_defaults(blocks: list[tuple[str, Any, Location]], errors: Collector) -> Defaults:
    if not blocks:
        return Defaults()
    if len(blocks) > 1:
        errors.add(blocks[1][2], f"`defaults` is set twice (first at {blocks[0][2]})")
    _name, data, location = blocks[0]
    typed = validate_mapping(Defaults, data, location, "defaults", errors)
    return typed if isinstance(typed, Defaults) else Defaults()


def type_entity(raw: RawEntity, errors: Collector) -> Entity | None:
    """The pydantic entity for one raw entity, with id and location attached."""
    cls = SECTIONS[raw.section][1]
    entity = valid_entity(cls, raw.data)
    if entity is None:
        # Validate again, the slow way, to say what is wrong and where.
        typed = validate_mapping(cls, raw.data, raw.location, raw.kind, errors, raw.value_location)
        if not isinstance(typed, Entity):
            return None
        entity = typed
    place(entity, raw.location, raw.id)
    for index, waiver in enumerate(entity.waive):
        place(waiver, locate(raw.data, ("waive", index), raw.location))
    check_entity_shape(entity, raw, errors)
    return entity


def valid_entity(cls: type[Entity], data: Any) -> Entity | None:
    """The entity when `data` is valid, else None: the fast path of validation.

    pydantic reads a plain dict faster than a dict subclass (a LocatedMap): a
    shallow copy gives the same values and saves a third of the time.
    """
    if not isinstance(data, dict):
        return None
    try:
        entity: Entity = cls.__pydantic_validator__.validate_python(
            data if type(data) is dict else dict(data)
        )
    except ValidationError:
        return None
    return entity


def validate_mapping(
    cls: type[BaseModel],
    data: Any,
    location: Location,
    what: str,
    errors: Collector,
    value_location: Location | None = None,
) -> BaseModel | None:
    if data is None:
        data = LocatedMap(location)
    if not isinstance(data, dict):
        errors.add(
            value_location or location,
            f"a {what} must be a mapping of fields, not {describe_type(data)}",
        )
        return None
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        for detail in merge_union_errors(error.errors(), data):
            path = tuple(detail["loc"])
            errors.add(
                error_location(data, path, detail["type"], location), error_message(cls, detail)
            )
        return None
