"""AL604 unrecoverable-dependency: a service's data survives a failure; one it needs does not."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Service


class UnrecoverableDependency(Rule[Service]):
    id = "AL604"
    name = "unrecoverable-dependency"
    severity = "high"
    summary = (
        "After a failure the service's own data can be recovered, but a service it depends "
        "on cannot be restored."
    )
    rationale = (
        "Protecting a service's data is not enough to bring it back: it also needs what "
        "it depends on (a database server, single sign-on, DNS). If one of those loses its "
        "data in the same failure, the service stays down however good its own backups "
        "are. `archlint simulate` shows this for one scenario; this rule checks every "
        "single failure."
    )
    remediation = (
        "Protect the data of the service depended on as well as this one's (a copy that "
        "survives the failure), or remove the dependency if the service can run without it."
    )

    def check(self, service: Service, facts: Facts) -> Iterator[Problem]:
        own = facts.failures_losing_data(service)
        # Only a service that can lose its data can keep this one down.
        for needed in facts.dependencies_losing_data(service):
            blocking = facts.failures_losing_data(facts.model.services[needed])
            fatal = sorted(blocking - own)
            if not fatal:
                continue
            failure = fatal[0]
            lost = lost_data(facts.model.services[needed], failure, facts)
            others = f" (and {len(fatal) - 1} other failures)" if len(fatal) > 1 else ""
            names = ", ".join(f"'{d}'" for d in lost)
            yield Problem(
                f"after the {facts.describe_failure(failure)}{others}, its own data can be "
                f"recovered, but it needs service '{needed}', which cannot be restored: "
                f"{names} is unrecoverable",
                fix=f"protect the data of '{needed}' against that failure, or drop the dependency",
                evidence=(
                    f"service '{service.id}' depends on '{needed}'",
                    *(f"datastore '{d}': unrecoverable after the failure" for d in lost),
                ),
                key=needed,
            )

    failing = (
        Example(
            description=(
                "The wiki's data is copied off-site, but the database server's data it "
                "needs is only on the hypervisor that burns with it."
            ),
            findings=("wiki",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  vps: {kind: server, in: away}
services:
  wiki: {host: pve, depends_on: [sso], data: [wiki-files]}
  sso: {host: pve, depends_on: [], data: [sso-db]}
datastores:
  wiki-files: {kind: files, host: pve}
  sso-db: {kind: database, engine: postgresql, host: pve}
repositories:
  offsite: {tool: restic, host: vps}
backups:
  wiki-offsite: {source: wiki-files, target: offsite, method: file, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="Both services' data is copied off-site.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  vps: {kind: server, in: away}
services:
  wiki: {host: pve, depends_on: [sso], data: [wiki-files]}
  sso: {host: pve, depends_on: [], data: [sso-db]}
datastores:
  wiki-files: {kind: files, host: pve}
  sso-db: {kind: database, engine: postgresql, host: pve}
repositories:
  offsite: {tool: restic, host: vps}
backups:
  wiki-offsite: {source: wiki-files, target: offsite, method: file, schedule: daily}
  sso-offsite: {source: sso-db, target: offsite, method: dump, schedule: daily}
""",
        ),
        Example(
            description="A rebuildable cache is not needed to restore the service it serves.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  away: {kind: site}
hosts:
  pve: {kind: hypervisor, in: home}
  vps: {kind: server, in: away}
services:
  wiki: {host: pve, depends_on: [search], data: [wiki-files]}
  search: {host: pve, depends_on: [], data: [search-index]}
datastores:
  wiki-files: {kind: files, host: pve}
  search-index: {kind: volume, host: pve, rebuildable: true}
repositories:
  offsite: {tool: restic, host: vps}
backups:
  wiki-offsite: {source: wiki-files, target: offsite, method: file, schedule: daily}
""",
        ),
    )


def lost_data(service: Service, failure: str, facts: Facts) -> list[str]:
    return [
        d
        for d in service.data
        if not facts.model.datastores[d].rebuildable
        and failure in facts.single_failures_losing(facts.model.datastores[d])
    ]
