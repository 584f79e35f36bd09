"""Restore drills: which drills tested what, and the newest one for each entity."""

from __future__ import annotations

from collections import defaultdict

from archlint.model.entities import Drill, Model


class Drills:
    def __init__(self, model: Model) -> None:
        self._by_entity: dict[str, list[Drill]] = defaultdict(list)
        for drill in model.drills.values():
            for restored in drill.restores:
                self._by_entity[restored].append(drill)
        for drills in self._by_entity.values():
            drills.sort(key=lambda drill: (drill.date, drill.id))

    def of(self, entity_id: str) -> list[Drill]:
        """The drills that restored the entity, oldest first."""
        return self._by_entity.get(entity_id, [])

    def newest(
        self, entity_id: str, results: tuple[str, ...] = ("pass", "partial", "fail")
    ) -> Drill | None:
        """The newest drill of the entity whose result is one of `results`."""
        matching = [drill for drill in self.of(entity_id) if drill.result in results]
        return matching[-1] if matching else None
