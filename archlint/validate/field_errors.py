"""pydantic's validation errors as located, plain messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from archlint.model.entities import Waiver
from archlint.model.errors import Location, clip, did_you_mean
from archlint.model.located import key_location, locate
from archlint.validate.raw import describe_type, show

# Fields typed as a union of two shapes, and what to say when a value has neither:
# pydantic reports one error per shape, but the user wrote one value.
UNION_FIELDS = {
    "retention": "free text or a mapping of names to counts, e.g. {daily: 7, weekly: 4}",
}


# A key with nothing after it, where a field was expected: typically the tail of
# a text value cut at its comma in a flow mapping, `{description: a, b}`.
COMMA_HINT = (
    " (a comma inside `{...}` ends the value before it: quote text that holds a comma, "
    'e.g. {description: "a, b"})'
)
# The words YAML 1.1 read as booleans and YAML 1.2 (archlint) reads as text.
YAML11_BOOLEANS = {
    "yes": True,
    "y": True,
    "on": True,
    "no": False,
    "n": False,
    "off": False,
}


def merge_union_errors(details: Sequence[Any], data: Any) -> list[Any]:
    """pydantic's errors with those about one union field merged into one.

    pydantic tags each shape's errors with the shape's name as a path step
    (`retention.str`, `retention.dict[str,int].daily`). When the value is a
    mapping, the errors inside the mapping shape are the useful ones, with the
    tag dropped; otherwise one error says which shapes are accepted.
    """
    merged: list[Any] = []
    done: set[str] = set()
    # Fields with an error inside one of their shapes (a mapping entry), found in
    # one pass: a mapping of 100,000 bad entries must not make this quadratic.
    deep = {d["loc"][0] for d in details if len(d["loc"]) > 2 and d["loc"][0] in UNION_FIELDS}
    for detail in details:
        path = tuple(detail["loc"])
        if len(path) < 2 or path[0] not in UNION_FIELDS:
            merged.append(detail)
            continue
        field = path[0]
        value = data.get(field) if isinstance(data, dict) else None
        if isinstance(value, dict) and field in deep:
            if len(path) > 2:  # an error inside the mapping: keep it, without the tag
                merged.append({**detail, "loc": (field, *path[2:])})
        elif field not in done:
            done.add(field)
            merged.append(
                {
                    "loc": (field,),
                    "type": "value_error",
                    "input": value,
                    "ctx": {
                        "error": f"should be {UNION_FIELDS[field]}, got {describe_type(value)}"
                    },
                }
            )
    return merged


def error_location(data: Any, path: tuple[Any, ...], kind: str, fallback: Location) -> Location:
    # An unknown field is reported at its key, a missing one at the mapping
    # that lacks it; anything else at the offending value.
    if kind == "extra_forbidden" and path:
        parent = data
        for step in path[:-1]:
            parent = parent[step] if isinstance(parent, (dict, list)) else parent
        return key_location(parent, str(path[-1]), locate(data, path[:-1], fallback))
    if kind == "missing":
        # A field missing from the entity itself is reported at the entity's id.
        return locate(data, path[:-1], fallback) if len(path) > 1 else fallback
    return locate(data, path, fallback)


def error_message(cls: type[BaseModel], detail: Any) -> str:
    # A step of the path may be a key from the model (`links.<key>`): clipped.
    path = [clip(str(step)) for step in detail["loc"]]
    field = ".".join(path)
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        known = field_names(model_at(cls, detail["loc"][:-1]))
        unknown = str(detail["loc"][-1])
        hint = did_you_mean(unknown, known)
        if not hint and value is None:
            hint = COMMA_HINT
        return f"unknown field '{path[-1]}'{hint}"
    if kind == "bool_type" and isinstance(value, str) and value.lower() in YAML11_BOOLEANS:
        meant = "true" if YAML11_BOOLEANS[value.lower()] else "false"
        return (
            f"`{field}`: {show(value)} is text, not a boolean (YAML 1.2 has only true and "
            f"false; `yes`, `no`, `on` and `off` were booleans in YAML 1.1): write {meant}"
        )
    if path[:1] == ["waive"] and path[-1] == "reason":
        if kind == "missing":
            return "missing required field 'reason': a waiver must say why its finding is accepted"
        if kind == "string_too_short":
            return f"`{field}` is empty: a waiver must say why its finding is accepted"
    if kind == "missing":
        return f"missing required field '{path[-1]}'"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", detail["ctx"]["expected"])
        hint = did_you_mean(str(value), expected) if isinstance(value, str) else ""
        return f"`{field}`: {show(value)} is not one of {', '.join(expected)}{hint}"
    if kind == "value_error":
        return f"`{field}`: {detail['ctx']['error']}"
    if kind == "model_type" and path[:1] == ["waive"]:
        return (
            f"`{field}`: a waiver is a mapping {{rule, reason, until}}, got {describe_type(value)}"
        )
    if kind == "too_short":
        least = detail["ctx"]["min_length"]
        return f"`{field}`: should list at least {least} item{'s' if least != 1 else ''}, got none"
    if kind == "string_too_short":
        return f"`{field}`: should not be empty"
    message = str(detail["msg"])
    message = message.replace("Input should be", "should be").replace("a valid tuple", "a list")
    message = message.replace("a valid dictionary", "a mapping")
    prefix = f"`{field}`: " if field else ""
    return f"{prefix}{message}, got {describe_type(value)}"


def model_at(cls: type[BaseModel], path: Sequence[Any]) -> type[BaseModel]:
    """The pydantic class that validates the mapping at `path` (for field suggestions)."""
    if path and path[0] == "waive":
        return Waiver
    return cls


def field_names(cls: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in cls.model_fields.items()]
