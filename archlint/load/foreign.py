"""Recognise the configuration files of other tools by their top-level keys.

A directory of Compose or borgmatic files handed to `archlint check` would
otherwise flood "unknown section" errors. A file recognised here gets one
error naming the tool and the `archlint import` command that drafts a model
from it. Recognition looks at keys only, never runs or resolves anything.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["foreign_text_tool", "foreign_tool", "import_hint"]

# sanoid.conf is INI, not YAML: recognised by its template sections and keys.
SANOID = re.compile(r"^\s*(?:\[template_|use_template\s*=)", re.MULTILINE)
SNIFFED_BYTES = 1 << 16

# Keys a Compose service has and an archlint service does not.
COMPOSE_SERVICE_KEYS = frozenset(
    ("image", "build", "container_name", "ports", "environment", "restart", "volumes", "command")
)
# borgmatic: the sections of its legacy layout, and keys of its flat (1.8+) layout.
BORGMATIC_SECTIONS = frozenset(("location", "storage", "retention", "consistency", "hooks"))
BORGMATIC_KEYS = frozenset(
    ("source_directories", "encryption_passphrase", "keep_daily", "keep_weekly", "checks")
)
# Keys of one resticprofile profile.
RESTICPROFILE_PROFILE_KEYS = frozenset(
    ("repository", "repository-file", "password-file", "backup", "retention", "base-dir")
)
# Keys of resticprofile's `global` section (Prometheus has a `global` section too).
RESTICPROFILE_GLOBAL_KEYS = frozenset(
    ("default-command", "restic-binary", "initialize", "priority", "ionice", "scheduler")
)


def foreign_tool(data: Mapping[str, Any]) -> str | None:
    """The importer name of the tool whose configuration `data` looks like, or None.

    Only for files that do not declare `archlint:`: one that does is a model
    file whatever else it holds.
    """
    keys = set(data)
    if {"apiVersion", "kind"} <= keys:
        return "kubernetes"
    if _is_compose(data):
        return "compose"
    if keys & BORGMATIC_SECTIONS or keys & BORGMATIC_KEYS:
        return "borgmatic"
    if "locations" in keys and ("backends" in keys or "version" in keys):
        return "autorestic"
    if _is_resticprofile(data):
        return "resticprofile"
    return None


def foreign_text_tool(path: Path) -> str | None:
    """The importer name of a tool whose non-YAML configuration `path` is (sanoid), or
    None. Only a regular file whose name is not *.yaml or *.yml is looked at."""
    if path.name.endswith((".yaml", ".yml")):
        return None
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO or a device: reading it could block
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = stream.read(SNIFFED_BYTES)
    except (OSError, ValueError):
        return None  # the loader reports why it cannot be read
    return "sanoid" if SANOID.search(head) else None


def import_hint(tool: str, shown_path: str) -> str:
    """The error for a file of `tool`: what it is and how to make a model of it."""
    if tool == "kubernetes":
        return (
            "this looks like a Kubernetes manifest, not an archlint model (it has no "
            "`archlint:` line): archlint has no Kubernetes importer; describe the workloads "
            "and their volumes as services and datastores in a model file"
        )
    names = {"compose": "Compose file", "borgmatic": "borgmatic configuration"}
    name = names.get(tool, f"{tool} configuration")
    return (
        f"this looks like a {name}, not an archlint model (it has no `archlint:` line): "
        f"draft a model from it with `archlint import {tool} {shown_path}`"
    )


def _is_compose(data: Mapping[str, Any]) -> bool:
    services = data.get("services")
    if not isinstance(services, Mapping):
        return False
    if any(key.startswith("x-") for key in data):
        return True
    return any(
        isinstance(service, Mapping) and COMPOSE_SERVICE_KEYS & set(service)
        for service in services.values()
    )


def _is_resticprofile(data: Mapping[str, Any]) -> bool:
    if "profiles" in data and "version" in data:
        return True
    global_section = data.get("global")
    if isinstance(global_section, Mapping) and RESTICPROFILE_GLOBAL_KEYS & set(global_section):
        return True
    return any(
        isinstance(profile, Mapping) and len(RESTICPROFILE_PROFILE_KEYS & set(profile)) >= 2
        for profile in data.values()
    )
