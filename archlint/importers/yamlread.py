"""Reading other tools' YAML files with locations and the model loader's limits.

Other tools accept what a model does not: merge keys (`<<: *defaults`), custom
tags (Compose's `!reset`, `!override`) and several documents per file
(Kubernetes). This reader accepts them, keeps every value's location, and keeps
the loader's bounds on size, nesting and alias expansion. Tags are ignored, never
constructed: nothing in an imported file can run code. Files that are not YAML yet
(Jinja or Go templates, a pasted shell session) are told apart from plain YAML
errors so the message can say what to do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NoReturn

from yaml.events import ScalarEvent

from archlint.load.limits import Limits
from archlint.load.text import FileError
from archlint.load.text import read_text as read_checked_text
from archlint.load.tree import _Frame, _Key, _StopFile, _TreeBuilder
from archlint.model.errors import InvalidModel, Location, ModelError, clip
from archlint.model.located import LocatedList, LocatedMap

__all__ = ["read_text", "read_yaml", "read_yaml_documents"]

DEFAULT_LIMITS = Limits()
_MERGE = "<<"
_TEMPLATE = re.compile(r"\{\{-?\s*[.$A-Za-z_]|\{%-?\s*[A-Za-z]")
# `[root@nas dir]# cmd`, `user@host:~$ cmd`, `$ cmd`: a shell prompt pasted with the file.
_PROMPT = re.compile(
    r"^\s*(\[[^\]\n]*\]|[\w.-]+@[\w.-]+(:[^\s$#]*)?)\s*[$#%>]\s*\S|^\s*\$\s+[\w./]"
)
_TOP_LEVEL = "the top level of a model file must be a mapping of sections, not "


def read_text(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """A text file's content, with the loader's checks (size, UTF-8, no binary)."""
    try:
        text, _size = read_checked_text(path, display, limits, limits.max_file_bytes)
    except FileError as error:
        raise InvalidModel([error.error]) from None
    return text


def read_yaml(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> LocatedMap:
    """The single YAML document of a file, which must be a mapping."""
    documents = read_yaml_documents(path, display, limits)
    if len(documents) != 1:
        at = Location(display, 1, 1)
        if not documents:
            raise InvalidModel([ModelError(at, "file is empty: nothing to import")])
        raise InvalidModel(
            [ModelError(at, f"file holds {len(documents)} YAML documents; expected one")]
        )
    return documents[0]


def read_yaml_documents(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> list[LocatedMap]:
    """Every YAML document of a file, each a mapping (empty documents are skipped)."""
    text = read_text(path, display, limits)
    return parse_documents(text, display, limits)


def parse_documents(text: str, display: str, limits: Limits = DEFAULT_LIMITS) -> list[LocatedMap]:
    builder = _ImportBuilder(display, limits)
    builder.build(text)
    if builder.errors:
        raise InvalidModel([_explain(text, display, builder.errors)])
    return builder.roots


def _explain(text: str, display: str, errors: list[ModelError]) -> ModelError:
    """The first error, or what the file really is when it is not YAML yet."""
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            continue
        found = _TEMPLATE.search(line)
        if found:
            return ModelError(
                Location(display, number, found.start() + 1),
                "this is a template (Jinja or Go), not a configuration file: "
                "render the template first and import the result",
            )
    for number, line in enumerate(lines, start=1):
        if _PROMPT.match(line) and not line.lstrip().startswith("#!"):
            return ModelError(
                Location(display, number, 1),
                f"this looks like a pasted shell session ({clip(line.strip(), 40)!r}): "
                "keep only the file's own content and import it again",
            )
    first = min(errors)
    return ModelError(first.location, f"{first.message}; fix the file so that it parses")


class _ImportBuilder(_TreeBuilder):
    """The loader's tree builder, with merge keys, several documents and tags ignored."""

    def __init__(self, display: str, limits: Limits) -> None:
        super().__init__(display, limits)
        self.roots: list[LocatedMap] = []
        # Keys that came from a merge, per mapping: an explicit key replaces them.
        self.merged: dict[int, set[str]] = {}

    def build(self, text: str) -> LocatedMap | None:
        if not text.strip():
            return None
        root = super().build(text)
        # The base class reports an empty document; a stream of only comments is
        # simply nothing to import.
        self.errors = [e for e in self.errors if "file is empty" not in e.message]
        return root

    def _on_document_start(self, event: Any) -> None:
        self.documents += 1
        self.anchors = {}  # anchors are local to a document

    def _on_collection_end(self, event: Any) -> None:
        frame = self.stack[-1]
        if len(self.stack) == 1 and isinstance(frame.container, LocatedMap):
            self.roots.append(frame.container)
        self.merged.pop(id(frame.container), None)
        super()._on_collection_end(event)

    def _scalar_key(self, frame: _Frame, event: Any, location: Location) -> None:
        if event.value == _MERGE and event.tag is None and not event.style:
            frame.key = _MERGE
            frame.key_location = location
            return
        super()._scalar_key(frame, event, location)

    def _take_key(self, frame: _Frame, key: str, location: Location) -> None:
        container = frame.container
        merged = self.merged.get(id(container))
        if merged is not None and key in merged and isinstance(container, LocatedMap):
            merged.discard(key)
            del container[key]
            del container.key_locations[key]
            del container.value_locations[key]
        super()._take_key(frame, key, location)

    def _add(self, frame: _Frame, value: Any, location: Location, size: int, height: int) -> None:
        container = frame.container
        if frame.key == _MERGE and isinstance(container, LocatedMap):
            self._merge(container, value, location)
            frame.size += size
            frame.key = _Key.AWAITED
            return
        super()._add(frame, value, location, size, height)

    def _merge(self, container: LocatedMap, value: Any, location: Location) -> None:
        """Merge keys: the keys of a mapping (or of each mapping of a list, the first
        winning) that the mapping does not set itself."""
        sources = value if isinstance(value, LocatedList) else [value]
        merged = self.merged.setdefault(id(container), set())
        for source in sources:
            if not isinstance(source, LocatedMap):
                self._error(location, "a merge key ('<<') takes a mapping or a list of mappings")
                return
            for key, item in source.items():
                if key in container:
                    continue
                container.set(key, item, source.key_locations[key], source.value_locations[key])
                merged.add(key)

    # Tools' own tags (`!reset`, `!override`, `!Ref`) are read as plain values;
    # YAML's own (`!!str`, `!!int`) keep their meaning.

    def _scalar_value(self, event: ScalarEvent, location: Location) -> Any:
        if _tool_tag(event.tag):
            event = ScalarEvent(
                event.anchor,
                None,
                (True, True),
                event.value,
                event.start_mark,
                event.end_mark,
                event.style,
            )
        return super()._scalar_value(event, location)

    def _check_collection_tag(self, tag: str | None, fits: str, kind: str, at: Location) -> None:
        if not _tool_tag(tag):
            super()._check_collection_tag(tag, fits, kind, at)

    def _stop(self, at: Location, message: str) -> NoReturn:
        if message.startswith(_TOP_LEVEL):
            message = "expected a mapping at the top of the file, not " + message[len(_TOP_LEVEL) :]
        raise _StopFile(ModelError(at, message))


def _tool_tag(tag: str | None) -> bool:
    return tag is not None and not tag.startswith("tag:yaml.org,2002:")
