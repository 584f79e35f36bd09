"""The shape of each document: its sections, the model version, entity ids and `defaults`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from archlint.load.model import Document
from archlint.model.entities import SECTIONS, SUPPORTED_VERSIONS, TOP_LEVEL_KEYS
from archlint.model.errors import Location, clip, did_you_mean
from archlint.model.located import LocatedMap
from archlint.model.references import ID_PATTERN
from archlint.validate.raw import Collector, RawEntity, describe_type, show


def check_versions(documents: Sequence[Document], root_is_file: bool, errors: Collector) -> None:
    carriers = []
    for document in documents:
        data = document.data
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                errors.add(
                    data.key_locations[key],
                    f"unknown section '{clip(key)}'{did_you_mean(key, TOP_LEVEL_KEYS)}",
                )
        if "archlint" not in data:
            continue
        version = data["archlint"]
        if version is None:
            errors.add(
                data.value_locations["archlint"], "the model version is empty: write `archlint: 1`"
            )
        elif type(version) is not int or version not in SUPPORTED_VERSIONS:
            supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
            errors.add(
                data.value_locations["archlint"],
                f"unsupported model version {show(version)}: "
                f"this archlint reads version {supported}",
            )
        carriers.append(document)
    if not documents:
        return
    first = documents[0].data
    if root_is_file and "archlint" not in first:
        errors.add(first.location, "the model's root file must start with `archlint: 1`")
    elif not carriers:
        errors.add(first.location, "no file of the model carries `archlint: 1`")


def defaults_blocks(documents: Sequence[Document]) -> list[tuple[str, Any, Location]]:
    """The `defaults` of every file that sets them."""
    return [
        ("defaults", document.data["defaults"], document.data.value_locations["defaults"])
        for document in documents
        if "defaults" in document.data
    ]


def collect_sections(documents: Sequence[Document], errors: Collector) -> list[RawEntity]:
    """Every entity of every file, with ids checked for syntax and uniqueness."""
    valid_id = ID_PATTERN.fullmatch
    entities: list[RawEntity] = []
    first_seen: dict[str, RawEntity] = {}
    for document in documents:
        data = document.data
        # Sections in the order the file has them, so that of two entities with
        # one id, the one further down the files is the duplicate reported.
        for section in data:
            if section not in SECTIONS or data[section] is None:
                continue
            kind = SECTIONS[section][0]
            body = data[section]
            if not isinstance(body, LocatedMap):
                errors.add(
                    data.value_locations[section],
                    f"`{section}` must be a mapping from ids to {kind}s, not {describe_type(body)}",
                )
                continue
            key_locations, value_locations = body.key_locations, body.value_locations
            for entity_id, entity_data in body.items():
                location = key_locations[entity_id]
                if not valid_id(entity_id):
                    errors.add(
                        location,
                        f"invalid id '{clip(entity_id)}': "
                        "ids are 1-64 letters, digits, '.', '_' or '-'",
                    )
                    continue
                previous = first_seen.get(entity_id)
                if previous is not None:
                    errors.add(
                        location,
                        f"duplicate id '{entity_id}': already used by the {previous.kind} "
                        f"at {previous.location}",
                    )
                    continue
                raw = RawEntity(
                    entity_id, kind, section, entity_data, location, value_locations[entity_id]
                )
                first_seen[entity_id] = raw
                entities.append(raw)
    return entities
