"""`archlint rules` and `archlint explain`: the rule catalogue and its documentation."""

from __future__ import annotations

import textwrap

import click

from archlint.engine.findings import resolve_handles
from archlint.engine.rulepack import RuleClass, load_rules
from archlint.importers.drift import DRIFT_RULES


@click.command("rules")
def list_rules() -> None:
    """List the rules: id, name, severity, what each looks at, and its summary."""
    rules = load_rules()
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        click.echo(
            f"{rule.id}  {rule.name:<{width}}  {rule.severity:<8}  "
            f"{rule.entity_kind:<10}  {rule.summary}"
        )


@click.command()
@click.argument("rule_name", metavar="RULE")
def explain(rule_name: str) -> None:
    """Print a rule's documentation and examples (RULE is a name or an id; the drift
    rules of `archlint drift` included)."""
    rules = [*load_rules(), *DRIFT_RULES]
    (rule,) = resolve_handles(rules, [rule_name], "explain")
    click.echo(explanation(rule), nl=False)


def explanation(rule: RuleClass) -> str:
    lines = [
        f"{rule.name} ({rule.id})",
        "",
        f"Severity: {rule.severity}. Checks each {rule.entity_kind}.",
        "",
        rule.summary,
        "",
        "Why it matters:",
        wrapped(rule.rationale),
        "",
        "How to fix it:",
        wrapped(rule.remediation),
    ]
    options = rule.Options.model_fields
    if options:
        lines += ["", "Options:"]
        for name, info in options.items():
            lines.append(
                f"  {name.replace('_', '-')} (default: {info.default}): "
                f"{info.description or ''}".rstrip()
            )
    for title, examples in (("Failing example", rule.failing), ("Passing example", rule.passing)):
        for example in examples:
            reported = f" (reports {', '.join(example.findings)})" if example.findings else ""
            lines += ["", f"{title}{reported}:", "", indent(example.model.strip("\n"))]
    return "\n".join(lines) + "\n"


def wrapped(text: str) -> str:
    """Prose for a terminal: indented, and folded at 80 columns."""
    return textwrap.fill(text, width=80, initial_indent="    ", subsequent_indent="    ")


def indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.strip("\n").splitlines())
