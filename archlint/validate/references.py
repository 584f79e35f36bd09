"""Reference resolution: every id a reference field names exists and is of an accepted kind.

Which fields are references, and which kinds each accepts, is declared once on
the entity classes (archlint.model.references).
"""

from __future__ import annotations

from itertools import chain, repeat
from operator import attrgetter

from archlint.model.entities import SECTIONS, Entity
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


def all_resolve(sections: dict[str, dict[str, Entity]]) -> bool:
    """True when every id every entity names is a valid entity of a kind its field accepts.

    A correct model is the common case, and a large one names hundreds of
    thousands of ids: this checks them field by field, over all the entities
    of a section at once, with set operations. When it fails,
    `check_references` finds which ids are wrong, entity by entity.
    """
    entities_of_kind = {kind: sections[name] for name, (kind, _cls) in SECTIONS.items()}
    for name, (_kind, cls) in SECTIONS.items():
        group = sections[name].values()
        for reference in references_of(cls):
            accepted = [entities_of_kind[kind] for kind in reference.kinds]
            if reference.many:
                # The ids of every tuple at once, never hashing a tuple (tens of
                # thousands of services each name their own datastores).
                ids = chain.from_iterable(filter(None, map(attrgetter(reference.attribute), group)))
                if set(ids).difference(*accepted):
                    return False
                continue
            # Each value is None, an id or a tuple of ids; a tuple is never an id.
            values = set(map(attrgetter(reference.attribute), group))
            values.discard(None)
            others = values.difference(*accepted)
            if not others:
                continue
            if any(map(isinstance, others, repeat(str))):  # an unknown id
                return False
            if set(chain.from_iterable(others)).difference(*accepted):
                return False
    return True


def check_references(
    entity: Entity, raw: RawEntity, kinds: Kinds, entities: dict[str, Entity], errors: Collector
) -> bool:
    """Check every id the entity names; true when each names a valid entity of an accepted kind.

    The typed entity holds the same ids as its raw data; only an error needs
    the raw data, for the location of the bad id.
    """
    resolved_ok = True
    kind_of = kinds.kinds
    for reference in references_of(type(entity)):
        value = getattr(entity, reference.attribute)
        if value is None:
            continue
        single = type(value) is str
        for index, target in enumerate((value,) if single else value):
            if kind_of.get(target) in reference.kinds and target in entities:
                continue
            # An entity named that was itself invalid has been reported already.
            resolved_ok = False
            if target not in kind_of or kind_of[target] not in reference.kinds:
                path = (reference.field,) if single else (reference.field, index)
                location = locate(raw.data, path, raw.location)
                check_reference(target, reference, location, kinds, errors)
    return resolved_ok


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
