"""Hypothesis strategies: random valid models written as YAML text, and the test budgets.

`valid_models()` draws a model that must load and check: every section, every
entity kind and every field, with references only to existing ids of the kinds
each field accepts, hosts placed by `in` or `hypervisor`, disks in hosts, and
backups whose method fits their source. Fields that carry structure (kinds that
other fields depend on, references, placement) are drawn by hand; every other
field gets a strategy derived from its type in archlint.model.entities, so a field added
there is drawn without touching this file, and a field of a new type fails
`test_every_model_field_has_a_strategy` until it is taught here.

The drawn model is plain data (`GeneratedModel.sections`); `files()` writes it
as one file, a directory of files, or a root file with includes, in block or
flow style, quoting only what YAML 1.2 would not read back as the same string.

Budgets: the default `ci` profile keeps every property test to a few seconds;
`--hypothesis-profile=long` or ARCHLINT_PROPERTY_EXAMPLES / ARCHLINT_FUZZ_EXAMPLES
run many more examples.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from archlint.engine.rulepack import load_rules
from archlint.model.durations import Duration
from archlint.model.entities import SECTIONS, Defaults, Entity, Monitor, Waiver
from archlint.model.rates import Rate
from archlint.model.schedules import Schedule
from archlint.model.sizes import Size

# --------------------------------------------------------------------------
# Budgets

CI_PROFILE = "ci"
LONG_PROFILE = "long"
LONG_EXAMPLES = 2000


def register_profiles() -> None:
    """Register the profiles and load `ci`; tests/conftest.py calls this at import.

    That is early enough for pytest's --hypothesis-profile option, which loads
    its profile after conftest files are imported.
    """
    settings.register_profile(
        CI_PROFILE,
        deadline=None,  # a shared CI machine is slow now and then; a hang still fails
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
    settings.register_profile(
        LONG_PROFILE, parent=settings.get_profile(CI_PROFILE), max_examples=LONG_EXAMPLES
    )
    settings.load_profile(CI_PROFILE)


def budget(variable: str, ci_examples: int) -> settings:
    """Settings with `ci_examples` examples, more with the long profile or `variable`.

    Read when a test module is imported, which is after pytest's
    --hypothesis-profile option has loaded its profile.
    """
    if variable in os.environ:
        return settings(max_examples=int(os.environ[variable]))
    loaded = settings.default
    if loaded is not None and loaded.max_examples >= LONG_EXAMPLES:
        return settings(max_examples=loaded.max_examples)
    return settings(max_examples=ci_examples)


# --------------------------------------------------------------------------
# YAML text


# Plain scalars that the YAML 1.2 core schema reads as something other than a
# string: they must be quoted to stay strings.
_NOT_STRINGS = re.compile(
    r"null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
# Plain scalars that need no quotes anywhere, block or flow.
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/@-]*")


def quoted(text: str) -> str:
    """A double-quoted YAML scalar: printable characters as they are, others escaped."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F or (0xA0 <= code <= 0xD7FF and char.isprintable()):
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    assert isinstance(value, str), value
    if _PLAIN.fullmatch(value) and not _NOT_STRINGS.fullmatch(value):
        return value
    return quoted(value)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    return scalar(value)


def block(mapping: dict[str, Any], indent: int, flow_depth: int) -> list[str]:
    """Lines of a block mapping; values nested `flow_depth` levels down are in flow style."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in mapping.items():
        if isinstance(value, dict) and value and flow_depth > 0:
            lines.append(f"{pad}{scalar(key)}:")
            lines += block(value, indent + 2, flow_depth - 1)
        elif isinstance(value, list) and value and flow_depth > 0:
            lines.append(f"{pad}{scalar(key)}:")
            for item in value:
                if isinstance(item, dict) and item:
                    first, *rest = block(item, indent + 4, flow_depth - 1)
                    lines.append(f"{pad}  - {first.lstrip()}")
                    lines += rest
                else:
                    lines.append(f"{pad}  - {flow(item)}")
        else:
            lines.append(f"{pad}{scalar(key)}: {flow(value)}")
    return lines


# --------------------------------------------------------------------------
# The generated model


@dataclass
class GeneratedModel:
    """A valid model as plain data, and how to lay it out in files."""

    sections: dict[str, dict[str, dict[str, Any]]]
    defaults: dict[str, Any] | None
    layout: Literal["file", "directory", "includes"] = "file"
    # Nesting levels written in block style: 1 puts each entity on one line.
    block_depth: int = 2
    file_of: dict[str, int] = field(default_factory=dict)  # entity id -> file number
    files_count: int = 1

    def entity_count(self) -> int:
        return sum(len(entities) for entities in self.sections.values())

    def text(self) -> str:
        """The whole model as one file."""
        return self._file_text(self.sections, self.defaults, version=True, include=None)

    def files(self) -> dict[str, str]:
        """Relative path -> text; the model is the first path (a file or '.')."""
        if self.layout == "file" or self.files_count == 1:
            return {"archlint.yaml": self.text()}
        parts: list[dict[str, dict[str, dict[str, Any]]]] = [{} for _ in range(self.files_count)]
        for section, entities in self.sections.items():
            for entity_id, data in entities.items():
                parts[self.file_of[entity_id]].setdefault(section, {})[entity_id] = data
        names = [f"part{number}.yaml" for number in range(self.files_count)]
        if self.layout == "directory":
            # Sorted file order: part0.yaml comes first and carries the version.
            names[-1] = f"more/{names[-1]}"
            return {
                name: self._file_text(
                    part,
                    self.defaults if number == 0 else None,
                    version=number == 0,
                    include=None,
                )
                for number, (name, part) in enumerate(zip(names, parts, strict=True))
            }
        included = [f"parts/{name}" for name in names[1:]]
        written = {
            "archlint.yaml": self._file_text(parts[0], self.defaults, True, included or None)
        }
        for name, part in zip(included, parts[1:], strict=True):
            written[name] = self._file_text(part, None, version=False, include=None)
        return written

    def _file_text(
        self,
        sections: dict[str, dict[str, dict[str, Any]]],
        defaults: dict[str, Any] | None,
        version: bool,
        include: list[str] | None,
    ) -> str:
        top: dict[str, Any] = {}
        if version:
            top["archlint"] = 1
        if include:
            top["include"] = include
        if defaults is not None:
            top["defaults"] = defaults
        top.update({name: entities for name, entities in sections.items() if entities})
        if not top:
            return "# nothing here yet\n{}\n"
        return "\n".join(block(top, 0, self.block_depth)) + "\n"


# --------------------------------------------------------------------------
# Values of each field type

RULE_HANDLES = sorted(handle for rule in load_rules() for handle in (rule.id, rule.name))

texts = st.text(max_size=12)
ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"
# Mostly short ids, sometimes the longest allowed (st.from_regex is many times slower).
ids = st.text(ID_CHARACTERS, min_size=1, max_size=10) | st.text(
    ID_CHARACTERS, min_size=64, max_size=64
)


def date_texts() -> st.SearchStrategy[str]:
    return st.dates(datetime.date(2000, 1, 1), datetime.date(2035, 12, 31)).map(
        datetime.date.isoformat
    )


def durations() -> st.SearchStrategy[str]:
    units = ["w", "d", "h", "m", "s"]
    parts = st.lists(st.sampled_from(units), min_size=1, max_size=3, unique=True)
    return st.builds(
        lambda chosen, numbers: "".join(
            f"{number}{unit}"
            for unit, number in zip(sorted(chosen, key=units.index), numbers, strict=False)
        ),
        parts,
        st.lists(st.integers(0, 500), min_size=3, max_size=3),
    )


def sizes() -> st.SearchStrategy[str]:
    units = ["B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "PiB"]
    whole = st.integers(0, 5000).map(str)
    decimal = st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 99), st.integers(0, 99))
    return st.builds(lambda number, unit: number + unit, whole | decimal, st.sampled_from(units))


def cron_lines() -> st.SearchStrategy[str]:
    """Five-field cron lines that run on some date (the day of the month is at most 28)."""

    def field_of(low: int, high: int) -> st.SearchStrategy[str]:
        value = st.integers(low, high).map(str)
        return st.one_of(
            st.just("*"),
            value,
            st.integers(1, high - low + 1).map(lambda step: f"*/{step}"),
            st.lists(value, min_size=1, max_size=3).map(",".join),
            st.tuples(st.integers(low, high), st.integers(low, high)).map(
                lambda pair: f"{min(pair)}-{max(pair)}"
            ),
        )

    return st.builds(
        lambda *fields: " ".join(fields),
        field_of(0, 59),
        field_of(0, 23),
        field_of(1, 28),
        field_of(1, 12) | st.sampled_from(["jan", "jun,dec"]),
        field_of(0, 7) | st.sampled_from(["mon-fri", "sun"]),
    )


def schedules() -> st.SearchStrategy[str]:
    keywords = st.sampled_from(["hourly", "daily", "weekly", "monthly", "continuous"])
    macros = st.sampled_from(["@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly"])
    intervals = durations().filter(lambda text: any(c in "123456789" for c in text))
    return st.one_of(keywords, macros, intervals, cron_lines())


def rates() -> st.SearchStrategy[str]:
    units = ["B", "KB", "MB", "GiB", "bit", "kbit", "Mbit", "Gbit"]
    return st.builds(
        lambda number, unit: f"{number}{unit}/s", st.integers(8, 5000), st.sampled_from(units)
    )


def monitors() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"kind": st.sampled_from(["healthchecks", "uptime-kuma", "email", "prometheus", "other"])},
        optional={"max_age": durations(), "url": texts},
    )


def waivers() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"rule": st.sampled_from(RULE_HANDLES), "reason": st.text(min_size=1, max_size=12)},
        optional={"until": date_texts()},
    )


def value_strategy(annotation: Any) -> st.SearchStrategy[Any]:
    """YAML-level values (str, int, bool, lists, mappings) that a field of this type accepts."""
    origin, args = get_origin(annotation), get_args(annotation)
    # Types that YAML writes as text: pydantic keeps them bare or in Annotated.
    written_as_text: dict[Any, Callable[[], st.SearchStrategy[str]]] = {
        Duration: durations,
        Size: sizes,
        Schedule: schedules,
        Rate: rates,
        Monitor: monitors,
        datetime.date: date_texts,
    }
    if annotation in written_as_text:
        return written_as_text[annotation]()
    if origin is Annotated:
        return value_strategy(args[0])
    if origin in (Union, types.UnionType):
        return st.one_of([value_strategy(arg) for arg in args if arg is not type(None)])
    if origin is Literal:
        return st.sampled_from(args)
    if annotation is bool:
        return st.booleans()
    if annotation is str:
        return texts
    if annotation is int:
        return st.integers(0, 1000)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        items = waivers() if args[0] is Waiver else value_strategy(args[0])
        return st.lists(items, max_size=3)
    if origin is dict:
        return st.dictionaries(texts, value_strategy(args[1]), max_size=3)
    raise TypeError(f"tests/strategies.py has no strategy for fields of type {annotation!r}")


def field_names(cls: type[Entity]) -> dict[str, str]:
    """Field name as written in YAML -> attribute name."""
    return {info.alias or name: name for name, info in cls.model_fields.items()}


# Fields drawn by hand in valid_models(): what they may hold depends on other
# fields or on the other entities.
STRUCTURAL: dict[str, set[str]] = {
    "domains": {"kind", "in"},
    "hosts": {"kind", "in", "hypervisor"},
    "services": {"host", "depends_on", "data"},
    "datastores": {"kind", "engine", "format", "host", "in", "key"},
    "repositories": {"host", "in", "key", "access"},
    "keys": {"stored_in"},
    "backups": {"source", "target", "method", "runs_on", "after", "copy_mode"},
    "drills": {"restores", "from"},
}


def generic_fields(section: str) -> dict[str, st.SearchStrategy[Any]]:
    """Strategies for the fields of a section's entities that carry no structure."""
    _kind, cls = SECTIONS[section]
    strategies = {}
    for written, name in field_names(cls).items():
        if written not in STRUCTURAL[section]:
            strategies[written] = value_strategy(cls.model_fields[name].annotation)
    return strategies


@functools.cache
def generic_entity(section: str) -> st.SearchStrategy[dict[str, Any]]:
    """The fields without structure of one entity: required ones always, others sometimes.

    Built once per section: making strategies costs more than drawing from them.
    """
    _kind, cls = SECTIONS[section]
    names = field_names(cls)
    strategies = generic_fields(section)
    needed = {w: s for w, s in strategies.items() if cls.model_fields[names[w]].is_required()}
    optional = {w: s for w, s in strategies.items() if w not in needed}
    return st.fixed_dictionaries(needed, optional=optional)


# --------------------------------------------------------------------------
# The model

BOOLEANS = st.booleans()
DEFAULTS = st.fixed_dictionaries(
    {name: value_strategy(info.annotation) for name, info in Defaults.model_fields.items()}
)
DOMAIN_RANK = {"region": 0, "site": 1, "room": 2, "rack": 3}
SOURCE_METHODS = {
    "datastore": ["dump", "file", "snapshot", "replication", "git"],
    "host": ["image"],
    "repository": ["copy"],
}


@st.composite
def valid_models(draw: st.DrawFn, max_per_section: int = 4) -> GeneratedModel:
    def maybe() -> bool:
        return draw(BOOLEANS)

    def subset(pool: list[str], at_least: int = 0) -> list[str]:
        if not pool:
            return []
        return draw(st.lists(st.sampled_from(pool), min_size=at_least, max_size=3, unique=True))

    count = {name: draw(st.integers(0, max_per_section)) for name in SECTIONS}
    disks_count = draw(st.integers(0, 2))
    all_ids = draw(
        st.lists(ids, min_size=sum(count.values()) + disks_count + 1, unique=True, max_size=60)
    )
    pool = iter(all_ids)
    sections: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in SECTIONS}
    domains, hosts = sections["domains"], sections["hosts"]

    # Domains other than disks, each in something strictly broader (or nothing).
    for _ in range(count["domains"]):
        kind = draw(st.sampled_from([*DOMAIN_RANK, "person"]))
        rank = DOMAIN_RANK.get(kind, len(DOMAIN_RANK))
        broader = [i for i, d in domains.items() if DOMAIN_RANK.get(d["kind"], 99) < rank]
        domains[next(pool)] = {"kind": kind}
        if broader and maybe():
            domains[list(domains)[-1]]["in"] = draw(st.sampled_from(broader))
    places = [i for i, d in domains.items() if d["kind"] != "person"]
    if count["hosts"] and not places:
        site = next(pool)
        domains[site] = {"kind": "site"}
        places.append(site)

    # Hosts: in a domain, or a VM on a hypervisor that is itself in a domain.
    for _ in range(count["hosts"]):
        kind = draw(st.sampled_from(get_args(SECTIONS["hosts"][1].model_fields["kind"].annotation)))
        hypervisors = [i for i, h in hosts.items() if h["kind"] == "hypervisor"]
        host: dict[str, Any] = {"kind": kind}
        if kind == "vm" and hypervisors and maybe():
            host["hypervisor"] = draw(st.sampled_from(hypervisors))
        else:
            host["in"] = draw(st.sampled_from(places))
        hosts[next(pool)] = host
    disks: list[str] = []
    for _ in range(disks_count if hosts else 0):
        disk = next(pool)
        domains[disk] = {"kind": "disk", "in": draw(st.sampled_from(list(hosts)))}
        disks.append(disk)

    datastore_ids = [next(pool) for _ in range(count["datastores"])]
    repository_ids = [next(pool) for _ in range(count["repositories"])]
    key_ids = [next(pool) for _ in range(count["keys"])]
    service_ids = [next(pool) for _ in range(count["services"])]
    data_places = [*disks, *places]  # a disk or a domain (never a person)

    def placed(entity: dict[str, Any]) -> dict[str, Any] | None:
        """The entity on a host or in a disk/domain, or None when nothing can hold it."""
        if hosts and (not data_places or maybe()):
            entity["host"] = draw(st.sampled_from(list(hosts)))
        elif data_places:
            entity["in"] = draw(st.sampled_from(data_places))
        else:
            return None
        if key_ids and maybe():
            entity["key"] = draw(st.sampled_from(key_ids))
        return entity

    datastore_kinds = get_args(SECTIONS["datastores"][1].model_fields["kind"].annotation)
    for datastore_id in datastore_ids:
        kind = draw(st.sampled_from(datastore_kinds))
        datastore: dict[str, Any] = {"kind": kind}
        cls = SECTIONS["datastores"][1]
        if kind == "database" and maybe():
            datastore["engine"] = draw(value_strategy(cls.model_fields["engine"].annotation))
        if kind == "config" and maybe():
            datastore["format"] = draw(value_strategy(cls.model_fields["format"].annotation))
        if placed(datastore) is not None:
            sections["datastores"][datastore_id] = datastore
    for repository_id in repository_ids:
        repository = placed({})
        if repository is not None:
            sections["repositories"][repository_id] = repository
    datastores, repositories = list(sections["datastores"]), list(sections["repositories"])

    for key_id in key_ids:
        sections["keys"][key_id] = {"stored_in": subset([*datastores, *hosts, *domains])}
    if hosts:
        for service_id in service_ids:
            service: dict[str, Any] = {"host": draw(st.sampled_from(list(hosts)))}
            if maybe():
                service["depends_on"] = subset(service_ids)
            if maybe():
                service["data"] = subset(datastores)
            sections["services"][service_id] = service

    # Backups: the method follows the source's kind; a target is a repository
    # other than the source, required unless the method is snapshot.
    sources = {"datastore": datastores, "host": list(hosts), "repository": repositories}
    for _ in range(count["backups"]):
        kinds = [kind for kind, pool_ in sources.items() if pool_]
        if not kinds or not repositories:
            break
        source_kind = draw(st.sampled_from(kinds))
        source = draw(st.sampled_from(sources[source_kind]))
        method = draw(st.sampled_from(SOURCE_METHODS[source_kind]))
        targets = [r for r in repositories if r != source]
        backup: dict[str, Any] = {"source": source, "method": method}
        if targets and (method != "snapshot" or maybe()):
            backup["target"] = draw(st.sampled_from(targets))
        elif method != "snapshot":
            continue
        if hosts and maybe():
            backup["runs_on"] = draw(st.sampled_from(list(hosts)))
        if maybe():  # one job, a list of sources and targets
            backup["source"] = [source]
            if "target" in backup:
                backup["target"] = sorted({backup["target"], *subset(targets)})
        if method in ("copy", "file") and maybe():
            backup["copy_mode"] = draw(st.sampled_from(["mirror", "versioned"]))
        if sections["backups"] and maybe():
            # Chained right after an earlier backup: no schedule of its own (see below).
            backup["after"] = draw(st.sampled_from(list(sections["backups"])))
        sections["backups"][next(pool)] = backup

    restorable = [*sections["services"], *datastores]
    for _ in range(count["drills"] if restorable else 0):
        drill: dict[str, Any] = {"restores": subset(restorable, at_least=1)}
        if repositories and maybe():
            drill["from"] = draw(st.sampled_from(repositories))
        sections["drills"][next(pool)] = drill

    for repository in sections["repositories"].values():
        if sections["keys"] and maybe():
            repository["access"] = subset(list(sections["keys"]))

    # Every other field, from its type.
    for section, entities in sections.items():
        for entity in entities.values():
            entity.update(draw(generic_entity(section)))
    for backup in sections["backups"].values():
        if "after" in backup:
            backup.pop("schedule", None)
    defaults = draw(st.none() | DEFAULTS)
    layouts: list[Literal["file", "directory", "includes"]] = ["file", "directory", "includes"]
    layout = draw(st.sampled_from(layouts))
    files_count = draw(st.integers(1, 3))
    every_id = [entity_id for entities in sections.values() for entity_id in entities]
    return GeneratedModel(
        sections=sections,
        defaults=defaults,
        layout=layout,
        block_depth=draw(st.integers(1, 4)),
        file_of={entity_id: draw(st.integers(0, files_count - 1)) for entity_id in every_id},
        files_count=files_count,
    )


def write_files(directory: Path, files: dict[str, str]) -> Path:
    """Write a model's files; return the path to read (the root file or the directory)."""
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory / "archlint.yaml" if "archlint.yaml" in files else directory
