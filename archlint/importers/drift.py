"""Drift: the model compared with the configuration that really runs.

The live configuration is imported with the same importers as `archlint import`
(and joined by path the same way), then matched with the model by what things
are, never by id: a datastore by host and path (a Docker volume by its path under
/var/lib/docker/volumes), a database without a path by engine and host, a
repository by tool and normalised URL, a backup by its matched source, target
and method. Each difference is a Finding of one of the AL9xx rules below, so
every reporter, `--fail-on` and the exit code work as for `archlint check`.

Findings about what the model claims are located in the model; findings about
what the configuration does are located in the configuration file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, ClassVar

from archlint.engine.findings import Finding, Result
from archlint.engine.rule import Rule, Severity
from archlint.importers.draft import Draft, DraftEntity
from archlint.importers.merge import without_password
from archlint.model.entities import Backup, Datastore, Entity, Model, Repository
from archlint.model.errors import Location, clip
from archlint.model.schedules import Schedule, parse_schedule

# --------------------------------------------------------------------------
# The rules: documentation and identity of each kind of drift.


class DriftRule(Rule[Entity]):
    """A kind of drift. Drift rules do not check a model alone: the drift engine
    below reports them, and they carry the documentation every reporter shows."""

    failing = ()
    passing = ()
    direction: ClassVar[str]  # "claimed", "unmodelled" or "different"


class BackupNotImplemented(DriftRule):
    id = "AL901"
    name = "backup-not-implemented"
    severity = "high"
    entity_kind = "backup"
    direction = "claimed"
    summary = "The model has a backup that no configuration performs."
    rationale = (
        "The model is trusted to say what is protected. A backup it lists that no job "
        "runs (a removed borgmatic source, a renamed repository, a profile never "
        "scheduled) makes every answer about that data wrong in the dangerous direction."
    )
    remediation = (
        "Configure the backup in the tool, or remove it from the model so that the "
        "rules report the data as unprotected."
    )


class RepositoryNeverWritten(DriftRule):
    id = "AL902"
    name = "repository-never-written"
    severity = "medium"
    entity_kind = "repository"
    direction = "claimed"
    summary = "The model has a repository that no configured job writes to."
    rationale = (
        "Copies the model counts in this repository are not being made: it holds, at "
        "best, old data."
    )
    remediation = "Configure a job that writes to it, or remove it and its backups from the model."


class VerifyNotImplemented(DriftRule):
    id = "AL903"
    name = "verify-not-implemented"
    severity = "medium"
    entity_kind = "repository"
    direction = "claimed"
    summary = "The model says a repository is verified, but no configured check does it."
    rationale = "An unverified repository can be silently corrupt until the day it is needed."
    remediation = "Configure the tool's check (borgmatic `checks`, resticprofile `check`)."


class DatastoreNotModelled(DriftRule):
    id = "AL904"
    name = "datastore-not-modelled"
    severity = "medium"
    entity_kind = "datastore"
    direction = "unmodelled"
    summary = "A volume or bind mount in the configuration is not covered by any datastore."
    rationale = (
        "A service added without updating the model is a service nobody checked the "
        "backups of: the model cannot report data it does not know."
    )
    remediation = "Add a datastore for it (`archlint import` drafts one) and protect it."


class DatabaseNotModelled(DriftRule):
    id = "AL905"
    name = "database-not-modelled"
    severity = "high"
    entity_kind = "datastore"
    direction = "unmodelled"
    summary = "A database in the configuration has no `database` datastore in the model."
    rationale = (
        "Databases need a dump or a quiesced copy; modelled as plain files, or not at "
        "all, their backups look consistent when they are not."
    )
    remediation = "Model it as a `kind: database` datastore with its engine and back it up."


class RepositoryNotModelled(DriftRule):
    id = "AL906"
    name = "repository-not-modelled"
    severity = "medium"
    entity_kind = "repository"
    direction = "unmodelled"
    summary = "The configuration writes to a repository the model does not know."
    rationale = (
        "Copies the model does not know are copies nobody checks the placement, key "
        "and immutability of; or the model's repository lacks its `url`."
    )
    remediation = "Add the repository with its `tool` and `url` to the model."


class ScheduleDrift(DriftRule):
    id = "AL907"
    name = "schedule-drift"
    severity = "medium"
    entity_kind = "backup"
    direction = "different"
    summary = "A backup runs on another schedule than the model says."
    rationale = (
        "RPO findings are computed from the model's schedule: a longer real gap hides a breach."
    )
    remediation = "Make the model's `schedule` say what the configuration does, or change the job."


class VerifyDrift(DriftRule):
    id = "AL908"
    name = "verify-drift"
    severity = "low"
    entity_kind = "repository"
    direction = "different"
    summary = "A repository is verified at another interval than the model says."
    rationale = "Findings about unverified repositories rely on the model's `verify`."
    remediation = "Make the model's `verify` say what the configured check does."


class EncryptionDrift(DriftRule):
    id = "AL909"
    name = "encryption-drift"
    severity = "high"
    entity_kind = "repository"
    direction = "different"
    summary = "A repository's encryption differs between the model and the configuration."
    rationale = (
        "Without the key in the model, nothing checks that the key survives the failures "
        "the copies are for: an encrypted repository with a lost key is no copy at all."
    )
    remediation = "Add the repository's `key` to the model, with where the key is kept."


class RetentionDrift(DriftRule):
    id = "AL910"
    name = "retention-drift"
    severity = "low"
    entity_kind = "backup"
    direction = "different"
    summary = "Retention differs between the model and the configuration."
    rationale = "How far back a restore can go is what retention decides."
    remediation = "Make the model's `retention` say what the configuration keeps."


class BackupNotModelled(DriftRule):
    id = "AL911"
    name = "backup-not-modelled"
    severity = "low"
    entity_kind = "backup"
    direction = "unmodelled"
    summary = (
        "The configuration backs up a modelled datastore into a modelled repository, "
        "but the model has no such backup."
    )
    rationale = (
        "The model under-reports protection: its findings about unprotected data, "
        "copies and placement are wrong in the safe direction, and noisy."
    )
    remediation = "Add the backup (source, target, method, schedule) to the model."


DRIFT_RULES: tuple[type[DriftRule], ...] = (
    BackupNotImplemented,
    RepositoryNeverWritten,
    VerifyNotImplemented,
    DatastoreNotModelled,
    DatabaseNotModelled,
    RepositoryNotModelled,
    ScheduleDrift,
    VerifyDrift,
    EncryptionDrift,
    RetentionDrift,
    BackupNotModelled,
)


# --------------------------------------------------------------------------
# Matching


@dataclass
class Matches:
    """Live entity id -> model entity id, for everything that matched."""

    ids: dict[str, str]

    def get(self, live_id: str | None) -> str | None:
        return self.ids.get(live_id) if live_id else None


class DriftCheck:
    """Compares one model with one live draft."""

    def __init__(self, model: Model, live: Draft) -> None:
        self.model = model
        self.live = live
        self.findings: list[Finding] = []
        self.matches = Matches({})

    def run(self) -> list[Finding]:
        self.match_hosts()
        self.match_datastores()
        self.match_repositories()
        self.match_backups()
        return sorted(set(self.findings))

    # Hosts: by id when the configuration's host was named as in the model (--host).
    def match_hosts(self) -> None:
        for host in self.live.entities("hosts"):
            if host.id in self.model.hosts:
                self.matches.ids[host.id] = host.id

    def model_host(self, store: Datastore | Repository) -> str | None:
        if store.host:
            return store.host
        domain = self.model.domains.get(store.in_ or "")
        return domain.in_ if domain is not None and domain.kind == "disk" else None

    def same_host(self, live_host: Any, model_host: str | None) -> bool:
        mapped = self.matches.get(live_host if isinstance(live_host, str) else None)
        return mapped is None or model_host is None or mapped == model_host

    # Datastores ---------------------------------------------------------

    def match_datastores(self) -> None:
        for live in self.live.entities("datastores"):
            found = self.model_datastore(live)
            if found is not None:
                self.matches.ids[live.id] = found.id
                if live.fields.get("kind") == "database" and found.kind != "database":
                    self.report(
                        DatabaseNotModelled, live, None, *self.database_message(live, found)
                    )
            elif mounted(live):
                rule = (
                    DatabaseNotModelled
                    if live.fields.get("kind") == "database"
                    else DatastoreNotModelled
                )
                self.report(rule, live, None, *self.unmodelled_message(live))

    def model_datastore(self, live: DraftEntity) -> Datastore | None:
        path = normal_path(live.fields.get("path"))
        host = live.fields.get("host")
        candidates = [
            store for store in self.model.datastores.values()
            if self.same_host(host, self.model_host(store))
        ]  # fmt: skip
        if path:
            exact = [s for s in candidates if normal_path(s.path) == path]
            if exact:
                return exact[0]
            covering = [s for s in candidates if s.path and is_below(path, normal_path(s.path))]
            return max(covering, key=lambda s: len(s.path or ""), default=None)
        engine = live.fields.get("engine")
        if engine:
            same = [s for s in candidates if s.kind == "database" and s.engine == engine]
            return same[0] if len(same) == 1 else None
        return None

    def unmodelled_message(self, live: DraftEntity) -> tuple[str, str]:
        what = live.fields.get("path") or live.fields.get("description") or live.id
        if live.fields.get("kind") == "database":
            engine = live.fields.get("engine", "database")
            return (
                f"the {engine} database at {clip(str(what))} is in no `database` datastore "
                "of the model",
                "add it with its engine and a dump backup",
            )
        return (
            f"{clip(str(what))} is mounted by a service but no datastore of the model covers it",
            "add a datastore (archlint import drafts one) and protect it",
        )

    def database_message(self, live: DraftEntity, found: Datastore) -> tuple[str, str]:
        engine = live.fields.get("engine", "database")
        return (
            f"the configuration runs a {engine} database on {clip(str(live.fields.get('path')))}, "
            f"which the model has as datastore '{found.id}' of kind {found.kind}",
            f"make it `kind: database` with `engine: {engine}`",
        )

    # Repositories -------------------------------------------------------

    def match_repositories(self) -> None:
        by_identity = {
            identity: repository
            for repository in self.model.repositories.values()
            if (identity := repository_identity(repository.tool, repository.url))
        }
        for live in self.live.entities("repositories"):
            identity = repository_identity(
                str(live.fields.get("tool", "")), live.match.get("url") or live.fields.get("url")
            )
            found = by_identity.get(identity) if identity else None
            if found is None:
                url = live.match.get("url") or live.fields.get("url") or live.id
                self.report(
                    RepositoryNotModelled, live, None,
                    f"the configuration writes to the {live.fields.get('tool')} repository "
                    f"{clip(without_password(str(url)))}, which no repository of the model has "
                    "as its `tool` and `url`",
                    "add it to the model's repositories",
                )  # fmt: skip
                continue
            self.matches.ids[live.id] = found.id
            self.compare_repository(live, found)

    def compare_repository(self, live: DraftEntity, model: Repository) -> None:
        live_verify = schedule(live.fields.get("verify"))
        if model.verify is not None and live_verify is None:
            self.report(
                VerifyNotImplemented, None, model,
                f"the model verifies it {model.verify}, but the configuration "
                f"({live.origin}) runs no check of it",
                "configure the check, or remove `verify`",
            )  # fmt: skip
        elif (
            model.verify is not None
            and live_verify is not None
            and (model.verify.interval != live_verify.interval)
        ):
            self.report(
                VerifyDrift, live, model,
                f"verified every {live_verify.interval} by the configuration, "
                f"but every {model.verify.interval} in the model",
            )  # fmt: skip
        if live.fields.get("key") and not model.key:
            self.report(
                EncryptionDrift, live, model,
                "the configuration encrypts this repository, but the model gives it no `key`",
                "add the key and where it is kept",
            )  # fmt: skip
        elif model.key and live.match.get("encryption") == "none":
            self.report(
                EncryptionDrift, live, model,
                f"the model says key '{model.key}' encrypts it, but the configuration "
                "does not encrypt it",
            )  # fmt: skip
        self.compare_retention(live, model)

    # Backups ------------------------------------------------------------

    def match_backups(self) -> None:
        written: set[str] = set()
        implemented: set[str] = set()
        for live in self.live.entities("backups"):
            target = self.matches.get(str(live.fields.get("target") or "")) or ""
            if target:
                written.add(target)
            found = self.model_backup(live)
            if found is not None:
                implemented.add(found.id)
                self.compare_backup(live, found)
            elif self.endpoints_known(live):
                self.report(
                    BackupNotModelled, live, None,
                    f"the configuration makes a {live.fields.get('method')} backup of "
                    f"'{self.matches.get(str(live.fields.get('source')))}'"
                    + (f" into '{target}'" if target else "")
                    + " that the model does not have",
                    "add it to the model's backups",
                )  # fmt: skip
        self.report_claims(written, implemented)

    def endpoints_known(self, live: DraftEntity) -> bool:
        """The backup's source and target (if any) are both in the model."""
        target = live.fields.get("target")
        source_known = self.matches.get(str(live.fields.get("source") or "")) is not None
        return source_known and (not target or self.matches.get(str(target)) is not None)

    def model_backup(self, live: DraftEntity) -> Backup | None:
        source = self.matches.get(str(live.fields.get("source") or ""))
        live_target = live.fields.get("target")
        target = self.matches.get(str(live_target)) if live_target else None
        if source is None or (live_target and target is None):
            return None
        for backup in self.model.backups.values():
            # A model job with several sources or targets is matched by any one pair.
            targets = backup.targets or (None,)
            if (
                source in backup.sources
                and target in targets
                and backup.method == live.fields.get("method")
            ):
                return backup
        return None

    def compare_backup(self, live: DraftEntity, model: Backup) -> None:
        live_schedule = schedule(live.fields.get("schedule"))
        model_gap = model.schedule.interval if model.schedule else None
        live_gap = live_schedule.interval if live_schedule else None
        if model_gap != live_gap:
            said = f"every {model_gap} ({model.schedule})" if model.schedule else "manual"
            does = f"every {live_gap} ({live_schedule})" if live_schedule else "by hand only"
            self.report(
                ScheduleDrift, live, model,
                f"the configuration runs it {does}, the model says {said}: its longest gap "
                "differs",
            )  # fmt: skip
        self.compare_retention(live, model)

    def compare_retention(self, live: DraftEntity, model: Backup | Repository) -> None:
        live_retention = live.fields.get("retention")
        if live_retention is None or model.retention is None:
            return
        if normal_retention(live_retention) != normal_retention(model.retention):
            rule = RetentionDrift
            self.report(
                rule, live, model,
                f"the configuration keeps {show_retention(live_retention)}, the model says "
                f"{show_retention(model.retention)}",
            )  # fmt: skip

    def report_claims(self, written: set[str], implemented: set[str]) -> None:
        """What the model claims in the area the configuration speaks about, but no
        configuration does: backups into a repository the configuration knows (or of a
        tool it uses), and such repositories that nothing writes to."""
        live_repositories = {m for e in self.live.entities("repositories")
                             if (m := self.matches.get(e.id))}  # fmt: skip
        live_tools = {str(e.fields.get("tool")) for e in self.live.entities("repositories")}
        in_scope = {
            repository.id for repository in self.model.repositories.values()
            if repository.id in live_repositories or repository.tool in live_tools
        }  # fmt: skip
        snapshots = any(e.fields.get("method") == "snapshot" for e in self.live.entities("backups"))
        for backup in self.model.backups.values():
            claimed = not in_scope.isdisjoint(backup.targets) or (
                not backup.targets and backup.method == "snapshot" and snapshots
            )
            if claimed and backup.id not in implemented:
                self.report(
                    BackupNotImplemented, None, backup,
                    f"no configuration performs this {backup.method} backup of "
                    f"{quoted_list(backup.sources)}"
                    + (f" into {quoted_list(backup.targets)}" if backup.targets else ""),
                    "configure it, or remove it from the model",
                )  # fmt: skip
        for repository_id in sorted(in_scope - written):
            repository = self.model.repositories[repository_id]
            self.report(
                RepositoryNeverWritten, None, repository,
                f"no configured job writes to this {repository.tool} repository",
            )  # fmt: skip

    # Findings -----------------------------------------------------------

    def report(
        self,
        rule: type[DriftRule],
        live: DraftEntity | None,
        model: Entity | None,
        message: str,
        fix: str = "",
    ) -> None:
        """A finding at the configuration (when there is a live side) or in the model,
        about the model's entity when there is one (so its waivers apply)."""
        if live is not None and live.origin is not None:
            location = live.origin.location()
        elif model is not None:
            location = model.location
        else:
            location = Location("<configuration>", 1, 1)
        entity = model.id if model is not None else (live.id if live is not None else "")
        key = "" if live is None else live.match.get("path") or live.match.get("url") or live.id
        severity: Severity = rule.severity
        self.findings.append(
            Finding(location, rule.id, rule.name, entity, rule.entity_kind, severity, message,
                    key=key, fix=fix)
        )  # fmt: skip


def drift(model: Model, live: Draft) -> Result:
    """The drift findings of a model against a live configuration."""
    findings = DriftCheck(model, live).run()
    entities = model.count()
    return Result(tuple(findings), (), DRIFT_RULES, entities, (*model.files, *live.sources))


# --------------------------------------------------------------------------
# Normal forms


def mounted(live: DraftEntity) -> bool:
    """A Compose volume or bind mount with a path (config files and anonymous volumes
    are the model's business elsewhere)."""
    return (
        live.tool == "compose"
        and live.fields.get("kind") in ("volume", "files", "database")
        and (bool(live.fields.get("path")) or live.fields.get("kind") == "database")
    )


def normal_path(path: Any) -> str:
    if not isinstance(path, str) or not path:
        return ""
    return posixpath.normpath(path)


def is_below(path: str, parent: str) -> bool:
    return path.startswith(parent.rstrip("/") + "/")


def repository_identity(tool: str, url: Any) -> str:
    if not isinstance(url, str) or not url:
        return ""
    text = without_password(url.strip()).removeprefix("file://").rstrip("/")
    return f"{tool}\0{text}"


def schedule(value: Any) -> Schedule | None:
    if value is None:
        return None
    try:
        return parse_schedule(value)
    except ValueError:
        return None


def normal_retention(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).removeprefix("keep_").removeprefix("keep-"): v for k, v in value.items()}
    return str(value).strip()


def show_retention(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return clip(str(value))


def quoted_list(ids: tuple[str, ...]) -> str:
    return ", ".join(f"'{entity_id}'" for entity_id in ids)
