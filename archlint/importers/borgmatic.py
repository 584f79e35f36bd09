"""borgmatic configuration files: sources, repositories, keys, database dumps, checks.

Both layouts are read: the current flat one and the legacy one with `location:`,
`storage:`, `retention:`, `consistency:` and `hooks:` sections. Each source
directory becomes a `file` backup and each database hook a `dump` backup into every
repository; `checks` give the repositories' `verify`; an `rclone sync`/`copy` of a
repository in an after-backup hook becomes a mirror repository with a `copy`
backup. borgmatic has no schedule of its own: a crontab line, systemd timer or
CronJob given on the same command line supplies it. Secrets are never copied: a
passphrase becomes a key that says where it is kept, not what it is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archlint.importers import _jobs
from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.schedules import Timing, attach, command_words, split_paths
from archlint.importers.yamlread import parse_documents, read_text
from archlint.model.located import LocatedList, LocatedMap

TOOL = "borgmatic"
_LEGACY_SECTIONS = ("location", "storage", "retention", "consistency", "hooks", "output")
_DATABASES = {
    "postgresql_databases": "postgresql",
    "mariadb_databases": "mariadb",
    "mysql_databases": "mysql",
    "mongodb_databases": "mongodb",
    "sqlite_databases": "sqlite",
}
_LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1")
_RCLONE = re.compile(r"\brclone\s+(sync|copy)\s+(\S+)\s+(\S+)")
_FREQUENCY = re.compile(r"^\s*(\d+)\s*(minute|hour|day|week|month|year)s?\s*$")
_UNIT_SECONDS = {"minute": "m", "hour": "h", "day": "d", "week": "w"}
_NO_SCHEDULE = (
    "no schedule: borgmatic has none of its own; give the crontab line, systemd timer "
    "or CronJob that runs it on the same command line, or write it here"
)


def import_files(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft(TOOL)
    configs, timings = split_paths(paths, options)
    if not configs:
        fail(Origin(str(paths[0]) if paths else "-", 1), "no borgmatic configuration file given")
    draft.sources.extend(str(path) for path in paths)
    host = draft.ensure_host(None, options, Origin(str(configs[0]), 1))
    jobs = [_Config(draft, path, options, host) for path in configs]
    attach(draft, timings, lambda timing: _runs(jobs, timing))
    for job in jobs:
        job.finish()
    return draft


def _runs(jobs: list[_Config], timing: Timing) -> list[str]:
    """The backups a command runs: every configuration, or those named with -c."""
    words = command_words(timing.command)
    if not any(Path(word).name.startswith("borgmatic") for word in words):
        return []
    named = {Path(words[i + 1]).name for i, w in enumerate(words[:-1]) if w in ("-c", "--config")}
    chosen = [job for job in jobs if not named or job.path.name in named]
    return [backup for job in chosen for backup in job.backups]


class _Config:
    """One configuration file turned into draft entities."""

    def __init__(self, draft: Draft, path: Path, options: ImportOptions, host: str) -> None:
        self.draft = draft
        self.path = path
        self.display = str(path)
        text = read_text(path, self.display, options.limits)
        _jobs.reject_templates(text, self.display)
        _reject_includes(text, self.display)
        documents = parse_documents(text, self.display, options.limits)
        if len(documents) != 1:
            fail(Origin(self.display, 1), "expected one YAML document: a borgmatic configuration")
        self.data = _flatten(documents[0])
        if "source_directories" not in self.data and "repositories" not in self.data:
            fail(
                Origin(self.display, 1),
                "not a borgmatic configuration: no source_directories or repositories",
            )
        self.options = options
        self.host = host
        self.backups: list[str] = []
        self.mirrors: list[str] = []
        self.every_run_checks: list[str] = []  # repositories checked each time borgmatic runs
        key = self._key()
        repositories = self._repositories(key)
        sources = self._sources() + self._databases()
        retention = _jobs.retention(self.data, "_")
        quiesce = _jobs.stops_application(self._hooks("before"))
        for source, method in sources:
            for repository in repositories:
                self._backup(source, method, repository, retention, quiesce)
        self._checks(repositories)
        self._mirrors(repositories)

    # -- keys and repositories -------------------------------------------------

    def _key(self) -> str | None:
        data = self.data
        if "encryption_passphrase" in data:
            at = _jobs.origin_of(data, "encryption_passphrase")
            where = (
                "set in the environment of borgmatic on this host"
                if _jobs.has_variable(str(data["encryption_passphrase"]))
                else "written in the borgmatic configuration on this host"
            )
            todos = [
                f"the passphrase is {where} (its value is not copied here): add every "
                "other place that keeps it (a password manager, paper at another site, a person)"
            ]
            return self.draft.add(
                "keys",
                f"{self.path.stem}-passphrase",
                {"kind": "passphrase", "stored_in": [self.host]},
                at,
                todos,
            )
        if "encryption_passcommand" in data:
            at = _jobs.origin_of(data, "encryption_passcommand")
            program = (command_words(str(data["encryption_passcommand"])) or ["?"])[0]
            todos = [
                f"the passphrase comes from the command {Path(program).name!r}: add where "
                "that keeps it, and every other copy, to stored_in"
            ]
            return self.draft.add(
                "keys", f"{self.path.stem}-passphrase", {"kind": "passphrase"}, at, todos
            )
        return None

    def _repositories(self, key: str | None) -> list[str]:
        items = self.data.get("repositories")
        if not isinstance(items, LocatedList) or not items:
            fail(_jobs.origin_of(self.data), "no repositories: borgmatic needs at least one")
        ids = []
        for index, item in enumerate(items):
            at = _jobs.origin_of(items, index)
            if isinstance(item, LocatedMap):
                url, label, mode = (
                    str(item.get("path", "")),
                    item.get("label"),
                    item.get("encryption"),
                )
            else:
                url, label, mode = str(item), None, None
            if not url:
                fail(at, "a repository without a path")
            ids.append(self._repository(url, str(label) if label else None, mode, key, at))
        return ids

    def _repository(
        self, url: str, label: str | None, mode: Any, key: str | None, at: Origin
    ) -> str:
        match = {"tool": "borg", "url": _jobs.normalised_url(url)}
        for entity in self.draft.entities("repositories"):
            if entity.match == match:
                return entity.id
        place, todos = _jobs.place_repository(self.draft, url, self.host, self.options, at)
        fields: dict[str, Any] = {
            "tool": "borg",
            **place,
            "description": f"borg repository {match['url']}",
        }
        if mode == "none":
            pass
        elif isinstance(mode, str) and mode.startswith("keyfile"):
            fields["key"] = self._keyfile(at)
        elif key is not None:
            fields["key"] = key
        else:
            todos.append(
                "encryption is not in this configuration: if the repository is encrypted "
                "(borg's repokey or keyfile), add its key"
            )
        hint = label or Path(url.rstrip("/")).name or "borg"
        return self.draft.add("repositories", hint, fields, at, todos, match=match)

    def _keyfile(self, at: Origin) -> str:
        todos = [
            "borg keeps a keyfile key on the host (~/.config/borg/keys): export a copy "
            "with `borg key export` and add where it is kept"
        ]
        return self.draft.add(
            "keys",
            f"{self.path.stem}-keyfile",
            {"kind": "keyfile", "stored_in": [self.host]},
            at,
            todos,
        )

    # -- what is backed up -----------------------------------------------------

    def _sources(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        directories = self.data.get("source_directories")
        for index, path in enumerate(directories if isinstance(directories, LocatedList) else []):
            at = _jobs.origin_of(directories, index)
            todos = []
            if _jobs.has_variable(str(path)):
                todos.append(f"the path {path!r} is filled in at run time: write the real path")
            found.append((self.draft.path_datastore(self.host, str(path), at, todos=todos), "file"))
        patterns = self.data.get("patterns")
        for index, line in enumerate(patterns if isinstance(patterns, LocatedList) else []):
            if isinstance(line, str) and line.startswith("R "):
                at = _jobs.origin_of(patterns, index)
                found.append((self.draft.path_datastore(self.host, line[2:].strip(), at), "file"))
        return found

    def _databases(self) -> list[tuple[str, str]]:
        found = []
        for hook, engine in _DATABASES.items():
            items = self.data.get(hook)
            for index, item in enumerate(items if isinstance(items, LocatedList) else []):
                if isinstance(item, LocatedMap):
                    found.append(
                        (self._database(engine, item, _jobs.origin_of(items, index)), "dump")
                    )
        return found

    def _database(self, engine: str, item: LocatedMap, at: Origin) -> str:
        name = str(item.get("name", "all"))
        server = str(item.get("hostname", "") or "")
        match = {"engine": engine, "database": name, "db_host": server or "localhost"}
        for entity in self.draft.entities("datastores"):
            if entity.match == match:
                return entity.id
        fields: dict[str, Any] = {"kind": "database", "engine": engine, "host": self.host}
        todos = []
        if engine == "sqlite" and item.get("path"):
            fields["path"] = str(item["path"])
        if server not in _LOCAL_HOSTS:
            todos.append(
                f"borgmatic connects to the database at {server!r}: if that is another "
                "machine (not a container on this host), move the datastore there"
            )
        what = "every database" if name == "all" else f"database {name}"
        fields["description"] = f"{engine} {what}" + (f" at {server}" if server else "")
        hint = f"{server or engine}-all" if name == "all" else f"{name}-{engine}"
        return self.draft.add("datastores", hint, fields, at, todos, match=match)

    def _backup(
        self, source: str, method: str, repository: str, retention: dict[str, int], quiesce: bool
    ) -> None:
        entity = self.draft[source]
        what = entity.fields.get("path") or entity.fields.get("description") or source
        fields: dict[str, Any] = {
            "source": source,
            "target": repository,
            "method": method,
            "description": f"borgmatic ({self.path.name}): {what} to {repository}",
        }
        if quiesce and method == "file":
            fields["quiesce"] = True
        if retention:
            fields["retention"] = retention
        match = {"job": f"{TOOL}:{self.display}:{source}:{repository}"}
        backup = self.draft.add(
            "backups", f"{source}-to-{repository}", fields, entity.origin, [_NO_SCHEDULE], match
        )
        self.backups.append(backup)

    # -- checks and mirrors ----------------------------------------------------

    def _checks(self, repositories: list[str]) -> None:
        checks = self.data.get("checks")
        if not isinstance(checks, LocatedList):
            for repository in repositories:
                self.draft.todo(
                    repository,
                    "no `checks` in the configuration: say how often `borgmatic check` "
                    "verifies this repository (verify)",
                )
            return
        shortest: tuple[int, str] | None = None
        every_run = False
        for item in checks:
            name = item.get("name") if isinstance(item, LocatedMap) else item
            if name == "disabled":
                return
            frequency = item.get("frequency") if isinstance(item, LocatedMap) else None
            interval = _frequency(frequency)
            if interval is None:
                every_run = True
            elif shortest is None or interval < shortest:
                shortest = interval
        chosen = self.data.get("check_repositories")
        checked = [
            repository
            for repository in repositories
            if not isinstance(chosen, LocatedList) or self._named(repository, chosen)
        ]
        for repository in checked:
            if every_run:
                self.every_run_checks.append(repository)
            elif shortest is not None:
                self.draft[repository].fields["verify"] = shortest[1]

    def _named(self, repository: str, chosen: LocatedList) -> bool:
        entity = self.draft[repository]
        names = {str(name) for name in chosen}
        return entity.id in names or entity.match.get("url") in names

    def _mirrors(self, repositories: list[str]) -> None:
        urls = {self.draft[r].match["url"]: r for r in repositories}
        for command, at in self._commands("after"):
            for found in _RCLONE.finditer(command):
                verb, source, destination = found.groups()
                repository = urls.get(_jobs.normalised_url(source))
                if repository is not None:
                    self._mirror(repository, verb, destination, at)

    def _mirror(self, repository: str, verb: str, destination: str, at: Origin) -> None:
        url = destination if ":" in destination and not destination.startswith("/") else ""
        place, todos = _jobs.place_repository(
            self.draft, f"rclone:{url}" if url else destination, self.host, self.options, at
        )
        source = self.draft[repository]
        fields: dict[str, Any] = {
            "tool": "borg",
            **place,
            "description": f"rclone {verb} of {source.match['url']} to {destination}",
        }
        if "key" in source.fields:
            fields["key"] = source.fields["key"]
        match = {"tool": "borg", "url": _jobs.normalised_url(f"rclone:{destination}")}
        mirror = self.draft.add("repositories", f"{repository}-mirror", fields, at, todos, match)
        todos = [
            "runs after each borgmatic backup (a chained after-backup hook); the model "
            "format has no `after:` yet, so it carries the backups' schedule",
        ]
        if verb == "sync":
            todos.append("`rclone sync` mirrors deletions and damage of the source too")
        copy = self.draft.add(
            "backups",
            f"{repository}-to-{mirror}",
            {
                "source": repository,
                "target": mirror,
                "method": "copy",
                "description": f"borgmatic after-backup hook: rclone {verb}",
            },
            at,
            [*todos, _NO_SCHEDULE],
            {"job": f"{TOOL}:{self.display}:{repository}:{mirror}"},
        )
        self.mirrors.append(copy)

    def _hooks(self, when: str) -> list[str]:
        return [command for command, _at in self._commands(when)]

    def _commands(self, when: str) -> list[tuple[str, Origin]]:
        """Commands run before or after the backup: legacy hooks and `commands:`."""
        found: list[tuple[str, Origin]] = []
        for key in (f"{when}_backup", f"{when}_actions", f"{when}_everything"):
            items = self.data.get(key)
            for index, command in enumerate(items if isinstance(items, LocatedList) else []):
                found.append((str(command), _jobs.origin_of(items, index)))
        commands = self.data.get("commands")
        for step in commands if isinstance(commands, LocatedList) else []:
            if not isinstance(step, LocatedMap) or when not in step:
                continue
            actions = _jobs.strings(step.get("when"))
            if actions and "create" not in actions:
                continue
            run = step.get("run")
            for index, command in enumerate(run if isinstance(run, LocatedList) else []):
                found.append((str(command), _jobs.origin_of(run, index)))
        return found

    # -- after schedules are known ---------------------------------------------

    def finish(self) -> None:
        """Give mirrors and every-run checks the schedule the backups ended up with."""
        schedules = {self.draft[b].fields.get("schedule") for b in self.backups}
        schedules.discard(None)
        schedule = schedules.pop() if len(schedules) == 1 else None
        for mirror in self.mirrors:
            if schedule is not None:
                entity = self.draft[mirror]
                entity.fields["schedule"] = schedule
                entity.todos = [t for t in entity.todos if not t.startswith("no schedule")]
        for repository in self.every_run_checks:
            if schedule is not None:
                self.draft[repository].fields["verify"] = schedule
            else:
                self.draft.todo(
                    repository,
                    "checked each time borgmatic runs (a check without `frequency`): "
                    "set verify to that schedule",
                )


def _reject_includes(text: str, display: str) -> None:
    """borgmatic's `!include` merges other files in; archlint never reads them on its own."""
    for number, line in enumerate(text.splitlines(), start=1):
        column = line.find("!include")
        if column >= 0 and not line.lstrip().startswith("#"):
            fail(
                Origin(display, number, column + 1),
                "`!include` pulls in another file: import the merged configuration "
                "(`borgmatic config validate --show` prints it)",
            )


def _flatten(data: LocatedMap) -> LocatedMap:
    """The legacy sections' options at the top level, as borgmatic itself reads them."""
    flat = LocatedMap(data.location)
    for key, value in data.items():
        if key in _LEGACY_SECTIONS and isinstance(value, LocatedMap):
            for inner, item in value.items():
                flat.set(inner, item, value.key_locations[inner], value.value_locations[inner])
        else:
            flat.set(key, value, data.key_locations[key], data.value_locations[key])
    return flat


def _frequency(value: Any) -> tuple[int, str] | None:
    """A check's `frequency` as (seconds, schedule); None for "always" or none given."""
    if not isinstance(value, str):
        return None
    found = _FREQUENCY.match(value.lower())
    if found is None:
        return None
    count, unit = int(found.group(1)), found.group(2)
    days = {"month": 31, "year": 365}.get(unit)
    if days is not None:
        text = "monthly" if unit == "month" and count == 1 else f"{count * days}d"
        return count * days * 86400, text
    seconds = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800}[unit]
    return count * seconds, f"{count}{_UNIT_SECONDS[unit]}"
