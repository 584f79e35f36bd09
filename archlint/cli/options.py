"""Options and helpers that several commands share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import click

from archlint.model.dates import parse_date
from archlint.model.sizes import Size, parse_size

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def split_handles(values: Iterable[str]) -> list[str]:
    """--select a,b --select c -> [a, b, c]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def as_of_date(_context: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def model_size(_context: click.Context, _param: click.Parameter, value: str | None) -> Size | None:
    if value is None:
        return None
    try:
        return parse_size(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


# Options several commands share.
def file_name(_context: click.Context, _param: click.Parameter, value: str | None) -> Path | None:
    """A file to write. click.Path would turn an empty name into '.', the current
    directory, so an empty `-o ''` is refused here instead."""
    if value is None:
        return None
    if not value:
        raise click.BadParameter("the file name is empty")
    return Path(value)


output_option = click.option(
    "-o",
    "--output",
    callback=file_name,
    metavar="FILE",
    help="Write to FILE instead of standard output.",
)
as_of_option = click.option(
    "--as-of",
    callback=as_of_date,
    metavar="DATE",
    help="The date that counts as today (YYYY-MM-DD). Default: today.",
)
