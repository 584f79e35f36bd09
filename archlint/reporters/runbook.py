"""Output of `archlint plan`: the restore runbook as text, Markdown or JSON.

Only the sections that have something in them are printed, numbered in the
order they are printed, so the steps are always 1, 2, 3...
"""

from __future__ import annotations

from dataclasses import asdict

from archlint.analysis.runbook import DataStep, KeyStep, Runbook, ServiceStep, Source
from archlint.reporters.style import json_text, markdown_text, printable_lines


def title(runbook: Runbook) -> str:
    if runbook.lost:
        return f"Restore runbook after the loss of {', '.join(runbook.lost)}"
    return "Restore runbook"


def notices(runbook: Runbook) -> list[str]:
    found = [f"dependency cycle {' -> '.join(c)}: no valid order exists" for c in runbook.cycles]
    found += runbook.warnings
    if runbook.unrecoverable:
        found.append(
            f"no surviving copy of {', '.join(runbook.unrecoverable)}: "
            "`archlint simulate` explains why"
        )
    return found


def render_text(runbook: Runbook) -> str:
    lines = [title(runbook), ""]
    lines += [f"warning: {notice}" for notice in notices(runbook)]
    sections = text_sections(runbook)
    for number, (heading, body) in enumerate(sections, 1):
        lines += [f"{number}. {heading}", *body]
    if not sections:
        lines.append("Nothing to restore.")
    return printable_lines(lines)


def text_sections(runbook: Runbook) -> list[tuple[str, list[str]]]:
    sections = []
    if runbook.keys:
        sections.append(("Keys to have at hand:", [key_line(key) for key in runbook.keys]))
    if runbook.secret_stores:
        body = [line for step in runbook.secret_stores for line in data_lines(step, "   ")]
        sections.append(("Restore the secret stores that keep them:", body))
    if runbook.services:
        body = []
        for number, service in enumerate(runbook.services, 1):
            body.append(f"   {number}. {service_line(service)}")
            body += [line for step in service.data for line in data_lines(step, "      ")]
        sections.append(("Restore the services, in this order:", body))
    if runbook.other_data:
        body = [line for step in runbook.other_data for line in data_lines(step, "   ")]
        sections.append(("Restore the data no service lists:", body))
    return sections


def key_line(key: KeyStep) -> str:
    lost = f" (lost: {', '.join(key.lost_in)})" if key.lost_in else ""
    return f"   - {key.key} ({key.kind}): kept in {', '.join(key.stored_in) or 'nowhere'}{lost}"


def service_line(service: ServiceStep) -> str:
    needs = f"; after {', '.join(service.depends_on)}" if service.depends_on else ""
    rto = f", RTO {service.rto}" if service.rto else ""
    return f"{service.service} on {service.host} ({service.criticality}{rto}{needs})"


def data_lines(step: DataStep, indent: str) -> list[str]:
    where = (
        f" to {step.host}:{step.path}" if step.path else (f" on {step.host}" if step.host else "")
    )
    lines = [f"{indent}- {step.datastore} ({step.kind}){where}"]
    if not step.sources:
        lines.append(f"{indent}    {no_source(step)}")
    for source in step.sources:
        lines.append(f"{indent}    from {describe(source)}")
    return lines


def no_source(step: DataStep) -> str:
    if step.rebuildable:
        return "rebuild it: rebuildable, no copy is needed"
    if step.lost_copies:
        return f"no usable copy survives: {', '.join(step.lost_copies)}"
    return "no copy exists"


def describe(source: Source) -> str:
    where = f"repository {source.repository}" if source.repository else "local snapshot"
    site = f" at {source.site}" if source.site else ""
    keys = f", unlocked by {', '.join(source.keys)}" if source.keys else ""
    return f"{where}{site} (via {source.via}){keys}"


def render_markdown(runbook: Runbook) -> str:
    md = markdown_text
    lines = [f"# {md(title(runbook))}", ""]
    for notice in notices(runbook):
        lines += [f"> **Warning:** {md(notice)}", ""]
    sections = markdown_sections(runbook)
    for number, (heading, body) in enumerate(sections, 1):
        lines += [f"## {number}. {heading}", "", *body, ""]
    if not sections:
        lines.append("Nothing to restore.")
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown_sections(runbook: Runbook) -> list[tuple[str, list[str]]]:
    md = markdown_text
    sections = []
    if runbook.keys:
        rows = [
            f"| {md(k.key)} | {md(k.kind)} | {md(', '.join(k.stored_in)) or 'nowhere'} |"
            + (f" {md(', '.join(k.lost_in))} |" if runbook.lost else "")
            for k in runbook.keys
        ]
        header = ["| key | kind | kept in |", "| --- | --- | --- |"]
        if runbook.lost:
            header = ["| key | kind | kept in | lost in |", "| --- | --- | --- | --- |"]
        sections.append(("Keys to have at hand", header + rows))
    if runbook.secret_stores:
        body = [line for step in runbook.secret_stores for line in markdown_data(step)]
        sections.append(("Restore the secret stores", body))
    if runbook.services:
        body = []
        for number, service in enumerate(runbook.services, 1):
            needs = ", ".join(md(s) for s in service.depends_on) or "nothing"
            rto = f", RTO {md(service.rto)}" if service.rto else ""
            body += [
                f"### {number}. {md(service.service)}",
                "",
                f"On host {md(service.host)} ({md(service.criticality)}{rto}); needs {needs}.",
                "",
            ]
            body += [line for step in service.data for line in markdown_data(step)]
            body.append("")
        sections.append(("Restore the services, in this order", body[:-1]))
    if runbook.other_data:
        body = [line for step in runbook.other_data for line in markdown_data(step)]
        sections.append(("Restore the data no service lists", body))
    return sections


def markdown_data(step: DataStep) -> list[str]:
    md = markdown_text
    lines = [f"- **{md(step.datastore)}** ({md(step.kind)})"]
    if not step.sources:
        lines.append(f"    - {md(no_source(step))}")
    lines += [f"    - from {md(describe(source))}" for source in step.sources]
    return lines


def render_json(runbook: Runbook) -> str:
    return json_text(asdict(runbook))
