"""`archlint site`: publish the architecture as a static site, or as an MkDocs project.

The site modules (and MkDocs, Graphviz) are imported when a site command runs,
never when the CLI starts: `archlint check` must stay fast and work without
the `site` extra.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archlint.cli.options import as_of_option, rule_packs_option
from archlint.model.errors import UsageError

if TYPE_CHECKING:
    from archlint.site.pages import Pages

INSTALL_SITE = "install the site extra: pip install 'archlint[site]'"


def model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every site command shares: which models, as of when, linked where."""
    for option in reversed(
        [
            click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
            as_of_option,
            click.option(
                "--config",
                "config_file",
                type=click.Path(path_type=Path, dir_okay=False),
                metavar="FILE",
                help="Read this configuration file instead of looking for one.",
            ),
            rule_packs_option("Load the rule pack in DIR (repeatable)."),
            click.option(
                "--repo-url",
                metavar="URL",
                help="Link each finding's file:line to URL/FILE#LLINE, e.g. "
                "https://github.com/org/infra/blob/main. Default: the configuration's repo-url.",
            ),
            click.option(
                "--title",
                default="Backup architecture",
                show_default=True,
                help="The site's title.",
            ),
        ]
    ):
        command = option(command)
    return command


@click.group()
def site() -> None:
    """Publish the model, its analyses and findings as a static site (MkDocs)."""


@site.command("build")
@model_options
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Write the HTML site to DIR (replaced whole, only when the build succeeds).",
)
def build_command(
    paths: tuple[Path, ...],
    as_of: date,
    config_file: Path | None,
    rule_packs: tuple[Path, ...],
    repo_url: str | None,
    title: str,
    output: Path,
) -> None:
    """Build the static HTML site of the models at PATHS into DIR."""
    build = site_modules()
    pages = generate(paths, as_of, config_file, rule_packs, repo_url, title)
    svgs = render(pages)
    project = build.project(pages, svgs, title, inline=False)
    with build.published(output) as staging:
        project_dir = staging / ".project"
        build.write_project(project_dir, project)
        html_dir = staging / ".html"
        with progress_bar(len(pages.pages), "Writing pages") as advance:
            build.build_html(project_dir, html_dir, build.by_file(svgs, ""), advance)
        for entry in html_dir.iterdir():
            entry.rename(staging / entry.name)
        remove_tree(project_dir)
        html_dir.rmdir()
    say(f"Wrote the site to {output}.")


@site.command("markdown")
@model_options
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Write the MkDocs project (mkdocs.yml and docs/) to DIR.",
)
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    metavar="DOCS_DIR",
    help="Write the pages into DOCS_DIR/PREFIX of an existing MkDocs project, "
    "with a nav snippet in DOCS_DIR/PREFIX/nav.yml.",
)
@click.option(
    "--prefix",
    default="architecture",
    show_default=True,
    help="With --into: the directory of the pages inside DOCS_DIR.",
)
def markdown_command(
    paths: tuple[Path, ...],
    as_of: date,
    config_file: Path | None,
    rule_packs: tuple[Path, ...],
    repo_url: str | None,
    title: str,
    output: Path | None,
    into: Path | None,
    prefix: str,
) -> None:
    """Write the MkDocs project of the models at PATHS, for publishing it yourself."""
    if (output is None) == (into is None):
        raise UsageError(
            "archlint site markdown: give exactly one of --output DIR and --into DOCS_DIR"
        )
    build = site_modules()
    if into is not None:
        check_prefix(prefix)
    inner = prefix if into is not None else ""
    pages = generate(paths, as_of, config_file, rule_packs, repo_url, title, inner)
    svgs = render(pages)
    project = build.project(pages, svgs, title, inner)
    if output is not None:
        with build.published(output) as staging:
            build.write_project(staging, project)
        say(f"Wrote the MkDocs project to {output}.")
        return
    assert into is not None
    with build.published(into / prefix) as staging:
        files = {k.removeprefix(f"{prefix}/"): v for k, v in project.files.items()}
        build.write_files(staging, files)
        (staging / "nav.yml").write_text(nav_snippet(project.config["nav"]), encoding="utf-8")
    say(f"Wrote the pages to {into / prefix}; add {into / prefix / 'nav.yml'} to your nav.")


def check_prefix(prefix: str) -> None:
    parts = prefix.split("/")
    if not prefix or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        raise UsageError(f"--prefix: '{prefix}' must be a relative directory such as architecture")


def nav_snippet(nav: list[Any]) -> str:
    import yaml

    header = "# Paste under `nav:` in mkdocs.yml (paths are relative to docs_dir).\n"
    return header + yaml.safe_dump([{"Architecture": nav}], sort_keys=False, width=100)


def site_modules() -> Any:
    """archlint.site.build, or a usage error saying how to install what it needs."""
    for needed in ("mkdocs", "material", "markdown"):
        if importlib.util.find_spec(needed) is None:
            raise UsageError(f"archlint site needs {needed}: {INSTALL_SITE}")
    from archlint.site import build

    return build


def generate(
    paths: tuple[Path, ...],
    as_of: date,
    config_file: Path | None,
    rule_packs: tuple[Path, ...],
    repo_url: str | None,
    title: str,
    prefix: str = "",
) -> Pages:
    from archlint.engine.config import load_config
    from archlint.site import diagrams
    from archlint.site.build import ModelInput, check_for_site, generate_pages

    # Before any work: no renderer, no site (exit 2 with how to install one).
    diagrams.find_renderer()
    config = load_config(config_file)
    models = paths or config.paths or (Path("archlint.yaml"),)
    inputs: list[ModelInput] = []
    for path in models:
        facts, result = check_for_site(path, as_of, config_file, rule_packs)
        inputs.append(ModelInput(path, facts, result))
    return generate_pages(inputs, title, repo_url or config.repo_url, prefix)


def render(pages: Pages) -> dict[str, str]:
    from archlint.site.build import render_diagrams

    with progress_bar(len(pages.diagrams), "Drawing diagrams") as advance:
        return render_diagrams(pages, advance)


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error when it is a terminal and the work is large."""
    if not sys.stderr.isatty() or length < 50:
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def say(message: str) -> None:
    click.echo(message, err=True)


def remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)
