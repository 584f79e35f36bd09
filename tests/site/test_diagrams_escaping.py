"""Model text is untrusted: whatever it holds, dot parses the DOT, shows the text, reads no file."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlint.site import diagrams
from archlint.site.diagrams import Diagram
from archlint.site.dot import MAX_TEXT, Graph, clean, label, tooltip
from tests.conftest import facts_of

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

# What dot would otherwise interpret: quotes, escapes, HTML labels, entities, images.
HOSTILE = [
    '"',
    "\\",
    'a\\"b',
    "x\\",
    "\\l\\n\\r\\N\\G\\E\\T\\H\\L",
    '<IMG SRC="/etc/passwd"/>',
    "<<TABLE><TR><TD><IMG SRC='/etc/passwd'/></TD></TR></TABLE>>",
    "&lt; &amp; &#60; &#x3C; &nbsp;",
    ']; x [shape=epsf, shapefile="/etc/passwd"]; "',
    '} digraph { image="/etc/passwd"',
    "<script>alert(1)</script>",
    "line\nbreak\ttab\r\x00\x07 nul",
    "-->",
    "{{ jinja }} `fence` ```",
    "émoji 🐘 中文",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=80))


def render(graph: Graph) -> ET.Element:
    return ET.fromstring(diagrams.render_svg(Diagram("t", graph.source())))


def no_file_reads(root: ET.Element) -> None:
    assert not list(root.iter(f"{SVG}image"))
    for element in root.iter():
        for value in element.attrib.values():
            assert "/etc/passwd" not in value or element.tag != f"{SVG}image"


@pytest.mark.usefixtures("dot_program")
@given(text=TEXT, tip=TEXT)
def test_any_text_round_trips_through_dot(text: str, tip: str) -> None:
    graph = Graph()
    graph.node("n", {"label": label(text), "tooltip": tooltip(tip), "id": "node-n"})
    graph.node("m", {"label": label("x"), "id": "node-m"}, ["outer"])
    graph.cluster(["outer"]).attrs["label"] = label(text)
    graph.edge("n", "m", {"label": label(text), "id": "edge-e"})
    root = render(graph)
    shown = clean(text)
    elements = {e.get("id"): e for e in root.iter() if e.get("id")}
    node_texts = [t.text or "" for t in elements["node-n"].iter(f"{SVG}text")]
    assert node_texts == ([shown] if shown else [])
    edge_texts = [t.text or "" for t in elements["edge-e"].iter(f"{SVG}text")]
    assert edge_texts == ([shown] if shown else [])
    if tooltip(tip):
        titles = [a.get(f"{XLINK}title") for a in elements["node-n"].iter(f"{SVG}a")]
        assert titles == [tooltip(tip)]
    no_file_reads(root)


@pytest.mark.usefixtures("dot_program")
def test_dot_loads_no_file_even_when_an_attribute_names_one(tmp_path: Path) -> None:
    picture = tmp_path / "secret.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    source = f'digraph {{ a [image="{picture}", shapefile="{picture}"] }}'
    svg = diagrams.render_svg(Diagram("t", source))
    assert "secret.png" not in svg and "<image" not in svg


def test_clean_keeps_text_on_one_printable_line_and_short() -> None:
    assert clean("a\n\tb\x00c") == "a b c"
    long = clean("x" * 1000)
    assert len(long) == MAX_TEXT and long.endswith("...")


@pytest.mark.usefixtures("dot_program")
def test_hostile_descriptions_in_a_model_show_as_text(write: Callable[..., Path]) -> None:
    texts = [*HOSTILE, "x" * 50]
    lines = [
        "archlint: 1",
        "domains:",
        f"  home: {{kind: site, description: {json.dumps(texts[0], ensure_ascii=False)}}}",
        "hosts:",
        f"  h: {{kind: server, in: home, description: {json.dumps(texts[1], ensure_ascii=False)}}}",
        "datastores:",
    ]
    lines += [
        f"  d{i}: {{kind: files, host: h, description: {json.dumps(text, ensure_ascii=False)}}}"
        for i, text in enumerate(texts)
    ]
    lines += ["backups:", '  b: {source: d0, method: snapshot, schedule: "*/5 * * * *"}']
    facts = facts_of(write("\n".join(lines) + "\n"))
    dot = diagrams.overview_diagram(facts, lambda e: f"/x/{e}/").dot
    checked = subprocess.run(["dot", "-Tcanon"], input=dot.encode(), capture_output=True)
    assert checked.returncode == 0, checked.stderr
    root = ET.fromstring(diagrams.render_svg(Diagram("t", dot)))
    elements = {e.get("id"): e for e in root.iter() if e.get("id")}
    for i, text in enumerate(texts):
        titles = [a.get(f"{XLINK}title") for a in elements[f"node-d{i}"].iter(f"{SVG}a")]
        assert titles == [tooltip(f"d{i}: {text}")]
    no_file_reads(root)
