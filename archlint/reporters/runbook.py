"""Output of `archlint plan`: the restore runbook as text, Markdown or JSON."""

from __future__ import annotations

from dataclasses import asdict

from archlint.analysis.runbook import DataStep, Runbook, Source
from archlint.reporters.style import json_text, markdown_text, printable_lines


def render_text(runbook: Runbook) -> str:
    lines = ["Restore runbook", ""]
    for cycle in runbook.cycles:
        lines.append(f"warning: dependency cycle {' -> '.join(cycle)}: no valid order exists")
    lines.append("1. Keys to have at hand:")
    for key in runbook.keys:
        lines.append(
            f"   - {key.key} ({key.kind}): kept in {', '.join(key.stored_in) or 'nowhere'}"
        )
    if runbook.secret_stores:
        lines.append("2. Restore the secret stores that keep them:")
        for step in runbook.secret_stores:
            lines += data_lines(step, "   ")
    lines.append("3. Restore the services, in this order:")
    for number, service in enumerate(runbook.services, 1):
        needs = f"; after {', '.join(service.depends_on)}" if service.depends_on else ""
        rto = f", RTO {service.rto}" if service.rto else ""
        lines.append(
            f"   {number}. {service.service} on {service.host} ({service.criticality}{rto}{needs})"
        )
        for step in service.data:
            lines += data_lines(step, "      ")
    return printable_lines(lines)


# What the runbook says of data without copies, by whether it is rebuildable.
NO_COPY = {False: "no copy exists", True: "rebuild it: rebuildable, no copy is needed"}


def data_lines(step: DataStep, indent: str) -> list[str]:
    where = (
        f" to {step.host}:{step.path}" if step.path else (f" on {step.host}" if step.host else "")
    )
    lines = [f"{indent}- {step.datastore} ({step.kind}){where}"]
    if not step.sources:
        lines.append(f"{indent}    {NO_COPY[step.rebuildable]}")
    for source in step.sources:
        lines.append(f"{indent}    from {describe(source)}")
    return lines


def describe(source: Source) -> str:
    where = f"repository {source.repository}" if source.repository else "local snapshot"
    site = f" at {source.site}" if source.site else ""
    keys = f", unlocked by {', '.join(source.keys)}" if source.keys else ""
    return f"{where}{site} (via {source.via}){keys}"


def render_markdown(runbook: Runbook) -> str:
    md = markdown_text
    lines = ["# Restore runbook", ""]
    for cycle in runbook.cycles:
        lines += [
            f"> **Warning:** dependency cycle {md(' -> '.join(cycle))}: "
            "no valid restore order exists.",
            "",
        ]
    lines += ["## 1. Keys to have at hand", "", "| key | kind | kept in |", "| --- | --- | --- |"]
    lines += [
        f"| {md(k.key)} | {md(k.kind)} | {md(', '.join(k.stored_in)) or 'nowhere'} |"
        for k in runbook.keys
    ]
    if runbook.secret_stores:
        lines += ["", "## 2. Restore the secret stores", ""]
        for step in runbook.secret_stores:
            lines += markdown_data(step)
    lines += ["", "## 3. Restore the services, in this order", ""]
    for number, service in enumerate(runbook.services, 1):
        needs = ", ".join(md(s) for s in service.depends_on) or "nothing"
        rto = f", RTO {md(service.rto)}" if service.rto else ""
        lines += [
            f"### {number}. {md(service.service)}",
            "",
            f"On host {md(service.host)} ({md(service.criticality)}{rto}); needs {needs}.",
            "",
        ]
        for step in service.data:
            lines += markdown_data(step)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown_data(step: DataStep) -> list[str]:
    md = markdown_text
    lines = [f"- **{md(step.datastore)}** ({md(step.kind)})"]
    if not step.sources:
        lines.append(f"    - {NO_COPY[step.rebuildable]}")
    lines += [f"    - from {md(describe(source))}" for source in step.sources]
    return lines


def render_json(runbook: Runbook) -> str:
    return json_text(asdict(runbook))
