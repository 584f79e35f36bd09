"""Model text as inert Markdown for the site's pages (Python-Markdown and its extensions).

Model text is untrusted: nothing in a description, an owner or a message may
become HTML, a link, emphasis, a code fence, a table break or a template. Each
piece of text is made one line (whitespace collapsed, control characters shown
as escapes), then every character that Markdown or HTML could interpret is
written as a backslash escape Python-Markdown knows, or as an HTML entity
(for `&`, `<`, `>`, quotes and the characters extensions use, such as `~`).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from archlint.reporters.style import printable

# Characters Python-Markdown (with `tables`) unescapes after a backslash and that
# are markup anywhere in a line: written that way, they show as themselves.
BACKSLASHED = "\\`*_{}[]|#"
# Markup in HTML, in MkDocs extensions (mark, caret, tilde, arithmatex, magiclink
# mentions) or in templates that Python-Markdown does not unescape: entities.
ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "~": "&#126;",
    "^": "&#94;",
    "=": "&#61;",
    "$": "&#36;",
    "@": "&#64;",
}
SPECIAL = re.compile(
    "["
    + re.escape(BACKSLASHED + "".join(ENTITIES))
    + "]"
    # A colon starts an emoji shortcode or a URL scheme; "Note: x" stays readable.
    + "|:(?=\\S)"
)
# Markup only at the start of a line (lists, admonitions, details, definitions):
# escaped where a piece of text starts, since it may start a line.
LINE_START = re.compile(r"^(?:[-+.!)(]|[0-9]+[.)]|\?|:)")
LINE_START_ESCAPES = {"?": "&#63;", ":": "&#58;"}
WHITESPACE = re.compile(r"\s+")
LINK_SCHEMES = ("http", "https", "mailto")


def one_line(text: str) -> str:
    """The text on one line: runs of whitespace (line breaks too) become one space."""
    return printable(WHITESPACE.sub(" ", text).strip())


def text(value: str) -> str:
    """Model text as literal inline Markdown: shows as itself, interprets as nothing."""
    escaped = SPECIAL.sub(_escape_character, one_line(value))
    return LINE_START.sub(_escape_start, escaped, count=1)


def _escape_character(match: re.Match[str]) -> str:
    character = match.group()
    if character == ":":
        return "&#58;"
    return ENTITIES.get(character) or "\\" + character


def _escape_start(match: re.Match[str]) -> str:
    found = match.group()
    if found in LINE_START_ESCAPES:
        return LINE_START_ESCAPES[found]
    # `-`, `+`, `!`, `(`, `)` alone, or the `.` / `)` after the digits of `1.` / `1)`.
    return found[:-1] + "\\" + found[-1]


def safe_url(url: str) -> str | None:
    """The URL if it may become a link (http, https or mailto, nothing hidden), else None."""
    if url != url.strip() or any(not c.isprintable() or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return url


def external_link(title: str, url: str) -> str:
    """A link from the model: a real link only for a safe URL, else both shown as text."""
    target = safe_url(url)
    if target is None:
        return f"{text(title)} ({text(url)})"
    # Raw HTML keeps the URL out of Markdown's link syntax; the attribute is quoted
    # and escaped, and the title between the tags is escaped Markdown.
    href = html.escape(target, quote=True)
    return f'<a href="{href}" rel="nofollow noopener">{text(title)}</a>'


def fenced(content: str, language: str = "") -> list[str]:
    """A fenced code block whose fence is longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", *content.rstrip("\n").split("\n"), fence]
