"""Placement cycles: nothing can be inside itself or run on itself."""

from __future__ import annotations

from archlint.model.entities import SECTIONS, Backup, Entity
from archlint.model.references import placement_parent, references_of
from archlint.validate.raw import Collector, RawEntity, field_location


def check_placement_cycles(
    sections: dict[str, dict[str, Entity]],
    entities: dict[str, Entity],
    raw_by_id: dict[str, RawEntity],
    errors: Collector,
) -> set[str]:
    """Report every cycle of placing links (`in`, `hypervisor`) once; return the ids on cycles."""
    on_cycles: set[str] = set()
    for cycle in placement_cycles(sections, entities):
        on_cycles.update(cycle)
        report_cycle(cycle, entities, raw_by_id, errors)
    return on_cycles


def placement_cycles(
    sections: dict[str, dict[str, Entity]], entities: dict[str, Entity]
) -> list[list[str]]:
    """Every cycle of placing links (`in`, `hypervisor`), each once.

    Each entity has at most one parent, so following parents from every entity
    in turn, and never walking a visited entity twice, finds every cycle in
    time linear in the model: a walk that reaches an entity of its own path
    has closed a cycle. (The kind rules, such as "a site is in something
    broader", happen to exclude cycles too, but their message would not say
    what is wrong, and later stages must never meet a cycle.)
    """
    # Only places with a parent can be on a cycle: data is placed, but nothing
    # is placed in data.
    places = place_kinds()
    parents: dict[str, str] = {}
    for name, (kind, _cls) in SECTIONS.items():
        if kind not in places:
            continue
        for entity_id, entity in sections[name].items():
            parent = placement_parent(entity)
            if parent is not None and parent[1] in entities:
                parents[entity_id] = parent[1]
    return single_parent_cycles(parents)


def single_parent_cycles(parents: dict[str, str]) -> list[list[str]]:
    """Every cycle of a graph where each node has at most one parent, in linear time."""
    walk_of: dict[str, int] = {}  # node -> the walk that first reached it
    cycles: list[list[str]] = []
    for walk, start in enumerate(parents):
        path: list[str] = []
        node = start
        while node in parents and node not in walk_of:
            walk_of[node] = walk
            path.append(node)
            node = parents[node]
        if walk_of.get(node) == walk:  # back on this walk's own path: a cycle
            cycles.append(path[path.index(node) :])
    return cycles


def check_after_cycles(
    backups: dict[str, Backup], raw_by_id: dict[str, RawEntity], errors: Collector
) -> None:
    """A chain of `after` must start at a backup with a schedule: it cannot loop."""
    for cycle in after_cycles(backups):
        first = min(cycle, key=lambda entity_id: raw_by_id[entity_id].location)
        start = cycle.index(first)
        ordered = cycle[start:] + cycle[:start]
        errors.add(
            field_location(raw_by_id[first], "after"),
            "`after` makes a cycle: "
            + " -> ".join(f"'{entity_id}'" for entity_id in [*ordered, first])
            + "; the first job of a chain needs a `schedule`",
        )


def after_cycles(backups: dict[str, Backup]) -> list[list[str]]:
    """Every loop of chained backups (`after`), each once."""
    parents: dict[str, str] = {}
    for backup_id, backup in backups.items():
        if backup.after is not None and backup.after in backups:
            parents[backup_id] = backup.after
    return single_parent_cycles(parents)


def report_cycle(
    cycle: list[str],
    entities: dict[str, Entity],
    raw_by_id: dict[str, RawEntity],
    errors: Collector,
) -> None:
    # Start at the cycle's first entity in the files, so the report is stable.
    first = min(range(len(cycle)), key=lambda index: raw_by_id[cycle[index]].location)
    ordered = cycle[first:] + cycle[:first]
    links = []
    for entity_id in ordered:
        parent = placement_parent(entities[entity_id])
        assert parent is not None  # every entity on a cycle has a parent
        links.append(parent)
    field = links[0][0].field
    steps = [f"{'runs on' if ref.relation == 'on' else 'is in'} '{to}'" for ref, to in links]
    errors.add(
        field_location(raw_by_id[ordered[0]], field),
        f"`{field}` makes a cycle: '{ordered[0]}' {', which '.join(steps)}; "
        "nothing can be inside itself or run on itself",
    )


def place_kinds() -> set[str]:
    """The kinds of entity that placing references name: the places things are in."""
    return {
        kind
        for _kind, cls in SECTIONS.values()
        for reference in references_of(cls)
        if reference.places
        for kind in reference.kinds
    }
