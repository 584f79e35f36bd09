"""Helpers for the site tests: external programs (Graphviz's `dot`, a browser).

Under CI=true a missing program fails the test: CI installs them, so their
absence is a broken pipeline, not a reason to skip. Elsewhere the test is
skipped with a reason that says how to install the program.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str, install: str) -> str:
    """The path of the program `name`; fail under CI=true, else skip, when it is missing."""
    path = shutil.which(name)
    if path is not None:
        return path
    reason = f"`{name}` is not installed ({install})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires it", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def dot_program() -> str:
    """The path of Graphviz's `dot`."""
    return require_program("dot", "apt-get install graphviz, or brew install graphviz")
