"""Model text in the site's Markdown: rendered by Python-Markdown with the site's
extensions, it shows as itself and brings no tag or attribute of its own."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlint.site.build import MARKDOWN_EXTENSIONS
from archlint.site.escape import external_link, fenced, one_line, safe_url, text
from tests.strategies import budget

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "<https://evil.example>",
    "```",
    "~~~",
    "{{ jinja }}",
    "{% raw %}",
    "{: onclick=alert(1) }",
    "| a | b |",
    "# heading #",
    "1. item",
    "- item",
    "!!! danger",
    "??? note",
    "=== tab",
    ": definition",
    "--8<-- 'x'",
    "*em* _em_ **b**",
    "&lt;&amp;&#60;",
    "\\",
    "`code`",
    "<!-- comment -->",
    "<?php ?>",
    "<![CDATA[x]]>",
    "http://a.example www.b.example",
    "$x$ ^^x^^ ==x== ~~x~~ :smile: @user",
    "a\nb\n\nc",
    "\x00\x1b[31m\x7f\x9b",
]
pieces = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=12))
# Text that is all whitespace renders as nothing, which is not the point here.
hostile_text = st.lists(pieces, min_size=1, max_size=6).map("".join).filter(one_line)

# Each context puts the text where the generator puts model text.
CONTEXTS = {
    "paragraph": "{}",
    "list item": "- **Owner:** {}",
    "table cell": "| a | b |\n| --- | --- |\n| {} | x |",
    "heading": "## backup {}",
    "nested list": "- **Evidence:**\n    - {}",
}


def configured_markdown() -> markdown.Markdown:
    names: list[str] = []
    configs: dict[str, Any] = {}
    for extension in MARKDOWN_EXTENSIONS:
        if isinstance(extension, dict):
            ((name, config),) = extension.items()
            names.append(name)
            configs[name] = config
        else:
            names.append(extension)
    return markdown.Markdown(extensions=names, extension_configs=configs)


class Structure(HTMLParser):
    """The tags and attribute names of an HTML fragment, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(name for name, _value in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("<!--", ()))

    def handle_pi(self, data: str) -> None:
        self.tags.append(("<?", ()))

    def unknown_decl(self, data: str) -> None:
        self.tags.append(("<!", ()))


def structure(source: str) -> Structure:
    parsed = Structure()
    parsed.feed(configured_markdown().convert(source))
    parsed.close()
    return parsed


@pytest.mark.parametrize("context", sorted(CONTEXTS))
@budget("ARCHLINT_PROPERTY_EXAMPLES", 150)
@given(value=hostile_text)
def test_model_text_brings_no_markup_and_shows_as_itself(context: str, value: str) -> None:
    template = CONTEXTS[context]
    expected = structure(template.format("placeholder"))
    rendered = structure(template.format(text(value)))
    assert rendered.tags == expected.tags
    shown = "".join(rendered.data)
    assert one_line(value) in shown


@budget("ARCHLINT_PROPERTY_EXAMPLES", 150)
@given(title=hostile_text, url=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)))
def test_a_model_link_is_a_link_only_to_http_https_or_mailto(title: str, url: str) -> None:
    rendered = structure(f"- **Link:** {external_link(title, url)}")
    links = [attrs for tag, attrs in rendered.tags if tag == "a"]
    if safe_url(url) is None:
        assert links == []
    else:
        assert links == [("href", "rel")]
    assert one_line(title) in "".join(rendered.data)


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/x?a=1&b=2", True),
        ("http://example.org", True),
        ("mailto:ops@example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>x</script>", False),
        ("vbscript:x", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("https://exa mple.org", False),
        (" https://example.org", False),
        ("https://example.org/\nx", False),
        ("relative/path", False),
    ],
)
def test_safe_urls(url: str, linked: bool) -> None:
    assert (safe_url(url) is not None) is linked


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    block = fenced("a\n````\nb", "yaml")
    assert block[0] == "`````yaml" and block[-1] == "`````"
    parsed = structure("\n".join(block))
    assert [tag for tag, _attrs in parsed.tags] == ["pre", "code"]
    assert "".join(parsed.data) == "a\n````\nb\n"
