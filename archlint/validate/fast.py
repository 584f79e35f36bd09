"""The fast path of validation: a model without a single error, at little cost per entity.

A correct model is the common case, and a large one has tens of thousands of
entities. The slow path (archlint.validate.entities) keeps what it needs to say
where each error is: a raw entity per entity, an index of them, a collector
for every check. This path keeps none of that. It types each section in one
loop, checks ids and references over whole sections at once, and asks each
check only whether it finds a problem. At the first problem it gives up, and
the slow path validates the model again to report every error where it is:
the slow path is the reference, and a model this path returns is the one the
slow path returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

from pydantic import ValidationError

from archlint.load.model import Document
from archlint.model.entities import SECTIONS, Backup, Entity, Model, place
from archlint.model.located import LocatedMap, locate
from archlint.model.references import ID_PATTERN
from archlint.validate.construct import validate_defaults
from archlint.validate.cycles import after_cycles, placement_cycles
from archlint.validate.documents import check_versions, defaults_blocks
from archlint.validate.meaning import meaning_problems, placed_to_check, sources_fit_methods
from archlint.validate.raw import Collector
from archlint.validate.references import all_resolve
from archlint.validate.shape import SHAPE_CHECKS

# The ids of a section joined by line breaks, which no id can hold: one match
# checks every id of a section.
IDS_PATTERN = re.compile(f"{ID_PATTERN.pattern}(?:\n{ID_PATTERN.pattern})*")


def valid_model(documents: Sequence[Document], root_is_file: bool) -> Model | None:
    """The model, if it has no error at all; else None."""
    errors = Collector()
    check_versions(documents, root_is_file, errors)
    defaults = validate_defaults(defaults_blocks(documents), errors)
    if errors.errors:
        return None
    sections: dict[str, dict[str, Entity]] = {name: {} for name in SECTIONS}
    count = 0
    for document in documents:
        data = document.data
        # Sections in the order the file has them, as the slow path types them.
        for name in data:
            body = data[name]
            if name not in SECTIONS or body is None:
                continue
            if not isinstance(body, LocatedMap) or not valid_ids(body):
                return None
            if not type_section(SECTIONS[name][1], body, sections[name]):
                return None
            count += len(body)
    # An id used twice; a set of all ids costs less than a dict of all entities
    # (785,000 at 100,000 services), which the checks below do without.
    if len(set().union(*sections.values())) != count:
        return None
    # What every placing reference names once all resolve, and all that the
    # checks of meaning look up, but a backup's sources (sources_fit_methods).
    places: dict[str, Entity] = {**sections["domains"], **sections["hosts"]}
    if placement_cycles(sections, places) or not all_resolve(sections):
        return None
    backups = cast(dict[str, Backup], sections["backups"])
    # A source outside the section its backup's method reads is a problem of
    # meaning (one_source_problems).
    if not sources_fit_methods(backups.values(), sections):
        return None
    if any(meaning_problems(entity, places) for entity in placed_to_check(sections)):
        return None
    if after_cycles(backups):
        return None
    return Model(
        **sections,  # type: ignore[arg-type]
        defaults=defaults,
        files=tuple(document.data.location.file for document in documents),
    )


def valid_ids(body: LocatedMap) -> bool:
    if not body:
        return True
    joined = "\n".join(body)
    # An id that holds a line break would pass as two.
    return joined.count("\n") == len(body) - 1 and IDS_PATTERN.fullmatch(joined) is not None


def type_section(cls: type[Entity], body: LocatedMap, typed: dict[str, Entity]) -> bool:
    """Type, place and shape-check every entity of a section into `typed`;
    false at the first that has a problem."""
    validate = cls.__pydantic_validator__.validate_python
    key_locations = body.key_locations
    shape_problems = SHAPE_CHECKS.get(cls)
    try:
        for entity_id, data in body.items():
            # pydantic reads a plain dict faster than a LocatedMap: a shallow copy
            # gives the same values and saves a third of the time.
            if type(data) is not dict:
                if not isinstance(data, dict):
                    return False
                entity: Entity = validate(dict(data))
            else:
                entity = validate(data)
            location = key_locations[entity_id]
            place(entity, location, entity_id)
            if "waive" in data:  # read from the data: cheaper than a pydantic attribute
                for index, waiver in enumerate(entity.waive):
                    place(waiver, locate(data, ("waive", index), location))
            if shape_problems is not None and shape_problems(entity):
                return False
            typed[entity_id] = entity
    except ValidationError:
        return False
    return True
