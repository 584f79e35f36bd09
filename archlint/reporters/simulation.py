"""Output of `archlint simulate`: text for people, JSON for tools."""

from __future__ import annotations

from dataclasses import asdict

from archlint.analysis.simulation import Simulation
from archlint.reporters.style import json_text, printable_lines


def render_text(simulation: Simulation) -> str:
    scenario = [f"lose {x}" for x in simulation.lost]
    scenario += [f"compromise {x}" for x in simulation.compromised]
    lines = [f"Scenario: {', '.join(scenario)}.", ""]
    unrecoverable = [o for o in simulation.datastores if not o.recoverable]
    recovered = [o for o in simulation.datastores if o.recoverable]
    lines.append(f"Unrecoverable data ({len(unrecoverable)}):")
    lines += [f"  - {o.datastore}" for o in unrecoverable] or ["  none"]
    lines.append(f"Recoverable data ({len(recovered)}):")
    lines += [f"  - {o.datastore}: from {o.sources[0]}" for o in recovered] or ["  none"]
    lines.append(f"Keys lost ({len(simulation.keys_lost)}):")
    lines += [f"  - {key}" for key in simulation.keys_lost] or ["  none"]
    blocked = [o for o in simulation.services if not o.restorable]
    restorable = [o for o in simulation.services if o.restorable]
    lines.append(f"Services that cannot be restored ({len(blocked)}):")
    lines += [f"  - {o.service}: {'; '.join(o.blockers)}" for o in blocked] or ["  none"]
    lines.append(f"Restore order for the others ({len(restorable)}):")
    lines += [f"  {n}. {o.service}" for n, o in enumerate(restorable, 1)] or ["  none"]
    return printable_lines(lines)


def render_json(simulation: Simulation) -> str:
    return json_text(asdict(simulation))
