"""Which files make up a model: its root directory, the YAML files below a
directory, and the files an `include` entry names, never outside the root.

Nothing here reads a file's content; that is `archlint.load.text`.
"""

import os
import stat
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import NamedTuple

from archlint.model.errors import Location, ModelError, clip

__all__ = ["MAX_SHOWN_PATH", "ModelFile", "ModelRoot", "reason"]

YAML_SUFFIXES = (".yaml", ".yml")
MAX_SHOWN_PATH = 200  # characters of a file path quoted in a message


class ModelFile(NamedTuple):
    real: Path  # symlinks resolved: the identity that makes "read at most once" hold
    rel: PurePath  # as reached from the root, symlinks kept: base of its includes and display


class ModelRoot:
    """The directory a model may read files from, and how its paths are shown.

    Problems are appended to `errors`, the list of the whole model, so that
    they stay in the order the files are read.
    """

    def __init__(self, real: Path, base: Path, errors: list[ModelError]) -> None:
        self.real = real  # resolved root directory
        self.base = base  # how the user spelled the root: prefix of display paths
        self.errors = errors

    def display(self, rel: PurePath) -> str:
        return (self.base / rel).as_posix()

    def include_target(self, item: object, at: Location, file: ModelFile) -> list[ModelFile]:
        """The files one include entry of `file` names, or [] after reporting why none.

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
        real = _resolve(self.real / file.rel.parent / item)
        if real is None:
            self._error(at, f"include '{shown}' cannot be resolved (a symbolic link loop?)")
            return []
        if not real.is_relative_to(self.real):
            self._error(at, f"include '{shown}' leaves the model's root directory")
            return []
        target = ModelFile(real, PurePath(real.relative_to(self.real)))
        try:
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            self._error(at, f"include '{shown}' not found")
            return []
        except (OSError, ValueError) as error:
            self._error(at, f"include '{shown}' cannot be read: {reason(error)}")
            return []
        if stat.S_ISDIR(mode):
            files, escapes = self.walk(target)
            for link in escapes:
                self._error(
                    at,
                    f"include '{shown}': '{clip(self.display(link), MAX_SHOWN_PATH)}' is a "
                    "symbolic link that leaves the model's root directory",
                )
            return files
        if not real.name.endswith(YAML_SUFFIXES):
            self._error(at, f"include '{shown}' is not a YAML file (*.yaml or *.yml)")
            return []
        return [target]

    def walk(self, start: ModelFile) -> tuple[list[ModelFile], list[PurePath]]:
        """Every YAML file below a directory in sorted path order, and the
        symlinks below it that leave the root.

        Iterative (os.walk recurses in 3.11) and skips hidden names. Symlinked
        directories inside the root are followed, each real directory once:
        depth-first in name order, so which path reaches it first never depends
        on the order the filesystem lists entries in. A symlink leaving the root
        is reported if it names a YAML file or points at a directory, since
        either would otherwise silently drop model files.
        """
        found: list[tuple[str, ModelFile]] = []
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
                    Location(self.display(rel), 1, 1),
                    f"cannot read directory: {reason(error)}",
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
                    if resolved is None or not resolved.is_relative_to(self.real):
                        if is_yaml or _is_dir(entry):
                            escapes.append(entry_rel)
                        continue
                    real = resolved
                if _is_dir(entry):
                    subdirectories.append((real, entry_rel))
                elif is_yaml:
                    found.append((entry_rel.as_posix(), ModelFile(real, entry_rel)))
            pending.extend(reversed(subdirectories))
        found.sort(key=lambda pair: pair[0])
        escapes.sort(key=lambda link: link.as_posix())
        return [file for _, file in found], escapes

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


def reason(error: Exception) -> str:
    """What went wrong with a file, in words (the OS message without its number)."""
    return (error.strerror if isinstance(error, OSError) else None) or str(error)
