"""The CLI reference page of the project's own site, generated from the click commands."""

from __future__ import annotations

import click

from archlint.site.escape import fenced


def cli_reference(group: click.Group, name: str = "archlint") -> str:
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands themselves: what `--help` prints for each.",
    ]
    root = click.Context(group, info_name=name)
    for path, command, context in walk(group, root, name):
        lines += ["", f"## {path}", ""]
        lines += fenced(command.get_help(context), "text")
    return "\n".join(lines) + "\n"


def walk(
    command: click.Command, context: click.Context, path: str
) -> list[tuple[str, click.Command, click.Context]]:
    found = [(path, command, context)]
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(context)):
            sub = command.get_command(context, name)
            if sub is None or sub.hidden:
                continue
            inner = click.Context(sub, info_name=name, parent=context)
            found += walk(sub, inner, f"{path} {name}")
    return found
