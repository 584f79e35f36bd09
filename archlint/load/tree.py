"""Building one file's tree: PyYAML parser events to LocatedMap/LocatedList.

The builder keeps its own stack instead of recursing, so no nesting overflows
the Python stack, and checks the limits as it goes: nesting depth, nodes added
by aliases (an alias bomb fails at its first big alias; counted over the whole
model, since validation expands every alias) and value length. It
rejects what plain data has no place for: duplicate keys, merge keys, keys that
are collections, more than one document. What a scalar means is
`archlint.load.scalars`' job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum
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

from archlint.load.limits import Limits
from archlint.load.scalars import (
    MAP_TAG,
    SEQ_TAG,
    ScalarProblem,
    collection_tag_problem,
    resolve_scalar,
)
from archlint.model.errors import Location, ModelError, clip
from archlint.model.located import LocatedList, LocatedMap

__all__ = ["build_tree"]

# libyaml is many times faster; the pure-Python parser gives the same events.
_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
_SURROGATE = re.compile("[\ud800-\udfff]")


def build_tree(
    text: str, display: str, limits: Limits, alias_nodes: int = 0, first_line: int = 1
) -> tuple[LocatedMap | None, list[ModelError], int]:
    """A file's top-level mapping (None if there is none to give), every error
    found, and the nodes aliases have added to the model with this file.

    `display` is the file's path as messages show it: Location.file in the tree.
    `alias_nodes` is what aliases added in the model's earlier files: the limit
    holds for the model, so many files cannot each stay just under it.
    `first_line` is the line of the file `text` starts at, when it is a part of
    the file (the fast loader reads one entity's lines again).
    """
    builder = _TreeBuilder(display, limits, alias_nodes, first_line)
    return builder.build(text), builder.errors, builder.alias_nodes


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

    def __init__(
        self, display: str, limits: Limits, alias_nodes: int = 0, first_line: int = 1
    ) -> None:
        self.display = display
        self.first_line = first_line  # a mark's line 0 is this line of the file
        self.limits = limits
        self.errors: list[ModelError] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchored] = {}
        self.alias_nodes = alias_nodes  # added by aliases so far, earlier files included
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
        location = Location(self.display, mark.line + self.first_line, mark.column + 1)
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
        if not text.isprintable() and _SURROGATE.search(text):
            # Only the pure-Python parser lets a "\ud800" escape through; libyaml
            # rejects it with this message.
            self._stop(location, "invalid YAML: found invalid Unicode character escape code")
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
        self._check_collection_tag(event.tag, MAP_TAG, "mapping", location)
        self._push(LocatedMap(location), event.anchor)

    def _on_sequence_start(self, event: SequenceStartEvent) -> None:
        location = self._at(event.start_mark)
        if not self.stack:
            self._stop(location, _TOP_LEVEL + "a list")
        self._check_collection_tag(event.tag, SEQ_TAG, "list", location)
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
        try:
            return resolve_scalar(event.value, event.tag, event.style)
        except ScalarProblem as problem:
            self._error(location, str(problem))
            return event.value

    def _check_collection_tag(self, tag: str | None, fits: str, kind: str, at: Location) -> None:
        problem = collection_tag_problem(tag, fits, kind)
        if problem is not None:
            self._error(at, problem)

    def _count_alias(self, anchored: _Anchored, name: str, location: Location) -> None:
        """Bound what aliases add, so an alias bomb fails at its first big alias."""
        self.alias_nodes += anchored.size
        if self.alias_nodes > self.limits.max_alias_nodes:
            self._stop(
                location,
                f"aliases expand to more than {self.limits.max_alias_nodes} nodes in this "
                f"model (at '*{clip(name)}'): write the data out, or alias smaller values",
            )
        if len(self.stack) + anchored.height > self.limits.max_depth:
            self._stop(location, self._too_deep())

    # Errors -----------------------------------------------------------

    def _at(self, mark: Any) -> Location:
        return Location(self.display, mark.line + self.first_line, mark.column + 1)

    def _too_deep(self) -> str:
        return f"nesting is deeper than {self.limits.max_depth} levels"

    def _syntax_error(self, error: yaml.MarkedYAMLError) -> ModelError:
        mark = error.problem_mark or error.context_mark
        at = self._at(mark) if mark is not None else Location(self.display, 1, 1)
        message = f"invalid YAML: {error.problem or error.context or 'syntax error'}"
        if error.problem and error.context and error.context_mark is not None:
            context = self._at(error.context_mark)
            message += f" ({error.context} at line {context.line}, column {context.column})"
        return ModelError(at, message + _SYNTAX_HINTS.get(error.problem or "", ""))

    def _error(self, at: Location, message: str) -> None:
        self.errors.append(ModelError(at, message))

    def _stop(self, at: Location, message: str) -> NoReturn:
        raise _StopFile(ModelError(at, message))


# What usually causes a syntax error, for the errors a person makes most.
_SYNTAX_HINTS = {
    "mapping values are not allowed in this context": (
        ": text that holds ': ' must be quoted, e.g. description: \"note: quoted\""
    ),
}
_EMPTY = "file is empty: a model file holds a mapping of sections"
_TOP_LEVEL = "the top level of a model file must be a mapping of sections, not "
_NOT_SCALAR_KEY = "a mapping key must be a plain value (text), not a list or mapping"
