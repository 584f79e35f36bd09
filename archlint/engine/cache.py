"""The result cache: an unchanged check is not run again (`--cache DIR`, `cache-dir`).

An entry holds what one run of `archlint check` wrote (its report, its notes on
stderr, the baseline it recorded, the GitHub step summary, its exit code) as
plain JSON. Its name is derived from everything that decides that output and
is known before a model is read: archlint's version, the current directory,
the command's options, the configuration's table, the content of every rule
pack's files, today's date (without --as-of) and the colour and width of the
output. The entry records the content hash of every file the check read and
the YAML files below each model's root; it is used only while all of them are
unchanged, so a new, changed or deleted file is a miss.

A hit writes the stored output without loading a model, the rules or the
analyses, so this module imports none of them, nor pydantic: a hit costs
little more than the interpreter's start-up.

An entry is one line of JSON, then the report as it was written: a large
report is read back without decoding it as a JSON string, into a buffer of its
own, and a hit writes those bytes as they are (no copy of the whole entry, no
round trip through text).

A cache file is input like any other: its JSON is checked field by field,
and the files it names are only hashed, never parsed (and only regular files,
so a FIFO or a device named there cannot block the run). The texts it holds
must be as inert as archlint's own output (see archlint.model.inert): a forged
entry cannot drive a terminal or a CI log. An entry that is unreadable or
malformed is ignored, and rewritten by the check that follows.
"""

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, NamedTuple

from archlint import __version__
from archlint.engine.packfiles import file_digest
from archlint.load.files import ModelFile, ModelRoot
from archlint.model.inert import LEGACY_COMMAND

FORMAT = "archlint-cache/2"
# Where `archlint check` looks for a model when it is given none (see
# archlint.cli.checking.default_models): the roots such a run may record.
DEFAULT_ROOTS = ((".",), ("archlint.yaml",))
# The colour codes of the text report (Select Graphic Rendition).
COLOUR_CODE = re.compile(rb"\x1b\[[0-9;]*m")
# The printable ASCII characters, and the line breaks and tabs of archlint's output.
PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"
# How much of an entry is read at a time while looking for the end of its first line.
HEADER_READ = 1 << 16


class Output(NamedTuple):
    """What one run of `archlint check` wrote, to be written again on a hit."""

    # To stdout, or the file -o names. Replayed from an entry: its UTF-8 bytes,
    # checked to be as inert as archlint's text, written as they are stored.
    report: str | bytes
    notes: str  # the notes it printed on stderr while checking
    exit_code: int
    baseline: str | None = None  # the --write-baseline document
    recorded: int = 0  # how many findings that baseline records
    summary: str | None = None  # appended to GITHUB_STEP_SUMMARY


class Inputs(NamedTuple):
    """What a run read besides its key: its output holds while these are unchanged."""

    roots: tuple[str, ...]  # the models checked: the YAML files below each root are listed
    models: tuple[str, ...]  # the model files read (the report must not overwrite them)
    others: tuple[str, ...] = ()  # other files that decided the output (a baseline, ...)


class Hit(NamedTuple):
    inputs: Inputs
    output: Output


def entry_path(directory: Path, key: Mapping[str, Any]) -> Path:
    """The entry for `key` (the run's options and what they name) in `directory`."""
    parts = {"format": FORMAT, "version": __version__, "cwd": os.getcwd(), "key": canonical(key)}
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return directory / f"{digest}.json"


def lookup(entry: Path, roots: tuple[str, ...] | None, colour: bool) -> Hit | None:
    """The stored run if the entry is valid and every file it depends on is unchanged.

    `roots` are the models the run checks, None when it finds them itself
    (then the entry must name one of the DEFAULT_ROOTS); `colour` says whether
    its report may hold colour codes.
    """
    try:
        header, report = read_entry(entry)
        data = json.loads(header)
        hit = parse_entry(data, report, colour)
        if hit.inputs.roots not in ((roots,) if roots is not None else DEFAULT_ROOTS):
            return None
        return hit if data["files"] == fingerprint(hit.inputs) else None
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def store(entry: Path, inputs: Inputs, output: Output) -> None:
    """Write the entry atomically; a cache that cannot be written is no error."""
    try:
        report = output.report.encode() if isinstance(output.report, str) else output.report
    except UnicodeEncodeError:  # a text no stream could write either: nothing to replay
        return
    data = {
        "format": FORMAT,
        "inputs": {
            "roots": list(inputs.roots),
            "models": list(inputs.models),
            "others": list(inputs.others),
        },
        "files": fingerprint(inputs),
        "output": {
            "report-bytes": len(report),
            "notes": output.notes,
            "exit-code": output.exit_code,
            "baseline": output.baseline,
            "recorded": output.recorded,
            "summary": output.summary,
        },
    }
    import tempfile  # only to store: a hit does not pay its import

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                # Two writes: joined, the report would be copied whole once more.
                stream.write(json.dumps(data, sort_keys=True).encode() + b"\n")
                stream.write(report)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return


# What the inputs are now ---------------------------------------------------


def fingerprint(inputs: Inputs) -> dict[str, Any]:
    """The YAML files below each root and the content hash of every file read."""
    names = sorted({*inputs.models, *inputs.others})
    return {
        "listings": [yaml_listing(Path(root)) for root in inputs.roots],
        "digests": [[name, file_digest(Path(name))] for name in names],
    }


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
    """A JSON value that is the same for equal keys in every run.

    Sets become sorted lists (their iteration order varies with the hash seed);
    anything else JSON has no type for (a TOML date, a Path) is written as its repr.
    """
    if isinstance(value, Mapping):
        return {str(key): canonical(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, (set, frozenset)):
        return sorted(canonical(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# Reading an entry ------------------------------------------------------------


def read_entry(entry: Path) -> tuple[bytes, bytes]:
    """The entry's first line (without its line break) and the report after it.

    The report is read from the file at once into bytes of its own: cutting it
    from a read of the whole entry would copy it (tens of megabytes for a large
    model) once more.
    """
    with open(entry, "rb", buffering=0) as stream:
        lines: list[bytes] = []
        while True:
            chunk = stream.read(HEADER_READ)
            newline = chunk.find(b"\n")  # only the new chunk: a long first line costs no rescans
            if not chunk or newline >= 0:
                break
            lines.append(chunk)
        if newline < 0:  # no report at all
            return b"".join(lines), b""
        lines.append(chunk[:newline])
        header = b"".join(lines)
        stream.seek(len(header) + 1)
        return header, stream.readall()


def parse_entry(data: Any, report: bytes, colour: bool) -> Hit:
    """The run an entry's JSON and report hold; ValueError, TypeError or KeyError when
    it is not a valid one (a report cut short is not)."""
    if not isinstance(data, dict) or data["format"] != FORMAT:
        raise ValueError("not an entry of this format")
    inputs, output = data["inputs"], data["output"]
    if not isinstance(inputs, dict) or not isinstance(output, dict):
        raise TypeError("not an entry")
    exit_code, recorded = output["exit-code"], output["recorded"]
    if type(exit_code) is not int or exit_code not in (0, 1):
        raise ValueError("not an exit code of a check")
    if type(recorded) is not int or recorded < 0:
        raise ValueError("not a count")
    if output["report-bytes"] != len(report):
        raise ValueError("the report is not as long as it was")
    check_inert(report, colour)
    replayed = Output(
        report=report,
        notes=inert(text(output["notes"]).encode()),
        exit_code=exit_code,
        baseline=None if output["baseline"] is None else inert(text(output["baseline"]).encode()),
        recorded=recorded,
        summary=None if output["summary"] is None else inert(text(output["summary"]).encode()),
    )
    return Hit(
        inputs=Inputs(
            roots=strings(inputs["roots"]),
            models=strings(inputs["models"]),
            others=strings(inputs["others"]),
        ),
        output=replayed,
    )


def inert(data: bytes, colour: bool = False) -> str:
    """The text of `data` if it is as inert as archlint's output (see check_inert)."""
    check_inert(data, colour)
    return data.decode("utf-8")


def check_inert(data: bytes, colour: bool = False) -> None:
    """ValueError unless `data` is UTF-8 text as inert as archlint's output: printable
    lines (tabs kept), colour codes only where colour is on, no GitHub legacy
    workflow command.

    Checked on the bytes: a report of tens of megabytes costs milliseconds.
    """
    plain = COLOUR_CODE.sub(b"", data) if colour else data
    if plain.isascii():  # JSON and SARIF always, most text reports
        printable = not plain.translate(None, PLAIN_ASCII)
    else:
        printable = plain.decode("utf-8").replace("\n", "").replace("\t", "").isprintable()
    # Looking for "#" first finds most reports free of it at memchr's speed.
    if not printable or (b"#" in plain and LEGACY_COMMAND.encode() in plain):
        raise ValueError("not text archlint writes")


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError("not a list of text")
    return tuple(value)
