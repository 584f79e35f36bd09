"""`archlint rules` and `archlint explain`: the rule catalogue and its documentation."""

from __future__ import annotations

from pathlib import Path

import click

from archlint.cli.options import rule_packs_option
from archlint.engine.findings import resolve_handles
from archlint.engine.ruledoc import rule_data, rule_text
from archlint.engine.rulepack import load_rules
from archlint.importers.drift import DRIFT_RULES
from archlint.reporters.style import json_text


@click.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per rule; json: each rule's full documentation and examples.",
)
@rule_packs_option("Also load the rule pack in DIR (repeatable).")
def list_rules(output_format: str, rule_packs: tuple[Path, ...]) -> None:
    """List the rules: id, name, severity, what each looks at, and its summary."""
    rules = load_rules(rule_packs)
    if output_format == "json":
        click.echo(json_text([rule_data(rule) for rule in rules]), nl=False)
        return
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        click.echo(
            f"{rule.id}  {rule.name:<{width}}  {rule.severity:<8}  "
            f"{rule.entity_kind:<10}  {rule.summary}"
        )


@click.command()
@click.argument("rule_name", metavar="RULE")
@rule_packs_option("Also load the rule pack in DIR (repeatable).")
def explain(rule_name: str, rule_packs: tuple[Path, ...]) -> None:
    """Print a rule's documentation and examples (RULE is a name or an id; the drift
    rules of `archlint drift` included)."""
    rules = [*load_rules(rule_packs), *DRIFT_RULES]
    (rule,) = resolve_handles(rules, [rule_name], "explain")
    click.echo(rule_text(rule), nl=False)
