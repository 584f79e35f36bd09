"""Where each page of a generated site lives, and relative links between pages.

Paths are relative to the MkDocs docs directory and use `/`. Markdown links
between pages point at `.md` files (MkDocs checks and rewrites them); links in
inline SVG are raw HTML, which MkDocs leaves alone, so they are computed here
as the final relative URLs.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass

from archlint.engine.ruledoc import RULES_DIR

# Ids are [A-Za-z0-9._-]{1,64}. Those that would make a poor file name (capitals
# that collide on case-insensitive disks, dot files MkDocs skips, `index`) get a
# readable slug plus a hash of the id, so that two ids never share a page.
PLAIN_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+)*")
RESERVED = frozenset({"index", "readme"})
# The docs directory of each kind of entity that has pages.
SECTION_OF_KIND = {
    "domain": "domains",
    "host": "hosts",
    "service": "services",
    "datastore": "datastores",
    "repository": "repositories",
    "key": "keys",
}


def slug(identifier: str) -> str:
    """A file name for an id: the id itself when it is a plain lower-case name."""
    if PLAIN_SLUG.fullmatch(identifier) and identifier not in RESERVED:
        return identifier
    readable = re.sub(r"[^a-z0-9]+", "-", identifier.lower()).strip("-") or "id"
    digest = hashlib.sha256(identifier.encode()).hexdigest()[:8]
    return f"{readable}-{digest}"


@dataclass(frozen=True)
class Layout:
    """Where the generated pages go inside a docs directory."""

    prefix: str = ""  # the directory of the model's pages ("" for the docs root)
    rules_dir: str = RULES_DIR  # the directory of the rule pages, from the docs root
    directory_urls: bool = True  # MkDocs' use_directory_urls

    def path(self, relative: str) -> str:
        return posixpath.join(self.prefix, relative) if self.prefix else relative

    def entity_page(self, kind: str, identifier: str) -> str | None:
        section = SECTION_OF_KIND.get(kind)
        if section is None:
            return None
        return self.path(f"{section}/{slug(identifier)}.md")

    def rule_page(self, name: str) -> str:
        return posixpath.join(self.rules_dir, f"{name}.md")

    def url(self, page: str) -> str:
        """The URL of a page from the site root, as MkDocs writes it (no leading /)."""
        stem = page.removesuffix(".md")
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem.removesuffix("index")
        return f"{stem}/"


def markdown_target(source: str, target: str) -> str:
    """A Markdown link from page `source` to page `target` (both docs paths).

    By hand rather than posixpath.relpath: large sites make a hundred thousand
    links, and the paths are already normal (no `.`, `..` or doubled `/`).
    """
    here = source.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])
