"""Restore drills: which drills tested what, and the newest one for each entity.

A drill dated after the as-of date has not happened yet (a typo in a year must
not hide a failed drill behind a "newer" one): it is ignored, and counted in
`ignored` so that `check` can say so. Drills on the same day are ordered by
result, a pass last: on the newest date a pass wins, whatever the drills' ids.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from archlint.model.entities import Drill, Model

# Same-day drills: a failure first, a pass last (the newest is the last).
RESULT_ORDER = {"fail": 0, "partial": 1, "pass": 2}


class Drills:
    def __init__(self, model: Model, as_of: date) -> None:
        self.ignored: list[Drill] = sorted(
            (drill for drill in model.drills.values() if drill.date > as_of),
            key=lambda drill: (drill.date, drill.id),
        )
        self._by_entity: dict[str, list[Drill]] = defaultdict(list)
        for drill in model.drills.values():
            if drill.date > as_of:
                continue
            for restored in drill.restores:
                self._by_entity[restored].append(drill)
        for drills in self._by_entity.values():
            drills.sort(key=lambda drill: (drill.date, RESULT_ORDER.get(drill.result, 0), drill.id))

    def of(self, entity_id: str) -> list[Drill]:
        """The drills that restored the entity by the as-of date, oldest first."""
        return self._by_entity.get(entity_id, [])

    def newest(
        self, entity_id: str, results: tuple[str, ...] = ("pass", "partial", "fail")
    ) -> Drill | None:
        """The newest drill of the entity whose result is one of `results`."""
        for drill in reversed(self.of(entity_id)):  # the newest last
            if drill.result in results:
                return drill
        return None
