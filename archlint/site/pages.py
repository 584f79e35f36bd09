"""The pages of a model's site, as Markdown: overview, failure domains, scenarios,
onboarding pages of every entity, findings, keys, the restore runbook and rules.

Everything comes from the model, its analyses and its findings; every piece of
model text goes through `escape.text` (ids are [A-Za-z0-9._-] and are escaped
too, for the Markdown meaning of `_`, `.` and `-`). The output is deterministic:
entities are visited in sorted order and nothing depends on the clock.

Diagrams are requested while pages are written and stand in the Markdown as
placeholders; `archlint.site.build` renders them (in parallel) and puts the
SVG in place, so writing pages never waits for Graphviz.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from archlint.analysis.facts import Facts
from archlint.analysis.placement import Failure
from archlint.analysis.runbook import build_runbook
from archlint.analysis.scenarios import Scenario
from archlint.analysis.simulation import Simulation, simulate
from archlint.engine.config import display
from archlint.engine.findings import Finding, Result
from archlint.engine.rule import SEVERITIES, Severity, severity_rank
from archlint.engine.ruledoc import index_page_markdown, rule_page_markdown
from archlint.engine.rulepack import RuleClass
from archlint.importers.drift import DRIFT_RULES
from archlint.model.entities import Backup, Datastore, Domain, Entity, Host, Key, Repository
from archlint.model.errors import Location
from archlint.reporters.runbook import render_markdown as runbook_markdown
from archlint.site import diagrams
from archlint.site.escape import external_link, safe_url, text
from archlint.site.layout import Layout, markdown_target, slug

# A placeholder for a diagram in a page's Markdown. Model text cannot contain
# NUL (control characters are shown as escapes), so it cannot forge one.
PLACEHOLDER = "\0diagram:{name}\0"
# Stands for the way from a diagram's page to the docs root in node URLs, which
# depends on the page the SVG is embedded in.
ROOT_MARK = "archlint-root--/"
SEVERITY_ORDER = tuple(reversed(SEVERITIES))
# Diagrams cost a `dot` run each and dominate the build of large models: above
# these sizes a datastore's copy paths are left to its services' diagrams, and
# only the worst findings get a diagram of their own.
MAX_DATASTORE_DIAGRAMS = 300
MAX_FINDING_DIAGRAMS = 100


@dataclass(frozen=True)
class Options:
    title: str = "Backup architecture"
    layout: Layout = field(default_factory=Layout)
    rule_pages: bool = True  # write the rule pages (one site may hold several models)
    repo_url: str | None = None  # where `file:line` of findings link to


@dataclass
class Pages:
    """The generated pages (docs path -> Markdown) and the diagrams they embed."""

    pages: dict[str, str] = field(default_factory=dict)
    diagrams: dict[str, diagrams.Diagram] = field(default_factory=dict)
    nav: list[Any] = field(default_factory=list)


def generate(facts: Facts, result: Result, options: Options) -> Pages:
    return Generator(facts, result, options).run()


def rule_pages(rules: Sequence[RuleClass], layout: Layout) -> dict[str, str]:
    """The rule index and one page per rule: the rules that ran, and the drift rules
    of `archlint drift`, whose SARIF links point at the same place."""
    rules = sorted({*rules, *DRIFT_RULES}, key=lambda rule: rule.id)
    # The rule pages live at rules/NAME.md beside rules/index.md, where the
    # rule-documentation module's relative links and rule_url expect them.
    pages = {layout.rule_page("index"): index_page_markdown(rules)}
    for rule in rules:
        pages[layout.rule_page(rule.name)] = rule_page_markdown(rule)
    return pages


class Generator:
    def __init__(self, facts: Facts, result: Result, options: Options) -> None:
        self.facts = facts
        self.model = facts.model
        self.result = result
        self.options = options
        self.layout = options.layout
        self.out = Pages()

    # Plumbing: links, tables, diagrams.

    def link(self, source: str, entity_id: str) -> str:
        """The id as a Markdown link to its page, or as text when it has none."""
        kind = self.model.kind_of(entity_id)
        target = self.layout.entity_page(kind, entity_id) if kind else None
        if target is None:
            return text(entity_id)
        return f"[{text(entity_id)}]({markdown_target(source, target)})"

    def links(self, source: str, ids: Iterable[str]) -> str:
        return ", ".join(self.link(source, i) for i in ids) or "none"

    def page_link(self, source: str, title: str, target: str) -> str:
        return f"[{title}]({markdown_target(source, target)})"

    def node_url(self, entity_id: str) -> str | None:
        kind = self.model.kind_of(entity_id)
        page = self.layout.entity_page(kind, entity_id) if kind else None
        return ROOT_MARK + self.layout.url(page) if page is not None else None

    def diagram(self, name: str, diagram: diagrams.Diagram) -> list[str]:
        self.out.diagrams[name] = diagram
        return ["", PLACEHOLDER.format(name=name), ""]

    def add(self, path: str, lines: list[str]) -> None:
        self.out.pages[self.layout.path(path)] = "\n".join(lines).rstrip("\n") + "\n"

    def entity_header(self, entity: Entity, kind: str) -> list[str]:
        lines = [f"# {text(entity.id)}", "", f"*{kind}*", ""]
        if entity.description:
            lines += [text(entity.description), ""]
        facts = []
        if entity.owner:
            facts.append(f"- **Owner:** {text(entity.owner)}")
        if entity.tags:
            facts.append(f"- **Tags:** {', '.join(text(tag) for tag in entity.tags)}")
        for title, url in sorted(entity.links.items()):
            facts.append(f"- **Link:** {external_link(title, url)}")
        return lines + facts + ([""] if facts else [])

    def defined_at(self, entity: Entity) -> list[str]:
        return ["", f"Defined at {self.location(entity.location)}."]

    def location(self, location: Location) -> str:
        """`file:line`, linked into the repository when its URL is configured.

        Files are named as the command line named them; an absolute one counts
        from the current directory (the checkout), and one outside it is not linked.
        """
        shown = display(Path(location.file)).as_posix()
        place = f"{shown}:{location.line}"
        if self.options.repo_url is None or shown.startswith(("/", "../")):
            return text(place)
        url = f"{self.options.repo_url.rstrip('/')}/{quote(shown)}#L{location.line}"
        if safe_url(url) is None:
            return text(place)
        return external_link(place, url)

    # Indexes the pages share.

    @cached_property
    def findings_by_entity(self) -> dict[str, list[tuple[Finding, bool]]]:
        found: dict[str, list[tuple[Finding, bool]]] = defaultdict(list)
        for finding in self.result.findings:
            found[finding.entity].append((finding, False))
        for finding in self.result.waived:
            found[finding.entity].append((finding, True))
        return found

    @cached_property
    def lost_after(self) -> dict[str, list[str]]:
        """Each single failure (or compromised host) -> the datastores it loses."""
        lost: dict[str, list[str]] = defaultdict(list)
        for datastore_id in sorted(self.model.datastores):
            datastore = self.model.datastores[datastore_id]
            for failure in self.facts.single_failures_losing(datastore):
                lost[failure].append(datastore_id)
        return lost

    @cached_property
    def lost_to_compromise(self) -> dict[str, list[str]]:
        lost: dict[str, list[str]] = defaultdict(list)
        for datastore_id in sorted(self.model.datastores):
            datastore = self.model.datastores[datastore_id]
            for host in self.facts.compromising_hosts(datastore):
                lost[host].append(datastore_id)
        return lost

    @cached_property
    def failures(self) -> list[Failure]:
        return self.facts.placements.failures()

    @cached_property
    def sites(self) -> list[str]:
        return sorted(d.id for d in self.model.domains.values() if d.kind == "site")

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Domain or host -> what is directly inside or on it."""
        inside: dict[str, list[str]] = defaultdict(list)
        for _kind, entity in self.model.entities():
            parent = getattr(entity, "hypervisor", None) or getattr(entity, "in_", None)
            if isinstance(entity, (Datastore, Repository)):
                parent = entity.in_ or entity.host
            if parent is not None:
                inside[parent].append(entity.id)
        return {parent: sorted(ids) for parent, ids in inside.items()}

    def scenario_page(self, kind: str, entity_id: str) -> str:
        return self.layout.path(f"scenarios/{kind}-{slug(entity_id)}.md")

    # The pages.

    def run(self) -> Pages:
        self.overview()
        self.domains()
        self.hosts()
        self.services()
        self.datastores()
        self.repositories()
        self.keys()
        self.scenarios()
        self.findings()
        self.runbook()
        if self.options.rule_pages:
            self.out.pages.update(rule_pages(self.result.rules, self.layout))
        self.out.nav = self.navigation()
        return self.out

    def navigation(self) -> list[Any]:
        path = self.layout.path
        nav: list[Any] = [
            {"Overview": path("index.md")},
            {"Failure domains": path("domains/index.md")},
            {"Scenarios": path("scenarios/index.md")},
            {"Services": path("services/index.md")},
            {"Datastores": path("datastores/index.md")},
            {"Hosts": path("hosts/index.md")},
            {"Repositories": path("repositories/index.md")},
            {"Keys": path("keys/index.md")},
            {"Findings": path("findings/index.md")},
            {"Restore runbook": path("runbook.md")},
        ]
        if self.options.rule_pages:
            nav.append({"Rules": self.layout.rule_page("index")})
        return nav

    def overview(self) -> None:
        source = self.layout.path("index.md")
        counts = self.result.counts()
        total = len(self.result.findings)
        lines = [f"# {text(self.options.title)}", ""]
        lines += [
            f"{len(self.model.services)} services, {len(self.model.datastores)} datastores, "
            f"{len(self.model.hosts)} hosts, {len(self.model.repositories)} repositories and "
            f"{len(self.model.keys)} keys, checked on {self.facts.as_of.isoformat()} by "
            f"{len(self.result.rules)} rules.",
            "",
            "## Verdict",
            "",
            f"**{total} finding{'' if total == 1 else 's'}** ({len(self.result.waived)} waived).",
            "",
            "| severity | findings |",
            "| --- | ---: |",
            *(f"| {severity} | {counts[severity]} |" for severity in SEVERITY_ORDER),
            "",
        ]
        lines += self.rule_counts(source)
        lines += [
            "",
            "## What survives each failure",
            "",
            f"How many of the {len(self.model.datastores)} datastores can still be recovered "
            "after the loss of one site, machine or disk.",
            "",
            "| failure | datastores that survive | lost |",
            "| --- | ---: | --- |",
        ]
        for failure in self.failures:
            lost = self.lost_after.get(failure.id, [])
            scenario = self.page_link(
                source, text(str(failure)), self.scenario_page("lose", failure.id)
            )
            survive = len(self.model.datastores) - len(lost)
            lines.append(
                f"| {scenario} | {survive} | {self.links(source, lost[:10])}"
                f"{' and more' if len(lost) > 10 else ''} |"
            )
        lines += ["", "## Architecture"]
        lines += self.diagram("overview", diagrams.overview_diagram(self.facts, self.node_url))
        self.out.pages[source] = "\n".join(lines).rstrip("\n") + "\n"

    def rule_counts(self, source: str) -> list[str]:
        active = Counter(finding.name for finding in self.result.findings)
        waived = Counter(finding.name for finding in self.result.waived)
        rules = sorted(
            (rule for rule in self.result.rules if active[rule.name] or waived[rule.name]),
            key=lambda rule: (-severity_rank(self.severity_of(rule.name)), rule.name),
        )
        if not rules:
            return ["No rule reports anything."]
        lines = ["| rule | severity | findings | waived |", "| --- | --- | ---: | ---: |"]
        for rule in rules:
            page = self.layout.path(f"findings/{rule.name}.md")
            lines.append(
                f"| {self.page_link(source, text(rule.name), page)} | "
                f"{self.severity_of(rule.name)} | {active[rule.name]} | {waived[rule.name]} |"
            )
        return lines

    def severity_of(self, rule_name: str) -> Severity:
        for finding in (*self.result.findings, *self.result.waived):
            if finding.name == rule_name:
                return finding.severity
        return "info"

    # Failure domains.

    def domains(self) -> None:
        source = self.layout.path("domains/index.md")
        lines = ["# Failure domains", "", "Where everything lives, outermost first.", ""]
        roots = sorted(d.id for d in self.model.domains.values() if d.in_ is None)
        for root in roots:
            lines += self.domain_tree(source, root, 0)
        self.add("domains/index.md", lines)
        for domain in sorted(self.model.domains.values(), key=lambda d: d.id):
            self.domain_page(domain)

    def domain_tree(self, source: str, domain_id: str, depth: int) -> list[str]:
        domain = self.model.domains[domain_id]
        offline = ", offline" if domain.offline else ""
        lines = [f"{'    ' * depth}- {self.link(source, domain_id)} ({domain.kind}{offline})"]
        for child in self.children.get(domain_id, []):
            if child in self.model.domains:
                lines += self.domain_tree(source, child, depth + 1)
        return lines

    def domain_page(self, domain: Domain) -> None:
        page = self.layout.entity_page("domain", domain.id)
        assert page is not None
        lines = self.entity_header(domain, f"{domain.kind}{', offline' if domain.offline else ''}")
        if domain.in_:
            lines += [f"- **In:** {self.link(page, domain.in_)}"]
        if domain.provider:
            lines += [f"- **Provider:** {text(domain.provider)}"]
        inside = self.children.get(domain.id, [])
        lines += ["", "## Inside", "", self.links(page, inside), ""]
        kept = sorted(k.id for k in self.model.keys.values() if domain.id in k.stored_in)
        if kept:
            lines += ["## Keys kept here", "", self.links(page, kept), ""]
        failure = self.facts.failure(domain.id)
        if failure is not None:
            lost = self.lost_after.get(domain.id, [])
            scenario = self.page_link(
                page, text(str(failure)), self.scenario_page("lose", domain.id)
            )
            lines += [f"Scenario: {scenario} loses {len(lost)} datastores.", ""]
        if domain.kind == "site":
            lines += ["## Diagram"]
            lines += self.diagram(
                f"site-{slug(domain.id)}",
                diagrams.site_diagram(self.facts, domain.id, self.node_url),
            )
        lines += self.defined_at(domain)
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    # Hosts.

    def hosts(self) -> None:
        source = self.layout.path("hosts/index.md")
        lines = ["# Hosts", "", "| host | kind | site | services |", "| --- | --- | --- | ---: |"]
        for host in sorted(self.model.hosts.values(), key=lambda h: h.id):
            site = self.facts.placement(host.id).site
            lines.append(
                f"| {self.link(source, host.id)} | {host.kind} | "
                f"{self.link(source, site) if site else 'none'} | "
                f"{len(self.facts.services_on(host))} |"
            )
            self.host_page(host)
        self.add("hosts/index.md", lines)

    def host_page(self, host: Host) -> None:
        page = self.layout.entity_page("host", host.id)
        assert page is not None
        placement = self.facts.placement(host.id)
        lines = self.entity_header(host, host.kind)
        lines += [f"- **Where:** {self.links(page, placement.chain[1:])}"]
        if host.hypervisor:
            lines += [f"- **Runs on:** {self.link(page, host.hypervisor)}"]
        lines += [
            f"- **Services:** {self.links(page, [s.id for s in self.facts.services_on(host)])}",
            f"- **On it:** {self.links(page, self.children.get(host.id, []))}",
        ]
        runs = sorted(b.id for b in self.model.backups.values() if self.facts.runner(b) == host.id)
        if runs:
            lines += [f"- **Runs the backups:** {', '.join(text(b) for b in runs)}"]
        lines += ["", "## Scenarios", ""]
        if self.facts.failure(host.id) is not None:
            lost = self.lost_after.get(host.id, [])
            target = self.scenario_page("lose", host.id)
            lines += [
                f"- {self.page_link(page, 'Loss of this machine', target)}: "
                f"{len(lost)} datastores lost"
            ]
        lost = self.lost_to_compromise.get(host.id, [])
        target = self.scenario_page("compromise", host.id)
        lines += [
            f"- {self.page_link(page, 'Compromise of this host', target)}: "
            f"{len(lost)} datastores lost"
        ]
        lines += self.defined_at(host)
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    # Services.

    def services(self) -> None:
        source = self.layout.path("services/index.md")
        lines = [
            "# Services",
            "",
            "| service | criticality | host | owner | findings |",
            "| --- | --- | --- | --- | ---: |",
        ]
        for service in sorted(self.model.services.values(), key=lambda s: s.id):
            findings = sum(
                1 for _f, waived in self.findings_by_entity.get(service.id, []) if not waived
            )
            lines.append(
                f"| {self.link(source, service.id)} | {self.facts.service_criticality(service)} | "
                f"{self.link(source, service.host)} | {text(service.owner or '')} | {findings} |"
            )
            self.service_page(service.id)
        self.add("services/index.md", lines)

    def service_page(self, service_id: str) -> None:
        service = self.model.services[service_id]
        page = self.layout.entity_page("service", service_id)
        assert page is not None
        placement = self.facts.placement(service.host)
        lines = self.entity_header(service, "service")
        lines += [
            f"- **Criticality:** {self.facts.service_criticality(service)}",
            f"- **Host:** {self.link(page, service.host)}, "
            f"in {self.links(page, placement.chain[1:])}",
            f"- **Data:** {self.links(page, service.data)}",
            f"- **Needs:** {self.links(page, self.facts.dependencies.needs(service_id))}",
            f"- **RPO:** {text(str(service.rpo)) if service.rpo else 'not set'}; "
            f"**RTO:** {text(str(service.rto)) if service.rto else 'not set'}",
        ]
        drill = self.facts.newest_drill(service_id)
        lines += [f"- **Last restore drill:** {self.drill_text(drill)}"]
        lines += self.entity_findings(page, service_id)
        lines += ["", "## Copy paths"]
        lines += self.diagram(
            f"service-{slug(service_id)}",
            diagrams.service_diagram(self.facts, service_id, self.node_url),
        )
        lines += self.defined_at(service)
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    def drill_text(self, drill: Any) -> str:
        if drill is None:
            return "never"
        return f"{drill.date.isoformat()}, {drill.result} ({text(drill.id)})"

    def entity_findings(self, page: str, entity_id: str) -> list[str]:
        found = self.findings_by_entity.get(entity_id, [])
        if not found:
            return ["", "## Findings", "", "None."]
        lines = ["", "## Findings", ""]
        for finding, waived in found:
            target = self.layout.path(f"findings/{finding.name}.md")
            state = " (waived)" if waived else ""
            lines.append(
                f"- **{finding.severity}** {self.page_link(page, text(finding.name), target)}"
                f"{state}: {text(finding.message)}"
                + (f" (fix: {text(finding.fix)})" if finding.fix else "")
            )
        return lines

    # Datastores.

    def datastores(self) -> None:
        source = self.layout.path("datastores/index.md")
        lines = [
            "# Datastores",
            "",
            "| datastore | kind | criticality | host | copies | lost by single failures |",
            "| --- | --- | --- | --- | ---: | ---: |",
        ]
        for datastore in sorted(self.model.datastores.values(), key=lambda d: d.id):
            host = self.facts.placement_of(datastore).host
            lines.append(
                f"| {self.link(source, datastore.id)} | {datastore.kind} | "
                f"{self.facts.datastore_criticality(datastore)} | "
                f"{self.link(source, host) if host else 'none'} | "
                f"{len(self.facts.copies(datastore))} | "
                f"{len(self.facts.single_failures_losing(datastore))} |"
            )
            self.datastore_page(datastore)
        self.add("datastores/index.md", lines)

    def datastore_page(self, datastore: Datastore) -> None:
        page = self.layout.entity_page("datastore", datastore.id)
        assert page is not None
        facts = self.facts
        placement = facts.placement_of(datastore)
        kind = datastore.kind + (f" ({datastore.engine})" if datastore.engine else "")
        lines = self.entity_header(datastore, kind)
        lines += [
            f"- **Criticality:** {facts.datastore_criticality(datastore)}",
            f"- **Used by:** {self.links(page, [s.id for s in facts.users(datastore)])}",
            f"- **Lives in:** {self.links(page, placement.chain)}",
        ]
        if datastore.path:
            lines.append(f"- **Path:** {text(datastore.path)}")
        if datastore.size:
            lines.append(f"- **Size:** {text(str(datastore.size))}")
        if datastore.key:
            lines.append(f"- **Encrypted at rest with:** {self.key_text(page, datastore.key)}")
        lines += ["", "## Copies", ""]
        lines += self.copies_table(page, datastore)
        lines += ["", "## Recovery", ""]
        lines += self.recovery(page, datastore)
        lines += self.entity_findings(page, datastore.id)
        lines += ["", "## Copy paths"]
        if len(self.model.datastores) <= MAX_DATASTORE_DIAGRAMS:
            lines += self.diagram(
                f"datastore-{slug(datastore.id)}",
                diagrams.datastore_diagram(self.facts, datastore.id, self.node_url),
            )
        else:
            users = [s.id for s in facts.users(datastore)]
            lines += ["", f"Drawn on the pages of its services: {self.links(page, users)}."]
        lines += self.defined_at(datastore)
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    def key_text(self, page: str, key_id: str) -> str:
        kept = self.model.keys[key_id].stored_in
        return f"{self.link(page, key_id)} (kept in {self.links(page, kept)})"

    def copies_table(self, page: str, datastore: Datastore) -> list[str]:
        copies = self.facts.copies(datastore)
        if not copies:
            return ["No copy: nothing backs this data up."]
        lines = [
            "| copy | via | where | encrypted | immutable | offline |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for copy in copies:
            where = self.links(page, copy.placement.chain)
            repository = self.model.repositories.get(copy.repository or "")
            name = self.link(page, copy.repository) if copy.repository else "local snapshot"
            keys = "; ".join(self.key_text(page, key) for key in copy.keys) or "**no**"
            immutable = "yes" if repository is not None and repository.immutable else "no"
            lines.append(
                f"| {name} | {self.via(copy.via)} | {where} | {keys} | {immutable} | "
                f"{'yes' if copy.placement.offline else 'no'} |"
            )
        return lines

    def via(self, backups: Sequence[str]) -> str:
        return " → ".join(self.backup_text(self.model.backups[b]) for b in backups)

    def backup_text(self, backup: Backup) -> str:
        schedule = text(str(backup.schedule)) if backup.schedule else "no schedule"
        return f"{text(backup.id)} ({backup.method}, {schedule})"

    def recovery(self, page: str, datastore: Datastore) -> list[str]:
        facts = self.facts
        users = facts.users(datastore)
        rpos = sorted({str(s.rpo) for s in users if s.rpo})
        point = facts.worst_case_loss(datastore)
        achieved = (
            f"at worst {text(str(point.loss))} of data, restoring from "
            f"{self.link(page, point.repository)} via {self.via(point.chain)}"
            if point is not None
            else "no scheduled chain of copies leaves its machine"
        )
        lost_by = facts.single_failures_losing(datastore)
        compromisers = facts.compromising_hosts(datastore)
        drill = facts.newest_drill(datastore.id)
        return [
            f"- **RPO required:** {', '.join(text(r) for r in rpos) or 'not set'}",
            f"- **What the schedules achieve** (loss of its machine): {achieved}",
            f"- **Lost after the loss of:** "
            f"{', '.join(self.failure_link(page, f) for f in lost_by) or 'no single failure'}",
            f"- **Lost after the compromise of:** "
            f"{', '.join(self.compromise_link(page, h) for h in compromisers) or 'no single host'}",
            f"- **Last restore drill:** {self.drill_text(drill)}",
        ]

    def failure_link(self, page: str, failure_id: str) -> str:
        return self.page_link(page, text(failure_id), self.scenario_page("lose", failure_id))

    def compromise_link(self, page: str, host_id: str) -> str:
        return self.page_link(page, text(host_id), self.scenario_page("compromise", host_id))

    # Repositories.

    def repositories(self) -> None:
        source = self.layout.path("repositories/index.md")
        lines = [
            "# Repositories",
            "",
            "| repository | tool | where | encrypted | immutable | holds |",
            "| --- | --- | --- | --- | --- | ---: |",
        ]
        for repository in sorted(self.model.repositories.values(), key=lambda r: r.id):
            where = self.facts.placement(repository.id).chain
            lines.append(
                f"| {self.link(source, repository.id)} | {repository.tool} | "
                f"{self.link(source, where[0]) if where else 'nowhere'} | "
                f"{'yes' if repository.key else '**no**'} | "
                f"{'yes' if repository.immutable else 'no'} | "
                f"{len(self.facts.held_by(repository.id))} |"
            )
            self.repository_page(repository)
        self.add("repositories/index.md", lines)

    def repository_page(self, repository: Repository) -> None:
        page = self.layout.entity_page("repository", repository.id)
        assert page is not None
        placement = self.facts.placement(repository.id)
        lines = self.entity_header(repository, f"repository ({repository.tool})")
        lines += [
            f"- **Lives in:** {self.links(page, placement.chain)}"
            f"{' (offline)' if placement.offline else ''}",
            f"- **Encrypted with:** "
            f"{self.key_text(page, repository.key) if repository.key else '**nothing**'}",
            f"- **Immutable:** {'yes' if repository.immutable else 'no'}",
        ]
        if repository.media:
            lines.append(f"- **Media:** {repository.media}")
        if repository.verify:
            lines.append(f"- **Verified:** {text(str(repository.verify))}")
        if repository.retention is not None:
            lines.append(f"- **Retention:** {self.retention(repository.retention)}")
        writers = self.facts.writers(repository.id)
        lines.append(
            f"- **Written by:** {', '.join(self.backup_text(b) for b in writers) or 'nothing'}"
        )
        held = self.facts.held_by(repository.id)
        lines += ["", "## Holds", ""]
        lines += [f"- {self.link(page, c.datastore)} via {self.via(c.via)}" for c in held] or [
            "Nothing."
        ]
        lines += self.entity_findings(page, repository.id)
        lines += self.defined_at(repository)
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    def retention(self, retention: str | dict[str, int]) -> str:
        if isinstance(retention, str):
            return text(retention)
        return ", ".join(f"{text(name)} {count}" for name, count in sorted(retention.items()))

    # Keys.

    def keys(self) -> None:
        source = self.layout.path("keys/index.md")
        lines = [
            "# Keys",
            "",
            "What each key unlocks and where it is kept. A key kept only inside data it "
            "unlocks is a circular dependency: the diagram draws the loop.",
            "",
            "| key | kind | kept in | unlocks |",
            "| --- | --- | --- | --- |",
        ]
        for key in sorted(self.model.keys.values(), key=lambda k: k.id):
            lines.append(
                f"| {self.link(source, key.id)} | {key.kind} | "
                f"{self.links(source, key.stored_in)} | "
                f"{self.links(source, self.facts.key_users(key.id))} |"
            )
            self.key_page(key)
        lines += ["", "## Diagram"]
        lines += self.diagram("keys", diagrams.keys_diagram(self.facts, self.node_url))
        self.add("keys/index.md", lines)

    def key_page(self, key: Key) -> None:
        page = self.layout.entity_page("key", key.id)
        assert page is not None
        lines = self.entity_header(key, f"key ({key.kind})")
        lines += [
            f"- **Kept in:** {self.links(page, key.stored_in)}",
            f"- **Unlocks:** {self.links(page, self.facts.key_users(key.id))}",
        ]
        losses = self.facts.key_losses(key.id)
        lines += ["", "## Failures that lose data through this key", ""]
        if not losses:
            lines.append("None.")
        for loss in losses:
            cycle = f": {' → '.join(text(i) for i in loss.cycle)}" if loss.cycle else ""
            lines.append(
                f"- {self.failure_link(page, loss.failure)} loses "
                f"{self.link(page, loss.datastore)}: the key is {loss.cause}{cycle}"
            )
        lines += self.entity_findings(page, key.id)
        lines += self.defined_at(key)
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    # Scenarios.

    def scenarios(self) -> None:
        source = self.layout.path("scenarios/index.md")
        lines = [
            "# Scenarios",
            "",
            "One page per single failure: the loss of each site, machine and disk, and the "
            "compromise of each host (ransomware, a rogue admin).",
            "",
            "| scenario | datastores lost |",
            "| --- | ---: |",
        ]
        for failure in self.failures:
            target = self.scenario_page("lose", failure.id)
            lines.append(
                f"| {self.page_link(source, text(str(failure)), target)} | "
                f"{len(self.lost_after.get(failure.id, []))} |"
            )
            self.scenario(target, str(failure), Scenario.losing(failure.id), failure.id)
        for host in sorted(self.model.hosts):
            target = self.scenario_page("compromise", host)
            lines.append(
                f"| {self.page_link(source, text(f'compromise of host {host!r}'), target)} | "
                f"{len(self.lost_to_compromise.get(host, []))} |"
            )
            scenario = Scenario(compromised=frozenset({host}))
            self.scenario(target, f"compromise of host '{host}'", scenario, host)
        self.add("scenarios/index.md", lines)

    def scenario(self, page: str, title: str, scenario: Scenario, subject: str) -> None:
        outcome: Simulation = simulate(self.facts, scenario)
        lines = [f"# {text(title)}", "", f"What happens to the data after the {text(title)}.", ""]
        lost = [o for o in outcome.datastores if not o.recoverable]
        survive = [o for o in outcome.datastores if o.recoverable]
        lines += ["## Lost", ""]
        lines += [f"- {self.link(page, o.datastore)}" for o in lost] or ["Nothing is lost."]
        lines += ["", "## Survives", ""]
        lines += [
            f"- {self.link(page, o.datastore)}: restore from {text('; '.join(o.sources))}"
            for o in survive
        ] or ["No live data is hit."]
        lines += ["", "## Keys gone", "", self.links(page, outcome.keys_lost)]
        lines += ["", "## Services", ""]
        for service in outcome.services:
            state = "can be restored" if service.restorable else "**cannot be restored**"
            why = f": {text('; '.join(service.blockers))}" if service.blockers else ""
            lines.append(f"- {self.link(page, service.service)} {state}{why}")
        if not outcome.services:
            lines.append("No service is hit.")
        lines += ["", "## Diagram"]
        name = page.removesuffix(".md").rsplit("/", 1)[-1]
        lines += self.diagram(
            f"scenario-{name}",
            diagrams.scenario_diagram(self.facts, scenario, self.node_url),
        )
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    # Findings.

    def findings(self) -> None:
        source = self.layout.path("findings/index.md")
        everything = [(f, False) for f in self.result.findings] + [
            (f, True) for f in self.result.waived
        ]
        lines = [
            "# Findings",
            "",
            f"{len(self.result.findings)} findings, {len(self.result.waived)} waived.",
            "",
        ]
        by_severity: dict[str, list[tuple[Finding, bool]]] = defaultdict(list)
        for finding, waived in everything:
            by_severity[finding.severity].append((finding, waived))
        for severity in SEVERITY_ORDER:
            found = by_severity.get(severity, [])
            if not found:
                continue
            lines += [
                f"## {severity.capitalize()}",
                "",
                "| rule | entity | message | state |",
                "| --- | --- | --- | --- |",
            ]
            for finding, waived in sorted(found, key=lambda item: (item[0].name, item[0])):
                rule_page = self.layout.path(f"findings/{finding.name}.md")
                lines.append(
                    f"| {self.page_link(source, text(finding.name), rule_page)} | "
                    f"{self.link(source, finding.entity)} | {text(finding.message)} | "
                    f"{'waived' if waived else 'open'} |"
                )
            lines.append("")
        by_rule: dict[str, list[tuple[Finding, bool]]] = defaultdict(list)
        for finding, waived in everything:
            by_rule[finding.name].append((finding, waived))
        lines += ["## By rule", ""]
        for name in sorted(by_rule):
            page = self.layout.path(f"findings/{name}.md")
            lines.append(f"- {self.page_link(source, text(name), page)}: {len(by_rule[name])}")
            self.rule_findings(page, name, sorted(by_rule[name], key=lambda item: item[0]))
        self.add("findings/index.md", lines)

    def rule_findings(self, page: str, name: str, found: list[tuple[Finding, bool]]) -> None:
        rule = self.layout.rule_page(name)
        first = found[0][0]
        lines = [
            f"# {text(name)}",
            "",
            f"{first.rule}, severity {first.severity}: "
            f"{self.page_link(page, 'what the rule checks and how to fix it', rule)}.",
        ]
        for finding, waived in found:
            lines += ["", f"## {finding.kind} {text(finding.entity)}", ""]
            lines += [
                f"- **Entity:** {self.link(page, finding.entity)}",
                f"- **Message:** {text(finding.message)}",
                *([f"- **Fix:** {text(finding.fix)}"] if finding.fix else []),
                f"- **Where:** {self.location(finding.location)}",
                f"- **State:** {self.waiver_state(finding, waived)}",
            ]
            if finding.evidence:
                lines += ["- **Evidence:**"]
                lines += [f"    - {text(item)}" for item in finding.evidence]
            if finding.fingerprint in self.drawn_findings:
                lines += self.diagram(
                    f"finding-{finding.fingerprint[:16]}",
                    diagrams.finding_diagram(self.facts, finding, self.node_url),
                )
        self.out.pages[page] = "\n".join(lines).rstrip("\n") + "\n"

    @cached_property
    def drawn_findings(self) -> frozenset[str]:
        """The findings that get a diagram: all of them, or the worst open ones."""
        worst = sorted(self.result.findings, key=lambda f: (-severity_rank(f.severity), f))
        if len(worst) + len(self.result.waived) <= MAX_FINDING_DIAGRAMS:
            worst += self.result.waived
        return frozenset(f.fingerprint for f in worst[:MAX_FINDING_DIAGRAMS])

    def waiver_state(self, finding: Finding, waived: bool) -> str:
        if not waived:
            return "open"
        entity = self.model.get(finding.entity)
        for waiver in entity.waive if entity is not None else ():
            if waiver.rule in (finding.rule, finding.name):
                until = f" until {waiver.until.isoformat()}" if waiver.until else ""
                return f"waived{until}: {text(waiver.reason)}"
        return "waived"

    # Restore runbook.

    def runbook(self) -> None:
        # The runbook's Markdown quotes only ids, kinds and durations, escaped for
        # Markdown; it prints as a checklist from any browser.
        markdown = runbook_markdown(build_runbook(self.facts))
        self.out.pages[self.layout.path("runbook.md")] = markdown
