"""Which importers exist: every module of this package that is not part of the framework.

An importer module is named after its tool (`compose.py` for `archlint import
compose`) and defines `import_files(paths, options) -> Draft`. Finding them by
module keeps adding an importer to one new file.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import cast

import archlint.importers as package
from archlint.importers.draft import Importer

# Modules of this package that are the framework, not importers.
FRAMEWORK = frozenset(("draft", "drift", "emit", "merge", "registry", "schedules", "yamlread"))


def tools() -> list[str]:
    """The names `archlint import` accepts, sorted."""
    names = (info.name for info in pkgutil.iter_modules(package.__path__))
    return sorted(name for name in names if name not in FRAMEWORK and not name.startswith("_"))


def importer(tool: str) -> Importer:
    """The `import_files` function of a tool's importer."""
    if tool not in tools():
        raise KeyError(tool)
    module = importlib.import_module(f"archlint.importers.{tool}")
    return cast(Importer, module.import_files)
