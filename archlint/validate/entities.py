"""The validate stage: located plain data to a typed, immutable model.

Every error names its location and, where it can, the fix. All errors of all
files are collected before anything is raised, so a user fixes them in one go.
The checks run in this order, each in its own module:

1. documents: sections, the model version, entity ids, `defaults`;
2. construct (with field_errors and shape): each entity typed by pydantic, then
   the constraints between its own fields;
3. cycles: no entity is placed inside itself (and no chain of `after` loops);
4. references: every id named exists and is of a kind the field accepts;
5. meaning: what a reference may point at beyond its kind.

A correct model is the common case: archlint.validate.fast checks it at little
cost per entity, and this slow path, which locates and reports every error,
runs only when that finds a problem. Even here, references and meaning are
first checked over whole sections at once (set operations), and entity by
entity, to say what is wrong and where, only when that finds a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from archlint.load.model import Document
from archlint.model.entities import SECTIONS, Backup, Entity, Model
from archlint.validate.construct import type_entity, validate_defaults
from archlint.validate.cycles import check_after_cycles, check_placement_cycles
from archlint.validate.documents import check_versions, collect_sections, defaults_blocks
from archlint.validate.fast import valid_model
from archlint.validate.meaning import check_all_meaning, check_reference_meaning
from archlint.validate.raw import Collector, RawEntity
from archlint.validate.references import Kinds, all_resolve, check_references


def validate(documents: Sequence[Document], root_is_file: bool) -> Model:
    """Turn loaded documents into a Model, or raise InvalidModel with every error."""
    model = valid_model(documents, root_is_file)
    return model if model is not None else validate_slowly(documents, root_is_file)


def validate_slowly(documents: Sequence[Document], root_is_file: bool) -> Model:
    """`validate` entity by entity, keeping what it needs to locate every error."""
    errors = Collector()
    check_versions(documents, root_is_file, errors)
    raw_entities = collect_sections(documents, errors)
    defaults = validate_defaults(defaults_blocks(documents), errors)
    # Every entity that is valid on its own, in the order of the files.
    sections: dict[str, dict[str, Entity]] = {name: {} for name in SECTIONS}
    entities: dict[str, Entity] = {}
    raw_by_id: dict[str, RawEntity] = {}
    for raw in raw_entities:
        raw_by_id[raw.id] = raw
        typed = type_entity(raw, errors)
        if typed is not None:
            entities[raw.id] = sections[raw.section][raw.id] = typed
    on_cycles = check_placement_cycles(sections, entities, raw_by_id, errors)
    if not on_cycles and all_resolve(sections):
        check_all_meaning(sections, entities, raw_by_id, errors)
    else:
        kinds = Kinds({raw.id: raw.kind for raw in raw_entities})
        for entity_id, entity in entities.items():
            resolved = check_references(entity, raw_by_id[entity_id], kinds, entities, errors)
            # What a parent may be is moot until a placement cycle is broken.
            if resolved and entity_id not in on_cycles:
                check_reference_meaning(entity, raw_by_id[entity_id], entities, errors)
    check_after_cycles(cast(dict[str, Backup], sections["backups"]), raw_by_id, errors)
    errors.raise_if_any()
    return Model(
        **sections,  # type: ignore[arg-type]
        defaults=defaults,
        files=tuple(document.data.location.file for document in documents),
    )
