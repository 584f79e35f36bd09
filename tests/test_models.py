"""The shipped models mean what models/README.md says they mean."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from archlint.engine.rulepack import load_rules
from tests.conftest import Run

MODELS = Path(__file__).resolve().parent.parent / "models"

# models/README.md, "homelab": every finding, as of 2026-11-26.
HOMELAB = [
    ("backup-on-live-storage", "hass-vzdump"),
    ("backup-on-live-storage", "paperless-media-restic"),
    ("circular-key-dependency", "borg-passphrase"),
    ("config-not-versioned", "docker-compose-files"),
    ("config-not-versioned", "hass-config"),
    ("config-not-versioned", "jellyfin-config"),
    ("config-not-versioned", "pihole-config"),
    ("criticality-inversion", "immich"),
    ("criticality-inversion", "vaultwarden"),
    ("expired-waiver", "storagebox"),
    ("failed-restore-drill", "vaultwarden"),
    ("implicit-dependencies", "pihole"),
    ("inconsistent-database-backup", "hass-db"),
    ("inconsistent-database-backup", "kuma-db"),
    ("inconsistent-database-backup", "paperless-db"),
    ("insufficient-copies", "hass-config"),
    ("insufficient-copies", "hass-db"),
    ("insufficient-copies", "vaultwarden-data"),
    ("mirror-only-offsite", "immich-library"),
    ("missing-restore-drill", "immich"),
    ("missing-restore-drill", "pihole"),
    ("no-immutable-copy", "hass-db"),
    ("no-immutable-copy", "vaultwarden-data"),
    ("orphaned-key", "restic-password"),
    ("restore-dependency-cycle", "authelia"),
    ("restore-time-exceeds-rto", "immich"),
    ("retention-too-short", "immich-db"),
    ("rpo-not-met", "hass-config"),
    ("rpo-not-met", "hass-db"),
    ("rto-not-met", "home-assistant"),
    ("secrets-in-clear", "traefik-config"),
    ("single-domain-copies", "hass-config"),
    ("single-domain-copies", "hass-db"),
    ("single-domain-copies", "immich-db"),
    ("single-domain-copies", "paperless-db"),
    ("single-domain-copies", "paperless-media"),
    ("single-host-compromise", "hass-config"),
    ("single-host-compromise", "hass-db"),
    ("single-host-compromise", "immich-library"),
    ("single-host-compromise", "vaultwarden-data"),
    ("snapshot-only", "family-archive"),
    ("stale-restore-drill", "home-assistant"),
    ("unencrypted-offsite-copy", "storagebox"),
    ("unmonitored-backup", "hass-vzdump"),
    ("unmonitored-backup", "immich-db-dump"),
    ("unmonitored-backup", "immich-library-rclone"),
    ("unmonitored-backup", "immich-library-restic"),
    ("unmonitored-backup", "immich-library-snapshots"),
    ("unmonitored-backup", "usb-copy"),
    ("unmonitored-backup", "vaultwarden-borg"),
    ("unprotected-config", "authelia"),
    ("unprotected-config", "immich"),
    ("unprotected-config", "paperless"),
    ("unprotected-config", "pihole"),
    ("unprotected-config", "traefik"),
    ("unprotected-config", "vaultwarden"),
    ("unprotected-data", "authelia-db"),
    ("unprotected-host", "docker"),
    ("unprotected-host", "nas"),
    ("unprotected-host", "pi"),
    ("unprotected-host", "pve"),
    ("unrecoverable-dependency", "home-assistant"),
    ("unrecoverable-dependency", "immich"),
    ("unscheduled-backup", "traefik-git"),
    ("unscheduled-backup", "usb-copy"),
    ("unused-key", "old-gpg-key"),
    ("unused-repository", "b2-bucket"),
    ("unverified-repository", "hetzner-backups"),
    ("unverified-repository", "pve-local"),
    ("unverified-repository", "storagebox"),
    ("unverified-repository", "usb-restic"),
]


def test_reference_architecture_passes_every_rule(archlint: Callable[..., Run]) -> None:
    run = archlint("check", MODELS / "reference", "--as-of", "2026-11-26")
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith("No findings")


def test_homelab_shows_the_documented_gaps(archlint: Callable[..., Run]) -> None:
    run = archlint("check", MODELS / "homelab", "--as-of", "2026-11-26", "--format", "json")
    assert run.code == 1
    document = json.loads(run.out)
    reported = sorted((f["name"], f["entity"]) for f in document["findings"])
    assert reported == HOMELAB
    assert document["summary"]["waived"] == 1


def test_homelab_exercises_every_rule() -> None:
    assert {name for name, _entity in HOMELAB} == {rule.name for rule in load_rules()}
