"""Turn generated pages into an MkDocs project, and an MkDocs project into a site.

`archlint site markdown` writes the project (mkdocs.yml with an explicit nav,
docs/**/*.md, docs/diagrams/*.svg); `archlint site build` writes the same
project into a temporary directory, builds it with MkDocs and Material for
MkDocs in strict mode, in-process, and moves the finished site into place. A
directory is only ever replaced whole: nobody sees half a site.

MkDocs is imported only here (and in the plugin), never by `archlint check`.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from archlint.analysis.facts import Facts
from archlint.engine.config import load_config, rule_settings
from archlint.engine.findings import Result, run, select_rules
from archlint.engine.pipeline import analyse
from archlint.engine.ruledoc import RULES_DIR
from archlint.engine.rulepack import load_rules
from archlint.load.limits import Limits
from archlint.model.errors import UsageError
from archlint.site import diagrams
from archlint.site.pages import PLACEHOLDER, ROOT_MARK, Pages

# Only extensions that ship with Python-Markdown, so the project builds with any
# MkDocs-compatible generator; the escaping in archlint.site.escape is tested
# against exactly this list.
MARKDOWN_EXTENSIONS: list[Any] = [
    {"toc": {"permalink": True}},
    "tables",
    "admonition",
    "fenced_code",
]
# A file in every directory archlint writes, so it only ever replaces its own output.
MARKER = ".archlint-site"
STYLESHEET = "assets/archlint.css"
CSS = """\
/* archlint diagrams: scroll wide diagrams instead of squeezing them. */
.archlint-diagram { overflow-x: auto; margin: 1em 0; }
.archlint-diagram svg { max-width: none; height: auto; }
@media print { .archlint-diagram { overflow: visible; } }
"""
PLACEHOLDER_LINE = re.compile("^" + PLACEHOLDER.format(name="([^\0]+)") + "$", re.MULTILINE)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Project:
    """A complete MkDocs project: docs files by path, and the configuration."""

    files: dict[str, str]  # docs path -> text (Markdown, SVG, CSS)
    config: dict[str, Any]  # mkdocs.yml, docs_dir and site_dir aside


def check_for_site(
    path: Path,
    as_of: date,
    config_file: Path | None = None,
    rule_packs: tuple[Path, ...] = (),
    limits: Limits | None = None,
) -> tuple[Facts, Result]:
    """The facts and findings of one model, with the configuration `archlint check` uses."""
    config = load_config(config_file)
    all_rules = load_rules(rule_packs or config.rule_packs)
    rules = select_rules(all_rules, config.select or (), config.ignore or (), "select", "ignore")
    settings = rule_settings(config, all_rules)
    facts = analyse(path, as_of, limits)
    return facts, run(facts.model, facts, all_rules, rules, settings)


def render_diagrams(
    pages: Pages, progress: Progress | None = None, workers: int | None = None
) -> dict[str, str]:
    """Every diagram of the pages as SVG; `dot` runs in parallel, one process per diagram."""
    diagrams.find_renderer()
    names = sorted(pages.diagrams)
    count = workers or max(1, os.cpu_count() or 1)
    rendered: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=count) as pool:
        for name, svg in zip(
            names, pool.map(lambda n: diagrams.render_svg(pages.diagrams[n]), names), strict=True
        ):
            rendered[name] = svg
            if progress is not None:
                progress(1)
    return rendered


def root_prefix(base: str) -> str:
    """The relative way from a URL directory (e.g. `services/x/`) up to the site root."""
    depth = len([part for part in base.split("/") if part])
    return "../" * depth


def embed(
    pages: Pages,
    svgs: Mapping[str, str],
    layout_prefix: str,
    directory_urls: bool,
    inline: bool = True,
) -> dict[str, str]:
    """The docs files: each page with its diagrams, and each diagram as a file.

    Inline, the SVG goes into the Markdown, for any MkDocs to build. Otherwise
    each diagram is an empty marker element that `DiagramInjector` fills in the
    finished HTML: Markdown and the search index then never parse the SVG, which
    is most of the bytes of a large site and most of its build time.
    """
    files: dict[str, str] = {}
    diagram_dir = posixpath.join(layout_prefix, "diagrams") if layout_prefix else "diagrams"
    for name, svg in svgs.items():
        files[f"{diagram_dir}/{name}.svg"] = svg_file(svg, root_prefix(diagram_dir))
    for path, markdown in pages.pages.items():
        base = page_base(path, directory_urls)

        def place(match: re.Match[str], path: str = path, base: str = base) -> str:
            name = match.group(1)
            if inline:
                svg = without_blank_lines(svgs[name]).replace(ROOT_MARK, root_prefix(base))
                element = f'<div class="archlint-diagram">\n{svg}\n</div>'
            else:
                element = MARKER_ELEMENT.format(name=f"{diagram_dir}/{name}")
            own = posixpath.relpath(f"{diagram_dir}/{name}.svg", posixpath.dirname(path) or ".")
            return f"{element}\n\n[Open the diagram on its own]({own})"

        files[path] = PLACEHOLDER_LINE.sub(place, markdown)
    return files


# Diagram names are made of slugs: no quote or angle bracket can occur in one.
MARKER_ELEMENT = '<div class="archlint-diagram" data-archlint-diagram="{name}"></div>'
MARKER_PATTERN = re.compile(re.escape(MARKER_ELEMENT).replace(re.escape("{name}"), '([^"<>]+)'))


def by_file(svgs: Mapping[str, str], layout_prefix: str) -> dict[str, str]:
    """The diagrams keyed as their markers name them: by the docs path of their file,
    unique even when several plugin instances share a site."""
    diagram_dir = posixpath.join(layout_prefix, "diagrams") if layout_prefix else "diagrams"
    return {f"{diagram_dir}/{name}": svg for name, svg in svgs.items()}


def inject(html: str, svgs: Mapping[str, str], page_url: str) -> str:
    """The finished HTML of a page with its diagram markers replaced by the SVG."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    prefix = root_prefix(base)

    def svg(match: re.Match[str]) -> str:
        drawing = svgs.get(match.group(1))
        if drawing is None:
            return match.group()
        body = drawing.replace(ROOT_MARK, prefix)
        return f'<div class="archlint-diagram">{body}</div>'

    return MARKER_PATTERN.sub(svg, html)


def page_base(path: str, directory_urls: bool) -> str:
    stem = path.removesuffix(".md")
    if not directory_urls or stem == "index":
        return posixpath.dirname(stem)
    if stem.endswith("/index"):
        return stem.removesuffix("/index")
    return stem


def svg_file(svg: str, prefix: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + svg.replace(ROOT_MARK, prefix).rstrip("\n")
        + "\n"
    )


def without_blank_lines(svg: str) -> str:
    # A blank line would end the raw HTML block in Markdown.
    return "\n".join(line for line in svg.splitlines() if line.strip())


def mkdocs_config(title: str, nav: list[Any]) -> dict[str, Any]:
    """The mkdocs.yml of a model's site: Material, offline, strict, the explicit nav."""
    return {
        "site_name": title,
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            # No Google Fonts: the site fetches nothing at view time.
            "font": False,
            "features": ["navigation.sections", "navigation.top", "toc.follow"],
        },
        "plugins": ["search"],
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "extra_css": [STYLESHEET],
        "nav": nav,
    }


def project(
    pages: Pages,
    svgs: Mapping[str, str],
    title: str,
    prefix: str = "",
    directory_urls: bool = True,
    inline: bool = True,
) -> Project:
    files = embed(pages, svgs, prefix, directory_urls, inline)
    files[posixpath.join(prefix, STYLESHEET) if prefix else STYLESHEET] = CSS
    return Project(files, mkdocs_config(title, pages.nav))


def write_files(directory: Path, files: Mapping[str, str]) -> None:
    for relative, content in sorted(files.items()):
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8", newline="\n")


def write_project(directory: Path, built: Project) -> None:
    """mkdocs.yml and docs/ in `directory`."""
    write_files(directory / "docs", built.files)
    config = {**built.config, "docs_dir": "docs"}
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=False, width=100)
    (directory / "mkdocs.yml").write_text(text, encoding="utf-8", newline="\n")
    (directory / MARKER).write_text("written by archlint site\n", encoding="utf-8")


def build_html(
    project_dir: Path,
    site_dir: Path,
    svgs: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> None:
    """Build the MkDocs project in strict mode, in-process; `svgs` fills diagram markers
    and `progress` hears of each page written."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config as load_mkdocs_config
    from mkdocs.exceptions import MkDocsException

    from archlint.site.plugin import DiagramInjector

    # MkDocs logs every page it builds at INFO; only its warnings matter here.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    # Material prints a banner about its successor on every build; the site's
    # documentation says it once instead.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        config = load_mkdocs_config(
            config_file=str(project_dir / "mkdocs.yml"), strict=True, site_dir=str(site_dir)
        )
        if svgs is not None:
            config.plugins["archlint-diagrams"] = DiagramInjector(svgs, progress)
        build(config)
    except MkDocsException as error:
        raise UsageError(f"building the site failed: {error}") from None


@contextmanager
def published(output: Path) -> Iterator[Path]:
    """A temporary directory next to `output` that replaces it, whole, on success."""
    output = output.absolute()
    check_replaceable(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    try:
        yield staging
        (staging / MARKER).write_text("written by archlint site\n", encoding="utf-8")
        os.chmod(staging, 0o777 & ~current_umask())
        replace_directory(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_replaceable(output: Path) -> None:
    """Only an empty directory, or one archlint wrote, is ever replaced."""
    if not output.exists():
        return
    if not output.is_dir():
        raise UsageError(f"{output} exists and is not a directory")
    if any(output.iterdir()) and not (output / MARKER).exists():
        raise UsageError(
            f"{output} is not empty and was not written by archlint: "
            "choose a new or empty directory"
        )


def replace_directory(new: Path, output: Path) -> None:
    if not output.exists():
        new.rename(output)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old.", dir=output.parent))
    old.rmdir()
    output.rename(old)
    new.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class ModelInput:
    """One model to publish: where it is read from, its facts and findings."""

    path: Path
    facts: Facts
    result: Result


def generate_pages(
    models: list[ModelInput],
    title: str,
    repo_url: str | None,
    prefix: str = "",
    rules_dir: str | None = None,
    rule_pages_too: bool = True,
    directory_urls: bool = True,
) -> Pages:
    """The pages of one model, or of several (each in a directory of its own, with
    a common index and one set of rule pages), under `prefix` in the docs tree.

    The rule pages go to `rules_dir` (default: PREFIX/rules), unless another
    part of the docs writes them (`rule_pages_too` false).
    """
    from archlint.site.layout import Layout
    from archlint.site.pages import Options, generate, rule_pages

    if rules_dir is None:
        rules_dir = posixpath.join(prefix, RULES_DIR) if prefix else RULES_DIR
    if len(models) == 1:
        layout = Layout(prefix, rules_dir, directory_urls)
        only = models[0]
        options = Options(title, layout, rule_pages_too, repo_url)
        return generate(only.facts, only.result, options)
    combined = Pages()
    index = ["# " + escape_title(title), "", "The models published here:", ""]
    names = model_names([m.path for m in models])
    for name, model in zip(names, models, strict=True):
        inner = posixpath.join(prefix, name) if prefix else name
        layout = Layout(inner, rules_dir, directory_urls)
        pages = generate(model.facts, model.result, Options(name, layout, False, repo_url))
        combined.pages.update(pages.pages)
        combined.diagrams.update({f"{name}-{d}": v for d, v in pages.diagrams.items()})
        for path in pages.pages:
            combined.pages[path] = rename_placeholders(combined.pages[path], name)
        combined.nav.append({name: pages.nav})
        index.append(f"- [{name}]({name}/index.md)")
    if rule_pages_too:
        combined.pages.update(rule_pages(models[0].result.rules, Layout(prefix, rules_dir)))
    index_path = posixpath.join(prefix, "index.md") if prefix else "index.md"
    combined.pages[index_path] = "\n".join(index) + "\n"
    combined.nav = [{"Models": index_path}, *combined.nav]
    if rule_pages_too:
        combined.nav.append({"Rules": posixpath.join(rules_dir, "index.md")})
    return combined


def escape_title(title: str) -> str:
    from archlint.site.escape import text

    return text(title)


def rename_placeholders(markdown: str, name: str) -> str:
    return PLACEHOLDER_LINE.sub(lambda m: PLACEHOLDER.format(name=f"{name}-{m.group(1)}"), markdown)


def model_names(paths: list[Path]) -> list[str]:
    """A directory name per model: its file or directory name, numbered when two clash."""
    from archlint.site.layout import slug

    names: list[str] = []
    for path in paths:
        base = slug(path.absolute().stem if path.is_file() else path.absolute().name)
        name, number = base, 2
        while name in names or name in ("rules", "diagrams", "assets"):
            name, number = f"{base}-{number}", number + 1
        names.append(name)
    return names
