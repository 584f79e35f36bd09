"""resticprofile configurations: profiles, their repositories, keys, copies and checks.

Reads YAML, TOML and JSON files in the version 1 layout (profiles at the top
level) and the version 2 layout (`profiles:`), follows `includes` and `inherit`,
and turns each profile that backs something up into `file` backups, each `copy`
section into a `copy` backup to another repository, `check` schedules (or
`check-after`) into the repositories' `verify`, and `keep-*` into retention.
`password-file`, `password-command` and `RESTIC_PASSWORD*` become keys that say
where the password is kept, never what it is. resticprofile renders its files as
Go templates: a file that needs rendering (`{{ define }}`, `{{ if }}` ...) is
refused with "render the template first" (`resticprofile show` prints the result).
"""

from __future__ import annotations

import glob
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from archlint.importers import _jobs
from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.schedules import (
    Timing,
    Untranslatable,
    attach,
    calendar_to_schedule,
    command_words,
    split_paths,
)
from archlint.importers.yamlread import parse_documents, read_text
from archlint.model.errors import Location, clip, quoted
from archlint.model.located import LocatedList, LocatedMap

TOOL = "resticprofile"
_RESERVED = ("version", "global", "groups", "includes", "profiles", "mixins", "templates")
_GO_TEMPLATE = re.compile(r"\{\{-?\s*(define|template|if|else|end|range|with|block)\b")
_DUMPS = {
    "pg_dump": "postgresql",
    "pg_dumpall": "postgresql",
    "mysqldump": "mysql",
    "mariadb-dump": "mariadb",
    "mongodump": "mongodb",
    "redis-cli": "redis",
    "influx": "influxdb",
}
_REPOSITORY_KEYS = frozenset(("repository", "repository-file"))
_COMMANDS = ("backup", "copy", "check", "forget", "prune")
_UNIT = re.compile(r"resticprofile-(backup|copy|check|forget|prune)@profile-([^.\s]+)")
_TOML_HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.-]+)\s*=")
_MAX_INCLUDES = 100
_NO_SCHEDULE = (
    "no schedule in the profile: give the crontab line, systemd timer or CronJob that "
    "runs it on the same command line, or write it here"
)


def import_files(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft(TOOL)
    configs, timings = split_paths(paths, options)
    if not configs:
        fail(Origin(str(paths[0]) if paths else "-", 1), "no resticprofile configuration given")
    draft.sources.extend(str(path) for path in paths)
    host = draft.ensure_host(None, options, Origin(str(configs[0]), 1))
    imported = [_Configuration(draft, path, options, host) for path in configs]
    attach(draft, timings, lambda timing: _runs(imported, timing))
    for configuration in imported:
        configuration.finish()
    return draft


def _runs(configurations: list[_Configuration], timing: Timing) -> list[str]:
    """The jobs a command runs: `resticprofile -n NAME backup`, `NAME.backup`, or a
    unit named `resticprofile-backup@profile-NAME`."""
    unit = _UNIT.search(timing.command)
    if unit:
        command, name = unit.group(1), unit.group(2)
    else:
        words = command_words(timing.command)
        if not any(Path(word).name == "resticprofile" for word in words):
            return []
        name, command = "default", ""
        for index, word in enumerate(words):
            if word in ("-n", "--name") and index + 1 < len(words):
                name = words[index + 1]
            elif word.startswith("--name="):
                name = word.partition("=")[2]
            elif word in _COMMANDS:
                command = word
            elif "." in word and word.rpartition(".")[2] in _COMMANDS:
                name, _, command = word.rpartition(".")
    return [
        job
        for configuration in configurations
        for profile in configuration.members(name)
        for job in configuration.jobs.get((profile, command), [])
    ]


class _Configuration:
    """One configuration file (with its includes) turned into draft entities."""

    def __init__(self, draft: Draft, path: Path, options: ImportOptions, host: str) -> None:
        self.draft = draft
        self.path = path
        self.options = options
        self.host = host
        self.jobs: dict[tuple[str, str], list[str]] = {}
        self.check_after: list[tuple[str, str]] = []  # (repository, profile) checked after backup
        self.retention: list[tuple[str, dict[str, int], Origin]] = []  # forget-only profiles
        data = self._read(path)
        self.version = str(data.get("version", "1"))
        profiles = data.get("profiles") if self.version.startswith("2") else data
        self.groups = _groups(data.get("groups"))
        for include in self._includes(data):
            extra = self._read(include)
            extra_profiles = extra.get("profiles") if self.version.startswith("2") else extra
            profiles = (
                _merge(profiles, extra_profiles)
                if isinstance(extra_profiles, LocatedMap)
                else profiles
            )
        if not isinstance(profiles, LocatedMap):
            fail(Origin(str(path), 1), "no profiles in this resticprofile configuration")
        self.profiles = profiles
        names = [
            name
            for name in sorted(profiles, key=lambda key: profiles.key_locations[key])
            if isinstance(profiles[name], LocatedMap)
            and (self.version.startswith("2") or name not in _RESERVED)
        ]
        if not any(_REPOSITORY_KEYS & set(self._resolved(name)) for name in names):
            fail(
                Origin(str(path), 1),
                "no profile names a repository: not a resticprofile configuration",
            )
        for name in names:
            self._profile(name)

    def members(self, name: str) -> list[str]:
        return self.groups.get(name, [name])

    # -- reading ---------------------------------------------------------------

    def _read(self, path: Path) -> LocatedMap:
        display = str(path)
        text = read_text(path, display, self.options.limits)
        _jobs.reject_templates(text, display, _GO_TEMPLATE)
        suffix = path.suffix.lower()
        if suffix == ".hcl":
            fail(Origin(display, 1), "HCL is not read: write the profiles as YAML or TOML")
        if suffix in (".toml", ".conf"):
            return _toml(text, display)
        documents = parse_documents(text, display, self.options.limits)
        if len(documents) != 1:
            fail(Origin(display, 1), "expected one YAML document: a resticprofile configuration")
        return documents[0]

    def _includes(self, data: LocatedMap) -> list[Path]:
        found: list[Path] = []
        for pattern in _jobs.strings(data.get("includes")):
            full = pattern if Path(pattern).is_absolute() else str(self.path.parent / pattern)
            found.extend(Path(match) for match in sorted(glob.glob(full)))
        at = _jobs.origin_of(data, "includes")
        if len(found) > _MAX_INCLUDES:
            fail(at, f"more than {_MAX_INCLUDES} included files")
        inside = [path for path in found if self._inside(path)]
        for path in sorted(set(found) - set(inside)):
            self.draft.notes.append(
                f"TODO: {at}: {path} is outside the configuration's directory and was not "
                "read; give it on the command line if it holds profiles"
            )
        return [path for path in inside if path.resolve() != self.path.resolve()]

    def _inside(self, path: Path) -> bool:
        """Only files below the configuration's own directory are read on its say-so."""
        return path.resolve().is_relative_to(self.path.parent.resolve())

    def _resolved(self, name: str, seen: tuple[str, ...] = ()) -> LocatedMap:
        """A profile with everything it inherits (the profile's own values win)."""
        profile = self.profiles.get(name)
        if not isinstance(profile, LocatedMap):
            fail(_jobs.origin_of(self.profiles), f"profile {quoted(name)} is not defined")
        parent = profile.get("inherit")
        if not isinstance(parent, str) or not parent:
            return profile
        if parent in seen:
            fail(
                _jobs.origin_of(profile, "inherit"),
                f"profiles inherit in a circle: {quoted(parent)}",
            )
        merged: LocatedMap = _merge(self._resolved(parent, (*seen, name)), profile)
        return merged

    # -- one profile -----------------------------------------------------------

    def _profile(self, name: str) -> None:
        profile = self._resolved(name)
        url = profile.get("repository")
        at = _jobs.origin_of(self.profiles, name)
        backup = profile.get("backup")
        copy = profile.get("copy")
        check = profile.get("check")
        if url is None and "repository-file" not in profile:
            return  # a base for others to inherit from
        if "use" in profile:
            self.draft.notes.append(
                f"TODO: {at}: profile {name} uses mixins, which are not expanded here: "
                "check what they add (`resticprofile show` prints the result)"
            )
        sources = self._sources(backup, profile) if isinstance(backup, LocatedMap) else []
        if not sources and not isinstance(copy, LocatedMap) and not isinstance(check, LocatedMap):
            self._forget_only(profile, at)
            return
        repository = self._repository(profile, profile, at)
        keep = _jobs.retention(_section(profile, "retention"), "-") or _jobs.retention(
            _section(profile, "forget"), "-"
        )
        if sources and isinstance(backup, LocatedMap):
            quiesce = _jobs.stops_application(_jobs.strings(backup.get("run-before")))
            for source, source_at, method in sources:
                self._backup(name, source, source_at, method, repository, backup, keep, quiesce)
            if backup.get("check-after") is True or backup.get("check-before") is True:
                self.check_after.append((repository, name))
        elif keep:
            self.draft[repository].fields.setdefault("retention", keep)
        if isinstance(copy, LocatedMap):
            self._copy(name, repository, copy, profile)
        if isinstance(check, LocatedMap) and "schedule" in check:
            schedule, todo = _schedule(check.get("schedule"))
            if schedule:
                self.draft[repository].fields["verify"] = schedule
            if todo:
                self.draft.todo(repository, f"check schedule: {todo}")

    def _forget_only(self, profile: LocatedMap, at: Origin) -> None:
        """A profile that only forgets: its retention belongs to its repository."""
        keep = _jobs.retention(_section(profile, "forget"), "-")
        if keep and isinstance(profile.get("repository"), str):
            self.retention.append((_jobs.normalised_url(profile["repository"]), keep, at))

    def _sources(self, backup: LocatedMap, profile: LocatedMap) -> list[tuple[str, Origin, str]]:
        """What a backup section reads: (datastore, origin, method) for paths and dumps."""
        found = [(self._path(path, at), at, "file") for path, at in self._paths(backup, profile)]
        if backup.get("stdin") is True and "stdin-command" in backup:
            at = _jobs.origin_of(backup, "stdin-command")
            for command in _jobs.strings(backup["stdin-command"]):
                dump = self._dump(command, at)
                if dump is not None:
                    found.append((dump, at, "dump"))
        return found

    def _path(self, path: str, at: Origin) -> str:
        todos = []
        if _jobs.has_variable(path):
            todos.append(f"the path {path!r} is filled in at run time: write the real path")
        return self.draft.path_datastore(self.host, path, at, todos=todos)

    def _dump(self, command: str, at: Origin) -> str | None:
        """The database a `stdin-command` dumps (pg_dump, mysqldump, ...), or a note."""
        words = [Path(word).name for word in command_words(command)]
        engine = next((_DUMPS[word] for word in words if word in _DUMPS), None)
        if engine is None:
            self.draft.notes.append(
                f"TODO: {at}: restic backs up the output of {clip(command, 80)!r}: add "
                "the datastore it reads and its backup"
            )
            return None
        match = {"engine": engine, "command": command}
        for entity in self.draft.entities("datastores"):
            if entity.match == match:
                return entity.id
        fields = {
            "kind": "database",
            "engine": engine,
            "host": self.host,
            "description": f"{engine} dumped by {clip(command, 80)!r}",
        }
        todos = ["the database the command dumps: check its host (a container, another machine)"]
        return self.draft.add("datastores", f"{engine}-dump", fields, at, todos, match)

    def _paths(self, backup: LocatedMap, profile: LocatedMap) -> list[tuple[str, Origin]]:
        found = []
        sources = backup.get("source")
        for index, source in enumerate(sources if isinstance(sources, LocatedList) else []):
            found.append((str(source), _jobs.origin_of(sources, index)))
        if isinstance(sources, str):
            found.append((sources, _jobs.origin_of(backup, "source")))
        for name in _jobs.strings(backup.get("files-from")):
            at = _jobs.origin_of(backup, "files-from")
            listed = self._listed(name, profile)
            if listed is None:
                self.draft.notes.append(
                    f"TODO: {at}: the paths backed up are listed in {name!r}, which is not "
                    "next to the configuration: add their datastores and backups"
                )
            found.extend((path, at) for path in listed or [])
        return found

    def _listed(self, name: str, profile: LocatedMap) -> list[str] | None:
        base = str(profile.get("base-dir") or "")
        candidate = self.path.parent / base / name
        if not candidate.is_file() or not self._inside(candidate):
            return None
        text = read_text(candidate, str(candidate), self.options.limits)
        return [
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]

    def _repository(self, settings: LocatedMap, profile: LocatedMap, at: Origin) -> str:
        url = settings.get("repository")
        todos: list[str] = []
        if url is None and "repository-file" in settings:
            url = f"file of {settings['repository-file']}"
            todos.append(
                f"the repository is named in the file {settings['repository-file']!r}: "
                "write where it is (host or site)"
            )
        text = str(url)
        if "repository" in settings:
            at = _jobs.origin_of(settings, "repository")
        match = {"tool": "restic", "url": _jobs.normalised_url(text)}
        for entity in self.draft.entities("repositories"):
            if entity.match == match:
                return entity.id
        more: list[str] = []
        if text.startswith("file of "):
            place: dict[str, Any] = {"in": _jobs.site(self.draft, f"{text[8:]}-site", {}, at, [])}
        else:
            place, more = _jobs.place_repository(self.draft, text, self.host, self.options, at)
        key = self._key(settings, profile, at)
        fields: dict[str, Any] = {
            "tool": "restic",
            **place,
            "key": key,
            "description": f"restic repository {match['url']}",
        }
        hint = text.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "restic"
        return self.draft.add("repositories", hint, fields, at, todos + more, match)

    def _key(self, settings: LocatedMap, profile: LocatedMap, at: Origin) -> str:
        """The key of a repository: where its password comes from (restic always encrypts)."""
        env = profile.get("env")
        env = env if isinstance(env, LocatedMap) else LocatedMap(Location(at.file, at.line, 1))
        if "password-file" in settings:
            source, kind = str(settings["password-file"]), "file"
            where = _jobs.origin_of(settings, "password-file")
        elif "password-command" in settings:
            source, kind = str(settings["password-command"]), "command"
            where = _jobs.origin_of(settings, "password-command")
        elif settings is profile and any(k.upper().startswith("RESTIC_PASSWORD") for k in env):
            variable = next(k for k in env if k.upper().startswith("RESTIC_PASSWORD"))
            source, kind, where = variable.upper(), "environment", _jobs.origin_of(env, variable)
        else:
            source, kind, where = "", "unknown", at
        match = {"password": f"{kind}:{source}"}
        for entity in self.draft.entities("keys"):
            if entity.match == match and kind != "unknown":
                return entity.id
        fields: dict[str, Any] = {"kind": "passphrase"}
        if kind == "file":
            fields["stored_in"] = [self.host]
            todo = f"the password is in the file {source!r} on the host: add every other copy"
            stem = Path(source).stem.strip(".") or "restic"
            hint = stem if "password" in stem else f"{stem}-password"
        elif kind == "command":
            program = (command_words(source) or ["?"])[0]
            todo = (
                f"the password comes from the command {Path(program).name!r}: "
                "add where that keeps it"
            )
            hint = "restic-password"
        elif kind == "environment":
            todo = f"the password comes from {source} in the profile's environment: add its places"
            hint = "restic-password"
        else:
            todo = (
                "restic always encrypts, but the profile does not say where the password "
                "comes from (RESTIC_PASSWORD in the environment?): add where it is kept"
            )
            hint = "restic-password"
        return self.draft.add("keys", hint, fields, where, [todo], match)

    # -- jobs ------------------------------------------------------------------

    def _backup(
        self,
        profile: str,
        source: str,
        at: Origin,
        method: str,
        repository: str,
        backup: LocatedMap,
        keep: dict[str, int],
        quiesce: bool,
    ) -> None:
        what = self.draft[source].fields.get("path") or source
        fields: dict[str, Any] = {
            "source": source,
            "target": repository,
            "method": method,
            "description": f"resticprofile profile {profile}: {what}",
        }
        if quiesce and method == "file":
            fields["quiesce"] = True
        if keep:
            fields["retention"] = keep
        self._job(profile, "backup", f"{profile}-{source}", fields, at, backup)

    def _copy(self, profile: str, repository: str, copy: LocatedMap, settings: LocatedMap) -> None:
        at = _jobs.origin_of(copy)
        if "repository" not in copy and "repository-file" not in copy:
            self.draft.todo(repository, f"{at}: a copy section without a repository")
            return
        target = self._repository(copy, LocatedMap(copy.location), at)
        fields: dict[str, Any] = {
            "source": repository,
            "target": target,
            "method": "copy",
            "description": f"resticprofile profile {profile}: restic copy",
        }
        self._job(profile, "copy", f"{profile}-copy-to-{target}", fields, at, copy)

    def _job(
        self,
        profile: str,
        command: str,
        hint: str,
        fields: dict[str, Any],
        at: Origin,
        section: LocatedMap,
    ) -> None:
        schedule, todo = _schedule(section.get("schedule"))
        todos = [todo] if todo else []
        if schedule:
            fields["schedule"] = schedule
        elif not todo:
            todos.append(_NO_SCHEDULE)
        match = {"job": f"{TOOL}:{self.path}:{profile}:{command}:{fields['source']}"}
        job = self.draft.add("backups", hint, fields, at, todos, match)
        self.jobs.setdefault((profile, command), []).append(job)

    def finish(self) -> None:
        """`check-after`: the repository is verified as often as the backup runs; a
        forget-only profile's retention goes to the repository it forgets in."""
        for url, keep, at in self.retention:
            found = [r for r in self.draft.entities("repositories") if r.match.get("url") == url]
            for entity in found:
                entity.fields.setdefault("retention", keep)
            if not found:
                self.draft.notes.append(
                    f"TODO: {at}: a profile forgets in {url!r}, which no profile backs up to"
                )
        for repository, profile in self.check_after:
            schedules = {
                self.draft[job].fields.get("schedule")
                for job in self.jobs.get((profile, "backup"), [])
            }
            schedules.discard(None)
            entity = self.draft[repository]
            if len(schedules) == 1 and "verify" not in entity.fields:
                entity.fields["verify"] = schedules.pop()
            elif "verify" not in entity.fields:
                self.draft.todo(
                    repository,
                    f"checked after each backup of {profile}: set verify to its schedule",
                )


def _schedule(value: Any) -> tuple[str | None, str | None]:
    """A resticprofile `schedule` (systemd calendar events) as a model schedule and a TODO."""
    if isinstance(value, LocatedMap):
        value = value.get("at")
    events = _jobs.strings(value)
    if not events:
        return None, None
    if len(events) > 1:
        return None, f"runs at several times ({', '.join(events)}): write the schedule"
    try:
        return calendar_to_schedule(events[0]), None
    except Untranslatable as reason:
        return None, f"schedule {events[0]!r} cannot be said in cron ({reason}): write it"


def _section(profile: LocatedMap, name: str) -> LocatedMap:
    value = profile.get(name)
    return value if isinstance(value, LocatedMap) else LocatedMap(profile.location)


def _groups(value: Any) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    if isinstance(value, LocatedMap):
        for name, members in value.items():
            if isinstance(members, LocatedMap):
                members = members.get("profiles")
            groups[name] = _jobs.strings(members)
    return groups


def _merge(base: Any, override: Any) -> Any:
    """`override` on top of `base`: mappings merge key by key, anything else is replaced."""
    if not isinstance(base, LocatedMap) or not isinstance(override, LocatedMap):
        return override
    merged = LocatedMap(override.location)
    for key, value in base.items():
        merged.set(key, value, base.key_locations[key], base.value_locations[key])
    for key, value in override.items():
        if key == "inherit":
            continue
        combined = _merge(merged[key], value) if key in merged else value
        merged.set(key, combined, override.key_locations[key], override.value_locations[key])
    return merged


# -- TOML ------------------------------------------------------------------------


def _toml(text: str, display: str) -> LocatedMap:
    """A TOML file as located data: tables at their header line, keys at theirs."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_of(str(error))
        fail(Origin(display, line), f"not valid TOML: {str(error).split(' (at')[0]}")
    located: LocatedMap = _located(data, (), _toml_lines(text), display, 1)
    return located


def _line_of(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


def _toml_lines(text: str) -> dict[tuple[str, ...], int]:
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            found.setdefault(table, number)
            continue
        key = _TOML_KEY.match(line)
        if key:
            path = table + tuple(part.strip("\"'") for part in key.group(1).split("."))
            found.setdefault(path, number)
    return found


def _located(
    value: Any, path: tuple[str, ...], lines: dict[tuple[str, ...], int], display: str, line: int
) -> Any:
    at = Location(display, lines.get(path, line), 1)
    if isinstance(value, dict):
        mapping = LocatedMap(at)
        for key, item in value.items():
            child = (*path, str(key))
            child_at = Location(display, lines.get(child, at.line), 1)
            mapping.set(
                str(key), _located(item, child, lines, display, at.line), child_at, child_at
            )
        return mapping
    if isinstance(value, list):
        items = LocatedList(at)
        for item in value:
            items.add(_located(item, path, lines, display, at.line), at)
        return items
    if isinstance(value, (int, float, str, bool)):
        return value
    return json.dumps(value, default=str)
