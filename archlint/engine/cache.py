"""The result cache: an unchanged model is not checked again (`--cache DIR`, `cache-dir`).

An entry holds one model's Result as plain JSON, under a name derived from
everything that decides the result except the model's content: archlint's
version, the content of every rule pack's files, the configuration, the rules
run and their settings, the limits, `--as-of` and the model's path. The entry
also records the content hash of every file the check read and the YAML files
below the model's root directory; it is used only while all of them are
unchanged, so a new, changed or deleted file is a miss.

A cache file is input like any other: it is parsed as JSON and checked field
by field. An entry that is unreadable, malformed or names an unknown rule is
ignored (and rewritten by the check that follows), never trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel

from archlint import __version__
from archlint.engine.findings import Finding, Result
from archlint.engine.rule import SEVERITIES
from archlint.engine.rulepack import RuleClass, builtin_pack_directory
from archlint.load.files import ModelFile, ModelRoot
from archlint.model.errors import Location

FORMAT = "archlint-cache/1"
# The text fields of a finding: all but its location and evidence, read from the
# class so that a field added to Finding is cached too.
FINDING_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(Finding)
    if field.name not in ("location", "evidence")
)


@dataclasses.dataclass(frozen=True)
class CheckKey:
    """What decides one model's result besides the content of its files."""

    path: Path
    as_of: date
    rule_packs: tuple[Path, ...]
    rules: tuple[str, ...]  # the ids of the rules run
    settings: Any
    config: Any
    limits: Any

    def digest(self) -> str:
        parts = {
            "format": FORMAT,
            "version": __version__,
            "path": str(self.path),
            "cwd": os.getcwd(),  # display paths in findings are relative to it
            "as-of": self.as_of.isoformat(),
            "packs": [pack_digest(pack) for pack in (builtin_pack_directory(), *self.rule_packs)],
            "rules": list(self.rules),
            "settings": canonical(self.settings),
            "config": canonical(self.config),
            "limits": canonical(self.limits),
        }
        return sha256(json.dumps(parts, sort_keys=True).encode())


def cached_check(
    directory: Path, key: CheckKey, rules: Sequence[RuleClass], check: Callable[[], Result]
) -> Result:
    """The cached result for `key` if every file it read is unchanged, else check() and store it."""
    entry_file = directory / f"{key.digest()}.json"
    cached = read_entry(entry_file, key.path, rules)
    if cached is not None:
        return cached
    result = check()
    write_entry(entry_file, key.path, result)
    return result


def read_entry(entry_file: Path, path: Path, rules: Sequence[RuleClass]) -> Result | None:
    """The entry's result, or None when it is missing, invalid or out of date."""
    try:
        data = json.loads(entry_file.read_bytes())
    except (OSError, ValueError):
        return None
    try:
        if data["format"] != FORMAT or data["listing"] != yaml_listing(path):
            return None
        for name, digest in data["files"]:
            if file_digest(Path(name)) != digest:
                return None
        return result_from_json(data["result"], rules)
    except (KeyError, TypeError, ValueError):
        return None


def write_entry(entry_file: Path, path: Path, result: Result) -> None:
    """Store the entry atomically; a cache that cannot be written is no error."""
    data = {
        "format": FORMAT,
        "listing": yaml_listing(path),
        "files": [[name, file_digest(Path(name))] for name in result.files],
        "result": result_json(result),
    }
    try:
        entry_file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry_file.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, sort_keys=True)
        os.replace(temporary, entry_file)
    except OSError:
        return


# Key parts --------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


def pack_digest(directory: Path) -> list[list[str | None]]:
    """The name and content hash of every Python file of a rule pack."""
    files = sorted(directory.rglob("*.py"))
    return [[file.relative_to(directory).as_posix(), file_digest(file)] for file in files]


def yaml_listing(path: Path) -> list[str]:
    """The YAML files below the model's root directory (a file's directory), sorted.

    Walked as the loader walks a model directory (hidden names skipped, symlinked
    directories inside the root followed). For a directory model it is what the
    loader reads; for a file model, a superset of what an include can name. A
    file added or removed there invalidates the entry.
    """
    root = path if path.is_dir() else path.parent
    walker = ModelRoot(root.resolve(), root, [])
    files, escapes = walker.walk(ModelFile(root.resolve(), PurePath()))
    return sorted([file.rel.as_posix() for file in files] + [link.as_posix() for link in escapes])


def canonical(value: Any) -> Any:
    """A JSON value that is the same for equal configurations in every run.

    Sets become sorted lists (their iteration order varies with the hash seed).
    """
    if isinstance(value, BaseModel):
        return canonical(value.model_dump(mode="json"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: canonical(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted(canonical(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# The result as JSON -------------------------------------------------------


def result_json(result: Result) -> dict[str, Any]:
    return {
        "findings": [finding_json(finding) for finding in result.findings],
        "waived": [finding_json(finding) for finding in result.waived],
        "rules": [rule.id for rule in result.rules],
        "entities": result.entities,
        "files": list(result.files),
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(finding, name) for name in FINDING_FIELDS}
    data["location"] = list(finding.location)
    data["evidence"] = list(finding.evidence)
    return data


def result_from_json(data: Any, rules: Sequence[RuleClass]) -> Result:
    """The Result an entry holds; ValueError or TypeError when it is not a valid one."""
    by_id = {rule.id: rule for rule in rules}
    rule_ids = strings(data["rules"])
    if any(rule_id not in by_id for rule_id in rule_ids):
        raise ValueError("the entry names a rule that is not loaded")
    entities = data["entities"]
    if type(entities) is not int:
        raise TypeError("entities is not an integer")
    return Result(
        findings=tuple(finding_from_json(item) for item in data["findings"]),
        waived=tuple(finding_from_json(item) for item in data["waived"]),
        rules=tuple(by_id[rule_id] for rule_id in rule_ids),
        entities=entities,
        files=strings(data["files"]),
    )


def finding_from_json(data: Any) -> Finding:
    if not isinstance(data, dict) or set(data) != {*FINDING_FIELDS, "location", "evidence"}:
        raise ValueError("not a finding")
    if not all(isinstance(data[name], str) for name in FINDING_FIELDS):
        raise TypeError("a finding's field is not text")
    severity = data["severity"]
    if severity not in SEVERITIES:
        raise ValueError("not a severity")
    file, line, column = data["location"]
    if not isinstance(file, str) or type(line) is not int or type(column) is not int:
        raise TypeError("not a location")
    values: dict[str, Any] = {name: data[name] for name in FINDING_FIELDS}
    return Finding(
        location=Location(file, line, column), evidence=strings(data["evidence"]), **values
    )


def strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("not a list of text")
    return tuple(value)
