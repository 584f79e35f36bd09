"""The JSON Schema of a model file, generated from the pydantic models of archlint.model.entities.

Editors that use yaml-language-server complete and check models with it:

    # yaml-language-server: $schema=archlint.schema.json

One schema describes any one file of a model: every section is optional, since
a directory model spreads its sections over several files. Unknown sections and
fields are rejected (`additionalProperties: false`) exactly where the loader
rejects them. The schema declares draft 2020-12 but uses only keywords that
mean the same in draft 7, which is what yaml-language-server implements.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from archlint.model.entities import SECTIONS, SUPPORTED_VERSIONS, Defaults, Entity
from archlint.model.references import ID_PATTERN, an, references_of

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def model_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dictionary."""
    classes = [cls for _kind, cls in SECTIONS.values()] + [Defaults]
    # by_alias: the YAML says `in` and `from`, not the Python names in_ and from_.
    _refs, definitions = models_json_schema(
        [(cls, "validation") for cls in classes], by_alias=True, ref_template="#/$defs/{model}"
    )
    for _kind, cls in SECTIONS.values():
        describe_references(cls, definitions["$defs"][cls.__name__])
    return {
        "$schema": DIALECT,
        "title": "archlint model file",
        "description": (
            "One file of an archlint model: a backup architecture described as code. "
            "A directory model spreads its sections over several files; the root file, "
            "or at least one file of a directory, carries `archlint: 1`."
        ),
        "type": "object",
        "properties": {**header_properties(), **section_properties()},
        "additionalProperties": False,
        "$defs": definitions["$defs"],
    }


def describe_references(cls: type[Entity], definition: dict[str, Any]) -> None:
    """Say in each reference field's schema what it names, and give its ids' pattern."""
    for reference in references_of(cls):
        spec = definition["properties"][reference.field]
        spec["description"] += f" Refers to {an(one_of(reference.kinds))} by id."
        constrain_ids(spec)


def one_of(words: tuple[str, ...]) -> str:
    """ "host", "service or datastore", "datastore, host or domain"."""
    return " or ".join(filter(None, (", ".join(words[:-1]), words[-1])))


def constrain_ids(spec: dict[str, Any]) -> None:
    """Give every string the field may hold (itself, a list item, a union member) the id pattern."""
    if spec.get("type") == "string":
        spec["pattern"] = f"^{ID_PATTERN.pattern}$"
    for member in spec.get("anyOf", ()):
        constrain_ids(member)
    if "items" in spec:
        constrain_ids(spec["items"])


def header_properties() -> dict[str, Any]:
    return {
        "archlint": {
            "description": "The model format version this file is written in.",
            "type": "integer",
            "enum": list(SUPPORTED_VERSIONS),
        },
        "include": {
            "description": (
                "More files or directories of the model, relative to this file; "
                "they may not leave the model's root directory."
            ),
            "type": "array",
            "items": {"type": "string"},
        },
        "defaults": {
            "description": "Model-wide defaults.",
            "anyOf": [{"$ref": "#/$defs/Defaults"}, {"type": "null"}],
        },
    }


def section_properties() -> dict[str, Any]:
    """Each section maps ids to entities of one kind; an empty section is null in YAML."""
    return {
        section: {
            "description": f"The model's {section}, by id. {first_line(cls.__doc__)}",
            "type": ["object", "null"],
            "propertyNames": {"pattern": f"^{ID_PATTERN.pattern}$"},
            "additionalProperties": {"$ref": f"#/$defs/{cls.__name__}"},
        }
        for section, (_kind, cls) in SECTIONS.items()
    }


def first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if text and text.strip() else ""


def render_schema() -> str:
    """The schema as `archlint schema` prints it.

    Keys keep the models' order (the order editors offer completions in), which
    is as deterministic as sorting them.
    """
    return json.dumps(model_schema(), indent=2, ensure_ascii=False) + "\n"
