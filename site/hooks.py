"""MkDocs hook of the project's own site: the CLI reference, generated from click."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from archlint.cli.main import cli
from archlint.site.reference import cli_reference


def on_files(files: Files, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, "cli.md", content=cli_reference(cli)))
    return files
