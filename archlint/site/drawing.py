"""Drawing a chosen part of a model as DOT: the engine behind every diagram.

A `Scope` says which entities and backups a diagram shows and what it
highlights. `draw` places each entity inside its failure domains (region >
site > rack > host > VM > disk, as nested clusters), draws backups as edges
styled by method, and collapses machines, then sites, into single nodes when
the diagram would otherwise have more than MAX_NODES nodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from archlint.analysis.facts import Facts
from archlint.model.entities import Backup, Datastore, Domain, Entity, Host, Repository, Service
from archlint.site.dot import Cluster, Graph, label, tooltip
from archlint.site.legend import CLASS_STYLES, EDGE_STYLES, NODE_STYLES, Legend

Link = Callable[[str], str | None]
MAX_NODES = 300
MAX_LABELLED_EDGES = 150
WRAP = 8  # nodes per column in crowded clusters of collapsed diagrams
FONT = "Helvetica"
DOMAIN_FILL = {
    "region": "#f8f9fa",
    "site": "#fdfdfd",
    "room": "#f8f9fa",
    "rack": "#f1f3f4",
    "disk": "#ffffff",
}
# Detail levels, tried in order until the diagram is small enough: everything;
# each host one node (VMs still inside their hypervisor); each physical machine
# one node; each site one node.
FULL, HOSTS, MACHINES, SITES = 0, 1, 2, 3


@dataclass
class Scope:
    """What one diagram shows."""

    entities: set[str]
    backups: set[str]
    classes: dict[str, str] = field(default_factory=dict)  # entity or backup id -> class
    badges: dict[str, list[str]] = field(default_factory=dict)  # entity id -> extra badges
    stubs: bool = False  # backup ends outside `entities` become stubs named after their site
    keys: bool = False  # draw the keys of drawn datastores and repositories
    # The less detailed levels the diagram may fall back to, in order.
    fallbacks: tuple[int, ...] = (MACHINES, SITES)


def draw(facts: Facts, scope: Scope, title: str, link: Link | None) -> str:
    """The DOT source of the scope, at the most detailed level that fits MAX_NODES."""
    drawing = Drawing(facts, scope, FULL, link)
    for level in scope.fallbacks:
        if drawing.node_count() <= MAX_NODES:
            break
        drawing = Drawing(facts, scope, level, link)
    return drawing.source(title)


def chain_of(facts: Facts, entity_id: str) -> tuple[str, ...]:
    """The entity followed by the places that contain it, innermost first."""
    entity = facts.model.get(entity_id)
    if isinstance(entity, (Datastore, Repository)):
        return (entity_id, *facts.placement(entity_id).chain)
    if isinstance(entity, Service):
        return (entity_id, *facts.placement(entity.host).chain)
    if isinstance(entity, Host) or (isinstance(entity, Domain) and entity.kind != "person"):
        return facts.placement(entity_id).chain
    return (entity_id,)


def plural(kind: str, count: int) -> str:
    if count == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def kind_of(facts: Facts, entity_id: str) -> str:
    entity = facts.model.get(entity_id)
    if isinstance(entity, Domain) and entity.kind == "person":
        return "person"
    return facts.model.kind_of(entity_id) or "entity"


class Drawing:
    def __init__(self, facts: Facts, scope: Scope, level: int, link: Link | None) -> None:
        self.facts = facts
        self.model = facts.model
        self.scope = scope
        self.level = level
        self.link = link
        self.legend = Legend()
        self.graph = Graph()
        entities = set(scope.entities)
        if scope.keys:
            entities |= self._keys_of(entities)
        # Each entity drawn, mapped to the node that stands for it and the clusters around it.
        self.anchors = {e: self._anchor(e) for e in sorted(entities)}
        self.members: dict[str, list[str]] = defaultdict(list)
        self.paths: dict[str, tuple[str, ...]] = {}
        for entity_id, (node, path) in self.anchors.items():
            self.members[node].append(entity_id)
            self.paths[node] = path
        self.containers = {c for path in self.paths.values() for c in path}
        self.stubs: set[str] = set()

    def _keys_of(self, entities: Iterable[str]) -> set[str]:
        keys = set()
        for entity_id in entities:
            entity = self.model.get(entity_id)
            if isinstance(entity, (Datastore, Repository)) and entity.key is not None:
                keys.add(entity.key)
        return keys

    def _anchor(self, entity_id: str) -> tuple[str, tuple[str, ...]]:
        chain = chain_of(self.facts, entity_id)
        if self.level >= HOSTS:
            chain = self._cut(chain, lambda link: link in self.model.hosts)
        if self.level >= MACHINES:
            chain = self._cut(chain, self._is_machine)
        if self.level >= SITES:
            chain = self._cut(chain, self._is_site)
        path = tuple(c for c in reversed(chain[1:]) if self._is_container(c))
        return chain[0], path

    @staticmethod
    def _cut(chain: tuple[str, ...], test: Callable[[str], bool]) -> tuple[str, ...]:
        for index, link in enumerate(chain):
            if test(link):
                return chain[index:]
        return chain

    def _is_machine(self, entity_id: str) -> bool:
        host = self.model.hosts.get(entity_id)
        return host is not None and host.hypervisor is None

    def _is_site(self, entity_id: str) -> bool:
        domain = self.model.domains.get(entity_id)
        return domain is not None and domain.kind == "site"

    def _is_container(self, entity_id: str) -> bool:
        domain = self.model.domains.get(entity_id)
        return entity_id in self.model.hosts or (domain is not None and domain.kind != "person")

    def node_count(self) -> int:
        return len(self.members)

    # Writing the DOT source.

    def source(self, title: str) -> str:
        graph = self.graph
        graph.graph_attrs.update(
            {
                "label": label(title),
                "labelloc": "t",
                "labeljust": "l",
                "fontname": FONT,
                "fontsize": "20",
                "rankdir": "LR",
                "nodesep": "0.25",
                "ranksep": "0.5",
                "newrank": "true",
                "id": "diagram",
            }
        )
        graph.node_defaults.update({"fontname": FONT, "fontsize": "11", "margin": "0.08,0.04"})
        graph.edge_defaults.update({"fontname": FONT, "fontsize": "9", "color": "#5f6368"})
        for container in sorted(self.containers):
            self._cluster(container)
        for node in sorted(self.members):
            self._node(node)
        if self.level > FULL:
            self._wrap(graph.root)
        self._backup_edges()
        self._data_edges()
        self._key_edges()
        self.legend.draw(graph)
        return graph.source()

    def _wrap(self, cluster: Cluster) -> None:
        """Lay the nodes of a crowded cluster out in columns of WRAP.

        Collapsed nodes mostly have edges to the same few repositories, so dot
        would put them all in one rank: a column thousands of pixels tall.
        Invisible edges from each node to the one WRAP places further push
        them into successive ranks instead.
        """
        for child in cluster.clusters.values():
            self._wrap(child)
        if cluster is self.graph.root:
            return
        for upper, lower in zip(cluster.nodes, cluster.nodes[WRAP:], strict=False):
            self.graph.edge(upper, lower, {"style": "invis"})

    def _path_of(self, container: str) -> tuple[str, ...]:
        return (*self._anchor(container)[1], container)

    def _cluster(self, container: str) -> None:
        cluster = self.graph.cluster(self._path_of(container))
        css = self.scope.classes.get(container)
        if container in self.model.hosts:
            cluster.attrs.update({"style": "rounded", "color": "#9aa0a6"})
            if container in self.members:
                # The host's own node, inside, names it; the frame only groups.
                frame = {"label": "", "id": f"cluster-{container}"}
                cluster.attrs.update({**frame, "tooltip": self._tooltip(container)})
            else:
                host = self.model.hosts[container]
                cluster.attrs.update(
                    {
                        "label": label(f"{container} ({host.kind})"),
                        "labeljust": "l",
                        "fontname": FONT,
                        "fontsize": "11",
                        "id": f"node-{container}",
                        "tooltip": self._tooltip(container),
                    }
                )
                self._link(cluster.attrs, container)
            if css == "lost":
                cluster.attrs.update({"style": "rounded,filled", "fillcolor": "#eeeeee"})
            return
        domain = self.model.domains[container]
        words = f"{container} ({domain.kind})" + (" [OFFLINE]" if domain.offline else "")
        self.legend.offline |= domain.offline
        cluster.attrs.update(
            {
                "label": label(words, *self.scope.badges.get(container, ())),
                "labeljust": "l",
                "style": "rounded,filled,dashed" if domain.offline else "rounded,filled",
                "fillcolor": DOMAIN_FILL.get(domain.kind, "#ffffff"),
                "color": "#5f6368",
                "fontname": FONT,
                "fontsize": "12",
                "id": f"node-{container}",
                "tooltip": self._tooltip(container),
            }
        )
        self._link(cluster.attrs, container)
        if css is not None:
            cluster.attrs.update(CLASS_STYLES[css])
            cluster.attrs["class"] = css
            self.legend.classes.add(css)

    def _node(self, node: str) -> None:
        path = self.paths[node]
        members = self.members[node]
        if node in self.containers:
            if node in self.model.domains:
                return  # the domain's cluster stands for it
            path = (*path, node)
        collapsed = len(members) > 1
        kind = "group" if collapsed else self._style_kind(node)
        lines = self._summary(node, members) if collapsed else self._lines(node)
        badges = self._badges(node)
        if badges:
            lines.append(" ".join(f"[{badge}]" for badge in badges))
        style = NODE_STYLES[kind]
        if kind == "domain" and badges.count("OFFLINE"):
            style = {**style, "style": "filled,dashed"}
        attrs = {
            **style,
            "label": label(*lines),
            "id": f"node-{node}",
            "tooltip": self._tooltip(node),
        }
        self.legend.nodes.add(kind)
        self._link(attrs, node)
        css = self.scope.classes.get(node)
        if css is not None:
            attrs.update(CLASS_STYLES[css])
            attrs["class"] = css
            self.legend.classes.add(css)
        self.graph.node(f"e:{node}", attrs, path)

    def _style_kind(self, node: str) -> str:
        kind = kind_of(self.facts, node)
        return kind if kind in NODE_STYLES else "domain"

    def _lines(self, node: str) -> list[str]:
        entity = self.model.get(node)
        if isinstance(entity, Host):
            return [node, entity.kind]
        if isinstance(entity, Service):
            return [node, f"service, {self.facts.service_criticality(entity)}"]
        if isinstance(entity, Datastore):
            what = f"{entity.kind} {entity.engine}" if entity.engine else entity.kind
            return [node, f"{what} {entity.size}" if entity.size else what]
        if isinstance(entity, Repository):
            return [node, f"{entity.tool} {entity.media}" if entity.media else entity.tool]
        if isinstance(entity, Domain):
            return [node, entity.kind]
        kind = self.model.kind_of(node) or ""
        detail = getattr(entity, "kind", "")
        return [node, f"{detail} {kind}".strip()]

    def _summary(self, node: str, members: list[str]) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        for member in members:
            if member != node:
                counts[self.model.kind_of(member) or "entity"] += 1
        words = ", ".join(
            f"{count} {plural(kind, count)}" for kind, count in sorted(counts.items())
        )
        return [*self._lines(node), words]

    def _badges(self, node: str) -> list[str]:
        entity = self.model.get(node)
        badges = []
        if isinstance(entity, Repository):
            if entity.key is None:
                badges.append("UNENCRYPTED")
            if entity.immutable:
                badges.append("IMMUTABLE")
            if self.facts.placement(node).offline:
                badges.append("OFFLINE")
        if isinstance(entity, Datastore) and not self.facts.protections(entity):
            badges.append("NO BACKUP")
        if isinstance(entity, Domain) and entity.offline:
            badges.append("OFFLINE")
        return badges + self.scope.badges.get(node, [])

    def _tooltip(self, entity_id: str) -> str:
        entity = self.model.get(entity_id)
        description = entity.description if isinstance(entity, Entity) else None
        return tooltip(f"{entity_id}: {description}" if description else entity_id)

    def _link(self, attrs: dict[str, str], entity_id: str) -> None:
        url = self.link(entity_id) if self.link is not None else None
        if url is not None:
            attrs["URL"] = url.replace("\\", "%5C")  # no Graphviz escapes in URLs

    # Edges.

    def _end(self, entity_id: str) -> str | None:
        """The node a backup edge starts or ends at; a stub when the entity is not drawn."""
        if entity_id in self.anchors:
            return f"e:{self.anchors[entity_id][0]}"
        if not self.scope.stubs:
            return None
        site = self.facts.placement(entity_id).site or "elsewhere"
        if site not in self.stubs:
            self.stubs.add(site)
            attrs = {
                **NODE_STYLES["stub"],
                "label": label("elsewhere" if site == "elsewhere" else f"site {site}"),
                "id": f"stub-{site}",
            }
            if site != "elsewhere":
                self._link(attrs, site)
            self.graph.node(f"stub:{site}", attrs)
            self.legend.nodes.add("stub")
        return f"stub:{site}"

    def _backup_edges(self) -> None:
        # At full detail each backup is an edge of its own; collapsed, alike ones merge,
        # and in crowded diagrams all those between two nodes.
        groups: dict[tuple[str, ...], list[Backup]] = defaultdict(list)
        for backup_id in sorted(self.scope.backups):
            backup = self.model.backups[backup_id]
            # A job with several sources or targets is one edge per pair; the first
            # keeps the id `edge-<backup>`, the others are numbered after it.
            ends = [(s, t) for s in backup.sources for t in backup.targets or [s]]
            for index, (source_id, target_id) in enumerate(ends):
                source, target = self._end(source_id), self._end(target_id)
                if source is None or target is None:
                    continue
                tail, head = (target, source) if backup.mode == "pull" else (source, target)
                if tail == head and self._collapsed(tail):
                    continue  # inside one collapsed machine or site
                alone = (
                    "" if self.level != FULL else backup_id if not index else f"{backup_id}-{index}"
                )
                groups[(tail, head, backup.method, backup.mode, alone)].append(backup)
        if self.level > FULL and len(groups) > MAX_LABELLED_EDGES:
            pairs: dict[tuple[str, ...], list[Backup]] = defaultdict(list)
            for key in sorted(groups):
                pairs[key[:2]].extend(groups[key])
            groups = pairs
        # Each edge label takes a place in dot's ranks: hundreds of them make a
        # diagram thousands of pixels tall, so crowded diagrams keep them in tooltips.
        labelled = len(groups) <= MAX_LABELLED_EDGES
        for key in sorted(groups):
            alone = key[4] if len(key) > 4 else ""
            self._backup_edge(key[0], key[1], groups[key], labelled, alone)

    def _collapsed(self, node: str) -> bool:
        return node.startswith("e:") and len(self.members[node[2:]]) > 1

    def _backup_edge(
        self, tail: str, head: str, backups: list[Backup], labelled: bool, alone: str
    ) -> None:
        first = backups[0]
        methods = sorted({(b.method, b.mode) for b in backups})
        method, mode = methods[0] if len(methods) == 1 else ("several", "push")
        pull = "pull " if mode == "pull" else ""
        if len(backups) == 1:
            when = first.schedule or (f"after {first.after}" if first.after else "unscheduled")
            words = f"{pull}{method} {when}"
            attrs = {"id": f"edge-{alone or first.id}", "tooltip": self._tooltip(first.id)}
            self._link(attrs, first.id)
        else:
            words = f"{pull}{method} x{len(backups)}"
            ends = f"{tail.split(':', 1)[1]}-{head.split(':', 1)[1]}"
            slug = f"{ends}-{method}-{mode}" if len(methods) == 1 else ends
            attrs = {"id": f"edges-{slug}"}
            attrs["tooltip"] = tooltip(f"{words}: " + ", ".join(b.id for b in backups))
        attrs.update(EDGE_STYLES[method])
        if labelled:
            attrs["label"] = label(words)
        self.legend.edges.add(method)
        self.legend.pull |= mode == "pull"
        css = self.scope.classes.get(first.id) if len(backups) == 1 else None
        if css is not None:
            attrs.update(CLASS_STYLES[css])
            attrs["class"] = css
            self.legend.classes.add(css)
        self.graph.edge(tail, head, attrs)

    def _drawn_alone(self, entity_id: str) -> bool:
        anchor = self.anchors.get(entity_id)
        return (
            anchor is not None and anchor[0] == entity_id and not self._collapsed(f"e:{entity_id}")
        )

    def _data_edges(self) -> None:
        for service_id in sorted(self.model.services):
            if not self._drawn_alone(service_id):
                continue
            for datastore_id in sorted(set(self.model.services[service_id].data)):
                if self._drawn_alone(datastore_id):
                    attrs = {**EDGE_STYLES["data"], "id": f"data-{service_id}-{datastore_id}"}
                    self.graph.edge(f"e:{service_id}", f"e:{datastore_id}", attrs)
                    self.legend.edges.add("data")

    def _key_edges(self) -> None:
        if not self.scope.keys:
            return
        for entity_id in sorted(self.anchors):
            entity = self.model.get(entity_id)
            if not isinstance(entity, (Datastore, Repository)) or entity.key is None:
                continue
            if self._drawn_alone(entity_id):
                attrs = {**EDGE_STYLES["unlocks"], "id": f"unlocks-{entity.key}-{entity_id}"}
                self.graph.edge(f"e:{entity.key}", f"e:{entity_id}", attrs)
                self.legend.edges.add("unlocks")
