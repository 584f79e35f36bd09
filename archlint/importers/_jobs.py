"""What the backup-tool importers share: origins, repositories by URL, hooks, retention.

borgmatic, resticprofile, autorestic and Proxmox all name repositories by a path
or URL, run shell hooks around a job and keep a `keep-*` retention. Reading those
the same way in one place keeps the importers' output consistent with each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.model.errors import Location
from archlint.model.located import LocatedList, LocatedMap

# Commands that stop or pause the application before a job reads its files.
_STOPS = re.compile(
    r"\b(docker|podman)(\s+compose|-compose)?\b[^;&|]*\s(stop|pause|down|kill)\b"
    r"|\bsystemctl\s+stop\b|\b(pct|qm)\s+(stop|suspend|shutdown)\b"
    r"|\bkubectl\s+scale\b[^;&|]*--replicas[= ]0\b"
)
_VARIABLE = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{.*?\}\}")
_PROVIDERS = {
    "s3": "amazon-s3",
    "b2": "backblaze",
    "azure": "azure",
    "gs": "google-cloud",
    "swift": "openstack-swift",
}
# Jinja: `{{ name`, `{% tag`; Go format strings in hook commands (`{{.Names}}`) are not templates.
_TEMPLATE = re.compile(r"\{%-?\s*[A-Za-z]|\{\{-?\s*[A-Za-z_]")
_RESTIC_SCHEME = re.compile(r"(rest|sftp|s3|b2|azure|gs|swift|rclone|local):", re.IGNORECASE)
_PASSWORD = re.compile(r"(://[^:/@\s]+):[^@/\s]*@")
_RETENTION_UNITS = ("last", "hourly", "daily", "weekly", "monthly", "yearly", "within")


def origin(at: Location) -> Origin:
    return Origin(at.file, at.line, at.column)


def origin_of(data: Any, key: str | int | None = None) -> Origin:
    """The origin of a value of a located mapping or list (or of the container itself)."""
    if isinstance(data, LocatedMap) and isinstance(key, str) and key in data.value_locations:
        return origin(data.key_locations[key])
    if isinstance(data, LocatedList) and isinstance(key, int) and key < len(data):
        return origin(data.item_locations[key])
    return origin(data.location)


def strings(value: Any) -> list[str]:
    """A scalar or a list of scalars as a list of strings (None gives [])."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value if item is not None and not isinstance(item, dict)]
    if isinstance(value, dict):
        return []
    return [str(value)]


def reject_templates(text: str, display: str, pattern: re.Pattern[str] = _TEMPLATE) -> None:
    """Stop on a template (Jinja, Go) that still has to be rendered: never run it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        found = pattern.search(line)
        if found:
            fail(
                Origin(display, number, found.start() + 1),
                "this is a template (Jinja or Go), not a configuration file: "
                "render the template first and import the result",
            )


def has_variable(text: str) -> bool:
    """Whether a value is filled in at run time (`${VAR}`, `$VAR`, `{{ .Env.X }}`)."""
    return bool(_VARIABLE.search(text))


def stops_application(commands: Iterable[str]) -> bool:
    """Whether hook commands stop or pause the application (containers, units, guests)."""
    return any(_STOPS.search(command) for command in commands)


def retention(values: Mapping[str, Any], separator: str) -> dict[str, int]:
    """`keep-daily: 7` (or `keep_daily`) as `{daily: 7}`; durations are left out."""
    kept: dict[str, int] = {}
    for unit in _RETENTION_UNITS:
        value = values.get(f"keep{separator}{unit}")
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            kept[unit] = value
        elif isinstance(value, str) and value.isdigit() and int(value) > 0:
            kept[unit] = int(value)
    return kept


def place_repository(
    draft: Draft, url: str, host: str, options: ImportOptions, at: Origin | None
) -> tuple[dict[str, Any], list[str]]:
    """Where a repository named by `url` is: fields (`host` or `in`) and TODOs.

    A local path is on the job's host; anything else is at a site of its own that
    the person has to confirm, since a URL never says where its machine stands.
    """
    if has_variable(url):
        place = site(
            draft,
            f"{_variable_name(url)}-site",
            {},
            at,
            [f"the repository is {url!r}, filled in at run time: say which site it is at"],
        )
        return {"in": place}, []
    scheme, rest = _scheme(url)
    if scheme in ("", "local", "file"):
        return {"host": host}, [
            "a path on the job's host: if it is another disk, a USB disk or a network "
            "mount, put the repository `in` a disk domain or on the machine that holds it"
        ]
    if scheme in _PROVIDERS:
        bucket = rest.split("/")[0].split(":")[0] or scheme
        place = site(
            draft,
            f"{scheme}-{bucket}",
            {"provider": _PROVIDERS[scheme]},
            at,
            [f"the {scheme} bucket {bucket!r}: check the provider's site (region)"],
        )
        return {"in": place}, ["immutability unknown: set `immutable: true` if object lock is on"]
    if scheme == "rclone":
        remote = rest.split(":")[0] or "rclone"
        place = site(
            draft,
            f"rclone-{remote}",
            {},
            at,
            [
                f"rclone remote {remote!r}: which provider or machine is it (see rclone.conf), "
                "and is it at another site?"
            ],
        )
        return {"in": place}, []
    server = _server(scheme, rest)
    place = site(
        draft,
        server or scheme,
        {},
        at,
        [
            f"{server or normalised_url(url)!r} holds a repository: confirm it is at "
            "another site; if it is at the same site as the hosts, make it a host there"
        ],
    )
    return {"in": place}, []


def normalised_url(url: str) -> str:
    """A repository URL compared and shown by what it names: no password (never copied),
    no trailing slash, no `file://`."""
    return _PASSWORD.sub(r"\1@", url.strip()).rstrip("/").removeprefix("file://")


def site(
    draft: Draft, hint: str, fields: Mapping[str, Any], at: Origin | None, todos: list[str]
) -> str:
    """A site the files name but cannot place (a remote server, a bucket), made once."""
    for entity in draft.entities("domains"):
        if entity.match.get("place") == hint:
            return entity.id
    values = {"kind": "site", **fields}
    return draft.add("domains", hint, values, at, todos, match={"place": hint})


def _scheme(url: str) -> tuple[str, str]:
    """restic-style `scheme:rest`, borg-style `ssh://` and `user@host:path`."""
    restic = _RESTIC_SCHEME.match(url)
    if restic:
        return restic.group(1).lower(), url[restic.end() :]
    if "://" in url:
        scheme, _, rest = url.partition("://")
        return scheme.lower(), rest
    if url.startswith(("/", "~", ".")) or ":" not in url:
        return "", url
    head, _, rest = url.partition(":")
    if "@" in head or "." in head:
        return "ssh", url  # scp-like user@host:path
    return head.lower(), rest


def _server(scheme: str, rest: str) -> str:
    if scheme in ("sftp", "ssh", "rest", "http", "https"):
        rest = rest.removeprefix("//")
        if scheme == "rest":
            rest = rest.split("://", 1)[-1]
        authority = rest.split("/")[0]
        return authority.rsplit("@", 1)[-1].split(":")[0]
    return ""


def _variable_name(text: str) -> str:
    found = _VARIABLE.search(text)
    name = found.group(0) if found else text
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "variable"
