"""AL204 secrets-in-clear: secrets have a clear-text copy away from their host."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.analysis.facts import Facts, capped, quoted_names
from archlint.engine.rule import Example, Problem, Rule
from archlint.model.entities import Datastore


class SecretsInClear(Rule[Datastore]):
    id = "AL204"
    name = "secrets-in-clear"
    severity = "high"
    summary = "Secrets (a vault, or a config with `contains_secrets`) are copied in clear text."
    rationale = (
        "A `.env` file or a secrets store holds the passwords and tokens to everything else. "
        "A clear-text copy of it in a git remote, a synced folder or an unencrypted bucket "
        "hands all of them to whoever reads that copy: the provider, a leaked token, a "
        "public repository by mistake."
    )
    remediation = (
        "Encrypt the copy: give the repository a client-side `key` (restic, borg, kopia, "
        "rclone crypt), or encrypt the file itself (sops, git-crypt, age) and set the "
        "datastore's `key`."
    )

    def check(self, datastore: Datastore, facts: Facts) -> Iterator[Problem]:
        if not datastore.is_secret or datastore.key is not None:
            return
        host = facts.placement_of(datastore).host
        clear = [
            copy
            for copy in facts.repository_copies(datastore)
            if not copy_encrypted(copy.repository, facts) and copy.placement.host != host
        ]
        if not clear:
            return
        what = "secrets" if datastore.kind == "secrets" else "a configuration with secrets"
        names = quoted_names([str(copy.repository) for copy in clear])
        yield Problem(
            f"{what} is copied in clear text to {names}, away from its host: whoever "
            "reads that copy has every credential in it",
            fix="encrypt the repository client-side (`key`), or the file itself (sops, git-crypt)",
            evidence=capped(f"{copy.describe()}: not encrypted" for copy in clear),
        )

    failing = (
        Example(
            description="A compose `.env` file is pushed to a git forge unencrypted.",
            findings=("app-env",),
            model="""
archlint: 1
domains:
  home: {kind: site}
  forge: {kind: site, provider: github}
hosts:
  app: {kind: server, in: home}
datastores:
  app-env: {kind: config, format: env, host: app, contains_secrets: true}
repositories:
  github: {tool: git, in: forge}
backups:
  env-git: {source: app-env, target: github, method: git, schedule: daily}
""",
        ),
    )
    passing = (
        Example(
            description="The `.env` file is encrypted with sops before it is committed.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  forge: {kind: site, provider: github}
  alice: {kind: person}
hosts:
  app: {kind: server, in: home}
keys:
  sops-age: {kind: age, stored_in: [alice]}
datastores:
  app-env: {kind: config, format: env, host: app, contains_secrets: true, key: sops-age}
repositories:
  github: {tool: git, in: forge}
backups:
  env-git: {source: app-env, target: github, method: git, schedule: daily}
""",
        ),
        Example(
            description="A config without secrets may be copied in clear text.",
            model="""
archlint: 1
domains:
  home: {kind: site}
  forge: {kind: site, provider: github}
hosts:
  app: {kind: server, in: home}
datastores:
  compose: {kind: config, format: compose, host: app}
repositories:
  github: {tool: git, in: forge}
backups:
  compose-git: {source: compose, target: github, method: git, schedule: daily}
""",
        ),
    )


def copy_encrypted(repository: str | None, facts: Facts) -> bool:
    return repository is not None and facts.model.repositories[repository].key is not None
