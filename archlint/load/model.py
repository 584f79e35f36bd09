"""The load stage's entry point: a model's files to plain data that remembers
where it came from.

A model is one file or a directory of files, plus everything they `include`.
Each file becomes a `Document` whose data is a `LocatedMap`. Nothing here
interprets sections: that is validation's job. What this stage guarantees:

- only files inside the model's root directory are read, each at most once
  (`archlint.load.files`);
- each file is a UTF-8 text file within the size limits (`archlint.load.text`);
- YAML is read as plain data under the YAML 1.2 core schema (`yes`/`on` stay
  strings), with no tags that could construct objects (`archlint.load.scalars`);
- hostile input (huge files, deep nesting, alias bombs, binary data) fails
  fast with a located error instead of exhausting memory or the stack
  (`archlint.load.limits`, `archlint.load.tree`);
- every problem is reported, each with `file:line:column`.

`load_model_fast` reads a model the same way, faster, with plain data below its
sections, or declines it (`archlint.load.fast`).
"""

import os
import stat
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import NamedTuple

from archlint.load.fast import NotFast, available, build_fast_tree
from archlint.load.files import MAX_SHOWN_PATH, ModelFile, ModelRoot, reason
from archlint.load.foreign import foreign_text_tool, foreign_tool, import_hint
from archlint.load.limits import Limits
from archlint.load.text import FileError, ModelTooBig, read_text
from archlint.model.entities import TOP_LEVEL_KEYS
from archlint.model.errors import InvalidModel, Location, ModelError, clip, did_you_mean
from archlint.model.located import LocatedList, LocatedMap

__all__ = ["Document", "load_model", "load_model_fast", "model_file_kind"]

_DEFAULT_LIMITS = Limits()

# How a file's text becomes its tree: build_tree's signature.
TreeBuilder = Callable[[str, str, Limits, int], tuple[LocatedMap | None, list[ModelError], int]]


def build_located_tree(
    text: str, display: str, limits: Limits, alias_nodes: int = 0
) -> tuple[LocatedMap | None, list[ModelError], int]:
    """archlint.load.tree.build_tree, imported on first use: a model the fast
    loader reads whole is checked without importing PyYAML (start-up time)."""
    from archlint.load.tree import build_tree

    return build_tree(text, display, limits, alias_nodes)


class Document(NamedTuple):
    """One model file as loaded."""

    path: Path  # resolved absolute path of the file
    data: LocatedMap  # the file's top-level mapping; Location.file in it is the display path


def load_model(path: Path, limits: Limits = _DEFAULT_LIMITS) -> list[Document]:
    """Read a model (a file or a directory) and everything it includes.

    Raises InvalidModel with ALL errors found: every file is tried; within a
    file every duplicate key etc. is reported, a syntax error stops that file only.
    """
    reader = _ModelReader(Path(path), limits)
    reader.read_model()
    if reader.errors:
        raise InvalidModel(reader.errors)
    return reader.documents


def load_model_fast(path: Path, limits: Limits = _DEFAULT_LIMITS) -> list[Document] | None:
    """The model as load_model reads it, with plain data below the sections
    (`archlint.load.fast`), or None when any file of it needs the located loader
    or the model has an error: load_model then reads it again, and says what is wrong.
    """
    if not available():
        return None
    reader = _ModelReader(Path(path), limits, build_fast_tree)
    try:
        reader.read_model()
    except NotFast:
        return None
    return None if reader.errors else reader.documents


class _ModelReader:
    """Reads the model's files in order, follows includes and collects every error."""

    def __init__(
        self, given: Path, limits: Limits, build: TreeBuilder = build_located_tree
    ) -> None:
        self.given = given
        self.limits = limits
        self.build = build
        self.errors: list[ModelError] = []
        self.root = ModelRoot(Path(), Path(), self.errors)  # set by read_model
        self.documents: list[Document] = []
        self.read_paths: set[Path] = set()
        self.bytes_read = 0
        self.alias_nodes = 0  # nodes aliases added in the files read so far
        self.too_big = False  # past max_model_bytes: no further file is read
        # Files of a directory that are no model files on their own, by real path.
        self.left_out: dict[Path, tuple[Document, list[ModelError]]] = {}

    def read_model(self) -> None:
        at = Location(self.given.as_posix(), 1, 1)
        try:
            mode = os.stat(self.given).st_mode
        except FileNotFoundError:
            self._error(at, "no such file or directory: a model is a YAML file or a directory")
            return
        except (OSError, ValueError) as error:
            self._error(at, f"cannot read the model: {reason(error)}")
            return
        if stat.S_ISDIR(mode):
            self._read_directory_model()
        else:
            self._read_file_model()

    def _read_file_model(self) -> None:
        # The root of a one-file model is the directory the user named it in,
        # even if the file itself is a symlink to somewhere else.
        self.root = ModelRoot(self.given.parent.resolve(), self.given.parent, self.errors)
        root = ModelFile(self.given.resolve(), PurePath(self.given.name))
        if foreign_text_tool(root.real) == "sanoid":
            shown = clip(self.given.as_posix(), MAX_SHOWN_PATH)
            self._error(Location(self.given.as_posix(), 1, 1), import_hint("sanoid", shown))
            return
        document = self._read(root, keep=lambda data: foreign_tool(data) is None)
        if document is None:
            return
        if root.real in self.left_out:
            tool = foreign_tool(document.data)
            shown = clip(self.given.as_posix(), MAX_SHOWN_PATH)
            self.left_out.clear()
            self._error(Location(self.given.as_posix(), 1, 1), import_hint(str(tool), shown))
            return
        self._follow_includes(self._includes_of(document, root))

    def _read_directory_model(self) -> None:
        self.root = ModelRoot(self.given.resolve(), self.given, self.errors)
        files, escapes = self.root.walk(ModelFile(self.root.real, PurePath(".")))
        for link in escapes:
            shown = clip(self.root.display(link), MAX_SHOWN_PATH)
            self._error(
                Location(self.root.display(link), 1, 1),
                f"'{shown}' is a symbolic link that leaves the model's root "
                "directory; a model may only read files inside it",
            )
        if not files and not escapes:
            self._error(
                Location(self.given.as_posix(), 1, 1),
                "no model files here: a model directory holds *.yaml or *.yml files",
            )
        read: list[tuple[ModelFile, Document]] = []
        for file in files:
            if file.real not in self.read_paths:
                document = self._read(file, keep=belongs_to_model)
                if document is not None:
                    read.append((file, document))
        # Includes of a directory model can only add files the walk skipped
        # (hidden directories, files that are not model files on their own):
        # they come after the walk, in include order.
        for file, document in read:
            self._follow_includes(self._includes_of(document, file))
        self._report_left_out(files)

    def _report_left_out(self, files: list[ModelFile]) -> None:
        """The walked files that are no part of the model: one error for each that is
        another tool's configuration, and one when no file at all is a model file."""
        for file in files:
            left_out = self.left_out.get(file.real)
            if left_out is None:
                continue
            tool = foreign_tool(left_out[0].data)
            if tool is not None:
                shown = clip(self.root.display(file.rel), MAX_SHOWN_PATH)
                self._error(Location(self.root.display(file.rel), 1, 1), import_hint(tool, shown))
        if files and not self.documents and not self.errors:
            self._error(
                Location(self.given.as_posix(), 1, 1),
                f"no model files here: none of the {len(files)} YAML files below it "
                "declares `archlint: 1` or holds a model section (hosts, services, ...)",
            )

    def _follow_includes(self, start: list[ModelFile]) -> None:
        """Read files depth-first in listed order, with an explicit stack.

        A chain of thousands of includes must not overflow the Python stack;
        files already read are skipped, which also makes include cycles harmless.
        """
        pending = list(reversed(start))
        document: Document | None
        while pending:
            file = pending.pop()
            if file.real in self.left_out:
                # Read by the directory walk and left out as not a model file on
                # its own: an include makes it one (it need not declare `archlint:`).
                document, errors = self.left_out.pop(file.real)
                self.documents.append(document)
                self.errors.extend(errors)
            elif file.real in self.read_paths:
                continue
            else:
                document = self._read(file)
            if document is not None:
                pending.extend(reversed(self._includes_of(document, file)))

    def _read(
        self, file: ModelFile, keep: Callable[[LocatedMap], bool] = lambda _data: True
    ) -> Document | None:
        """Read and parse one file; it joins the model's documents when `keep` says so,
        else it waits in `left_out` (an include may still bring it in)."""
        self.read_paths.add(file.real)
        display = self.root.display(file.rel)
        if self.too_big:
            return None
        try:
            text, size = read_text(
                file.real, display, self.limits, self.limits.max_model_bytes - self.bytes_read
            )
        except FileError as problem:
            self.errors.append(problem.error)
            self.too_big = isinstance(problem, ModelTooBig)
            return None
        self.bytes_read += size
        data, errors, self.alias_nodes = self.build(text, display, self.limits, self.alias_nodes)
        if data is None:
            self.errors.extend(errors)
            return None
        document = Document(path=file.real, data=data)
        if keep(data):
            self.documents.append(document)
            self.errors.extend(errors)
        else:
            # Its errors count only if it turns out to be part of the model.
            self.left_out[file.real] = (document, errors)
        return document

    def _includes_of(self, document: Document, file: ModelFile) -> list[ModelFile]:
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
        targets: list[ModelFile] = []
        for item, at in zip(value, value.item_locations, strict=True):
            targets.extend(self.root.include_target(item, at, file))
        return targets

    def _error(self, at: Location, message: str) -> None:
        self.errors.append(ModelError(at, message))


def belongs_to_model(data: LocatedMap) -> bool:
    """Whether a file found in a model directory is a model file on its own.

    A file that declares `archlint:` is; so is one that holds model sections
    (a model split over files need not repeat the version in each) or a
    misspelt one, unless it is recognisably another tool's configuration (a
    Compose file has `services` too). Any other YAML file (a CI or
    documentation configuration, ...) is left out, unless a model file includes it.
    """
    if "archlint" in data:
        return True
    if foreign_tool(data) is not None:
        return False
    # A misspelt section (`domains2`, `service`) counts too: left out, the
    # file's entities would vanish without a word instead of being reported.
    return any(key in TOP_LEVEL_KEYS or did_you_mean(key, TOP_LEVEL_KEYS) for key in data)


def model_file_kind(path: Path, limits: Limits = _DEFAULT_LIMITS) -> str:
    """How one YAML file stands to a model: "root" when it declares `archlint:`,
    "part" when it belongs to a directory model without declaring it (see
    belongs_to_model), else "other" (also when it cannot be read or parsed: the
    loader says why if the file is read as part of a model)."""
    try:
        text, _size = read_text(path, path.as_posix(), limits, limits.max_model_bytes)
    except FileError:
        return "other"
    data, _errors, _alias_nodes = build_located_tree(text, path.as_posix(), limits)
    if data is None:
        return "other"
    if "archlint" in data:
        return "root"
    return "part" if belongs_to_model(data) else "other"
