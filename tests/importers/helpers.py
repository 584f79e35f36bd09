"""Shared helpers of the importer tests: run the CLI, load what it printed."""

from __future__ import annotations

from pathlib import Path

from archlint.engine.pipeline import read_model
from archlint.model.entities import Model

FIXTURES = Path(__file__).parent / "fixtures"
# The shared corpus of real configuration files, next to the repository (absent in a
# plain checkout: tests that need it skip; CI provides it).
CORPUS = (Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "realworld").resolve()


def load_text(text: str, directory: Path) -> Model:
    """The model an import printed, loaded and validated by archlint itself."""
    path = directory / "imported.yaml"
    path.write_text(text, encoding="utf-8")
    return read_model(path)


def comments_before(text: str, entity_id: str) -> list[str]:
    """The comment lines written just above an entity's id."""
    lines = text.splitlines()
    index = lines.index(f"  {entity_id}:")
    found: list[str] = []
    while lines[index - 1].lstrip().startswith("#"):
        index -= 1
        found.insert(0, lines[index].strip())
    return found
