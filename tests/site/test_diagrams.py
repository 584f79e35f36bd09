"""Diagrams: golden DOT of the shipped models, SVG parsed, collapsing, `archlint graph`."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.analysis.facts import Facts
from archlint.analysis.scenarios import Scenario
from archlint.engine.findings import Finding
from archlint.model.errors import Location, UsageError
from archlint.site import diagrams
from archlint.site.diagrams import Diagram
from tests.conftest import Run, facts_of
from tests.site.conftest import require_program

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def page(entity_id: str) -> str:
    return f"/entities/{entity_id}/"


def homelab() -> Facts:
    return facts_of(ROOT / "models" / "homelab")


def reference() -> Facts:
    return facts_of(ROOT / "models" / "reference")


GOLDEN_CASES: dict[str, Callable[[], Diagram]] = {
    "homelab-overview": lambda: diagrams.overview_diagram(homelab(), page),
    "homelab-site-house": lambda: diagrams.site_diagram(homelab(), "house", page),
    "homelab-lose-house": lambda: diagrams.scenario_diagram(
        homelab(), Scenario.losing("house"), page
    ),
    "homelab-keys": lambda: diagrams.keys_diagram(homelab(), page),
    "homelab-datastore-vaultwarden-data": lambda: diagrams.datastore_diagram(
        homelab(), "vaultwarden-data", page
    ),
    "homelab-service-immich": lambda: diagrams.service_diagram(homelab(), "immich", page),
    "reference-overview": lambda: diagrams.overview_diagram(reference(), page),
    "reference-keys": lambda: diagrams.keys_diagram(reference(), page),
    "reference-site-office": lambda: diagrams.site_diagram(reference(), "office", page),
    "reference-compromise-nas1": lambda: diagrams.scenario_diagram(
        reference(), Scenario(compromised=frozenset({"nas1"})), page
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_dot_matches_the_golden_file(name: str) -> None:
    """Set ARCHLINT_UPDATE_GOLDEN=1 to rewrite the files after an intended change."""
    dot = GOLDEN_CASES[name]().dot
    golden = GOLDEN / f"{name}.dot"
    if os.environ.get("ARCHLINT_UPDATE_GOLDEN") == "1":
        golden.write_text(dot, encoding="utf-8")
    assert dot == golden.read_text(encoding="utf-8")


def test_the_same_model_gives_byte_identical_dot() -> None:
    first, second = homelab(), homelab()
    assert diagrams.overview_diagram(first).dot == diagrams.overview_diagram(second).dot
    assert diagrams.keys_diagram(first).dot == diagrams.keys_diagram(second).dot


def parse(svg: str) -> ET.Element:
    assert not svg.lstrip().startswith("<?xml")
    assert "<!--" not in svg and "<!DOCTYPE" not in svg
    return ET.fromstring(svg)


def by_id(root: ET.Element) -> dict[str, ET.Element]:
    return {element.get("id", ""): element for element in root.iter() if element.get("id")}


def classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def legend(elements: dict[str, ET.Element]) -> str:
    """The legend's words (dot writes a cluster's nodes beside it, not inside)."""
    return " ".join(" ".join(texts(e)) for name, e in elements.items() if name.startswith("legend"))


@pytest.mark.usefixtures("dot_program")
def test_overview_svg_has_a_node_per_entity_an_edge_per_backup_and_links() -> None:
    facts = homelab()
    root = parse(diagrams.render_svg(diagrams.overview_diagram(facts, page)))
    assert root.tag == f"{SVG}svg"
    elements = by_id(root)
    model = facts.model
    drawn = [*model.domains, *model.hosts, *model.services, *model.datastores]
    drawn += list(model.repositories)
    for entity_id in drawn:
        if model.domains.get(entity_id, None) and model.domains[entity_id].kind == "person":
            continue
        element = elements[f"node-{entity_id}"]
        links = [a.get(f"{XLINK}href") for a in element.iter(f"{SVG}a")]
        assert page(entity_id) in links, entity_id
    for backup_id in model.backups:
        assert "edge" in classes(elements[f"edge-{backup_id}"])
    assert "Architecture overview" in texts(root)
    assert "[UNENCRYPTED]" in texts(elements["node-storagebox"])
    assert "nas-usb (disk) [OFFLINE]" in texts(elements["node-nas-usb"])
    # The legend shows what the diagram uses, and only that.
    words = legend(elements)
    assert "backup: snapshot" in words and "backup: replication" not in words
    assert "key" not in words.split()


@pytest.mark.usefixtures("dot_program")
def test_scenario_svg_greys_what_is_lost_and_highlights_the_surviving_copy() -> None:
    facts = homelab()
    svg = diagrams.render_svg(diagrams.scenario_diagram(facts, Scenario.losing("house"), page))
    elements = by_id(parse(svg))
    assert "lost" in classes(elements["node-nas-restic"])
    assert "lost" in classes(elements["node-house"])
    # The photos survive only in the Storage Box, through the rclone sync.
    assert "survives" in classes(elements["node-storagebox"])
    assert "survives" in classes(elements["edge-immich-library-rclone"])
    assert "lost" not in classes(elements["node-hetzner-fsn"])
    assert "[RECOVERABLE]" in texts(elements["node-immich-library"])
    assert "[NO BACKUP] [LOST]" in texts(elements["node-authelia-db"])
    assert "Scenario: loss of site 'house'" in texts(parse(svg))


@pytest.mark.usefixtures("dot_program")
def test_keys_svg_draws_the_circular_dependency() -> None:
    root = parse(diagrams.render_svg(diagrams.keys_diagram(homelab(), page)))
    elements = by_id(root)
    loop = elements["kept-in-borg-passphrase-vaultwarden-data"]
    back = elements["needs-vaultwarden-data-borg-passphrase"]
    red = "#c5221f"
    assert all(red in ET.tostring(edge, encoding="unicode") for edge in (loop, back))
    plain = elements["kept-in-restic-password-nas"]
    assert red not in ET.tostring(plain, encoding="unicode")
    assert "circular: needs itself" in legend(elements)


@pytest.mark.usefixtures("dot_program")
def test_finding_svg_marks_the_evidence() -> None:
    finding = Finding(
        location=Location("nas.yaml", 1, 1),
        rule="AL000",
        name="some-rule",
        entity="immich-library",
        kind="datastore",
        severity="high",
        message="datastore 'immich-library' is only copied to repository 'nas-restic'",
        evidence=("backup 'immich-library-restic': file", "repository 'no-such-thing'"),
    )
    elements = by_id(parse(diagrams.render_svg(diagrams.finding_diagram(homelab(), finding))))
    for element_id in ("node-immich-library", "node-nas-restic", "edge-immich-library-restic"):
        assert "evidence" in classes(elements[element_id])
    assert "evidence" not in classes(elements["node-storagebox"])


@pytest.mark.usefixtures("dot_program")
def test_the_same_diagram_gives_byte_identical_svg() -> None:
    diagram = diagrams.scenario_diagram(reference(), Scenario.losing("office"), page)
    assert diagrams.render_svg(diagram) == diagrams.render_svg(diagram)


def test_site_diagram_draws_copies_elsewhere_as_linked_stubs() -> None:
    dot = diagrams.site_diagram(homelab(), "hetzner-fsn", page).dot
    assert '"stub:house"' in dot
    assert 'URL="/entities/house/"' in dot
    assert '"e:nas-restic"' not in dot  # lives in the house: a stub stands for it
    with pytest.raises(UsageError, match="not a site"):
        diagrams.site_diagram(homelab(), "nas")


def node_count(dot: str) -> int:
    return len(re.findall(r'^\s*"(?:e|stub):[^"]+" \[', dot, re.MULTILINE))


def large_model(hosts: int) -> str:
    """`hosts` machines in two sites, each with two datastores backed up to a shared repository."""
    lines = [
        "archlint: 1",
        "domains:",
        "  a: {kind: site}",
        "  b: {kind: site}",
        "hosts:",
        "  backup: {kind: nas, in: b}",
    ]
    lines += [f"  h{i}: {{kind: server, in: {'a' if i % 2 else 'b'}}}" for i in range(hosts)]
    lines += ["repositories:", "  repo: {tool: restic, host: backup, key: k}"]
    lines += ["keys:", "  k: {kind: passphrase, stored_in: [b]}", "datastores:"]
    lines += [f"  d{i}-{j}: {{kind: files, host: h{i}}}" for i in range(hosts) for j in (1, 2)]
    lines += ["backups:"]
    lines += [
        f"  b{i}-{j}: {{source: d{i}-{j}, target: repo, method: file, schedule: daily}}"
        for i in range(hosts)
        for j in (1, 2)
    ]
    return "\n".join(lines) + "\n"


def test_large_models_collapse_machines_then_stay_under_the_limit(
    write: Callable[..., Path],
) -> None:
    facts = facts_of(write(large_model(150)))  # 150 hosts, 300 datastores
    dot = diagrams.overview_diagram(facts, page).dot
    assert node_count(dot) <= diagrams.MAX_NODES
    assert '"e:h7" [' in dot and '"e:d7-1"' not in dot
    assert "2 datastore" in dot
    # The 300 backups into one repository become one edge per machine.
    assert 'label="file x2"' in dot
    small = diagrams.overview_diagram(facts_of(write(large_model(20), "small/archlint.yaml")))
    assert '"e:d7-1"' in small.dot


def test_scenarios_on_large_models_draw_what_the_failure_touches(
    write: Callable[..., Path],
) -> None:
    facts = facts_of(write(large_model(150)))
    diagram = diagrams.scenario_diagram(facts, Scenario.losing("h7"), page)
    assert node_count(diagram.dot) <= 10
    assert '"e:d7-1"' in diagram.dot and '"e:repo"' in diagram.dot
    assert '"e:d8-1"' not in diagram.dot
    assert 'class="lost"' in diagram.dot and 'class="survives"' in diagram.dot


def test_crowded_sites_collapse_hosts_but_keep_vms_inside_their_hypervisor(
    write: Callable[..., Path],
) -> None:
    lines = [
        "archlint: 1",
        "domains:",
        "  a: {kind: site}",
        "hosts:",
        "  hv: {kind: hypervisor, in: a}",
    ]
    lines += [f"  vm{i}: {{kind: vm, hypervisor: hv}}" for i in range(120)]
    lines += ["datastores:"]
    lines += [f"  d{i}-{j}: {{kind: files, host: vm{i}}}" for i in range(120) for j in (1, 2)]
    facts = facts_of(write("\n".join(lines) + "\n"))
    dot = diagrams.site_diagram(facts, "a").dot
    assert node_count(dot) == 121
    hypervisor = dot[dot.index('subgraph "cluster_hv"') :]
    assert '"e:vm7" [' in hypervisor and "2 datastores" in hypervisor
    # Crowded clusters are laid out in columns, not one tall column.
    columns = re.findall(r'^  "e:(?:hv|vm\d+)" -> "e:vm\d+" \[style="invis"\];$', dot, re.MULTILINE)
    assert len(columns) == 121 - 8


def test_a_key_that_unlocks_many_things_points_at_a_count(write: Callable[..., Path]) -> None:
    lines = [
        "archlint: 1",
        "domains:",
        "  a: {kind: site}",
        "hosts:",
        "  h: {kind: server, in: a}",
        "keys:",
        "  k: {kind: age, stored_in: [h]}",
    ]
    lines += ["  other: {kind: age, stored_in: [h]}", "repositories:"]
    lines += [f"  r{i}: {{tool: restic, host: h, key: k}}" for i in range(40)]
    facts = facts_of(write("\n".join(lines) + "\n"))
    dot = diagrams.keys_diagram(facts).dot
    assert node_count(dot) == 3  # k, other and h
    assert 'label="40 datastores and repositories"' in dot
    focused = diagrams.keys_diagram(facts, key_id="other").dot
    assert '"e:other"' in focused and '"e:k"' not in focused


def test_a_pull_backup_is_drawn_from_the_puller(write: Callable[..., Path]) -> None:
    model = """
archlint: 1
domains:
  a: {kind: site}
  b: {kind: site}
hosts:
  db: {kind: server, in: a}
  vault: {kind: nas, in: b}
datastores:
  pg: {kind: database, engine: postgresql, host: db}
repositories:
  borg: {tool: borg, host: vault, immutable: true}
backups:
  pull: {source: pg, target: borg, method: dump, mode: pull, schedule: daily}
"""
    dot = diagrams.overview_diagram(facts_of(write(model))).dot
    edge = next(line for line in dot.splitlines() if 'id="edge-pull"' in line)
    assert edge.lstrip().startswith('"e:borg" -> "e:pg" [')
    assert 'label="pull dump daily"' in edge
    assert "pull: drawn from the puller" in dot
    assert "[UNENCRYPTED] [IMMUTABLE]" in dot.replace("\\n", " ")


def test_a_missing_dot_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true requires it"):
        require_program("dot", "apt-get install graphviz")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install graphviz"):
        require_program("dot", "apt-get install graphviz")


def test_render_without_dot_says_how_to_install_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(UsageError, match="apt-get install graphviz"):
        diagrams.render_svg(Diagram("t", "digraph { a }"))


# The command line.


def test_graph_prints_dot(archlint: Callable[..., Run]) -> None:
    result = archlint("graph", ROOT / "models" / "homelab", "--site", "house")
    assert result.code == 0
    assert result.out.startswith("digraph archlint {")
    assert 'label="Site house"' in result.out


@pytest.mark.usefixtures("dot_program")
def test_graph_writes_svg_to_a_file(archlint: Callable[..., Run], tmp_path: Path) -> None:
    output = tmp_path / "lose.svg"
    result = archlint(
        "graph", ROOT / "models" / "homelab", "--format", "svg", "--lose", "nas", "-o", output
    )
    assert (result.code, result.out) == (0, "")
    elements = by_id(parse(output.read_text(encoding="utf-8")))
    assert "lost" in classes(elements["node-nas"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--site", "nas"), "'nas' is not a site of the model"),
        (("--focus", "nope"), "'nope' is not an entity of the model"),
        (("--lose", "sam"), "--lose: 'sam' is not a site, host or disk"),
        (("--site", "house", "--focus", "nas"), "--site and --focus cannot be combined"),
    ],
)
def test_graph_rejects_bad_options(
    archlint: Callable[..., Run], args: tuple[str, ...], message: str
) -> None:
    result = archlint("graph", ROOT / "models" / "homelab", *args)
    assert result.code == 2
    assert message in result.err


def test_graph_svg_without_dot_exits_2(
    archlint: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    result = archlint("graph", ROOT / "models" / "homelab", "--format", "svg")
    assert result.code == 2
    assert "brew install graphviz" in result.err


@pytest.mark.parametrize("entity", ["nas", "nas-restic", "borg-passphrase", "immich", "usb-copy"])
def test_graph_focus_draws_the_entity(archlint: Callable[..., Run], entity: str) -> None:
    result = archlint("graph", ROOT / "models" / "homelab", "--focus", entity)
    assert result.code == 0
    assert f"node-{entity}" in result.out or f"edge-{entity}" in result.out
