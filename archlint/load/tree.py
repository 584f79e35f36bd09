"""The load stage: YAML model files to plain data that remembers where it came from.

A model is one file or a directory of files, plus everything they `include`.
Each file becomes a `Document` whose data is a `LocatedMap`. Nothing here
interprets sections: that is validation's job. What this stage guarantees:

- only files inside the model's root directory are read, each at most once;
- YAML is read as plain data under the YAML 1.2 core schema (`yes`/`on` stay
  strings), with no tags that could construct objects;
- hostile input (huge files, deep nesting, alias bombs, binary data) fails
  fast with a located error instead of exhausting memory or the stack;
- every problem is reported, each with `file:line:column`.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any, NoReturn

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from archlint.model.errors import InvalidModel, Location, ModelError, clip
from archlint.model.located import LocatedList, LocatedMap

__all__ = ["Document", "Limits", "load_model"]

YAML_SUFFIXES = (".yaml", ".yml")
MAX_SHOWN_PATH = 200  # characters of a file path quoted in a message
UTF8_BOM = b"\xef\xbb\xbf"
# UTF-16 little and big endian; UTF-32 starts with one of them or with NULs.
WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

# libyaml is many times faster; the pure-Python parser gives the same events.
_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile model from exhausting time or memory."""

    max_file_bytes: int = 32 * 1024 * 1024  # a 10,000-service model is about 10 MB
    max_depth: int = 64  # nesting of mappings/sequences
    max_alias_nodes: int = 100_000  # nodes added by alias expansion, per file
    max_scalar_chars: int = 1_000_000
    # All files of a model together: loading and validating take about 100 bytes
    # of memory per byte of YAML (a dense file of small entities), so this keeps a
    # model that is split into many files to what one file of the limit costs.
    max_model_bytes: int = 32 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One model file as loaded."""

    path: Path  # resolved absolute path of the file
    data: LocatedMap  # the file's top-level mapping; Location.file in it is the display path


def load_model(path: Path, limits: Limits = Limits()) -> list[Document]:
    """Read a model (a file or a directory) and everything it includes.

    Raises InvalidModel with ALL errors found: every file is tried; within a
    file every duplicate key etc. is reported, a syntax error stops that file only.
    """
    reader = _ModelReader(Path(path), limits)
    reader.read_model()
    if reader.errors:
        raise InvalidModel(reader.errors)
    return reader.documents


# --------------------------------------------------------------------------
# Files: which ones make up the model, and reading their text safely.


@dataclass(frozen=True)
class _File:
    real: Path  # symlinks resolved: the identity that makes "read at most once" hold
    rel: PurePath  # as reached from the root, symlinks kept: base of its includes and display


class _FileError(Exception):
    """A problem that stops one file from being read at all."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error))
        self.error = error


class _ModelTooBig(_FileError):
    """The files read so far and this one exceed max_model_bytes: reading stops."""


class _ModelReader:
    """Finds the model's files, follows includes and collects every error."""

    def __init__(self, given: Path, limits: Limits) -> None:
        self.given = given
        self.limits = limits
        self.root = Path()  # resolved root directory, set by read_model
        self.base = Path()  # how the user spelled the root: prefix of display paths
        self.errors: list[ModelError] = []
        self.documents: list[Document] = []
        self.read_paths: set[Path] = set()
        self.bytes_read = 0
        self.too_big = False  # past max_model_bytes: no further file is read

    def read_model(self) -> None:
        at = Location(self.given.as_posix(), 1, 1)
        try:
            mode = os.stat(self.given).st_mode
        except FileNotFoundError:
            self._error(at, "no such file or directory: a model is a YAML file or a directory")
            return
        except (OSError, ValueError) as error:
            self._error(at, f"cannot read the model: {_reason(error)}")
            return
        if stat.S_ISDIR(mode):
            self._read_directory_model()
        else:
            self._read_file_model()

    def _read_file_model(self) -> None:
        # The root of a one-file model is the directory the user named it in,
        # even if the file itself is a symlink to somewhere else.
        self.base = self.given.parent
        self.root = self.given.parent.resolve()
        self._follow_includes([_File(self.given.resolve(), PurePath(self.given.name))])

    def _read_directory_model(self) -> None:
        self.base = self.given
        self.root = self.given.resolve()
        files, escapes = self._walk(_File(self.root, PurePath(".")))
        for link in escapes:
            shown = clip(self._display(link), MAX_SHOWN_PATH)
            self._error(
                Location(self._display(link), 1, 1),
                f"'{shown}' is a symbolic link that leaves the model's root "
                "directory; a model may only read files inside it",
            )
        if not files and not escapes:
            self._error(
                Location(self.given.as_posix(), 1, 1),
                "no model files here: a model directory holds *.yaml or *.yml files",
            )
        read: list[tuple[_File, Document]] = []
        for file in files:
            if file.real not in self.read_paths:
                document = self._read(file)
                if document is not None:
                    read.append((file, document))
        # Includes of a directory model can only add files the walk skipped
        # (hidden directories); they come after the walk, in include order.
        for file, document in read:
            self._follow_includes(self._includes_of(document, file))

    def _follow_includes(self, start: list[_File]) -> None:
        """Read files depth-first in listed order, with an explicit stack.

        A chain of thousands of includes must not overflow the Python stack;
        files already read are skipped, which also makes include cycles harmless.
        """
        pending = list(reversed(start))
        while pending:
            file = pending.pop()
            if file.real in self.read_paths:
                continue
            document = self._read(file)
            if document is not None:
                pending.extend(reversed(self._includes_of(document, file)))

    def _read(self, file: _File) -> Document | None:
        self.read_paths.add(file.real)
        display = self._display(file.rel)
        if self.too_big:
            return None
        try:
            text, size = _read_text(
                file.real, display, self.limits, self.limits.max_model_bytes - self.bytes_read
            )
        except _FileError as problem:
            self.errors.append(problem.error)
            self.too_big = isinstance(problem, _ModelTooBig)
            return None
        self.bytes_read += size
        builder = _TreeBuilder(display, self.limits)
        data = builder.build(text)
        self.errors.extend(builder.errors)
        if data is None:
            return None
        document = Document(path=file.real, data=data)
        self.documents.append(document)
        return document

    def _includes_of(self, document: Document, file: _File) -> list[_File]:
        data = document.data
        if "include" not in data:
            return []
        value = data["include"]
        if not isinstance(value, LocatedList):
            self._error(
                data.value_locations["include"],
                "include must be a list of paths relative to this file, "
                "e.g. include: [hosts.yaml, services/]",
            )
            return []
        targets: list[_File] = []
        for item, at in zip(value, value.item_locations, strict=True):
            targets.extend(self._include_target(item, at, file))
        return targets

    def _include_target(self, item: Any, at: Location, file: _File) -> list[_File]:
        """The files one include entry names, or [] after reporting why none.

        The root check runs before anything else touches the target, so an
        error never tells whether a file outside the root exists, let alone
        what is in it.
        """
        if not isinstance(item, str) or not item:
            self._error(at, "an include entry must be a path (text) relative to this file")
            return []
        shown = clip(item)  # the path as written, cut short for messages
        if "\0" in item:  # no file system accepts it; resolving it would raise
            self._error(at, f"include '{shown}' holds a NUL character, which no path can")
            return []
        if PurePosixPath(item).is_absolute() or PureWindowsPath(item).is_absolute():
            self._error(
                at, f"include '{shown}' is an absolute path; write it relative to this file"
            )
            return []
        real = _resolve(self.root / file.rel.parent / item)
        if real is None:
            self._error(at, f"include '{shown}' cannot be resolved (a symbolic link loop?)")
            return []
        if not real.is_relative_to(self.root):
            self._error(at, f"include '{shown}' leaves the model's root directory")
            return []
        target = _File(real, PurePath(real.relative_to(self.root)))
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            self._error(at, f"include '{shown}' not found")
            return []
        except (OSError, ValueError) as error:
            self._error(at, f"include '{shown}' cannot be read: {_reason(error)}")
            return []
        if stat.S_ISDIR(mode):
            files, escapes = self._walk(target)
            for link in escapes:
                self._error(
                    at,
                    f"include '{shown}': '{clip(self._display(link), MAX_SHOWN_PATH)}' is a "
                    "symbolic link that leaves the model's root directory",
                )
            return files
        if not real.name.endswith(YAML_SUFFIXES):
            self._error(at, f"include '{shown}' is not a YAML file (*.yaml or *.yml)")
            return []
        return [target]

    def _walk(self, start: _File) -> tuple[list[_File], list[PurePath]]:
        """Every YAML file below a directory in sorted path order, and the
        symlinks below it that leave the root.

        Iterative (os.walk recurses in 3.11) and skips hidden names. Symlinked
        directories inside the root are followed, each real directory once:
        depth-first in name order, so which path reaches it first never depends
        on the order the filesystem lists entries in. A symlink leaving the root
        is reported if it names a YAML file or points at a directory, since
        either would otherwise silently drop model files.
        """
        found: list[tuple[str, _File]] = []
        escapes: list[PurePath] = []
        visited: set[Path] = set()
        pending: list[tuple[Path, PurePath]] = [(start.real, start.rel)]
        while pending:
            directory, rel = pending.pop()
            if directory in visited:
                continue
            visited.add(directory)
            try:
                entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
            except OSError as error:
                self._error(
                    Location(self._display(rel), 1, 1),
                    f"cannot read directory: {_reason(error)}",
                )
                continue
            subdirectories: list[tuple[Path, PurePath]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                entry_rel = rel / entry.name
                is_yaml = entry.name.endswith(YAML_SUFFIXES)
                real = Path(entry.path)  # real already: `directory` is resolved
                if entry.is_symlink():
                    resolved = _resolve(real)
                    if resolved is None or not resolved.is_relative_to(self.root):
                        if is_yaml or _is_dir(entry):
                            escapes.append(entry_rel)
                        continue
                    real = resolved
                if _is_dir(entry):
                    subdirectories.append((real, entry_rel))
                elif is_yaml:
                    found.append((entry_rel.as_posix(), _File(real, entry_rel)))
            pending.extend(reversed(subdirectories))
        found.sort(key=lambda pair: pair[0])
        escapes.sort(key=lambda link: link.as_posix())
        return [file for _, file in found], escapes

    def _display(self, rel: PurePath) -> str:
        return (self.base / rel).as_posix()

    def _error(self, at: Location, message: str) -> None:
        self.errors.append(ModelError(at, message))


def _resolve(path: Path) -> Path | None:
    """The path with every symlink resolved, or None if that is impossible."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # symlink loop, NUL in the name
        return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _reason(error: Exception) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


def _read_text(path: Path, display: str, limits: Limits, budget: int) -> tuple[str, int]:
    """The file's text and size in bytes, checked to be a UTF-8 text file of at most
    max_file_bytes, and of at most `budget` bytes (what is left of max_model_bytes)."""
    at = Location(display, 1, 1)
    try:
        # O_NONBLOCK: a FIFO named x.yaml must not hang the linter. fstat on the
        # open descriptor leaves no window to swap the file after the check.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _FileError(ModelError(at, "file not found")) from None
    except (OSError, ValueError) as error:
        raise _FileError(ModelError(at, f"cannot read file: {_reason(error)}")) from None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _FileError(ModelError(at, "not a regular file"))
        if info.st_size > limits.max_file_bytes:
            raise _FileError(ModelError(at, _too_big(info.st_size, limits)))
        if info.st_size > budget:
            raise _ModelTooBig(ModelError(at, _model_too_big(limits)))
        # It may have grown since fstat: never read more than the limits allow.
        raw = handle.read(min(limits.max_file_bytes, budget) + 1)
    if len(raw) > limits.max_file_bytes:
        raise _FileError(ModelError(at, _too_big(len(raw), limits)))
    if len(raw) > budget:
        raise _ModelTooBig(ModelError(at, _model_too_big(limits)))
    return _decode(raw, display), len(raw)


def _too_big(size: int, limits: Limits) -> str:
    return f"file is too big: {size} bytes (the limit is {limits.max_file_bytes} bytes)"


def _model_too_big(limits: Limits) -> str:
    return (
        f"the model is too big: with this file, its files add up to more than "
        f"{limits.max_model_bytes} bytes, the limit for all files together; "
        "the files after it are not read"
    )


# Characters YAML does not allow in a stream (the set PyYAML's reader rejects).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _decode(raw: bytes, display: str) -> str:
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    elif raw.startswith(WIDE_BOMS):
        # Editors on Windows save "Unicode" as UTF-16: say so, rather than
        # pointing at the first NUL byte of its wide characters.
        raise _FileError(
            ModelError(
                Location(display, 1, 1),
                "the file is UTF-16 or UTF-32 (it starts with a byte order mark): save it as UTF-8",
            )
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        raise _FileError(
            ModelError(
                _byte_location(raw, nul, display),
                "not a text file (it contains a NUL byte): a model file is UTF-8 YAML text",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _FileError(
            ModelError(
                _byte_location(raw, error.start, display),
                f"invalid UTF-8 (byte 0x{raw[error.start]:02x}): save the file as UTF-8",
            )
        ) from None
    # Checked here rather than left to the parser, whose reader errors carry
    # an offset that differs between libyaml and pure Python.
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        index = bad.start()
        line_start = text.rfind("\n", 0, index) + 1
        raise _FileError(
            ModelError(
                Location(display, text.count("\n", 0, index) + 1, index - line_start + 1),
                f"character U+{ord(text[index]):04X} is not allowed in YAML text "
                '(write it as an escape in a double-quoted string, e.g. "\\x07")',
            )
        )
    return text


def _byte_location(raw: bytes, index: int, display: str) -> Location:
    """Line and column (in characters) of a byte offset into possibly broken UTF-8."""
    line_start = raw.rfind(b"\n", 0, index) + 1
    column = len(raw[line_start:index].decode("utf-8", errors="replace")) + 1
    return Location(display, raw.count(b"\n", 0, index) + 1, column)


# --------------------------------------------------------------------------
# Scalars: the YAML 1.2 core schema.

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT = _CORE + "str", _CORE + "int", _CORE + "float"
_BOOL, _NULL, _MAP, _SEQ = _CORE + "bool", _CORE + "null", _CORE + "map", _CORE + "seq"

_NULLS: dict[str, None] = dict.fromkeys(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INFINITIES = {
    f"{sign}.{word}": float(f"{sign}inf")
    for sign in ("", "+", "-")
    for word in ("inf", "Inf", "INF")
}
_NANS = dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan)
# Plain scalars that are not strings and are not written as digits.
_PLAIN_WORDS: dict[str, Any] = {**_NULLS, **_BOOLS, **_INFINITIES, **_NANS}

_DECIMAL = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT_DIGITS = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NUMBER_START = frozenset("0123456789+-.")


class _NoFit(Exception):
    """A scalar's text does not fit its explicit tag."""


def _plain_scalar(text: str) -> Any:
    """An untagged plain scalar under the core schema: everything else is a string."""
    if text in _PLAIN_WORDS:
        return _PLAIN_WORDS[text]
    if text[0] in _NUMBER_START:  # text is not empty: "" is a null word
        number = _number(text)
        if number is not None:
            return number
    return text


def _number(text: str) -> int | float | None:
    """The int or float a core-schema number means, or None; ValueError if too long."""
    if _DECIMAL.fullmatch(text):
        return int(text)
    if _OCTAL.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT_DIGITS.fullmatch(text):
        return float(text)
    return None


def _tagged_int(text: str) -> int:
    number = _number(text)
    if not isinstance(number, int):
        raise _NoFit
    return number


def _tagged_float(text: str) -> float:
    if text in _INFINITIES or text in _NANS:
        value: float = _PLAIN_WORDS[text]
        return value
    if not _FLOAT_DIGITS.fullmatch(text):  # decimal integers match too: !!float 1 is 1.0
        raise _NoFit
    return float(text)


def _tagged_from(words: dict[str, Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        if text not in words:
            raise _NoFit
        return words[text]

    return convert


_SCALAR_TAGS: dict[str, Callable[[str], Any]] = {
    _STR: str,
    _INT: _tagged_int,
    _FLOAT: _tagged_float,
    _BOOL: _tagged_from(_BOOLS),
    _NULL: _tagged_from(_NULLS),
}
_CORE_TAGS = frozenset((*_SCALAR_TAGS, _MAP, _SEQ))


def _short_tag(tag: str) -> str:
    return clip("!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag)


# --------------------------------------------------------------------------
# The tree: PyYAML events to LocatedMap/LocatedList, with an explicit stack.


class _Key(Enum):
    AWAITED = "awaited"  # the mapping's next node is a key
    BAD = "bad"  # the key being built is a collection: report once, drop the pair
    SKIP = "skip"  # the pair's key was rejected: build the value, then drop it
    ITEM = "item"  # a sequence: every node is an item, none is a key


_AWAITED, _BAD, _SKIP, _ITEM = _Key.AWAITED, _Key.BAD, _Key.SKIP, _Key.ITEM


class _Frame:
    """A mapping or sequence being built, with what its parent must know of it."""

    __slots__ = ("anchor", "container", "height", "key", "key_location", "size")

    def __init__(self, container: LocatedMap | LocatedList, anchor: str | None) -> None:
        self.container = container
        self.anchor = anchor
        self.size = 1  # nodes in it, itself included: what an alias to it would add
        self.height = 1  # nesting levels in it: what an alias to it would add
        self.key: str | _Key = _AWAITED if isinstance(container, LocatedMap) else _ITEM
        self.key_location = container.location


class _Anchored:
    """A finished node under an anchor, as an alias reuses it."""

    __slots__ = ("height", "key_text", "size", "value")

    def __init__(self, value: Any, size: int, height: int, key_text: str | None) -> None:
        self.value = value
        self.size = size
        self.height = height
        self.key_text = key_text  # the scalar as written, so it can also serve as a key


class _StopFile(Exception):
    """An error after which the rest of the file cannot be read meaningfully."""

    def __init__(self, error: ModelError) -> None:
        super().__init__(str(error))
        self.error = error


class _TreeBuilder:
    """Builds one file's data from its parser events and collects its errors."""

    def __init__(self, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.errors: list[ModelError] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchored] = {}
        self.alias_nodes = 0
        self.documents = 0
        self.root: LocatedMap | None = None

    def build(self, text: str) -> LocatedMap | None:
        """The file's top-level mapping, or None if there is none to give."""
        # A local table, not an attribute: bound methods stored on self would make
        # a reference cycle that keeps the whole tree alive until the next gc pass.
        handlers: dict[type[Event], Callable[[Any], None]] = {
            ScalarEvent: self._on_scalar,
            MappingStartEvent: self._on_mapping_start,
            MappingEndEvent: self._on_collection_end,
            SequenceStartEvent: self._on_sequence_start,
            SequenceEndEvent: self._on_collection_end,
            AliasEvent: self._on_alias,
            DocumentStartEvent: self._on_document_start,
        }
        on_scalar = self._on_scalar
        try:
            for event in yaml.parse(text, Loader=_LOADER):
                if type(event) is ScalarEvent:  # most events: skip the lookup
                    on_scalar(event)
                    continue
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        except _StopFile as stop:
            self.errors.append(stop.error)
            return None
        except yaml.MarkedYAMLError as error:
            self.errors.append(self._syntax_error(error))
            return None
        except yaml.YAMLError as error:
            self._error(Location(self.display, 1, 1), f"invalid YAML: {error}")
            return None
        if self.root is None:
            self._error(Location(self.display, 1, 1), _EMPTY)
        return self.root

    # Events -----------------------------------------------------------

    def _on_document_start(self, event: DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            self._stop(
                self._at(event.start_mark),
                "a model file holds one YAML document, but a second one starts here "
                "(put it in a file of its own)",
            )

    def _on_scalar(self, event: ScalarEvent) -> None:
        # Most events are scalars: the location is built inline, not via _at().
        mark: Any = event.start_mark
        location = Location(self.display, mark.line + 1, mark.column + 1)
        stack = self.stack
        if not stack:
            value = self._scalar_value(event, location)
            self._stop(location, _EMPTY if value is None else _TOP_LEVEL + "a single value")
        text = event.value
        if len(text) > self.limits.max_scalar_chars:
            self._error(
                location,
                f"value is too long: {len(text)} characters "
                f"(the limit is {self.limits.max_scalar_chars})",
            )
        frame = stack[-1]
        if frame.key is _AWAITED:
            self._scalar_key(frame, event, location)
            return
        value = self._scalar_value(event, location)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchored(value, 1, 0, text)
        self._add(frame, value, location, 1, 0)

    def _on_mapping_start(self, event: MappingStartEvent) -> None:
        location = self._at(event.start_mark)
        self._check_collection_tag(event.tag, _MAP, "mapping", location)
        self._push(LocatedMap(location), event.anchor)

    def _on_sequence_start(self, event: SequenceStartEvent) -> None:
        location = self._at(event.start_mark)
        if not self.stack:
            self._stop(location, _TOP_LEVEL + "a list")
        self._check_collection_tag(event.tag, _SEQ, "list", location)
        self._push(LocatedList(location), event.anchor)

    def _on_collection_end(self, event: Event) -> None:
        frame = self.stack.pop()
        container = frame.container
        if frame.anchor is not None:
            self.anchors[frame.anchor] = _Anchored(container, frame.size, frame.height, None)
        if self.stack:
            self._add(self.stack[-1], container, container.location, frame.size, frame.height)
        elif isinstance(container, LocatedMap):
            self.root = container

    def _on_alias(self, event: AliasEvent) -> None:
        location = self._at(event.start_mark)
        name = event.anchor or ""
        anchored = self.anchors.get(name)
        if anchored is None:
            # Anchors count only once their node is complete, so this also
            # rejects an alias inside its own anchor: no cyclic data.
            shown = clip(name)
            message = f"alias '*{shown}' refers to no anchor defined before it ('&{shown}')"
            if not self.stack:
                self._stop(location, message)
            self._error(location, message)
            anchored = _Anchored(None, 1, 0, None)
        else:
            self._count_alias(anchored, name, location)
        frame = self.stack[-1]
        if frame.key is not _AWAITED:
            self._add(frame, anchored.value, location, anchored.size, anchored.height)
        elif anchored.key_text is not None:
            self._take_key(frame, anchored.key_text, location)
        else:
            self._error(location, _NOT_SCALAR_KEY)
            frame.key = _SKIP

    # Building ---------------------------------------------------------

    def _push(self, container: LocatedMap | LocatedList, anchor: str | None) -> None:
        if len(self.stack) >= self.limits.max_depth:
            self._stop(container.location, self._too_deep())
        if self.stack:
            parent = self.stack[-1]
            if parent.key is _AWAITED:
                self._error(container.location, _NOT_SCALAR_KEY)
                parent.key = _BAD
        self.stack.append(_Frame(container, anchor))

    def _add(self, frame: _Frame, value: Any, location: Location, size: int, height: int) -> None:
        """Put a finished node into the collection being built."""
        frame.size += size
        if height >= frame.height:
            frame.height = height + 1
        container = frame.container
        if isinstance(container, LocatedList):
            container.add(value, location)
            return
        key = frame.key
        if key is _BAD:  # the finished node was a rejected key; its value comes next
            frame.key = _SKIP
            return
        if isinstance(key, str):
            container.set(key, value, frame.key_location, location)
        frame.key = _AWAITED

    def _scalar_key(self, frame: _Frame, event: ScalarEvent, location: Location) -> None:
        text = event.value
        if text == "<<" and event.tag is None and not event.style:
            self._error(
                location,
                "merge keys ('<<') are not part of YAML 1.2: repeat the fields, "
                "or put an anchor on a whole value and alias it",
            )
            frame.key = _SKIP
            return
        if event.tag is not None or event.anchor is not None:
            value = self._scalar_value(event, location)  # reports a tag that does not fit
            if event.anchor is not None:
                self.anchors[event.anchor] = _Anchored(value, 1, 0, text)
        # A key is the text as written: `yes:` and `1:` are the keys "yes" and "1".
        self._take_key(frame, text, location)

    def _take_key(self, frame: _Frame, key: str, location: Location) -> None:
        container = frame.container
        assert isinstance(container, LocatedMap)
        first = container.key_locations.get(key)
        if first is not None:
            self._error(
                location, f"duplicate key '{clip(key)}' (first defined at line {first.line})"
            )
            frame.key = _SKIP
            return
        frame.key = key
        frame.key_location = location

    def _scalar_value(self, event: ScalarEvent, location: Location) -> Any:
        text = event.value
        tag = event.tag
        if tag is None:
            # libyaml reports plain style as "", pure-Python PyYAML as None.
            return text if event.style else self._plain_value(text, location)
        if tag == "!":  # the non-specific tag: a string, whatever it looks like
            return text
        convert = _SCALAR_TAGS.get(tag)
        if convert is None:
            self._bad_tag(tag, "a scalar", location)
            return text
        try:
            return convert(text)
        except _NoFit:
            self._error(location, f"'{clip(text)}' is not a valid {_short_tag(tag)}")
        except ValueError:
            self._error(location, _too_many_digits(text))
        return text

    def _plain_value(self, text: str, location: Location) -> Any:
        try:
            return _plain_scalar(text)
        except ValueError:  # more decimal digits than Python converts
            self._error(location, _too_many_digits(text))
            return text

    def _check_collection_tag(self, tag: str | None, fits: str, kind: str, at: Location) -> None:
        if tag is not None and tag not in ("!", fits):
            self._bad_tag(tag, f"a {kind}", at)

    def _bad_tag(self, tag: str, kind: str, location: Location) -> None:
        if tag in _CORE_TAGS:
            self._error(location, f"tag {_short_tag(tag)} does not fit {kind}")
        else:
            self._error(
                location,
                f"YAML tags are not allowed (found {_short_tag(tag)}): a model is plain data",
            )

    def _count_alias(self, anchored: _Anchored, name: str, location: Location) -> None:
        """Bound what aliases add, so an alias bomb fails at its first big alias."""
        self.alias_nodes += anchored.size
        if self.alias_nodes > self.limits.max_alias_nodes:
            self._stop(
                location,
                f"aliases expand to more than {self.limits.max_alias_nodes} nodes in this "
                f"file (at '*{clip(name)}'): write the data out, or alias smaller values",
            )
        if len(self.stack) + anchored.height > self.limits.max_depth:
            self._stop(location, self._too_deep())

    # Errors -----------------------------------------------------------

    def _at(self, mark: Any) -> Location:
        return Location(self.display, mark.line + 1, mark.column + 1)

    def _too_deep(self) -> str:
        return f"nesting is deeper than {self.limits.max_depth} levels"

    def _syntax_error(self, error: yaml.MarkedYAMLError) -> ModelError:
        mark = error.problem_mark or error.context_mark
        at = self._at(mark) if mark is not None else Location(self.display, 1, 1)
        message = f"invalid YAML: {error.problem or error.context or 'syntax error'}"
        if error.problem and error.context and error.context_mark is not None:
            context = error.context_mark
            message += f" ({error.context} at line {context.line + 1}, column {context.column + 1})"
        return ModelError(at, message)

    def _error(self, at: Location, message: str) -> None:
        self.errors.append(ModelError(at, message))

    def _stop(self, at: Location, message: str) -> NoReturn:
        raise _StopFile(ModelError(at, message))


_EMPTY = "file is empty: a model file holds a mapping of sections"
_TOP_LEVEL = "the top level of a model file must be a mapping of sections, not "
_NOT_SCALAR_KEY = "a mapping key must be a plain value (text), not a list or mapping"


def _too_many_digits(text: str) -> str:
    return f"number is too long: {len(text)} digits (the limit is {sys.get_int_max_str_digits()})"
