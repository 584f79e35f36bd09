"""autorestic's .autorestic.yml: locations backed up to backends, copies, cron, hooks.

Each backend is a restic repository (restic always encrypts, so each has a key:
`key:` in the file, or `AUTORESTIC_<BACKEND>_RESTIC_PASSWORD` in the environment;
the value is never copied). Each location becomes a `file` backup of its path
(or of its Docker volume, `type: volume`) into every backend in `to`, scheduled by
its `cron`; `copy` becomes `copy` backups between backends; `forget` with the
`keep-*` options gives the retention; a `before` hook that stops containers or
services makes the backup `quiesce`d.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archlint.importers import _jobs
from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.schedules import Timing, attach, command_words, split_paths
from archlint.importers.yamlread import parse_documents, read_text
from archlint.model.located import LocatedList, LocatedMap
from archlint.model.schedules import parse_schedule

TOOL = "autorestic"
_URL_TYPES = ("b2", "s3", "azure", "gs", "sftp", "rest", "rclone", "swift")
_NO_CRON = (
    "no schedule: the location has no `cron`; give the crontab line or timer that runs "
    "`autorestic backup` on the same command line, or write it here"
)


def import_files(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft(TOOL)
    configs, timings = split_paths(paths, options)
    if not configs:
        fail(Origin(str(paths[0]) if paths else "-", 1), "no .autorestic.yml given")
    draft.sources.extend(str(path) for path in paths)
    jobs: dict[str, list[str]] = {}
    host = draft.ensure_host(None, options, Origin(str(configs[0]), 1))
    for path in configs:
        _Config(draft, path, options, host, jobs)
    attach(draft, timings, lambda timing: _runs(jobs, timing))
    return draft


def _runs(jobs: dict[str, list[str]], timing: Timing) -> list[str]:
    """`autorestic backup -a` runs every location, `-l NAME` the named ones; `autorestic
    cron` runs each location on its own `cron`, so it schedules nothing itself."""
    words = command_words(timing.command)
    if not any(Path(word).name == "autorestic" for word in words) or "backup" not in words:
        return []
    if "-a" in words or "--all" in words:
        return [job for names in jobs.values() for job in names]
    named = [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("-l", "--location")]
    return [job for name in named for job in jobs.get(name, [])]


class _Config:
    def __init__(
        self,
        draft: Draft,
        path: Path,
        options: ImportOptions,
        host: str,
        jobs: dict[str, list[str]],
    ) -> None:
        self.draft = draft
        self.display = str(path)
        self.options = options
        text = read_text(path, self.display, options.limits)
        _jobs.reject_templates(text, self.display)
        documents = parse_documents(text, self.display, options.limits)
        if len(documents) != 1 or not isinstance(documents[0].get("locations"), LocatedMap):
            fail(Origin(self.display, 1), "not an autorestic configuration: no `locations`")
        data = documents[0]
        self.host = host
        backends = data.get("backends")
        self.backends = backends if isinstance(backends, LocatedMap) else LocatedMap(data.location)
        self.repositories: dict[str, str] = {}
        self.global_forget = _options(data.get("global"), "forget")
        locations: LocatedMap = data["locations"]
        for name, location in locations.items():
            if isinstance(location, LocatedMap):
                jobs[name] = self._location(name, location, _jobs.origin_of(locations, name))

    def _repository(self, name: str, at: Origin) -> str:
        if name in self.repositories:
            return self.repositories[name]
        backend = self.backends.get(name)
        if not isinstance(backend, LocatedMap):
            fail(at, f"backend {name!r} is not defined under `backends`")
        where = _jobs.origin_of(self.backends, name)
        kind, path = str(backend.get("type", "")), str(backend.get("path", ""))
        url = f"{kind}:{path}" if kind in _URL_TYPES else path
        place, todos = _jobs.place_repository(self.draft, url, self.host, self.options, where)
        fields: dict[str, Any] = {
            "tool": "restic",
            **place,
            "key": self._key(name, backend, where),
            "description": f"autorestic backend {name} ({kind} {_jobs.normalised_url(path)})",
        }
        match = {"tool": "restic", "url": _jobs.normalised_url(url)}
        repository = self.draft.add("repositories", name, fields, where, todos, match)
        self.repositories[name] = repository
        return repository

    def _key(self, name: str, backend: LocatedMap, at: Origin) -> str:
        if "key" in backend:
            todo = (
                "the password is written in the autorestic configuration on this host "
                "(not copied here): add every other place that keeps it"
            )
            return self.draft.add(
                "keys",
                f"{name}-key",
                {"kind": "passphrase", "stored_in": [self.host]},
                _jobs.origin_of(backend, "key"),
                [todo],
            )
        variable = f"AUTORESTIC_{name.upper().replace('-', '_')}_RESTIC_PASSWORD"
        todo = f"the password comes from {variable} in the environment: add where it is kept"
        return self.draft.add("keys", f"{name}-key", {"kind": "passphrase"}, at, [todo])

    def _location(self, name: str, location: LocatedMap, at: Origin) -> list[str]:
        targets = _jobs.strings(location.get("to"))
        if not targets:
            fail(at, f"location {name!r} has no `to` backends")
        sources = self._sources(name, location, at)
        schedule, todos = _cron(location, at)
        hooks = location.get("hooks")
        before = _jobs.strings(hooks.get("before")) if isinstance(hooks, LocatedMap) else []
        keep = self._retention(location)
        jobs = []
        for target in targets:
            repository = self._repository(target, _jobs.origin_of(location, "to"))
            for source in sources:
                fields: dict[str, Any] = {
                    "source": source,
                    "target": repository,
                    "method": "file",
                    "description": f"autorestic location {name}",
                }
                if _jobs.stops_application(before):
                    fields["quiesce"] = True
                if schedule:
                    fields["schedule"] = schedule
                if keep:
                    fields["retention"] = keep
                match = {"job": f"{TOOL}:{self.display}:{name}:{source}:{target}"}
                jobs.append(
                    self.draft.add("backups", f"{name}-to-{target}", fields, at, todos, match)
                )
        jobs.extend(self._copies(name, location, schedule, todos))
        return jobs

    def _sources(self, name: str, location: LocatedMap, at: Origin) -> list[str]:
        sources = []
        volume = location.get("type") == "volume"
        origin = _jobs.origin_of(location, "from") if "from" in location else at
        for source in _jobs.strings(location.get("from")):
            if volume:
                sources.append(self._volume(source, origin))
            else:
                todos = (
                    [f"the path {source!r} is filled in at run time"]
                    if _jobs.has_variable(source)
                    else []
                )
                sources.append(self.draft.path_datastore(self.host, source, origin, todos=todos))
        if not sources:
            fail(at, f"location {name!r} has no `from`")
        return sources

    def _volume(self, volume: str, at: Origin) -> str:
        match = {"host": self.host, "volume": volume}
        for entity in self.draft.entities("datastores"):
            if entity.match == match:
                return entity.id
        fields = {"kind": "volume", "host": self.host, "description": f"Docker volume {volume}"}
        return self.draft.add("datastores", volume, fields, at, [], match)

    def _copies(
        self, name: str, location: LocatedMap, schedule: str | None, todos: list[str]
    ) -> list[str]:
        copy = location.get("copy")
        if not isinstance(copy, LocatedMap):
            return []
        jobs = []
        for source, targets in copy.items():
            at = _jobs.origin_of(copy, source)
            for target in _jobs.strings(targets):
                fields: dict[str, Any] = {
                    "source": self._repository(source, at),
                    "target": self._repository(target, at),
                    "method": "copy",
                    "description": f"autorestic location {name}: copy {source} to {target}",
                }
                if schedule:
                    fields["schedule"] = schedule
                match = {"job": f"{TOOL}:{self.display}:{name}:copy:{source}:{target}"}
                jobs.append(
                    self.draft.add(
                        "backups", f"{name}-{source}-to-{target}", fields, at, todos, match
                    )
                )
        return jobs

    def _retention(self, location: LocatedMap) -> dict[str, int]:
        forget = location.get("forget")
        if forget in (None, False, "no", ""):
            return {}
        values = {**self.global_forget, **_options(location, "forget")}
        return _jobs.retention(values, "-")


def _options(section: Any, command: str) -> dict[str, Any]:
    """`options: {forget: {keep-daily: [7]}}` (or a bare `forget:` mapping) as flat values."""
    if not isinstance(section, LocatedMap):
        return {}
    found: dict[str, Any] = {}
    for holder in (section.get(command), _nested(section.get("options"), command)):
        if isinstance(holder, LocatedMap):
            for key, value in holder.items():
                found[key] = value[0] if isinstance(value, LocatedList) and value else value
    return found


def _nested(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, LocatedMap) else None


def _cron(location: LocatedMap, at: Origin) -> tuple[str | None, list[str]]:
    cron = location.get("cron")
    if cron is None:
        return None, [_NO_CRON]
    try:
        parse_schedule(str(cron))
    except ValueError as error:
        return None, [f"cron {cron!r} is not a schedule archlint reads ({error}): write it"]
    return str(cron), [
        "autorestic runs a location's `cron` only when `autorestic cron` itself runs "
        "regularly (a crontab line or timer): check that it does"
    ]
