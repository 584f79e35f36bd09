"""The configuration stage: `archlint.toml`, or `[tool.archlint]` in `pyproject.toml`.

The file is looked for from the current directory upwards and the nearest one
wins, whole (files are never merged): in each directory `archlint.toml` comes
before a `pyproject.toml`, and a `pyproject.toml` without a `[tool.archlint]`
table does not count. `--config FILE` names the file instead; command-line
flags override what it says. Paths in it are relative to the file itself.

Rule packs are code, like a pytest conftest: only the packs the file lists in
`rule-packs` (or the command line names with `--rules`) are loaded.

Layout (see site/docs/configuration.md):

    select = ["single-domain-copies", "AL201"]   # run only these (default: all)
    ignore = ["unused-key"]
    fail-on = "medium"
    paths = ["models/homelab"]                   # default models to check
    max-model-size = "64MiB"                     # largest model (and file) read; default 32MiB
    repo-url = "https://github.com/org/infra/blob/main"  # `archlint site` links file:line here
    rule-packs = ["archlint-rules"]              # directories of extra rule modules
    cache-dir = ".archlint-cache"                # reuse unchanged results (default: off)

    [rules.insufficient-copies]                  # a rule's name or id
    severity = "critical"
    min-criticality = "high"                     # check no service/datastore below this
    min-copies = 3                               # the rule's options, in kebab-case
    kinds = ["datastore"]                        # scope: kinds of entity reported on,
    tags = ["production"]                        # entities with one of these tags,
    exclude-tags = ["scratch"]                   # and never those with one of these

Every unknown key is an error that names the file, the table and the closest
known key. TOML parsers give no line numbers for keys, so the table is named.

The module imports the rule engine, pydantic and the model only in the
functions that check rule settings and values: a cache hit of `archlint check`
finds its configuration with this module and must not pay for them.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from archlint.engine.trusted import read_trusted_bytes
from archlint.model.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from pydantic import ValidationError

    from archlint.engine.rule import RuleOptions, RuleSettings, Severity
    from archlint.engine.rulepack import RuleClass
    from archlint.model.entities import Criticality
    from archlint.model.sizes import Size

CONFIG_FILE = "archlint.toml"
PYPROJECT = "pyproject.toml"
KEYS = (
    "select",
    "ignore",
    "fail-on",
    "paths",
    "rule-packs",
    "max-model-size",
    "cache-dir",
    "repo-url",
    "rules",
)
RULE_KEYS = ("severity", "kinds", "tags", "exclude-tags")
# A configuration is a few hundred bytes; a pyproject.toml rarely tens of kilobytes.
MAX_CONFIG_BYTES = 16 * 1024 * 1024
# Only for the rules that check entities with a criticality (services, datastores).
MIN_CRITICALITY = "min-criticality"


class Place(NamedTuple):
    """Where a value sits, for messages: a file and, within it, a TOML table."""

    file: str
    table: str = ""  # "" for the top of archlint.toml

    def at(self, key: str | None = None) -> str:
        place = f"{self.file} [{self.table}]" if self.table else self.file
        return f"{place} `{key}`" if key else place

    def inner(self, name: str) -> Place:
        return Place(self.file, f"{self.table}.{name}" if self.table else name)


NOWHERE = Place("(no configuration file)")


class RuleTable(NamedTuple):
    """One `[rules.<name-or-id>]` table, checked once the rules are loaded."""

    handle: str
    values: dict[str, Any]
    place: Place


class Config(NamedTuple):
    """What a configuration file says; None and () mean it does not say."""

    place: Place = NOWHERE
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: Severity | None = None
    paths: tuple[Path, ...] = ()
    rule_packs: tuple[Path, ...] = ()
    max_model_size: Size | None = None
    cache_dir: Path | None = None  # where `check` keeps results (None: no cache)
    repo_url: str | None = None  # where `archlint site` links a finding's file:line
    rules: tuple[RuleTable, ...] = ()


class Located(NamedTuple):
    """A configuration file found, its table read but not checked."""

    path: Path
    place: Place
    data: dict[str, Any]


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """The configuration named by --config, else the nearest one above `start` (the cwd)."""
    found = locate_config(explicit, start)
    if found is None:
        return Config()
    return parse_config(found.data, found.path, found.place)


def locate_config(explicit: Path | None = None, start: Path | None = None) -> Located | None:
    """The configuration load_config reads, or None when there is none."""
    if explicit is not None:
        return read_explicit(explicit)
    found = discover(start or Path.cwd())
    if found is None:
        return None
    path, table, data = found
    return Located(path, Place(str(display(path)), table), data)


def discover(start: Path) -> tuple[Path, str, dict[str, Any]] | None:
    """The nearest configuration at or above `start`: its path, table name and data."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file():
            return candidate, "", read_toml(candidate)
        pyproject = directory / PYPROJECT
        if pyproject.is_file():
            table = tool_table(read_toml(pyproject), pyproject)
            if table is not None:
                return pyproject, "tool.archlint", table
    return None


def read_explicit(path: Path) -> Located:
    if not path.is_file():
        raise UsageError(f"--config: {path} not found")
    data = read_toml(path)
    if path.name != PYPROJECT:
        return Located(path, Place(str(display(path))), data)
    table = tool_table(data, path)
    if table is None:
        raise UsageError(f"--config: {path} has no [tool.archlint] table")
    return Located(path, Place(str(display(path)), "tool.archlint"), table)


def read_toml(path: Path) -> dict[str, Any]:
    shown = display(path)
    try:
        text = read_trusted_bytes(path, str(shown), MAX_CONFIG_BYTES).decode("utf-8")
        return tomllib.loads(text)
    except FileNotFoundError:
        raise UsageError(f"{shown}: cannot be read: no such file") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{shown}: not UTF-8 text (byte {error.start + 1})") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{shown}: invalid TOML: {error}") from None
    except RecursionError:
        raise UsageError(f"{shown}: nested too deeply to be a configuration") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise UsageError(f"{shown}: holds a number too long to read") from None


def tool_table(data: dict[str, Any], path: Path) -> dict[str, Any] | None:
    tools = data.get("tool")
    table = tools.get("archlint") if isinstance(tools, dict) else None
    if table is not None and not isinstance(table, dict):
        raise UsageError(f"{display(path)}: `tool.archlint` must be a table")
    return table


def display(path: Path) -> Path:
    """A path as the user would write it from the current directory."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive, on Windows
        return path


def parse_config(data: dict[str, Any], path: Path, place: Place) -> Config:
    """Check the keys and types of a configuration table; rules are checked later."""
    check_keys(data, KEYS, place)
    directory = path.parent
    if isinstance(data.get("rules"), list):
        raise UsageError(
            f"{place.at('rules')}: expected per-rule tables such as [rules.snapshot-only]; "
            "list rule-pack directories in `rule-packs`"
        )
    return Config(
        place=place,
        select=optional_strings(data, "select", place),
        ignore=optional_strings(data, "ignore", place),
        fail_on=severity(data.get("fail-on"), place, "fail-on"),
        paths=configured_paths(Located(path, place, data), "paths"),
        rule_packs=configured_paths(Located(path, place, data), "rule-packs"),
        max_model_size=size(data.get("max-model-size"), place, "max-model-size"),
        cache_dir=cache_directory(directory, data, place),
        repo_url=optional_string(data, "repo-url", place),
        rules=rule_tables(data.get("rules", {}), place),
    )


def configured_paths(found: Located, key: str) -> tuple[Path, ...]:
    """The paths listed under `key` (`paths`, `rule-packs`), made relative to the file."""
    return tuple(relative_to(found.path.parent, p) for p in strings(found.data, key, found.place))


def cache_directory(directory: Path, data: dict[str, Any], place: Place) -> Path | None:
    value = data.get("cache-dir")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise UsageError(f"{place.at('cache-dir')}: expected a directory name (text)")
    return relative_to(directory, os.path.expanduser(value))


def check_keys(data: dict[str, Any], known: Sequence[str], place: Place) -> None:
    for key in data:
        if key not in known:
            raise UsageError(f"{place.at()}: unknown key '{key}'{did_you_mean(key, known)}")


def strings(data: dict[str, Any], key: str, place: Place) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise UsageError(f'{place.at(key)}: must be a list of strings, e.g. {key} = ["..."]')
    return tuple(value)


def optional_strings(data: dict[str, Any], key: str, place: Place) -> tuple[str, ...] | None:
    return strings(data, key, place) if key in data else None


def optional_string(data: dict[str, Any], key: str, place: Place) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise UsageError(f'{place.at(key)}: must be a string, e.g. {key} = "..."')
    return value


def severity(value: Any, place: Place, key: str) -> Severity | None:
    from archlint.engine.rule import SEVERITIES

    if value is None:
        return None
    if value not in SEVERITIES:
        hint = did_you_mean(value, SEVERITIES) if isinstance(value, str) else ""
        raise UsageError(f"{place.at(key)}: {value!r} is not one of {', '.join(SEVERITIES)}{hint}")
    level: Severity = value
    return level


def criticality(value: Any, place: Place) -> Criticality | None:
    from archlint.model.entities import CRITICALITIES

    if value is None:
        return None
    if value not in CRITICALITIES:
        hint = did_you_mean(value, CRITICALITIES) if isinstance(value, str) else ""
        raise UsageError(
            f"{place.at(MIN_CRITICALITY)}: {value!r} is not one of {', '.join(CRITICALITIES)}{hint}"
        )
    level: Criticality = value
    return level


def size(value: Any, place: Place, key: str) -> Size | None:
    from archlint.model.sizes import parse_size

    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as error:
        raise UsageError(f"{place.at(key)}: {error}") from None


def relative_to(directory: Path, path: str) -> Path:
    return display(directory / path)


def rule_tables(value: Any, place: Place) -> tuple[RuleTable, ...]:
    if not isinstance(value, dict):
        raise UsageError(f"{place.at('rules')}: must be a table of [rules.<name>] tables")
    tables = []
    for handle, values in value.items():
        inner = place.inner(f"rules.{handle}")
        if not isinstance(values, dict):
            raise UsageError(f"{inner.at()}: must be a table, e.g. [rules.{handle}]")
        tables.append(RuleTable(handle, values, inner))
    return tuple(tables)


def rule_settings(config: Config, rules: Sequence[RuleClass]) -> dict[str, RuleSettings]:
    """Each configured rule's settings by rule id, checked against the loaded rules."""
    by_handle = {handle: rule for rule in rules for handle in (rule.id, rule.name)}
    settings: dict[str, RuleSettings] = {}
    seen: dict[str, Place] = {}
    for table in config.rules:
        rule = by_handle.get(table.handle)
        if rule is None:
            raise UsageError(
                f"{table.place.at()}: unknown rule '{table.handle}'"
                f"{did_you_mean(table.handle, by_handle)}"
            )
        if rule.id in seen:
            raise UsageError(
                f"{table.place.at()}: {rule.name} ({rule.id}) is configured twice, "
                f"also in [{seen[rule.id].table}]"
            )
        seen[rule.id] = table.place
        settings[rule.id] = settings_of(rule, table)
    return settings


def settings_from_options(
    rule: RuleClass, options: Mapping[str, object], where: str
) -> RuleSettings:
    """Settings from options written as a `[rules.X]` table writes them (kebab- or
    snake-case, scope keys such as `min-criticality` included): how a rule's
    documented examples, and tests, say what the rule runs with."""
    values = {name.replace("_", "-"): value for name, value in options.items()}
    return settings_of(rule, RuleTable(rule.name, values, Place(where, f"rules.{rule.name}")))


def settings_of(rule: RuleClass, table: RuleTable) -> RuleSettings:
    from archlint.engine.rule import KINDS_WITH_CRITICALITY, RuleSettings

    # Options are declared in snake_case in Python and written in kebab-case in TOML.
    option_fields = {name.replace("_", "-"): name for name in rule.Options.model_fields}
    # A rule pack written before the engine applied it may declare its own
    # min_criticality option; the key is then that option, as it was.
    scoped = rule.entity_kind in KINDS_WITH_CRITICALITY and MIN_CRITICALITY not in option_fields
    scope_keys = (*RULE_KEYS, MIN_CRITICALITY) if scoped else RULE_KEYS
    check_keys(table.values, (*scope_keys, *option_fields), table.place)
    options = {option_fields[k]: v for k, v in table.values.items() if k in option_fields}
    minimum = table.values.get(MIN_CRITICALITY) if scoped else None
    return RuleSettings(
        severity=severity(table.values.get("severity"), table.place, "severity"),
        min_criticality=criticality(minimum, table.place),
        options=rule_options(rule, options, table.place) if options else None,
        kinds=kinds(table.values, table.place),
        tags=frozenset(strings(table.values, "tags", table.place)),
        exclude_tags=frozenset(strings(table.values, "exclude-tags", table.place)),
    )


def kinds(values: dict[str, Any], place: Place) -> frozenset[str]:
    from archlint.engine.rule import ENTITY_KINDS

    # The kinds a finding can be reported on ("entity" is a rule's wildcard, not a kind).
    known = tuple(kind for kind in ENTITY_KINDS if kind != "entity")
    chosen = strings(values, "kinds", place)
    for kind in chosen:
        if kind not in known:
            raise UsageError(
                f"{place.at('kinds')}: '{kind}' is not an entity kind "
                f"({', '.join(known)}){did_you_mean(kind, known)}"
            )
    return frozenset(chosen)


def rule_options(rule: RuleClass, options: dict[str, Any], place: Place) -> RuleOptions:
    """The rule's own Options class validates its options: one declaration, one check."""
    from pydantic import ValidationError

    try:
        return rule.Options.model_validate(options)
    except ValidationError as error:
        raise UsageError("; ".join(option_problems(error, place))) from None


def option_problems(error: ValidationError, place: Place) -> list[str]:
    problems = []
    for detail in error.errors():
        key = str(detail["loc"][0]).replace("_", "-") if detail["loc"] else ""
        value = detail.get("input")
        if detail["type"] == "literal_error":
            expected = re.findall(r"'([^']*)'", detail["ctx"]["expected"])
            hint = did_you_mean(value, expected) if isinstance(value, str) else ""
            message = f"{value!r} is not one of {', '.join(expected)}{hint}"
        else:
            message = str(detail["msg"]).removeprefix("Value error, ")
        problems.append(f"{place.at(key)}: {message}")
    return problems
