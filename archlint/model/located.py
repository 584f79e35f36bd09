"""Plain data that remembers where each value came from.

The loader turns YAML into these containers; scalars stay plain Python values
(str, int, float, bool, None) and their locations are kept by the container
that holds them. Every mapping key is a string.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archlint.model.errors import Location


class LocatedMap(dict[str, Any]):
    """A YAML mapping: its own location, and the location of each key and value."""

    # Slotted: a large model holds hundreds of thousands of these.
    __slots__ = ("key_locations", "location", "value_locations")

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[str, Location] = {}
        self.value_locations: dict[str, Location] = {}

    def set(self, key: str, value: Any, key_location: Location, value_location: Location) -> None:
        self[key] = value
        self.key_locations[key] = key_location
        self.value_locations[key] = value_location


class LocatedList(list[Any]):
    """A YAML sequence: its own location, and the location of each item."""

    __slots__ = ("item_locations", "location")

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.item_locations: list[Location] = []

    def add(self, value: Any, location: Location) -> None:
        self.append(value)
        self.item_locations.append(location)


def locate(data: Any, path: Sequence[str | int], fallback: Location) -> Location:
    """The most precise location of `path` inside `data`.

    Walks as far as the path exists and returns the location of the deepest
    value reached, so an error about a missing field points at the mapping
    that lacks it.
    """
    location = getattr(data, "location", fallback)
    for step in path:
        if isinstance(data, LocatedMap) and isinstance(step, str) and step in data:
            location = data.value_locations[step]
            data = data[step]
        elif isinstance(data, LocatedList) and isinstance(step, int) and 0 <= step < len(data):
            location = data.item_locations[step]
            data = data[step]
        else:
            break
    return location


def key_location(data: Any, key: str, fallback: Location) -> Location:
    """The location of a key of a mapping, for errors about the key itself."""
    if isinstance(data, LocatedMap) and key in data.key_locations:
        return data.key_locations[key]
    return getattr(data, "location", fallback)
