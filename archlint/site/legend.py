"""How diagrams draw each kind of thing, and the legend of what one diagram uses.

Every style is told apart by shape or line pattern as well as by colour, so
the diagrams read in greyscale and for colour-blind readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.site.dot import Graph, label

# Node styles by what the node stands for.
NODE_STYLES: dict[str, dict[str, str]] = {
    "service": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f0fe"},
    "datastore": {"shape": "cylinder", "style": "filled", "fillcolor": "#fef7e0"},
    "repository": {"shape": "folder", "style": "filled", "fillcolor": "#e6f4ea"},
    "key": {"shape": "note", "style": "filled", "fillcolor": "#fce8e6"},
    "host": {"shape": "box3d", "style": "filled", "fillcolor": "#f1f3f4"},
    "person": {"shape": "egg", "style": "filled", "fillcolor": "#f3e8fd"},
    "domain": {"shape": "tab", "style": "filled", "fillcolor": "#ffffff"},
    "group": {"shape": "box3d", "style": "filled,bold", "fillcolor": "#f1f3f4"},
    "stub": {"shape": "cds", "style": "filled,dashed", "fillcolor": "#ffffff"},
}
NODE_WORDS = {
    "service": "service",
    "datastore": "datastore",
    "repository": "repository",
    "key": "key",
    "host": "host",
    "person": "person",
    "domain": "domain (empty)",
    "group": "collapsed machine or site",
    "stub": "elsewhere (link)",
}

# Edge styles: one per backup method, then the other relations diagrams draw.
EDGE_STYLES: dict[str, dict[str, str]] = {
    "dump": {"color": "#1a73e8", "style": "solid", "arrowhead": "normal"},
    "file": {"color": "#188038", "style": "solid", "arrowhead": "vee"},
    "image": {"color": "#9334e6", "style": "bold", "arrowhead": "empty"},
    "snapshot": {"color": "#5f6368", "style": "dashed", "arrowhead": "dot"},
    "replication": {"color": "#e8710a", "style": "bold", "arrowhead": "normalnormal"},
    "copy": {"color": "#b06000", "style": "dashed", "arrowhead": "vee"},
    "git": {"color": "#202124", "style": "dotted", "arrowhead": "odiamond"},
    "several": {"color": "#3c4043", "style": "tapered", "penwidth": "3", "arrowhead": "none"},
    "data": {"color": "#9aa0a6", "style": "dotted", "arrowhead": "none"},
    "unlocks": {"color": "#c5221f", "style": "dashed", "arrowhead": "odot"},
    "kept in": {"color": "#5f6368", "style": "dotted", "arrowhead": "tee"},
    "circular": {"color": "#c5221f", "style": "bold", "arrowhead": "normal", "penwidth": "2.5"},
}
EDGE_WORDS = {
    "dump": "backup: dump",
    "file": "backup: file",
    "image": "backup: image",
    "snapshot": "backup: snapshot",
    "replication": "backup: replication",
    "copy": "backup: copy",
    "git": "backup: git",
    "several": "backups of several methods",
    "data": "service uses data",
    "unlocks": "key unlocks",
    "kept in": "key kept in",
    "circular": "circular: needs itself",
}

INVISIBLE = {"style": "invis"}
COLUMN = 6  # legend samples per column before a second one starts
SMALL = {"fontsize": "9", "height": "0.3", "margin": "0.05,0.02"}
POINT = {"shape": "point", "width": "0.06", "label": label("")}

# What a scenario or a finding highlights, as node and edge attributes.
CLASS_STYLES: dict[str, dict[str, str]] = {
    "lost": {"fillcolor": "#e0e0e0", "fontcolor": "#757575", "color": "#9e9e9e"},
    "survives": {"color": "#188038", "penwidth": "3"},
    "evidence": {"color": "#d93025", "penwidth": "3"},
}
CLASS_WORDS = {
    "lost": "lost in this scenario",
    "survives": "survives: restore from here",
    "evidence": "named by the finding",
}


@dataclass
class Legend:
    """What a diagram used, in the order it was first used within each group."""

    nodes: set[str] = field(default_factory=set)
    edges: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    pull: bool = False
    offline: bool = False

    def draw(self, graph: Graph) -> None:
        """A `Legend` cluster with one sample per node kind, edge style and highlight used.

        Every sample is a pair: a point on the left, joined to the shape or the
        words on the right by the edge style shown (invisible for shapes). The
        points share one rank, so in a left-to-right layout the samples stack
        in a column, in the order below.
        """
        legend = graph.cluster(["legend"])
        legend.attrs.update(
            {
                "label": "Legend",
                "style": "rounded",
                "color": "#9aa0a6",
                "fontsize": "12",
                "id": "legend",
            }
        )
        samples: list[tuple[str, dict[str, str], dict[str, str]]] = []
        for kind, words in NODE_WORDS.items():
            if kind in self.nodes:
                samples.append((kind, {**NODE_STYLES[kind], "label": label(words)}, INVISIBLE))
        for name, words in CLASS_WORDS.items():
            if name in self.classes:
                style = {**NODE_STYLES["domain"], **CLASS_STYLES[name], "class": name}
                samples.append((name, {**style, "label": label(words)}, INVISIBLE))
        if self.offline:
            offline = {"shape": "box", "style": "rounded,dashed", "label": label("offline")}
            samples.append(("offline", offline, INVISIBLE))
        for name, words in EDGE_WORDS.items():
            if name in self.edges:
                samples.append(
                    (name, {"shape": "plaintext", "label": label(words)}, EDGE_STYLES[name])
                )
        if self.pull:
            words = label("pull: drawn from the puller")
            samples.append(("pull", {"shape": "plaintext", "label": words}, EDGE_STYLES["file"]))
        for name, sample, edge in samples:
            slug = name.replace(" ", "-")
            point = POINT if edge is not INVISIBLE else {**POINT, **INVISIBLE}
            graph.node(f"legend:{name}:from", point, ["legend"])
            compact = {**sample, **SMALL, "id": f"legend-{slug}", "tooltip": "legend"}
            graph.node(f"legend:{name}", compact, ["legend"])
            graph.edge(
                f"legend:{name}:from", f"legend:{name}", {**edge, "id": f"legend-edge-{slug}"}
            )
        # Two columns when there are many samples: the second column's points are
        # pushed one rank past the first column's samples by invisible edges.
        half = (len(samples) + 1) // 2 if len(samples) > COLUMN else len(samples)
        names = [name for name, _sample, _edge in samples]
        legend.same_rank.append([f"legend:{name}:from" for name in names[:half]])
        if names[half:]:
            legend.same_rank.append([f"legend:{name}:from" for name in names[half:]])
            for left, right in zip(names[:half], names[half:], strict=False):
                graph.edge(f"legend:{left}", f"legend:{right}:from", INVISIBLE)
