"""Reporters turn a check's result into output; they never re-analyse anything.

Each is a plain function `render(result, style) -> str` in a module of this
package, registered in REPORTERS; the CLI's `--format` choices come from this
mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from archlint.reporters.style import Style

if TYPE_CHECKING:
    from archlint.engine.findings import Result

Reporter = Callable[["Result", Style], str]


def _on_first_use(module: str) -> Reporter:
    """The module's `render`, imported when a report is written: a check imports
    only the reporter of its format (start-up time)."""

    def render(result: Result, style: Style) -> str:
        found: Reporter = import_module(f"archlint.reporters.{module}").render
        return found(result, style)

    return render


REPORTERS: dict[str, Reporter] = {
    "text": _on_first_use("text"),
    "json": _on_first_use("json_report"),
    "sarif": _on_first_use("sarif"),
    "junit": _on_first_use("junit"),
    "github": _on_first_use("github"),
    "gitlab": _on_first_use("gitlab"),
    "markdown": _on_first_use("markdown"),
}

__all__ = ["REPORTERS", "Reporter", "Style"]
