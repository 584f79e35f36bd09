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

from collections.abc import Callable
from dataclasses import dataclass

from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import Scenario
from archlint.engine.findings import Finding

# Given an entity id, the URL of its page (or None: the node is not a link).
Link = Callable[[str], str | None]

# A diagram is cut down (hosts collapsed, or split per site) above this many nodes.
MAX_NODES = 300


@dataclass(frozen=True)
class Diagram:
    """One diagram: its title (also drawn inside it) and its DOT source."""

    title: str
    dot: str


def overview_diagram(facts: Facts, link: Link | None = None) -> Diagram:
    """The whole architecture: failure domains as nested clusters, copies as edges.

    On models too large to draw whole, each host is collapsed into one node
    (and, if still too large, each site) with the backups between them merged.
    """
    raise NotImplementedError


def site_diagram(facts: Facts, site_id: str, link: Link | None = None) -> Diagram:
    """One site: its racks, hosts, VMs inside their hypervisor, disks and what they hold.

    Copies of its data kept elsewhere (and data elsewhere copied here) are
    drawn as stub nodes named after the other site, linked to `link(site)`.
    """
    raise NotImplementedError


def scenario_diagram(facts: Facts, scenario: Scenario, link: Link | None = None) -> Diagram:
    """The places the scenario touches, with what it destroys greyed (class `lost`)
    and the copies that still recover a hit datastore highlighted (class `survives`).

    The answers come from the scenario engine (archlint.analysis.simulation).
    Build the scenario with `Scenario.losing(failure_id)` or
    `Scenario(compromised=frozenset({host}))`.
    """
    raise NotImplementedError


def service_diagram(facts: Facts, service_id: str, link: Link | None = None) -> Diagram:
    """A service, its datastores and every copy path of them (for onboarding pages)."""
    raise NotImplementedError


def datastore_diagram(facts: Facts, datastore_id: str, link: Link | None = None) -> Diagram:
    """A datastore and its copy paths: backups, repositories, where they live, their keys."""
    raise NotImplementedError


def keys_diagram(facts: Facts, link: Link | None = None) -> Diagram:
    """Every key: what it unlocks and where it is kept; a key kept only inside data it
    unlocks closes a visible loop (edges of circular dependencies drawn bold red)."""
    raise NotImplementedError


def finding_diagram(facts: Facts, finding: Finding, link: Link | None = None) -> Diagram:
    """The finding's entity and its surroundings, with the entities its evidence
    names highlighted (class `evidence`)."""
    raise NotImplementedError


def render_svg(diagram: Diagram, timeout: float = 60.0) -> str:
    """The diagram as inline SVG (no XML prolog, no comments) rendered by `dot -Tsvg`.

    Raises UsageError (exit 2) saying how to install Graphviz when no `dot` is found,
    and when `dot` fails or times out.
    """
    raise NotImplementedError


def find_renderer() -> str:
    """The path of the `dot` program, or UsageError saying how to install Graphviz.

    Call it once before building a site, so no half-built site is ever published.
    """
    raise NotImplementedError
