"""Output of `archlint simulate`: text for people, JSON for tools."""

from __future__ import annotations

from dataclasses import asdict

from archlint.analysis.simulation import DatastoreOutcome, MissingKey, ScenarioRow, Simulation
from archlint.reporters.style import json_text, printable_lines

REASONS = {
    "no-copy": "it has no copy",
    "copies-destroyed": "every copy was destroyed",
    "key-lost": "a copy survives, but not the key that reads it",
}


def render_text(simulation: Simulation) -> str:
    scenario = [f"lose {x}" for x in simulation.lost]
    scenario += [f"compromise {x}" for x in simulation.compromised]
    lines = [f"Scenario: {', '.join(scenario)}.", ""]
    unrecoverable = [o for o in simulation.datastores if not o.recoverable]
    recovered = [o for o in simulation.datastores if o.recoverable]
    lines.append(f"Unrecoverable data ({len(unrecoverable)}):")
    lines += [line for o in unrecoverable for line in loss_lines(o)] or ["  none"]
    lines.append(f"Recoverable data ({len(recovered)}):")
    lines += [line for o in recovered for line in recovered_lines(o)] or ["  none"]
    lines.append(f"Keys lost ({len(simulation.keys_lost)}):")
    lines += [f"  - {key}" for key in simulation.keys_lost] or ["  none"]
    blocked = [o for o in simulation.services if not o.restorable]
    restorable = [o for o in simulation.services if o.restorable]
    lines.append(f"Services that cannot be restored ({len(blocked)}):")
    lines += [f"  - {o.service}: {'; '.join(o.blockers)}" for o in blocked] or ["  none"]
    lines.append(f"Restore order for the others ({len(restorable)}):")
    lines += [f"  {n}. {o.service}" for n, o in enumerate(restorable, 1)] or ["  none"]
    return printable_lines(lines)


def loss_lines(outcome: DatastoreOutcome) -> list[str]:
    """Why the datastore is lost: which copies went, which survive unreadable, and
    where the keys that would read them were kept."""
    lines = [f"  - {outcome.datastore} ({outcome.criticality}): {REASONS[outcome.reason]}"]
    lines += [f"      destroyed: {copy}" for copy in outcome.destroyed]
    lines += [f"      unreadable: {copy}" for copy in outcome.locked]
    lines += [f"      {key_line(key)}" for key in outcome.missing_keys]
    return lines


def key_line(key: MissingKey) -> str:
    places = [f"{place} (lost)" for place in key.lost_in]
    places += [f"{place} (unreadable)" for place in key.locked_in]
    return f"key '{key.key}' was kept in {', '.join(places) or 'no place'}"


def recovered_lines(outcome: DatastoreOutcome) -> list[str]:
    lines = [f"  - {outcome.datastore}: from {outcome.sources[0]}"]
    if outcome.mirror_only:
        lines.append(
            "      only a mirror survives: a replica carries corruption and deletions "
            "over and keeps no history"
        )
    return lines


def render_json(simulation: Simulation) -> str:
    return json_text(asdict(simulation))


COLUMNS = ("scenario", "worst loss", "data lost", "services down", "keys lost")


def render_all_text(rows: tuple[ScenarioRow, ...]) -> str:
    """The matrix of `simulate --all`: failures down, what each costs across."""
    table = [COLUMNS] + [
        (
            row.scenario,
            row.worst or "-",
            str(len(row.datastores_lost)),
            str(len(row.services_down)),
            str(len(row.keys_lost)),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = [f"Every single failure and host compromise, worst first ({len(rows)}):", ""]
    for number, line in enumerate(table):
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(line[2:], widths[2:], strict=True)]
        lost = first_few(rows[number - 1].datastores_lost) if number else "which data"
        lines.append(f"{'  '.join(cells)}  {lost}".rstrip())
    return printable_lines(lines)


def first_few(ids: tuple[str, ...], shown: int = 3) -> str:
    """The first ids, so a row stays one readable line; JSON lists them all."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def render_all_json(rows: tuple[ScenarioRow, ...]) -> str:
    return json_text({"scenarios": [asdict(row) for row in rows]})
