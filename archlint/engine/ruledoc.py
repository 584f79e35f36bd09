"""A rule's documentation from one source: plain text for `archlint explain`,
Markdown for SARIF help and the published rule pages, and data for JSON.

The scheme of the rule pages' addresses is defined here and nowhere else.
Rule documentation is written in Markdown by the rule's author (rule packs are
trusted code), so it is used as it is; no model text ever reaches it.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from typing import Any

from archlint.engine.rule import Example
from archlint.engine.rulepack import RuleClass

DOCS_URL = "https://archlint.github.io/archlint"
# The site's directory of rule pages; with directory URLs, RULES_DIR/NAME.md is
# served at rule_url(NAME).
RULES_DIR = "rules"
RULES_INDEX_PAGE = f"{RULES_DIR}/index.md"


def rule_url(name: str) -> str:
    """Where a rule's documentation is published."""
    return f"{DOCS_URL}/{RULES_DIR}/{name}/"


def rule_page_path(name: str) -> str:
    """The source page, relative to the site's docs directory, published at rule_url(name)."""
    return f"{RULES_DIR}/{name}.md"


# --- the parts every form shares ---------------------------------------------------


def option_defaults(rule: RuleClass) -> dict[str, Any]:
    """Each option's default by its configuration (kebab-case) name, as JSON values;
    the engine's `min-criticality` scope first, for rules that have a default one."""
    scope = {"min-criticality": rule.min_criticality} if rule.min_criticality else {}
    defaults = rule.Options().model_dump(mode="json")
    return scope | {config_name(name): defaults[name] for name in rule.Options.model_fields}


def option_descriptions(rule: RuleClass) -> dict[str, str]:
    scope = (
        {"min-criticality": f"Ignore {rule.entity_kind}s below this criticality."}
        if rule.min_criticality
        else {}
    )
    fields = rule.Options.model_fields
    return scope | {config_name(name): info.description or "" for name, info in fields.items()}


def config_name(name: str) -> str:
    # Options are declared in snake_case in Python and written in kebab-case in TOML.
    return name.replace("_", "-")


def toml_value(value: object) -> str:
    """An option value as the configuration writes it (strings quoted, booleans lower-case)."""
    return json.dumps(value)


def example_settings(example: Example) -> str:
    """What the example runs with besides the rule's defaults; empty when nothing."""
    parts = []
    if example.as_of is not None:
        parts.append(f"as of {example.as_of.isoformat()}")
    if example.options:
        options = ", ".join(
            f"{config_name(name)} = {toml_value(value)}" for name, value in example.options.items()
        )
        parts.append(f"with {options}")
    return " ".join(parts)


def labelled_examples(rule: RuleClass) -> list[tuple[str, Example]]:
    return [("Failing", example) for example in rule.failing] + [
        ("Passing", example) for example in rule.passing
    ]


# --- plain text: archlint explain --------------------------------------------------


def rule_text(rule: RuleClass) -> str:
    lines = [
        f"{rule.name} ({rule.id})",
        "",
        f"Severity: {rule.severity}. Checks each {rule.entity_kind}"
        + (" (rebuildable datastores need no copy: not checked)." if rule.about_copies else "."),
        "",
        rule.summary,
        "",
        "Why it matters:",
        wrapped(rule.rationale),
        "",
        "How to fix it:",
        wrapped(rule.remediation),
    ]
    defaults = option_defaults(rule)
    if defaults:
        lines += ["", "Options:"]
        for name, description in option_descriptions(rule).items():
            lines.append(f"  {name} (default: {defaults[name]}): {description}".rstrip())
    for label, example in labelled_examples(rule):
        reported = f" (reports {', '.join(example.findings)})" if example.findings else ""
        heading = f"{label} example{reported}: {example.description}"
        # Not at hyphens: a rule's name stays whole.
        folded = textwrap.fill(heading, width=80, subsequent_indent="  ", break_on_hyphens=False)
        lines += ["", folded]
        settings = example_settings(example)
        if settings:
            lines.append(f"  Checked {settings}.")
        lines += ["", indent(example.model)]
    return "\n".join(lines) + "\n"


def wrapped(text: str) -> str:
    """Prose for a terminal: indented, and folded at 80 columns."""
    return textwrap.fill(text, width=80, initial_indent="    ", subsequent_indent="    ")


def indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.strip("\n").splitlines())


def help_text(rule: RuleClass) -> str:
    """The short plain-text help that SARIF viewers show beside a finding."""
    return (
        f"{rule.summary}\n\nWhy it matters: {rule.rationale}\n\n"
        f"How to fix it: {rule.remediation}\n\nDocumentation: {rule_url(rule.name)}"
    )


# --- Markdown: SARIF help and the site's pages -------------------------------------


def reasons_markdown(rule: RuleClass) -> str:
    return (
        f"**{rule.summary}**\n\n## Why it matters\n\n{rule.rationale}\n\n"
        f"## How to fix it\n\n{rule.remediation}"
    )


def help_markdown(rule: RuleClass) -> str:
    """The short Markdown help that SARIF viewers show, linking to the rule's page."""
    return f"{reasons_markdown(rule)}\n\n[Documentation of {rule.name}]({rule_url(rule.name)})"


def rule_page_markdown(rule: RuleClass) -> str:
    """The rule's published page: everything `archlint explain` says, in Markdown."""
    parts = [
        f"# {rule.name} ({rule.id})",
        f"Severity **{rule.severity}**; checks each {rule.entity_kind}.",
        reasons_markdown(rule),
        *options_markdown(rule),
        "## Examples",
        *(example_markdown(rule, label, example) for label, example in labelled_examples(rule)),
    ]
    return "\n\n".join(parts) + "\n"


def options_markdown(rule: RuleClass) -> list[str]:
    defaults = option_defaults(rule)
    if not defaults:
        return []
    rows = [
        f"| `{name}` | `{toml_value(defaults[name])}` | {cell(description)} |"
        for name, description in option_descriptions(rule).items()
    ]
    table = "\n".join(["| Option | Default | Meaning |", "| --- | --- | --- |", *rows])
    settings = "\n".join(f"{name} = {toml_value(value)}" for name, value in defaults.items())
    configured = f"```toml\n[rules.{rule.name}]\n{settings}\n```"
    return ["## Options", table, f"Set in `archlint.toml` (the defaults shown):\n\n{configured}"]


def example_markdown(rule: RuleClass, label: str, example: Example) -> str:
    lines = [f"### {label}: {example.description}", ""]
    if example.findings:
        reported = ", ".join(f"`{entity}`" for entity in example.findings)
        lines += [f"{rule.name} reports {reported}.", ""]
    settings = example_settings(example)
    if settings:
        lines += [f"Checked {settings}.", ""]
    lines.append(f"```yaml\n{example.model.strip(chr(10))}\n```")
    return "\n".join(lines)


def index_page_markdown(rules: Sequence[RuleClass]) -> str:
    """The catalogue page, linking each rule to its page (links relative to RULES_INDEX_PAGE)."""
    rows = [
        f"| [{rule.name}]({rule.name}.md) | {rule.id} | {rule.severity} | "
        f"{rule.entity_kind} | {cell(rule.summary)} |"
        for rule in rules
    ]
    header = [
        "| Rule | Id | Severity | Checks each | What is wrong |",
        "| --- | --- | --- | --- | --- |",
    ]
    return "# Rules\n\n" + "\n".join([*header, *rows]) + "\n"


def cell(text: str) -> str:
    """Text in a Markdown table cell: a `|` would end the cell."""
    return text.replace("|", "\\|")


# --- data: JSON --------------------------------------------------------------------


def rule_data(rule: RuleClass) -> dict[str, Any]:
    defaults = option_defaults(rule)
    return {
        "id": rule.id,
        "name": rule.name,
        "severity": rule.severity,
        "entity_kind": rule.entity_kind,
        "summary": rule.summary,
        "rationale": rule.rationale,
        "remediation": rule.remediation,
        "url": rule_url(rule.name),
        "options": [
            {"name": name, "default": defaults[name], "description": description}
            for name, description in option_descriptions(rule).items()
        ],
        "examples": [example_data(label, example) for label, example in labelled_examples(rule)],
    }


def example_data(label: str, example: Example) -> dict[str, Any]:
    return {
        "kind": label.lower(),
        "description": example.description,
        "model": example.model.strip("\n") + "\n",
        "findings": list(example.findings),
        "options": {config_name(name): value for name, value in example.options.items()},
        "as_of": example.as_of.isoformat() if example.as_of is not None else None,
    }
