"""AL101 single-domain-copies: every backup copy sits at the live data's site."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class SingleDomainCopies(Rule[Datastore]):
    id = "AL101"
    name = "single-domain-copies"
    severity = "high"
    about_copies = True
    min_criticality = "medium"
    summary = "Every backup copy of the data is at the same site as the live data."
    rationale = (
        "A fire, flood, burglary or power surge at that site destroys the live data and "
        "every one of its backups together. Copies protect against a failure only when that "
        "failure cannot reach them, and the site is the largest failure domain most "
        "self-hosted setups have. A repository placed directly in a region (a cloud bucket with no "
        "site above it) is away from every site outside that region."
    )
    remediation = (
        "Add a copy at another site: for example a `copy` backup of the local repository to "
        "a cloud bucket (a `site` domain with a `provider`), or a rotated disk kept at "
        "another house."
    )

    def candidates(self, datastores: list[Datastore], facts: Facts) -> list[Datastore]:
        # Where the live data and its copies are is the same for the datastores kept alike.
        return facts.kept_alike(datastores, lambda d: at_one_site(d, facts))

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if not at_one_site(datastore, facts):
            return
        copies = facts.repository_copies(datastore)
        live = facts.placement_of(datastore)
        where = live.describe_area()
        repositories = ", ".join(f"'{copy.repository}'" for copy in copies)
        subject = "the only backup copy" if len(copies) == 1 else f"all {len(copies)} backup copies"
        verb = "is" if len(copies) == 1 else "are"
        yield Problem(
            f"{subject} ({repositories}) {verb} at {where} with the live data: losing that "
            f"site loses the data and every backup",
            fix=f"add a copy at another site, e.g. a `copy` backup of '{copies[0].repository}' "
            f"to an off-site repository",
            cause=copies[0].repository if len(copies) == 1 else live.site or datastore.id,
            evidence=(
                f"live data at {where}",
                *(f"{copy.describe()} at {where}" for copy in copies),
            ),
        )

    failing = (
        Example(
            description="The only backup copy is on a NAS at the same site as the live data.",
            findings=("wiki-files",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, criticality: high, data: [wiki-files]}
datastores:
  wiki-files: {kind: files, host: app, path: /srv/wiki}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
backups:
  wiki-nightly: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description=(
                "A `copy` backup sends the NAS repository to a cloud bucket at another site."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
  b2-eu: {kind: site, provider: backblaze}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
services:
  wiki: {host: app, criticality: high, data: [wiki-files]}
datastores:
  wiki-files: {kind: files, host: app, path: /srv/wiki}
repositories:
  nas-restic: {tool: restic, host: nas, key: restic-pass}
  b2-offsite: {tool: restic, in: b2-eu, key: restic-pass}
keys:
  restic-pass: {kind: passphrase, stored_in: [alice]}
backups:
  wiki-nightly: {source: wiki-files, target: nas-restic, method: file, schedule: daily}
  offsite: {source: nas-restic, target: b2-offsite, method: copy, schedule: daily}
""",
        ),
        Example(
            description=(
                "Below the criticality threshold: a low-value cache is not worth an off-site copy."
            ),
            model="""
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
datastores:
  cache: {kind: files, host: app, criticality: low}
repositories:
  nas-restic: {tool: restic, host: nas}
backups:
  cache-nightly: {source: cache, target: nas-restic, method: file, schedule: daily}
""",
        ),
    )


def at_one_site(datastore: Datastore, facts: Facts) -> bool:
    """Whether the datastore has copies in repositories, all at the live data's site."""
    copies = facts.repository_copies(datastore)
    live = facts.placement_of(datastore)
    return bool(copies) and not any(copy.placement.apart_from(live) for copy in copies)
