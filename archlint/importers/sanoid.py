"""sanoid.conf: ZFS datasets, their templates, and which of them only receive snapshots.

Each dataset section (`[pool/dataset]`) with its templates (`use_template`) and its
own values gives a `snapshot` backup of the dataset, scheduled at its most frequent
kept period (`frequently` every `frequent_period` minutes, else hourly, daily, ...)
with the counts as retention. A dataset whose settings say `autosnap = no` takes
no snapshots of its own: it is where syncoid replicates to, so it becomes a `zfs`
repository waiting for the `replication` backup that fills it. Values not set fall
back to sanoid's defaults (sanoid.defaults.conf).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from archlint.importers import _jobs
from archlint.importers.draft import Draft, ImportOptions, Origin, fail
from archlint.importers.schedules import split_paths
from archlint.importers.yamlread import read_text
from archlint.model.errors import clip

TOOL = "sanoid"
# sanoid.defaults.conf's [template_default], for the values that matter here.
_DEFAULTS = {
    "frequently": "0",
    "hourly": "48",
    "daily": "90",
    "weekly": "0",
    "monthly": "6",
    "yearly": "0",
    "autosnap": "yes",
    "autoprune": "yes",
    "frequent_period": "15",
    "recursive": "no",
}
_PERIODS = ("frequently", "hourly", "daily", "weekly", "monthly", "yearly")
_SCHEDULES = {
    "hourly": "hourly",
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "monthly",
    "yearly": "@yearly",
}
_RETENTION = {
    "frequently": "frequent",
    "hourly": "hourly",
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "monthly",
    "yearly": "yearly",
}
_TRUE = ("yes", "1", "true", "on")
_SECTION = re.compile(r"^\[([^\]]+)\]\s*(#.*)?$")
_TEMPLATE = re.compile(r"\{\{|\{%")


@dataclass
class _Section:
    name: str
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)


def import_files(paths: list[Path], options: ImportOptions) -> Draft:
    draft = Draft(TOOL)
    configs, _timings = split_paths(paths, options)
    if not configs:
        fail(Origin(str(paths[0]) if paths else "-", 1), "no sanoid.conf given")
    draft.sources.extend(str(path) for path in paths)
    if _timings:
        draft.notes.append(
            "sanoid's timer only wakes sanoid up; the snapshot schedule comes from the "
            "templates' periods"
        )
    host = draft.ensure_host(None, options, Origin(str(configs[0]), 1))
    for path in configs:
        _import(draft, path, options, host)
    return draft


def _import(draft: Draft, path: Path, options: ImportOptions, host: str) -> None:
    display = str(path)
    sections = _parse(read_text(path, display, options.limits), display)
    templates = {
        s.name.removeprefix("template_"): s for s in sections if s.name.startswith("template_")
    }
    datasets = [s for s in sections if not s.name.startswith("template_")]
    if not datasets:
        fail(Origin(display, 1), "no dataset sections ([pool/dataset]) in this sanoid.conf")
    for dataset in datasets:
        values = _settings(dataset, templates, display)
        at = Origin(display, dataset.line)
        if values["autosnap"][0].lower() in _TRUE:
            _snapshots(draft, host, dataset, values, at)
        else:
            _target(draft, host, dataset, values, at)


def _parse(text: str, display: str) -> list[_Section]:
    sections: list[_Section] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        found = _TEMPLATE.search(line)
        if found:
            fail(
                Origin(display, number, raw.find(found.group(0)) + 1),
                "this is a template (Jinja or Go), not a configuration file: "
                "render the template first and import the result",
            )
        header = _SECTION.match(line)
        if header:
            sections.append(_Section(header.group(1).strip(), number))
            continue
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            fail(
                Origin(display, number), "not a sanoid.conf line: expected [section] or key = value"
            )
        if not sections:
            fail(Origin(display, number), "a setting before the first [section]")
        sections[-1].values[key.strip().lower()] = (value.split("#")[0].strip(), number)
    return sections


def _settings(
    dataset: _Section, templates: dict[str, _Section], display: str, depth: int = 0
) -> dict[str, tuple[str, int]]:
    """Defaults, then each template in `use_template` order, then the dataset's own values."""
    values = {key: (value, 0) for key, value in _DEFAULTS.items()}
    used = dataset.values.get("use_template")
    for name in used[0].split(",") if used else []:
        template = templates.get(name.strip())
        if template is None:
            fail(
                Origin(display, used[1] if used else dataset.line),
                f"no [template_{clip(name.strip())}] section",
            )
        if depth > 8:
            fail(Origin(display, template.line), "templates use each other in a circle")
        values.update(
            (key, item)
            for key, item in _settings(template, templates, display, depth + 1).items()
            if item[1] or key not in values
        )
    values.update(dataset.values)
    return values


def _count(values: dict[str, tuple[str, int]], period: str) -> int:
    text = values[period][0]
    return int(text) if text.isdigit() else 0


def _snapshots(
    draft: Draft, host: str, dataset: _Section, values: dict[str, tuple[str, int]], at: Origin
) -> None:
    kept = {period: _count(values, period) for period in _PERIODS}
    taken = [period for period in _PERIODS if kept[period] > 0]
    source = _datastore(draft, host, dataset, values, at)
    if not taken:
        draft.todo(source, f"{at}: autosnap is on but every period keeps 0 snapshots")
        return
    first = taken[0]
    if first == "frequently":
        minutes = values["frequent_period"][0]
        schedule = f"{minutes}m" if minutes.isdigit() and int(minutes) > 0 else "15m"
    else:
        schedule = _SCHEDULES[first]
    fields = {
        "source": source,
        "method": "snapshot",
        "schedule": schedule,
        "retention": {_RETENTION[period]: kept[period] for period in taken},
        "description": f"sanoid snapshots of ZFS dataset {dataset.name}",
    }
    todos = []
    script = values.get("pre_snapshot_script", ("", 0))[0]
    if script:
        todos.append(
            f"{Path(script).name!r} runs before each snapshot: if it stops or flushes the "
            "application, set quiesce: true"
        )
    if values["autoprune"][0].lower() not in _TRUE:
        todos.append("autoprune is off: snapshots are never pruned, the retention is a minimum")
    draft.add(
        "backups", f"{dataset.name}-snapshots", fields, at, todos, {"job": f"{TOOL}:{dataset.name}"}
    )


def _target(
    draft: Draft, host: str, dataset: _Section, values: dict[str, tuple[str, int]], at: Origin
) -> None:
    kept = {_RETENTION[p]: _count(values, p) for p in _PERIODS if _count(values, p) > 0}
    fields: dict[str, object] = {
        "tool": "zfs",
        "host": host,
        "description": f"ZFS dataset {dataset.name}: receives replicated snapshots (autosnap = no)",
    }
    if kept and values["autoprune"][0].lower() in _TRUE:
        fields["retention"] = kept
    todos = [
        "sanoid takes no snapshots here, so something replicates into it (syncoid): add "
        "the `replication` backup from the dataset it receives",
        "if this pool is on its own disks, put the repository `in` a disk domain of the host",
    ]
    draft.add(
        "repositories",
        dataset.name,
        fields,
        at,
        todos,
        {"tool": "zfs", "url": _jobs.normalised_url(dataset.name)},
    )


def _datastore(
    draft: Draft, host: str, dataset: _Section, values: dict[str, tuple[str, int]], at: Origin
) -> str:
    recursive = values["recursive"][0].lower()
    todos = [
        f"/{dataset.name} is ZFS's default mountpoint for {dataset.name}: check it "
        f"(`zfs get mountpoint {dataset.name}`)",
    ]
    if recursive in _TRUE or recursive == "zfs":
        todos.append(
            "recursive: the dataset's children are snapshotted too; add those that hold other data"
        )
    fields = {"kind": "files", "description": f"ZFS dataset {dataset.name}"}
    return draft.path_datastore(host, f"/{dataset.name}", at, fields, todos)
