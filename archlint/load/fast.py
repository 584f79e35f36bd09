"""The fast path of loading: yaml_rs parses a file, a line scanner locates its
top two levels.

`archlint.load.tree` builds a located tree from PyYAML's events in Python,
with a Location for every key and value: exact, and four times slower than
parsing. A model that loads and validates without an error reads only a few
locations: the file of each document, the key of each entity (a finding's
location) and the items of each `waive` list (a waiver's location). This
module gives exactly those, and plain data below the sections:

- yaml_rs (saphyr, YAML 1.2, in Rust) parses the text to plain dicts and lists;
- a line scanner finds the top-level keys and the keys of each top-level block
  mapping (a section) with their key and value locations, and must find
  exactly the keys the parser found; a top-level mapping in flow style stays
  plain, which validation rejects for a section (so the located loader reads
  that model) and accepts for `defaults`;
- an entity that carries `waive` is built by the located loader from its own
  lines, so its waivers' locations are the located loader's.

What the located loader means is the reference: a file takes this path only
when nothing in it could mean something else here (`_screen`, `_check_data`).
Anything else raises NotFast, and the caller reads the whole model with the
located loader, which is also the only one that reports errors.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from itertools import chain, compress, filterfalse, pairwise, repeat
from operator import contains, not_
from types import ModuleType
from typing import Any

from archlint.load.limits import Limits
from archlint.model.errors import Location, ModelError
from archlint.model.located import LocatedList, LocatedMap

_YAML_RS: ModuleType | None
try:
    import yaml_rs as _YAML_RS
except ImportError:  # without it, the located loader reads every model
    _YAML_RS = None

__all__ = ["NotFast", "available", "build_fast_tree"]


class NotFast(Exception):
    """This file needs the located loader."""


def available() -> bool:
    """Whether the fast path can run at all (yaml_rs is installed)."""
    return _YAML_RS is not None


def _after_node_start(token: str) -> str:
    """A lookbehind for a token that starts a node: at a line's start, right
    after a flow bracket or comma (or the colon after a quoted key), after one
    blank that follows one of those or `:`, `? `, `- `; and after two blanks
    anywhere (a superset: a false alarm costs time only). The first lookbehind
    turns most places down at once; the token comes first in each pattern, as a
    literal, so the engine searches for it quickly. There are no tabs by then."""
    return (
        rf"(?<![^\n \[{{,:]{token})"
        rf"(?:(?<=^{token})|(?<=[\[{{,]{token})|(?<=[\"']:{token})"
        rf"|(?<=[\[{{,:?\-\n] {token})|(?<=  {token}))"
    )


# The underscore of a token that may be a number with underscores (yaml_rs: a
# number; archlint: text): `_screen` checks where the token starts.
_UNDERSCORE = re.compile(r"_(?:(?<=[0-9.+\-]_)|" + _after_node_start("_") + ")", re.MULTILINE)
_NUMBER_CHARS = frozenset("0123456789.")
# Line breaks for YAML 1.1 (libyaml) but not for YAML 1.2 (yaml_rs), and a byte
# order mark inside the text.
_NOT_BREAKS_IN_YAML_1_2 = re.compile("[\x85\u2028\u2029\ufeff]")
# Text whose meaning may differ between yaml_rs and the located loader, or that
# needs the located loader's checks; each with a character every match holds,
# if it has one that most models lack: looking for one character is quicker.
_SCREENS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (needle, re.compile(pattern, re.MULTILINE))
    for needle, pattern in (
        # Indicators that start no plain scalar: tags, anchors and aliases (the
        # located loader reports most tags; "0 3 * * *" is not at a node's start),
        # complex keys.
        *((char, re.escape(char) + _after_node_start(re.escape(char))) for char in "!&*?"),
        # A colon before a flow indicator (`[a:]`: an error for libyaml), or one
        # that starts a node (yaml_rs reads some of those). A colon and a blank
        # there make a null key, which _check_data turns down.
        (":", r":(?=[^ \n])(?:(?=[,?\[\]{}])|" + _after_node_start(":") + ")"),
        # An escaped line break: a key that spans lines must not hide (see
        # build_fast_tree).
        ("\\", r"\\\r?\n"),
        # 0b, and signed or upper-case 0x/0o (yaml_rs: numbers; archlint: text).
        ("0", r"0[bBoOxX](?<![0-9A-Za-z_.]0[bBoOxX])"),
        (".", r"\.(?i:inf|nan)(?=[\s,\]}]|$)"),  # yaml_rs reads .iNf in any case
        ("%", r"\n%"),  # a directive
        # UTF-16 escapes of surrogates: libyaml rejects each, yaml_rs joins a pair.
        ("\\", r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]"),
        # Deep block nesting crashes yaml_rs (a stack overflow at thousands of
        # levels): no line may be indented this far or nest many `- ` on one line.
        ("\n" + " " * 256, r"\n {256}"),
        (" - ", r"- +- +- "),  # the middle dash has a blank on each side
    )
)
# An int beyond 64 bits may be beyond the digits Python converts: the located
# loader reports those.
_INT_BOUND = 2**63
# For _flow_may_span_lines.
_QUOTED_WITHOUT_BRACKETS = (
    re.compile(r'"(?:[^"\\\n{}\[\]]|\\[^\n{}\[\]])*"'),
    re.compile(r"'[^'\n{}\[\]]*'"),
)
_INNERMOST_FLOW = re.compile(r"\{[^{}\[\]\n\"']*\}|\[[^{}\[\]\n\"']*\]")
_BRACKET = re.compile(r"[\[\]{}]")
# Where a block scalar may start, and what must follow for its header to be one.
# Anything else there (`[>x]`) is an error for libyaml, and yaml_rs reads some of
# it. yaml_rs also reads an empty block scalar as "\n" (libyaml: ""), keeps a
# line break the text does not end with, and allows tabs where libyaml does not.
_BLOCK_SCALARS = tuple(
    re.compile(re.escape(char) + _after_node_start(re.escape(char)), re.MULTILINE) for char in "|>"
)
_BLOCK_HEADER = re.compile(r"(?:[1-9][-+]?|[-+][1-9]?)?(?: +(?:#.*)?)?\r?$", re.MULTILINE)


def build_fast_tree(
    text: str, display: str, limits: Limits, alias_nodes: int = 0
) -> tuple[LocatedMap | None, list[ModelError], int]:
    """A file's top-level mapping as `build_tree` gives it when it finds no error,
    with plain data below the sections; NotFast when the file needs the located loader.

    The signature is build_tree's, so the model reader can use either; the fast
    path has no aliases to count and no errors to report.
    """
    lines = _lines(text)
    if _YAML_RS is None or _screen(text, lines, limits):
        raise NotFast
    blocks = _block_scalars(text)
    root = _scan(lines)
    # A str per line costs more than the text: they must not live while yaml_rs
    # parses, the peak of a load. The few entities that waive findings split again.
    if not root.names:
        raise NotFast
    pieces = _pieces(root, lines, 2 if "\r" in text else 1, len(text))
    line_count = len(lines)
    del lines
    data, later_parts, blank_keys = _parse_pieces(text, pieces, limits, blocks, _entity_ids(root))
    if blank_keys and _flow_may_span_lines(text):
        # A key that spanned lines, which libyaml allows in no flow mapping and
        # yaml_rs does (its line breaks became blanks).
        raise NotFast
    lines_again = _Lines(text, line_count)
    return _located(data, later_parts, root, lines_again, display, limits), [], alias_nodes


# yaml_rs builds its whole tree before it converts it: a section this long is
# parsed a part at a time, so that the tree of a large model never exists whole.
# Small parts are also quicker to parse and check: the part's tree and data are
# still in the processor's cache (10,000 services: most runs 0.03-0.06 s less
# CPU than with parts of 4,000 lines; smaller parts gained nothing more).
_PART_LINES = 1000


class _Piece:
    """A top-level key's lines: spans of the text (start, end), each a part of its
    section's entities after the first, which also holds the key's line."""

    __slots__ = ("key_line", "name", "spans")

    def __init__(self, name: str, key_line: str, spans: list[tuple[int, int]]) -> None:
        self.name = name
        self.key_line = key_line
        self.spans = spans


def _pieces(root: _Block, lines: list[str], eol: int, end: int) -> list[_Piece]:
    """Where each top-level key's parts are in the text; the first key's part also
    holds what comes before it (comments, a document start)."""
    offsets = _Offsets(lines, eol)
    pieces: list[_Piece] = []
    for index, name in enumerate(root.names):
        first = root.lines[index]
        after = root.lines[index + 1] if index + 1 < len(root.lines) else 0
        starts = [first]
        block = root.sections[index]
        if block is not None:
            for line in block.lines[1:]:  # the first part holds an entity
                if line - starts[-1] >= _PART_LINES:
                    starts.append(line)
        bounds = [offsets.at(line) for line in starts]
        bounds[0] = bounds[0] if index else 0
        bounds.append(offsets.at(after) if after else end)
        spans = list(pairwise(bounds))
        pieces.append(_Piece(name, lines[first - 1] + "\n", spans))
    return pieces


class _Offsets:
    """Where lines start in the text, asked in increasing order."""

    def __init__(self, lines: list[str], eol: int) -> None:
        self.lines = lines
        self.eol = eol  # the length of a line break: \r\n or \n (_screen)
        self.line = 1
        self.offset = 0

    def at(self, line: int) -> int:
        skipped = self.lines[self.line - 1 : line - 1]
        self.offset += sum(map(len, skipped)) + self.eol * len(skipped)
        self.line = line
        return self.offset


def _entity_ids(root: _Block) -> dict[str, str]:
    """The scanned keys of each section, each for itself: the ids the model keeps.
    A value that refers to an entity then shares its id's str (memory)."""
    ids = list(chain.from_iterable(block.names for block in root.sections if block is not None))
    return dict(zip(ids, ids, strict=True))


def _parse_pieces(
    text: str, pieces: list[_Piece], limits: Limits, blocks: bool, shared: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], bool]:
    """The text's data, parsed a piece or a part at a time, each checked
    (`_check_data`) before the next is parsed: the first part of each section
    in the data, the entities of its other parts apart (`_section` joins them:
    merging them here into a dict that it then copies cost time); and whether a
    key holds a blank or a line break. A key that appears twice leaves fewer
    keys than the scanner found, which `_located` turns down."""
    data: dict[str, Any] = {}
    later_parts: dict[str, list[dict[str, Any]]] = {}
    blank_keys = False
    for piece in pieces:
        first, *more = piece.spans
        parsed = _parse(text[first[0] : first[1]])
        blank_keys |= _check_data(parsed, limits, shared)
        if more:
            if list(parsed) != [piece.name] or type(parsed[piece.name]) is not dict:
                raise NotFast
            later = later_parts[piece.name] = []
            for start, end in more:
                part = _parse(piece.key_line + text[start:end])
                blank_keys |= _check_data(part, limits, shared)
                entities = part.get(piece.name)
                if list(part) != [piece.name] or type(entities) is not dict:
                    raise NotFast
                later.append(entities)
        data.update(parsed)
    _check_texts(shared, limits, blocks)
    return data, later_parts, blank_keys


def _parse(text: str) -> dict[Any, Any]:
    assert _YAML_RS is not None  # build_fast_tree checks
    try:
        data = _YAML_RS.loads(
            text, parse_datetime=False, duplicate_key_policy=_YAML_RS.DuplicateKeyPolicy.Error
        )
    except Exception as error:  # whatever yaml_rs rejects, the located loader explains
        raise NotFast from error
    if not isinstance(data, dict):  # a list is also what more than one document gives
        raise NotFast
    return data


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if "\r" in text:  # only in \r\n (_screen): the scanner's lines end before it
        return [line.removesuffix("\r") for line in lines]
    return lines


class _Lines:
    """The text's lines, split again only if an entity's own lines are read."""

    def __init__(self, text: str, count: int) -> None:
        self.text = text
        self.count = count
        self.split: list[str] | None = None

    def between(self, first: int, after: int) -> list[str]:
        """Lines first to after - 1, 1-based."""
        if self.split is None:
            self.split = _lines(self.text)
        return self.split[first - 1 : after - 1]


def _block_scalars(text: str) -> bool:
    """Whether the text may hold block scalars; NotFast if they may not read alike."""
    found = False
    for block in _BLOCK_SCALARS:
        for match in block.finditer(text):
            if not _BLOCK_HEADER.match(text, match.end()):
                raise NotFast
            found = True
    # Nor may a block scalar stand in a flow collection (libyaml: an error; yaml_rs reads
    # some): one that held it would span lines, as a block scalar's header ends its line.
    if found and (not text.endswith("\n") or _flow_may_span_lines(text)):
        raise NotFast
    return found


def _screen(text: str, lines: list[str], limits: Limits) -> bool:
    """Whether the text may hold something the fast path cannot read as the located
    loader does."""
    if text.startswith(("%", " ")):
        return True  # what the screens look for after a line break, on the first line
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return True  # a lone carriage return: a line break the scanner does not count
    if "\t" in text:
        return True  # libyaml rejects tabs in places yaml_rs takes them
    if any(needle in text and screen.search(text) for needle, screen in _SCREENS):
        return True
    if not text.isascii() and _NOT_BREAKS_IN_YAML_1_2.search(text):
        return True
    if any(_number_with_underscore(text, match.start()) for match in _UNDERSCORE.finditer(text)):
        return True
    # A number is one line of text: no line this long, no number too long to read.
    return max(map(len, lines)) > limits.max_scalar_chars


def _flow_may_span_lines(text: str) -> bool:
    """Whether a flow collection may span lines: after removing quoted scalars that
    hold no brackets, then again and again innermost bracket pairs within a line
    that hold no quotes, a bracket is left (in a comment too: a false alarm).
    Neither removal can pair a bracket of the structure with one inside a string."""
    for quoted in _QUOTED_WITHOUT_BRACKETS:
        text = quoted.sub("", text)
    while True:
        shorter = _INNERMOST_FLOW.sub("", text)
        if len(shorter) == len(text):
            return _BRACKET.search(text) is not None
        text = shorter


def _number_with_underscore(text: str, underscore: int) -> bool:
    """Whether the token with this underscore starts a node and, up to the
    underscore, looks like a number (`1_000`, `+_5`; not `b2_bucket`).

    Read backwards from the underscore over the number's head, then the blanks
    before it: never more of the line, so a line of many underscores costs time
    linear in its length."""
    head = underscore
    while head > 0 and text[head - 1] in _NUMBER_CHARS:
        head -= 1
    if head > 0 and text[head - 1] in "+-":
        head -= 1
    before = head  # the end of what comes before the head, blanks left out
    while before > 0 and text[before - 1] == " ":
        before -= 1
    if before == 0 or text[before - 1] == "\n":
        return True  # the head starts its line, after its indentation
    last = text[before - 1]
    return last in "[{,:" or (last in "?-" and before < head)


def _check_data(data: dict[Any, Any], limits: Limits, shared: dict[str, str]) -> bool:
    """NotFast unless the located loader would build this data without an error:
    every key text (no merge key), no key too long, no number too big, no
    nesting too deep. True if a key holds a blank or a line break.

    yaml_rs makes a str of every value: the walk makes equal texts one object,
    which halves the memory a large model's data takes. `shared` holds the texts
    seen so far, one of each (first the entity ids: `_entity_ids`);
    `_check_texts` checks the values' own limits on it once. Keys stay as
    parsed: they die with their mappings once the model is validated, and
    sharing them cost more time than the rest of the walk. Level by level; a
    mapping or list of texts only (most entities) in C loops."""
    share = shared.setdefault
    blank_keys = False
    level: list[Any] = [data]
    depth = 1
    while level:
        if depth > limits.max_depth:
            raise NotFast
        mappings = list(filter(_is_dict, level))
        blank_keys |= _check_keys(mappings, limits)
        values = list(map(dict.values, mappings))
        texts_only = list(map(all, map(map, repeat(_is_str), values)))
        _share_texts(
            list(compress(mappings, texts_only)), list(compress(values, texts_only)), share
        )
        mixed = list(compress(mappings, map(not_, texts_only)))
        for node in filterfalse(_is_dict, level):
            if all(map(_is_str, node)):
                node[:] = map(share, node, node)
            else:
                mixed.append(node)
        level = _share_mixed(mixed, share)
        depth += 1
    return blank_keys


def _share_texts(
    mappings: list[dict[Any, str]], values: list[Any], share: Callable[[str, str], str]
) -> None:
    """Replace each value of these mappings of texts (`values`: their values) by
    its shared copy, as `node.update(zip(node, map(share, values, values)))` for
    each would, in C loops. Replacing values while iterating is safe: no key is
    added."""
    shared_values = map(map, repeat(share), values, values)
    deque(map(dict.update, mappings, map(zip, mappings, shared_values)), maxlen=0)


_is_dict = dict.__instancecheck__
_is_str = str.__instancecheck__


def _check_keys(mappings: list[dict[Any, Any]], limits: Limits) -> bool:
    """NotFast unless every key is text, none too long and none a merge key;
    True if a key holds a blank or a line break."""
    keys = set(chain.from_iterable(mappings))
    try:
        joined = "".join(keys)
    except TypeError:  # a key that is no text
        raise NotFast from None
    if "<<" in keys or max(map(len, keys), default=0) > limits.max_scalar_chars:
        raise NotFast
    return " " in joined or "\n" in joined


def _share_mixed(nodes: list[Any], share: Callable[[str, str], str]) -> list[Any]:
    """Share the texts of mappings and lists that hold more than texts; NotFast for
    an int beyond 64 bits. Their mappings and lists, for the next level."""
    below: list[Any] = []
    push = below.append
    for node in nodes:
        if type(node) is dict and all(map(_is_dict, node.values())):
            below += node.values()  # a section of entities
            continue
        items = list(node.items()) if type(node) is dict else enumerate(node)
        for key, value in items:
            kind = type(value)
            if kind is str:
                node[key] = share(value, value)
            elif kind is dict or kind is list:
                push(value)
            elif kind is int and not -_INT_BOUND <= value < _INT_BOUND:
                raise NotFast
    return below


def _check_texts(shared: dict[str, str], limits: Limits, blocks: bool) -> None:
    """NotFast if a value is too long, or if the text has block scalars and a
    value is "\n", which is what yaml_rs makes of an empty one (libyaml: "")."""
    if max(map(len, shared), default=0) > limits.max_scalar_chars:
        raise NotFast
    if blocks and "\n" in shared:
        raise NotFast


class _Block:
    """A block mapping's keys as the scanner found them, in order, with where each
    key and value starts: lines and columns, 1-based; a value's line is 0 while
    it may still start on a later line. Numbers, not Locations: those are made
    all at once (`_locations`)."""

    __slots__ = ("indent", "items", "lines", "names", "sections", "value_columns", "value_lines")

    def __init__(self, indent: int) -> None:
        self.indent = indent  # of every key, 0-based
        self.names: list[str] = []
        self.lines: list[int] = []
        self.value_lines: list[int] = []
        self.value_columns: list[int] = []
        self.sections: list[_Block | None] = []  # the root's: each key's block mapping, if any
        self.items = False  # the last value is a sequence at the keys' own indentation

    def add(self, name: str, line: int, value_column: int) -> None:
        """A key; its value starts on its line at value_column, or later if that is 0."""
        if self.value_lines and not self.value_lines[-1]:
            self.close()
        self.names.append(name)
        self.lines.append(line)
        self.value_lines.append(line if value_column else 0)
        self.value_columns.append(value_column)
        self.items = False

    def start_value(self, line: int, column: int) -> None:
        """The last key's value starts here, if it has not started yet."""
        if not self.value_lines[-1]:
            self.value_lines[-1] = line
            self.value_columns[-1] = column

    def item(self, line: int) -> None:
        """A line `- ...` at the keys' indentation: the last key's value is a sequence."""
        if not self.value_lines:
            raise NotFast
        if not self.value_lines[-1]:
            self.start_value(line, self.indent + 1)
            self.items = True
        elif not self.items:
            raise NotFast

    def close(self) -> None:
        """The last value never started: a null, which the located loader places
        right after the colon."""
        if self.value_lines and not self.value_lines[-1]:
            self.start_value(self.lines[-1], self.indent + len(self.names[-1]) + 2)

    def key_locations(self, display: str) -> list[Location]:
        return _locations(display, self.lines, [self.indent + 1] * len(self.lines))

    def value_locations(self, display: str) -> list[Location]:
        return _locations(display, self.value_lines, self.value_columns)


def _locations(display: str, lines: list[int], columns: list[int]) -> list[Location]:
    # tuple.__new__ skips the named tuple's own __new__, a Python function: twice
    # as fast for the hundreds of thousands of locations a large model has.
    return list(map(tuple.__new__, repeat(Location), zip(repeat(display), lines, columns)))


# A line: its indentation, then maybe a key the scanner can locate (plain, and
# what it means is its text) with its colon and the blanks after it, then the
# next character.
_LINE = re.compile(r"( *)(?:([A-Za-z0-9_.][A-Za-z0-9_.-]*):(?= |$)( *))?(.?)")
_DOCUMENT_START = re.compile(r"---(?: +(?:#.*)?)?")


def _scan(lines: list[str]) -> _Block:
    """The top-level keys, each with its block mapping's keys; NotFast for any
    line the scanner does not understand."""
    root = _Block(0)
    section: _Block | None = None  # the block mapping of the last top-level key
    started = False
    match_line = _LINE.match
    for number, line in enumerate(lines, 1):
        spaces, name, blanks, first = match_line(line).groups()  # type: ignore[union-attr]
        indent = len(spaces)
        value_column = 0
        if name is not None:
            if first and first != "#":
                value_column = indent + len(name) + len(blanks) + 2
        elif not first or first == "#":
            continue  # a blank line or a comment
        elif indent == 0 and not started and _DOCUMENT_START.fullmatch(line):
            started = True
            continue
        started = True
        if section is not None and indent >= section.indent:
            # Most lines: a section's own, most of them an entity each.
            if indent > section.indent:
                section.start_value(number, indent + 1)
            elif name is not None:
                section.add(name, number, value_column)
            elif _is_item(line, indent):
                section.item(number)
            else:
                raise NotFast
        elif indent == 0:
            if section is not None:
                section.close()
                section = None
            if name is not None:
                root.add(name, number, value_column)
                root.sections.append(None)
            elif _is_item(line, 0):
                root.item(number)
            else:
                raise NotFast
        elif not root.names or section is not None:
            # An indented root mapping, or a line between the two levels (a
            # scalar continued at odd indentation): the located loader reads it.
            raise NotFast
        elif not root.value_lines[-1]:  # the first line of a top-level key's value
            root.start_value(number, indent + 1)
            if name is not None:
                section = _Block(indent)
                section.add(name, number, value_column)
                root.sections[-1] = section
        # Otherwise the line is inside a top-level value that is no block mapping.
    if section is not None:
        section.close()
    root.close()
    return root


def _is_item(line: str, indent: int) -> bool:
    return line.startswith("-", indent) and line[indent + 1 : indent + 2] in ("", " ")


def _located(
    data: dict[str, Any],
    later_parts: dict[str, list[dict[str, Any]]],
    root: _Block,
    lines: _Lines,
    display: str,
    limits: Limits,
) -> LocatedMap:
    """The root and section mappings, located from the scanned keys; NotFast unless
    they are exactly the parsed keys. A section read in parts has the entities of
    its first part in `data`, those of the others in `later_parts`."""
    if not root.names or root.names != list(data):
        raise NotFast
    values: list[Any] = list(data.values())
    value_locations = root.value_locations(display)
    for index, value in enumerate(values):
        block = root.sections[index]
        if isinstance(value, dict) and (block is not None or not value):
            end = root.lines[index + 1] if index + 1 < len(root.lines) else lines.count + 1
            parts = [value, *later_parts.get(root.names[index], ())]
            values[index] = _section(parts, block, value_locations[index], lines, end, limits)
        elif block is not None:
            raise NotFast  # lines that look like a mapping hold something else
        elif root.names[index] == "include" and isinstance(value, list):
            values[index] = _include(value, value_locations[index])
    key_locations = root.key_locations(display)
    return _mapping(key_locations[0], root.names, values, key_locations, value_locations)


def _section(
    parts: list[dict[str, Any]],
    block: _Block | None,
    location: Location,
    lines: _Lines,
    end: int,
    limits: Limits,
) -> LocatedMap:
    """A section's mapping from its parts' entities, located; `end` is the line
    after its last."""
    if block is None:  # an empty flow mapping, `{}`
        return LocatedMap(location)
    if block.names != list(chain.from_iterable(parts)):
        raise NotFast
    values = list(chain.from_iterable(map(dict.values, parts)))
    key_locations = block.key_locations(location.file)
    # Entities that waive findings: their waivers' locations are read. Most
    # sections have none, which a loop in C finds out.
    waiving = any(map(contains, filter(_is_dict, values), repeat("waive")))
    for index in range(len(values)) if waiving else ():
        if type(values[index]) is not dict or "waive" not in values[index]:
            continue
        after = block.lines[index + 1] if index + 1 < len(block.lines) else end
        text = "\n".join(lines.between(block.lines[index], after))
        name = block.names[index]
        values[index] = _entity_located(name, key_locations[index], values[index], text, limits)
    value_locations = block.value_locations(location.file)
    mapping = _mapping(location, block.names, values, key_locations, value_locations)
    if len(mapping) != len(values):
        raise NotFast  # an entity's key again, in another part
    return mapping


def _mapping(
    location: Location,
    names: list[str],
    values: list[Any],
    key_locations: list[Location],
    value_locations: list[Location],
) -> LocatedMap:
    mapping = LocatedMap(location)
    mapping.update(zip(names, values, strict=True))
    mapping.key_locations = dict(zip(names, key_locations, strict=True))
    mapping.value_locations = dict(zip(names, value_locations, strict=True))
    return mapping


def _entity_located(
    name: str, key: Location, data: dict[str, Any], text: str, limits: Limits
) -> Any:
    """An entity's data as the located loader builds it from the entity's own
    lines (`text`, from its key's line on), at their own line numbers: a waiver's
    location is that of its `waive` item."""
    from archlint.load.tree import build_tree  # here: PyYAML only for a model that waives

    tree, errors, _aliases = build_tree(text, key.file, limits, first_line=key.line)
    if tree is None or errors or list(tree) != [name] or tree[name] != data:
        raise NotFast
    return tree[name]


def _include(paths: list[Any], location: Location) -> LocatedList:
    """The `include` list as the model reader reads it. Its items' own locations
    only ever appear in errors, which make the reader take the located loader."""
    located = LocatedList(location)
    for path in paths:
        located.add(path, location)
    return located
