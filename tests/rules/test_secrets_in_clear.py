"""secrets-in-clear (AL204): clear-text copies of secrets away from their host."""

from __future__ import annotations

from tests.rules.helpers import check_rule, findings

MODEL = """
archlint: 1
domains:
  home: {kind: site}
hosts:
  app: {kind: server, in: home}
  nas: {kind: nas, in: home}
keys:
  pass: {kind: passphrase, stored_in: [app]}
datastores:
  vault: {kind: secrets, host: app}
  env: {kind: config, format: env, host: app, contains_secrets: true}
repositories:
  local-git: {tool: git, host: app}
  nas-rsync: {tool: rsync, host: nas}
  nas-restic: {tool: restic, host: nas, key: pass}
backups:
  env-git: {source: env, target: local-git, method: git, schedule: daily}
  vault-rsync: {source: vault, target: nas-rsync, method: file, schedule: daily}
  env-restic: {source: env, target: nas-restic, method: file, schedule: daily}
"""


def test_clear_copies_on_another_host_only() -> None:
    [finding] = findings("secrets-in-clear", MODEL)
    assert finding.entity == "vault"
    assert finding.message.startswith("secrets is copied in clear text to 'nas-rsync'")
    assert finding.evidence == ("repository 'nas-rsync' via vault-rsync: not encrypted",)


def test_a_clear_copy_of_a_config_with_secrets() -> None:
    text = MODEL.replace("target: local-git", "target: nas-rsync")
    assert sorted(check_rule("secrets-in-clear", text)) == [
        ("secrets-in-clear", "env"),
        ("secrets-in-clear", "vault"),
    ]
