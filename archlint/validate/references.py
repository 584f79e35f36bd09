"""Reference resolution: every id a reference field names exists and is of an accepted kind.

Which fields are references, and which kinds each accepts, is declared once on
the entity classes (archlint.model.references).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from archlint.model.entities import Entity
from archlint.model.errors import Location, clip, did_you_mean
from archlint.model.located import locate
from archlint.model.references import Reference, an, references_of
from archlint.validate.raw import Collector, RawEntity


class Kinds:
    """The kind of every id, and "did you mean" hints for ids that are unknown.

    A hint compares the unknown id with every id of the kinds the field accepts,
    so a model with thousands of dangling references would make hints cost the
    square of its size (4,000 took minutes). Hints are therefore given within a
    budget of comparisons: every hint a person can read, no hang for a hostile
    model. The candidate lists are built once per set of accepted kinds.
    """

    MAX_COMPARISONS = 100_000

    def __init__(self, kinds: dict[str, str]) -> None:
        self.kinds = kinds
        self.candidates: dict[tuple[str, ...], list[str]] = {}
        self.budget = self.MAX_COMPARISONS

    def get(self, entity_id: str) -> str | None:
        return self.kinds.get(entity_id)

    def hint(self, word: str, accepted: tuple[str, ...]) -> str:
        candidates = self.candidates.get(accepted)
        if candidates is None:
            candidates = sorted(i for i, kind in self.kinds.items() if kind in accepted)
            self.candidates[accepted] = candidates
        if len(candidates) > self.budget:
            return ""
        self.budget -= len(candidates)
        return did_you_mean(word, candidates)


def check_references(
    entity: Entity, raw: RawEntity, kinds: Kinds, entities: dict[str, Entity], errors: Collector
) -> bool:
    """Check every id the entity names; true when each names a valid entity of an accepted kind."""
    resolved_ok = True
    named: list[str] = []
    for reference in references_of(type(entity)):
        for target, location in reference_values(raw.data, reference.field, raw.location):
            named.append(target)
            if not check_reference(target, reference, location, kinds, errors):
                resolved_ok = False
    # An entity named that was itself invalid has been reported already.
    return resolved_ok and all(target in entities for target in named)


def reference_values(data: Any, field: str, fallback: Location) -> Iterable[tuple[str, Location]]:
    """The ids a field names, each with its location (a field may hold one id or a list).

    Data the fast loader left plain has no locations: the entity's stands in,
    and an error sends the model to the located loader anyway.
    """
    if not isinstance(data, dict) or field not in data:
        return []
    value = data[field]
    if isinstance(value, list):
        return [
            (str(item), locate(data, (field, index), fallback)) for index, item in enumerate(value)
        ]
    if value is None:
        return []
    return [(str(value), locate(data, (field,), fallback))]


def check_reference(
    target: str, reference: Reference, location: Location, kinds: Kinds, errors: Collector
) -> bool:
    field, accepted = reference.field, reference.kinds
    kind = kinds.get(target)
    if kind is None:
        errors.add(
            location,
            f"`{field}`: no {' or '.join(accepted)} named '{clip(target)}'"
            f"{kinds.hint(target, accepted)}",
        )
        return False
    if kind not in accepted:
        errors.add(
            location,
            f"`{field}`: '{target}' is a {kind}; `{field}` accepts {an(' or '.join(accepted))}",
        )
        return False
    return True
