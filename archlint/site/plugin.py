"""The MkDocs plugin: a model's pages as virtual files of an existing MkDocs site.

    plugins:
      - search
      - archlint:
          model: infra/            # relative to mkdocs.yml
          prefix: architecture     # where the pages go in the docs tree

A thin wrapper over the generator that `archlint site` uses: the same pages,
diagrams and stylesheet, added with `File.generated` (MkDocs 1.6) instead of
written to disk. Add `architecture/index.md` (PREFIX/index.md) to your nav; the
stylesheet is PREFIX/assets/archlint.css, to list in `extra_css`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from archlint.model.dates import parse_date
from archlint.model.errors import InvalidModel, UsageError


class ArchlintConfig(Config):  # type: ignore[no-untyped-call]
    model = c.Type(str)
    prefix = c.Type(str, default="architecture")
    title = c.Type(str, default="Backup architecture")
    as_of = c.Optional(c.Type(str))
    repo_url = c.Optional(c.Type(str))
    config = c.Optional(c.Type(str))  # an archlint configuration file
    rules = c.Type(bool, default=True)  # write the rule pages
    rules_dir = c.Optional(c.Type(str))  # default: PREFIX/rules


class ArchlintPlugin(BasePlugin[ArchlintConfig]):  # type: ignore[no-untyped-call]
    # One instance per model: a site can publish several.
    supports_multiple_instances = True

    def __init__(self) -> None:
        super().__init__()
        self.svgs: Mapping[str, str] = {}

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        try:
            generated = self.generate(config)
        except InvalidModel as error:
            problems = "\n".join(str(problem) for problem in error.errors)
            raise PluginError(f"archlint: invalid model:\n{problems}") from None
        except UsageError as error:
            raise PluginError(f"archlint: {error}") from None
        for path, content in sorted(generated.items()):
            files.append(File.generated(config, path, content=content))
        return files

    def generate(self, config: MkDocsConfig) -> dict[str, str]:
        from archlint.site import build

        options = self.config
        root = Path(config.config_file_path or ".").parent
        as_of = parse_as_of(options.as_of)
        archlint_config = root / options.config if options.config else None
        facts, result = build.check_for_site(root / options.model, as_of, archlint_config)
        model = build.ModelInput(root / options.model, facts, result)
        prefix = options.prefix.strip("/")
        pages = build.generate_pages(
            [model],
            options.title,
            options.repo_url,
            prefix,
            options.rules_dir,
            options.rules,
            config.use_directory_urls,
        )
        svgs = build.render_diagrams(pages)
        self.svgs = build.by_file(svgs, prefix)
        built = build.project(
            pages, svgs, options.title, prefix, config.use_directory_urls, inline=False
        )
        return built.files

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        from archlint.site.build import inject

        return inject(output, self.svgs, page.url)


def parse_as_of(value: Any) -> date:
    if value is None:
        return date.today()
    try:
        return parse_date(str(value))
    except ValueError as error:
        raise UsageError(f"as_of: {error}") from None


class NoOptions(Config):  # type: ignore[no-untyped-call]
    pass


class DiagramInjector(BasePlugin[NoOptions]):  # type: ignore[no-untyped-call]
    """Puts the SVG of each diagram into the finished HTML of `archlint site build`."""

    def __init__(
        self, svgs: Mapping[str, str], progress: Callable[[int], None] | None = None
    ) -> None:
        super().__init__()
        self.svgs = svgs
        self.progress = progress

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        from archlint.site.build import inject

        if self.progress is not None:
            self.progress(1)
        return inject(output, self.svgs, page.url)
