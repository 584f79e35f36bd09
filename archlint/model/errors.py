"""Locations and model errors.

Errors are values with a location until the command line turns them into
output and exit code 2; nothing is logged and skipped.
"""

from collections.abc import Iterable
from typing import NamedTuple

from archlint.model.inert import escaped, shown_path


class Location(NamedTuple):
    """Where a value came from: a file and a 1-based line and column.

    A named tuple rather than a dataclass: the loader makes one for every
    value of a model, and tuples are the cheapest immutable values to create.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{shown_path(self.file)}:{self.line}:{self.column}"


class ModelError(NamedTuple):
    """One problem in the input, at the place it is about."""

    location: Location
    message: str

    def __str__(self) -> str:
        # Model text in a message is quoted with `clip` or `quoted`; this bounds
        # and escapes the whole message too, so no message can be a long line.
        return f"{self.location}: error: {clip(self.message, MAX_MESSAGE_CHARS)}"


class InvalidModel(Exception):
    """Raised with every error found in the input; the CLI exits 2 on it."""

    def __init__(self, errors: Iterable[ModelError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(error) for error in self.errors))


class UsageError(Exception):
    """A problem with how archlint was called (options, configuration, rule packs)."""


# How much of a value from the model a message quotes: a hostile model can hold
# a megabyte-long value, and an error message must stay one readable line.
MAX_QUOTED_CHARS = 80
MAX_MESSAGE_CHARS = 2000


def clip(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """Model text for a message: cut to `limit` characters ("..." marks the cut), and
    every character that is not printable (line breaks, escape sequences, bidi
    overrides, zero-width characters) written as an escape such as \\n or \\x1b, so
    that the message stays one line that cannot drive a terminal, whatever format it
    ends up in (see archlint.model.inert)."""
    return escaped(text if len(text) <= limit else text[:limit] + "...")


def quoted(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """Model text in quotes for a message, as Python writes it ('x\\ny'), cut to `limit`."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix naming the closest candidate, or "".

    A candidate that differs only in case is the one meant (`al101` for
    `AL101`, `Hosts` for `hosts`): the hint says that case matters.
    """
    same_but_case = sorted(
        c for c in set(candidates) if c != word and c.casefold() == word.casefold()
    )
    if same_but_case:
        return f" (did you mean '{same_but_case[0]}'? names and ids are case-sensitive)"
    import difflib  # only for a hint: a check without errors does not pay its import

    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
