"""The validate stage's working material: raw entities, the error collector, value wording."""

from typing import Any, NamedTuple

from archlint.model.errors import InvalidModel, Location, ModelError, clip, quoted
from archlint.model.located import locate


class RawEntity(NamedTuple):
    """An entity's id and located data, before typing (a named tuple: one per entity)."""

    id: str
    kind: str
    section: str
    data: Any
    location: Location  # of the id
    value_location: Location  # of the entity's fields


class Problem(NamedTuple):
    """A problem with one entity, found without its raw data: the path of the
    value it is about in the entity's data (None: the entity itself, at its id)."""

    path: tuple[str, ...] | None
    message: str


class Collector:
    """Accumulates errors; `raise_if_any` turns them into InvalidModel."""

    def __init__(self) -> None:
        self.errors: list[ModelError] = []

    def add(self, location: Location, message: str) -> None:
        self.errors.append(ModelError(location, message))

    def add_problems(self, problems: list[Problem], raw: RawEntity) -> None:
        for path, message in problems:
            location = raw.location if path is None else locate(raw.data, path, raw.location)
            self.add(location, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidModel(self.errors)


def field_location(raw: RawEntity, name: str) -> Location:
    return locate(raw.data, (name,), raw.location)


def describe_type(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"a number ({clip(str(value))})"
    return f"{type(value).__name__} {show(value)}"


def show(value: Any) -> str:
    """A scalar as written in YAML, for messages; never a whole mapping or list."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return quoted(value)
    return clip(str(value))
