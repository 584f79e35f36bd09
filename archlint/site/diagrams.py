"""Graphviz diagrams of a model: what the site pages and `archlint graph` draw.

Every function here returns a `Diagram`: a title and deterministic DOT source
(the same model gives byte-identical DOT). `render_svg` turns it into inline
SVG with the `dot` program. Node URLs come from the caller's `link` function,
given an entity id (any kind, domains included) and returning the URL of that
entity's page, or None for no link; without `link` no node is a link.

In the SVG every entity node has the id `node-<entity id>`, every backup edge
`edge-<backup id>`, and the classes `lost`, `survives` and `evidence` mark
what a scenario or a finding highlights. Model text is escaped for DOT: no
label can use Graphviz's HTML-label syntax, escapes or images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import Scenario
from archlint.analysis.simulation import simulate
from archlint.engine.findings import Finding
from archlint.model.entities import Datastore
from archlint.model.errors import UsageError, did_you_mean
from archlint.site.dot import Graph, label
from archlint.site.drawing import (
    FONT,
    HOSTS,
    MACHINES,
    MAX_NODES,
    Link,
    Scope,
    chain_of,
    draw,
    kind_of,
)
from archlint.site.legend import EDGE_STYLES, NODE_STYLES, Legend
from archlint.site.render import find_renderer, inline_svg, render

__all__ = [
    "MAX_NODES",
    "Diagram",
    "Link",
    "datastore_diagram",
    "find_renderer",
    "finding_diagram",
    "focus_diagram",
    "keys_diagram",
    "overview_diagram",
    "render_svg",
    "scenario_diagram",
    "service_diagram",
    "site_diagram",
]


@dataclass(frozen=True)
class Diagram:
    """One diagram: its title (also drawn inside it) and its DOT source."""

    title: str
    dot: str


def overview_diagram(facts: Facts, link: Link | None = None) -> Diagram:
    """The whole architecture: failure domains as nested clusters, copies as edges.

    On models too large to draw whole, each machine is collapsed into one node
    (and, if still too large, each site) with the backups between them merged.
    Keys and people are left to the keys diagram.
    """
    scope = Scope(architecture(facts), set(facts.model.backups))
    return Diagram("Architecture overview", draw(facts, scope, "Architecture overview", link))


def site_diagram(facts: Facts, site_id: str, link: Link | None = None) -> Diagram:
    """One site: its racks, hosts, VMs inside their hypervisor, disks and what they hold.

    Copies of its data kept elsewhere (and data elsewhere copied here) are
    drawn as stub nodes named after the other site, linked to `link(site)`.
    Raises UsageError when `site_id` is not a site of the model.
    """
    domain = facts.model.domains.get(site_id)
    if domain is None or domain.kind != "site":
        sites = [d.id for d in facts.model.domains.values() if d.kind == "site"]
        raise UsageError(f"'{site_id}' is not a site of the model{did_you_mean(site_id, sites)}")
    inside = {e for e in architecture(facts) if site_id in chain_of(facts, e)}
    backups = {
        b.id
        for b in facts.model.backups.values()
        if not inside.isdisjoint(b.sources) or not inside.isdisjoint(b.targets)
    }
    title = f"Site {site_id}"
    # A site is never collapsed into one node: its hosts are, then its machines.
    scope = Scope(inside, backups, stubs=True, fallbacks=(HOSTS, MACHINES))
    return Diagram(title, draw(facts, scope, title, link))


def scenario_diagram(facts: Facts, scenario: Scenario, link: Link | None = None) -> Diagram:
    """The places the scenario touches, with what it destroys greyed (class `lost`)
    and the copies that still recover a hit datastore highlighted (class `survives`).

    The answers come from the scenario engine (archlint.analysis.simulation).
    Build the scenario with `Scenario.losing(failure_id)` or
    `Scenario(compromised=frozenset({host}))`. Small models are drawn whole;
    on large ones, the hit datastores and services and the copies of that data.
    """
    model = facts.model
    outcome = simulate(facts, scenario)
    hit = {datastore.datastore for datastore in outcome.datastores}
    entities = architecture(facts)
    # Drawn whole, every entity is a node of its own (and so is every key).
    if len(entities) + len(model.keys) > MAX_NODES:
        entities = hit | {service.service for service in outcome.services}
        for datastore_id in sorted(hit):
            entities |= copy_places(facts, model.datastores[datastore_id])
    backups = {b.id for entity_id in sorted(entities) for b in facts.backups_of(entity_id)}
    scope = Scope(entities, backups, keys=True)
    # The entities drawn and every place that may frame them as a cluster.
    places = entities | set(model.hosts) | {d.id for d in model.domains.values()}
    for entity_id in sorted(places):
        if model.kind_of(entity_id) != "service" and facts.destroyed(entity_id, scenario):
            scope.classes[entity_id] = "lost"
    scope.classes.update(dict.fromkeys(outcome.keys_lost, "lost"))
    for service in outcome.services:
        scope.classes[service.service] = "lost"
        scope.badges[service.service] = ["CAN RESTORE" if service.restorable else "CANNOT RESTORE"]
    for datastore in outcome.datastores:
        scope.badges[datastore.datastore] = ["RECOVERABLE" if datastore.recoverable else "LOST"]
        mark_survivors(facts, model.datastores[datastore.datastore], scenario, scope)
    title = "Scenario: " + describe_scenario(facts, scenario)
    return Diagram(title, draw(facts, scope, title, link))


def service_diagram(facts: Facts, service_id: str, link: Link | None = None) -> Diagram:
    """A service, its datastores and every copy path of them (for onboarding pages)."""
    service = facts.model.services[service_id]
    scope = Scope({service_id, service.host}, set(), keys=True)
    for datastore_id in service.data:
        add_copy_paths(facts, facts.model.datastores[datastore_id], scope)
    title = f"Service {service_id}: its data and copies"
    return Diagram(title, draw(facts, scope, title, link))


def datastore_diagram(facts: Facts, datastore_id: str, link: Link | None = None) -> Diagram:
    """A datastore and its copy paths: backups, repositories, where they live, their keys."""
    datastore = facts.model.datastores[datastore_id]
    scope = Scope({s.id for s in facts.users(datastore)}, set(), keys=True)
    add_copy_paths(facts, datastore, scope)
    title = f"Datastore {datastore_id}: copies"
    return Diagram(title, draw(facts, scope, title, link))


def keys_diagram(facts: Facts, link: Link | None = None, key_id: str | None = None) -> Diagram:
    """Every key (or one key and the keys of its cycles): what it unlocks and where it
    is kept; a key kept only inside data it unlocks closes a visible loop (edges of
    circular dependencies drawn bold red). A key that unlocks more than
    MAX_USERS_SHOWN things points at one node that counts them."""
    if key_id is None:
        title = "Keys: what each unlocks and where it is kept"
        keys = sorted(facts.model.keys)
    else:
        title = f"Key {key_id}: what it unlocks and where it is kept"
        cycles = [loss.cycle for loss in facts.key_losses(key_id) if loss.cause == "circular"]
        keys = sorted({key_id} | {k for cycle in cycles for k in cycle if k in facts.model.keys})
    return Diagram(title, draw_keys(facts, keys, title, link))


def finding_diagram(facts: Facts, finding: Finding, link: Link | None = None) -> Diagram:
    """The finding's entity and its surroundings, with the entities its evidence
    names highlighted (class `evidence`)."""
    model = facts.model
    named = {finding.entity} | {
        entity_id
        for text in (finding.message, *finding.evidence)
        for entity_id in QUOTED_ID.findall(text)
        if model.kind_of(entity_id) is not None
    }
    scope = around(facts, finding.entity)
    for entity_id in sorted(named):
        if entity_id in model.backups:
            backup = model.backups[entity_id]
            scope.backups.add(entity_id)
            scope.entities |= {*backup.sources, *backup.targets}
        elif model.kind_of(entity_id) != "drill":
            scope.entities.add(entity_id)
        scope.classes[entity_id] = "evidence"
    title = f"Finding {finding.name} on {finding.kind} {finding.entity}"
    return Diagram(title, draw(facts, scope, title, link))


def focus_diagram(facts: Facts, entity_id: str, link: Link | None = None) -> Diagram:
    """The diagram of one entity: a site's, a datastore's, a service's, or its surroundings."""
    kind = facts.model.kind_of(entity_id)
    if kind is None:
        raise UsageError(
            f"'{entity_id}' is not an entity of the model{did_you_mean(entity_id, all_ids(facts))}"
        )
    if kind == "domain" and facts.model.domains[entity_id].kind == "site":
        return site_diagram(facts, entity_id, link)
    if kind == "datastore":
        return datastore_diagram(facts, entity_id, link)
    if kind == "service":
        return service_diagram(facts, entity_id, link)
    if kind == "key":
        return keys_diagram(facts, link, entity_id)
    title = f"{kind.capitalize()} {entity_id}"
    scope = around(facts, entity_id)
    return Diagram(title, draw(facts, scope, title, link))


def render_svg(diagram: Diagram, timeout: float = 60.0) -> str:
    """The diagram as inline SVG (no XML prolog, no comments) rendered by `dot -Tsvg`.

    Raises UsageError (exit 2) saying how to install Graphviz when no `dot` is found,
    and when `dot` fails or times out.
    """
    return inline_svg(render(diagram.dot, "svg", timeout).decode("utf-8"))


# What the diagrams are made of.

MAX_USERS_SHOWN = 12

QUOTED_ID = re.compile(r"'([A-Za-z0-9._-]{1,64})'")


def all_ids(facts: Facts) -> list[str]:
    return [entity.id for _kind, entity in facts.model.entities()]


def architecture(facts: Facts) -> set[str]:
    """The entities the architecture diagrams place: domains but people, hosts, services,
    datastores and repositories."""
    model = facts.model
    found = {d.id for d in model.domains.values() if d.kind != "person"}
    return (
        found
        | set(model.hosts)
        | set(model.services)
        | set(model.datastores)
        | set(model.repositories)
    )


def add_copy_paths(facts: Facts, datastore: Datastore, scope: Scope) -> None:
    """The datastore, the backups along each of its copy paths and where they lead."""
    scope.entities |= copy_places(facts, datastore)
    for copy in facts.copies(datastore):
        scope.backups.update(copy.via)
    for backup in facts.protections(datastore):
        scope.backups.add(backup.id)


def copy_places(facts: Facts, datastore: Datastore) -> set[str]:
    """The datastore, the repositories holding its copies and the hosts imaged for it."""
    places = {datastore.id}
    places |= {c.repository for c in facts.copies(datastore) if c.repository is not None}
    places |= {s for b in facts.protections(datastore) for s in b.sources if s in facts.model.hosts}
    return places


def mark_survivors(facts: Facts, datastore: Datastore, scenario: Scenario, scope: Scope) -> None:
    """Highlight the copies the datastore can still be restored from, and their paths."""
    sources = {repository for repository, _how in facts.scenarios.sources(datastore, scenario)}
    for copy in facts.copies(datastore):
        if copy.repository in sources:
            if copy.repository is not None:
                scope.classes[copy.repository] = "survives"
            scope.classes.update(dict.fromkeys(copy.via, "survives"))


def around(facts: Facts, entity_id: str) -> Scope:
    """An entity and its neighbours: what it contains, uses or names, and copy paths."""
    model = facts.model
    scope = Scope({entity_id}, set(), keys=True)
    datastore = model.datastores.get(entity_id)
    if datastore is not None:
        add_copy_paths(facts, datastore, scope)
    service = model.services.get(entity_id)
    if service is not None:
        scope.entities.add(service.host)
        for datastore_id in service.data:
            add_copy_paths(facts, model.datastores[datastore_id], scope)
    if entity_id in model.hosts or entity_id in model.domains:
        scope.entities |= {e for e in architecture(facts) if entity_id in chain_of(facts, e)}
        scope.backups |= {
            b.id for b in model.backups.values() if not scope.entities.isdisjoint(b.sources)
        }
        scope.stubs = True
    if entity_id in model.repositories:
        for copy in facts.held_by(entity_id):
            scope.entities.add(copy.datastore)
            scope.backups.update(copy.via)
    backup = model.backups.get(entity_id)
    if backup is not None:
        scope.entities |= {*backup.sources, *backup.targets}
        scope.backups.add(entity_id)
    drill = model.drills.get(entity_id)
    if drill is not None:
        scope.entities = {*drill.restores, *([drill.from_] if drill.from_ else [])}
    key = model.keys.get(entity_id)
    if key is not None:
        scope.entities |= set(facts.key_users(entity_id)) | set(key.stored_in)
    return scope


def describe_scenario(facts: Facts, scenario: Scenario) -> str:
    parts = [facts.describe_failure(place) for place in sorted(scenario.lost)]
    parts += [f"compromise of host '{host}'" for host in sorted(scenario.compromised)]
    return ", ".join(parts) or "nothing happens"


def draw_keys(facts: Facts, keys: list[str], title: str, link: Link | None) -> str:
    """The keys diagram: keys, what each unlocks and where it is kept, without clusters."""
    model = facts.model
    graph = Graph()
    legend = Legend()
    circular = circular_edges(facts)
    nodes: set[str] = set()

    def node(entity_id: str) -> str:
        if entity_id not in nodes:
            nodes.add(entity_id)
            kind = kind_of(facts, entity_id)
            style = kind if kind in NODE_STYLES else "domain"
            entity = model.get(entity_id)
            detail = getattr(entity, "kind", "") if kind != "repository" else "repository"
            attrs = {
                **NODE_STYLES[style],
                "label": label(entity_id, str(detail)),
                "id": f"node-{entity_id}",
            }
            url = link(entity_id) if link is not None else None
            if url is not None:
                attrs["URL"] = url.replace("\\", "%5C")  # no Graphviz escapes in URLs
            graph.node(f"e:{entity_id}", attrs)
            legend.nodes.add(style)
        return f"e:{entity_id}"

    def edge(tail: str, head: str, relation: str, words: str = "") -> None:
        style = "circular" if (tail, head) in circular else relation
        attrs = {**EDGE_STYLES[style], "id": f"{relation.replace(' ', '-')}-{tail}-{head}"}
        if words:
            attrs["label"] = label(words)
        graph.edge(node(tail), node(head), attrs)
        legend.edges.add(style)

    for key_id in keys:
        node(key_id)
        users = facts.key_users(key_id)
        if len(users) > MAX_USERS_SHOWN:
            many = label(f"{len(users)} datastores and repositories")
            graph.node(f"users:{key_id}", {**NODE_STYLES["group"], "label": many})
            attrs = {**EDGE_STYLES["unlocks"], "id": f"unlocks-{key_id}"}
            graph.edge(node(key_id), f"users:{key_id}", attrs)
            legend.nodes.add("group")
            legend.edges.add("unlocks")
            users = []
        for user in users:
            edge(key_id, user, "unlocks")
        for place in sorted(model.keys[key_id].stored_in):
            edge(key_id, place, "kept in", "kept in")
    for tail, head in sorted(circular):
        if head in keys and tail in nodes:
            edge(tail, head, "needs", "needs")
    graph.graph_attrs.update(
        {"label": label(title), "labelloc": "t", "labeljust": "l", "fontname": FONT}
    )
    graph.graph_attrs.update({"fontsize": "20", "rankdir": "LR", "id": "diagram"})
    graph.node_defaults.update({"fontname": FONT, "fontsize": "11"})
    graph.edge_defaults.update({"fontname": FONT, "fontsize": "9"})
    legend.draw(graph)
    return graph.source()


def circular_edges(facts: Facts) -> set[tuple[str, str]]:
    """The (from, to) pairs of every key cycle the scenario engine found: key -> place
    -> key ..., as rule circular-key-dependency reports them."""
    pairs: set[tuple[str, str]] = set()
    for key_id in facts.model.keys:
        for loss in facts.key_losses(key_id):
            if loss.cause == "circular":
                pairs.update(zip(loss.cycle, loss.cycle[1:], strict=False))
    return pairs
