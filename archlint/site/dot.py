"""Writing DOT source safely and deterministically.

Model text is untrusted. It only ever reaches dot inside double-quoted
attribute values written by `quote`, never as an HTML label (`<...>`), an
attribute name or a file name, so it cannot name an image, a shape file or a
stylesheet. Inside a quoted value, `quote` escapes what dot interprets:

- `"` ends the string, so it becomes `\\"`;
- a backslash starts dot's escapes (`\\l`, `\\N`, `\\G`...) and a trailing
  one would swallow the closing quote, so each becomes `\\\\`;
- `&` starts an HTML entity even in plain labels, so it becomes `&amp;`;
- line breaks and control characters (invalid in the SVG that dot writes)
  become spaces; runs of whitespace are squeezed to one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_WHITESPACE = re.compile(r"\s+")
# C0 and C1 controls, DEL and the code points XML 1.0 forbids.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Tooltips carry descriptions; longer ones are cut so the SVG stays small.
MAX_TEXT = 300


def clean(text: str, limit: int = MAX_TEXT) -> str:
    """Text as a diagram shows it: one line, printable, at most `limit` characters."""
    one_line = _WHITESPACE.sub(" ", _UNPRINTABLE.sub(" ", text)).strip()
    if len(one_line) > limit:
        return one_line[: limit - 3].rstrip() + "..."
    return one_line


def tooltip(text: str) -> str:
    """Text for a tooltip or another attribute that is not a label.

    Outside labels, Graphviz substitutes backslash escapes such as backslash-N
    (the node's name), and its versions disagree on whether a doubled
    backslash stands for one; so backslashes are shown as the look-alike
    REVERSE SOLIDUS OPERATOR (U+29F5) instead.
    """
    return clean(text).replace("\\", "\u29f5")


def quote(text: str) -> str:
    """A DOT double-quoted string whose value shows exactly `text`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return f'"{escaped}"'


class Quoted(str):
    """A value already written as a DOT quoted string (by `label`); written as is."""

    __slots__ = ()


def label(*lines: str) -> Quoted:
    """A quoted multi-line label: each line cleaned, escaped, and centred."""
    return Quoted('"' + "\\n".join(quote(clean(line))[1:-1] for line in lines if line) + '"')


Attributes = Mapping[str, str]


def attributes(values: Attributes) -> str:
    """`[a="x", b="y"]` in sorted order; every value is quoted unless it is `Quoted`."""
    return "[" + ", ".join(f"{name}={quote_value(values[name])}" for name in sorted(values)) + "]"


@dataclass
class Cluster:
    """A subgraph drawn as a box around its nodes and clusters."""

    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    nodes: list[str] = field(default_factory=list)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    same_rank: list[list[str]] = field(default_factory=list)  # node groups kept side by side

    def child(self, name: str) -> Cluster:
        if name not in self.clusters:
            self.clusters[name] = Cluster(name)
        return self.clusters[name]


@dataclass
class Graph:
    """A directed graph: nodes, clusters and edges, written in the order they were added
    (callers add them in a deterministic order)."""

    graph_attrs: dict[str, str] = field(default_factory=dict)
    node_defaults: dict[str, str] = field(default_factory=dict)
    edge_defaults: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    root: Cluster = field(default_factory=lambda: Cluster("root"))
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def node(self, name: str, attrs: Attributes, path: Iterable[str] = ()) -> None:
        """Add a node inside the clusters named by `path`, outermost first."""
        self.nodes[name] = dict(attrs)
        cluster = self.root
        for part in path:
            cluster = cluster.child(part)
        cluster.nodes.append(name)

    def cluster(self, path: Iterable[str]) -> Cluster:
        cluster = self.root
        for part in path:
            cluster = cluster.child(part)
        return cluster

    def edge(self, tail: str, head: str, attrs: Attributes) -> None:
        self.edges.append((tail, head, dict(attrs)))

    def source(self) -> str:
        lines = ["digraph archlint {"]
        for name in sorted(self.graph_attrs):
            lines.append(f"  {name}={quote_value(self.graph_attrs[name])};")
        lines.append(f"  node {attributes(self.node_defaults)};")
        lines.append(f"  edge {attributes(self.edge_defaults)};")
        lines.extend(self._cluster_lines(self.root, "  "))
        for tail, head, attrs in self.edges:
            lines.append(f"  {quote(tail)} -> {quote(head)} {attributes(attrs)};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def _cluster_lines(self, cluster: Cluster, indent: str) -> list[str]:
        lines = []
        for name in cluster.nodes:
            lines.append(f"{indent}{quote(name)} {attributes(self.nodes[name])};")
        for group in cluster.same_rank:
            lines.append(f"{indent}{{rank=same; {' '.join(quote(name) for name in group)}}}")
        for name in cluster.clusters:
            child = cluster.clusters[name]
            lines.append(f"{indent}subgraph {quote('cluster_' + name)} {{")
            for attr in sorted(child.attrs):
                lines.append(f"{indent}  {attr}={quote_value(child.attrs[attr])};")
            lines.extend(self._cluster_lines(child, indent + "  "))
            lines.append(f"{indent}}}")
        return lines


def quote_value(value: str) -> str:
    return value if isinstance(value, Quoted) else quote(value)
