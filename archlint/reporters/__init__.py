"""Reporters turn a check's result into output; they never re-analyse anything.

Each is a plain function `render(result, style) -> str`, registered in
REPORTERS; the CLI's `--format` choices come from this mapping.
"""

from __future__ import annotations

from collections.abc import Callable

from archlint.engine.findings import Result
from archlint.reporters import github, gitlab, json_report, junit, markdown, sarif, text
from archlint.reporters.style import Style

Reporter = Callable[[Result, Style], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}

__all__ = ["REPORTERS", "Reporter", "Style"]
