"""`archlint site`: the pages' Markdown (golden), deterministic projects, safe
publishing, the MkDocs plugin, the project's own site, and `check` without MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from archlint.cli.main import cli
from archlint.engine.ruledoc import rule_url
from archlint.engine.rulepack import load_rules
from archlint.importers.drift import DRIFT_RULES
from archlint.site.build import ModelInput, check_for_site, generate_pages
from archlint.site.layout import Layout, slug
from archlint.site.pages import PLACEHOLDER
from archlint.site.reference import cli_reference, walk
from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[2]
HOMELAB = ROOT / "models" / "homelab"
GOLDEN = Path(__file__).parent / "golden" / "pages"
AS_OF = date(2026, 11, 26)
GOLDEN_PAGES = [
    "index.md",
    "datastores/immich-library.md",
    "services/vaultwarden.md",
    "scenarios/lose-house.md",
    "keys/restic-password.md",
]


def homelab_pages() -> dict[str, str]:
    facts, result = check_for_site(HOMELAB, AS_OF)
    return generate_pages([ModelInput(HOMELAB, facts, result)], "homelab", None).pages


@pytest.fixture
def in_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are shown relative to the current directory: make that the checkout."""
    monkeypatch.chdir(ROOT)


def tree(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.mark.usefixtures("in_checkout")
@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_homelab_markdown_matches_the_golden_file(page: str) -> None:
    """Set ARCHLINT_UPDATE_GOLDEN=1 to rewrite the files after an intended change."""
    # The diagram placeholders hold NUL characters; the golden files show them as @@.
    markdown = homelab_pages()[page].replace("\0", "@@")
    golden = GOLDEN / page.replace("/", "--")
    if os.environ.get("ARCHLINT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(markdown, encoding="utf-8")
    assert markdown == golden.read_text(encoding="utf-8")


def test_every_entity_with_a_page_gets_one_and_every_markdown_link_resolves() -> None:
    pages = homelab_pages()
    for name in ("immich-library", "nas", "house", "restic-password", "nas-restic", "immich"):
        assert any(path.endswith(f"/{name}.md") for path in pages), name
    for path, markdown in pages.items():
        for target in linked_pages(markdown):
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), target))
            assert resolved in pages, f"{path} links to {target}"


def linked_pages(markdown: str) -> list[str]:
    return re.findall(r"\]\(([^)#]+\.md)\)", markdown)


@pytest.mark.usefixtures("in_checkout")
def test_findings_link_their_lines_when_a_repository_url_is_configured() -> None:
    facts, result = check_for_site(HOMELAB, AS_OF)
    base = "https://git.example/homelab/blob/main"
    pages = generate_pages([ModelInput(HOMELAB, facts, result)], "homelab", base).pages
    finding = result.findings[0]
    # The model was named by an absolute path inside the checkout (the cwd).
    file = Path(finding.location.file).relative_to(ROOT).as_posix()
    expected = f'<a href="{base}/{file}#L{finding.location.line}"'
    assert expected in pages[f"findings/{finding.name}.md"]


def test_several_models_share_one_site_and_its_rule_pages(
    archlint: Callable[..., Run], tmp_path: Path, dot_program: str
) -> None:
    output = tmp_path / "both"
    run = archlint("site", "markdown", HOMELAB, ROOT / "models" / "reference", "--output", output)
    assert run.code == 0, run.err
    docs = output / "docs"
    for page in ("index.md", "homelab/index.md", "reference/keys/index.md", "rules/index.md"):
        assert (docs / page).is_file(), page
    assert not (docs / "homelab" / "rules").exists()
    index = (docs / "index.md").read_text(encoding="utf-8")
    assert "[homelab](homelab/index.md)" in index and "[reference](reference/index.md)" in index


def test_rule_pages_live_where_sarif_and_markdown_reports_link() -> None:
    pages = homelab_pages()
    for rule in (*load_rules(), *DRIFT_RULES):
        page = Layout().rule_page(rule.name)
        assert page in pages
        assert rule_url(rule.name).endswith("/" + Layout().url(page))


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [("nas", "nas"), ("web.db-1", "web.db-1"), ("index", None), ("NAS", None), (".x", None)],
)
def test_slugs_are_safe_file_names_that_never_collide(
    identifier: str, expected: str | None
) -> None:
    found = slug(identifier)
    if expected is not None:
        assert found == expected
    else:
        assert found != identifier and found.replace("-", "").isalnum()
    assert slug("NAS") != slug("nas") and slug("Index") != slug("index")


def test_markdown_projects_are_byte_identical_across_runs(
    archlint: Callable[..., Run], tmp_path: Path, dot_program: str
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for output in (first, second):
        run = archlint("site", "markdown", HOMELAB, "--output", output, "--as-of", "2026-11-26")
        assert run.code == 0, run.err
    assert tree(first) == tree(second)
    config = yaml.safe_load((first / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False
    assert {"Overview": "index.md"} in config["nav"]
    assert any(path.startswith("docs/diagrams/") for path in tree(first))
    assert PLACEHOLDER.split("{")[0] not in (first / "docs" / "index.md").read_text("utf-8")


def test_into_writes_the_pages_and_a_nav_snippet_under_the_prefix(
    archlint: Callable[..., Run], tmp_path: Path, dot_program: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Mine\n", encoding="utf-8")
    run = archlint("site", "markdown", HOMELAB, "--into", docs, "--prefix", "infra")
    assert run.code == 0, run.err
    assert (docs / "index.md").read_text(encoding="utf-8") == "# Mine\n"
    assert (docs / "infra" / "index.md").is_file()
    assert (docs / "infra" / "rules" / "index.md").is_file()
    nav = yaml.safe_load((docs / "infra" / "nav.yml").read_text(encoding="utf-8"))
    assert {"Overview": "infra/index.md"} in nav[0]["Architecture"]


def test_site_build_never_replaces_a_directory_it_did_not_write(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    output = tmp_path / "precious"
    output.mkdir()
    (output / "thesis.tex").write_text("years of work", encoding="utf-8")
    run = archlint("site", "markdown", HOMELAB, "--output", output)
    assert run.code == 2
    assert "not written by archlint" in run.err
    assert (output / "thesis.tex").read_text(encoding="utf-8") == "years of work"


def test_without_graphviz_the_build_says_how_to_install_it_and_writes_nothing(
    tmp_path: Path,
) -> None:
    output = tmp_path / "site"
    environment = {**os.environ, "PATH": str(tmp_path / "empty")}
    command = [sys.executable, "-m", "archlint", "site", "build", str(HOMELAB)]
    done = subprocess.run(
        [*command, "--output", str(output)], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "graphviz" in done.stderr.lower() and "Traceback" not in done.stderr
    assert not output.exists()


def test_an_invalid_model_exits_2_and_publishes_nothing(
    archlint: Callable[..., Run], write: Callable[..., Path], tmp_path: Path
) -> None:
    model = write("archlint: 1\nhosts:\n  nas: {kind: toaster}\n")
    run = archlint("site", "markdown", model, "--output", tmp_path / "out")
    assert run.code == 2
    assert "archlint.yaml:3" in run.err
    assert not (tmp_path / "out").exists()


def test_site_build_writes_a_complete_html_site(
    archlint: Callable[..., Run], tmp_path: Path, dot_program: str
) -> None:
    output = tmp_path / "public"
    run = archlint("site", "build", HOMELAB, "--output", output, "--as-of", "2026-11-26")
    assert run.code == 0, run.err
    for page in ("index.html", "datastores/immich-library/index.html", "rules/index.html"):
        assert (output / page).is_file(), page
    assert not (output / ".project").exists()
    html = (output / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html and "<svg" in html
    # A second build replaces the first, whole.
    run = archlint("site", "build", HOMELAB, "--output", output, "--as-of", "2026-11-26")
    assert run.code == 0, run.err


def test_the_plugin_adds_the_pages_to_an_existing_mkdocs_site(
    tmp_path: Path, dot_program: str
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# Team docs\n\nSee [the architecture](architecture/index.md).\n", encoding="utf-8"
    )
    config = {
        "site_name": "Team",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"archlint": {"model": str(HOMELAB), "as_of": "2026-11-26"}}],
        "nav": [{"Home": "index.md"}, {"Architecture": "architecture/index.md"}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert (site / "architecture" / "datastores" / "immich-library" / "index.html").is_file()
    assert (site / "architecture" / "rules" / "snapshot-only" / "index.html").is_file()
    assert not (docs / "architecture").exists()  # virtual files, nothing written to docs
    overview = (site / "architecture" / "index.html").read_text(encoding="utf-8")
    assert '<div class="archlint-diagram"><svg' in overview
    assert "data-archlint-diagram" not in overview


def test_the_project_site_builds_in_strict_mode(tmp_path: Path, dot_program: str) -> None:
    output = tmp_path / "built"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(output)],
        cwd=ROOT / "site",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for page in ("cli", "rules/snapshot-only", "reports/homelab", "reports/reference/keys"):
        assert (output / page / "index.html").is_file(), page


def test_the_cli_reference_documents_every_command() -> None:
    reference = cli_reference(cli)
    root = __import__("click").Context(cli, info_name="archlint")
    for path, _command, _context in walk(cli, root, "archlint"):
        assert f"## {path}\n" in reference
    assert "## archlint site build" in reference


def test_check_imports_neither_mkdocs_nor_graphviz() -> None:
    probe = (
        "import sys\n"
        "from archlint.cli import main\n"
        "sys.argv = ['archlint', 'check', 'models/reference']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('mkdocs', 'material', 'graphviz', 'markdown', 'pymdownx'))\n"
        "loaded += sorted(m for m in sys.modules if m.startswith('archlint.site'))\n"
        "print(loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("No findings")
    assert done.stderr.strip() == "[]"
