"""The generated site in a real browser: Debian's Chromium driven by Playwright.

The sites of models/homelab and of a model full of hostile text are built
with the real command, served on 127.0.0.1, and every page is loaded: no
console error, no request leaving the loopback interface, every link and
href/src/xlink:href resolving to a file of the site, diagrams that are real
SVG with clickable nodes, and hostile text that changes neither the title nor
the scripts of a page. A screenshot of the overview is kept in test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.site.conftest import require_program

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = "127.0.0.1"

# Every URL-valued attribute of the page, SVG links included, as [tag, attribute, value].
COLLECT_URLS = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const name of ['href', 'src', 'xlink:href']) {
      const value = element.getAttribute(name);
      if (value !== null) found.push([element.tagName.toLowerCase(), name, value]);
    }
  }
  return found;
}"""
# Attributes and elements that only injected markup would bring.
COLLECT_INJECTED = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on')) found.push(element.tagName + ' ' + attribute.name);
    }
  }
  for (const element of document.querySelectorAll('iframe, object, embed, meta[http-equiv]')) {
    found.push(element.tagName);
  }
  return found;
}"""


@dataclass(frozen=True)
class Served:
    directory: Path
    url: str  # ends with /

    def pages(self) -> list[str]:
        """The URL of every HTML page of the site."""
        urls = []
        for html in sorted(self.directory.rglob("index.html")):
            relative = html.parent.relative_to(self.directory).as_posix()
            urls.append(self.url if relative == "." else f"{self.url}{relative}/")
        return urls

    def resolves(self, url: str) -> bool:
        """Whether a URL of this site names a file of it (a directory: its index.html)."""
        path = unquote(urlsplit(url).path).removeprefix(urlsplit(self.url).path)
        target = self.directory / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        return target.resolve().is_relative_to(self.directory.resolve()) and target.is_file()


@pytest.fixture(scope="module")
def chromium() -> str:
    path = require_program("chromium", "apt-get install chromium")
    require_program("dot", "apt-get install graphviz")
    return path


def build_site(model: Path, output: Path) -> Path:
    command = [sys.executable, "-m", "archlint", "site", "build", str(model)]
    command += ["--output", str(output), "--as-of", "2026-11-26"]
    command += ["--repo-url", "https://github.com/example/infra/blob/main"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return output


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs (a page left early).
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[Served]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = QuietServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(directory, f"http://{LOOPBACK}:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[dict[str, Served]]:
    base = tmp_path_factory.mktemp("sites")
    homelab = build_site(ROOT / "models" / "homelab", base / "homelab")
    hostile = build_site(Path(__file__).parent / "hostile", base / "hostile")
    with serve(homelab) as served_homelab, serve(hostile) as served_hostile:
        yield {"homelab": served_homelab, "hostile": served_hostile}


@dataclass
class Browser:
    page: Any
    errors: list[str]
    outside: list[str]


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = instance.new_context(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        outside: list[str] = []

        def route(route: Any) -> None:
            if urlsplit(route.request.url).hostname == LOOPBACK:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield Browser(page, errors, outside)
        finally:
            instance.close()


def check_every_page(browser: Browser, site: Served) -> list[str]:
    """Load every page; return what is broken: errors, outside requests, dead links."""
    problems = []
    for url in site.pages():
        response = browser.page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        for tag, attribute, value in browser.page.evaluate(COLLECT_URLS):
            target = urljoin(url, value)
            scheme = urlsplit(target).scheme
            if scheme in ("http", "https") and urlsplit(target).hostname == LOOPBACK:
                if not site.resolves(target):
                    problems.append(f"{url}: {tag} {attribute}={value} does not resolve")
            elif tag != "a" or scheme not in ("http", "https", "mailto"):
                problems.append(f"{url}: {tag} {attribute}={value} leaves the site")
    problems += [f"console error: {error}" for error in browser.errors]
    problems += [f"request outside loopback: {url}" for url in browser.outside]
    return problems


def test_every_page_of_the_homelab_site_loads_offline_with_working_links(
    sites: dict[str, Served], browser: Browser
) -> None:
    assert len(sites["homelab"].pages()) > 50
    assert check_every_page(browser, sites["homelab"]) == []


def test_the_overview_diagram_is_a_real_svg_whose_nodes_lead_to_their_pages(
    sites: dict[str, Served], browser: Browser
) -> None:
    page = browser.page
    page.goto(sites["homelab"].url, wait_until="load")
    svg = page.locator(".archlint-diagram svg").first
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    clusters = page.eval_on_selector_all(
        ".archlint-diagram svg g.cluster", "gs => gs.map(g => g.id)"
    )
    # The homelab's two sites at least are drawn as clusters of their own.
    assert {"node-house", "node-hetzner-fsn"} <= set(clusters)
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "site-overview.png"
    page.screenshot(path=str(screenshot), full_page=True)
    svg.screenshot(path=str(ARTIFACTS / "site-overview-diagram.png"))
    print(f"screenshots of the overview: {screenshot}, site-overview-diagram.png")
    node = page.locator(".archlint-diagram svg g.node[id^='node-'] a").first
    entity = node.locator("xpath=ancestor::*[@class='node'][1]").get_attribute("id")
    assert entity is not None
    node.click()
    page.wait_for_load_state("load")
    heading = page.locator("article h1").first.inner_text()
    assert heading.rstrip("¶").strip() == entity.removeprefix("node-")
    assert browser.errors == [] and browser.outside == []


def test_hostile_text_changes_neither_titles_nor_scripts(
    sites: dict[str, Served], browser: Browser
) -> None:
    site = sites["hostile"]
    page = browser.page
    page.goto(f"{site.url}rules/", wait_until="load")
    scripts = page.evaluate("() => document.scripts.length")
    for url in site.pages():
        page.goto(url, wait_until="load")
        title = page.title()
        heading = page.locator("article h1").first.inner_text().rstrip("¶").strip()
        assert title in (f"{heading} - Backup architecture", "Backup architecture"), url
        assert page.evaluate("() => document.scripts.length") == scripts, url
        assert page.evaluate("() => window.pwned === undefined"), url
        assert page.evaluate(COLLECT_INJECTED) == [], url
    # The hostile text is on the page, as text.
    page.goto(f"{site.url}domains/home/", wait_until="load")
    assert "<script>document.title='pwned'" in page.locator("article").inner_text()
    assert check_every_page(browser, site) == []
