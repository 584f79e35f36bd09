"""Options and helpers that several commands share.

The values' parsers (dates, sizes) are imported when a value is parsed: they
bring pydantic, which a cache hit of `archlint check` must not pay for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from archlint.model.sizes import Size

Value = TypeVar("Value")
F = TypeVar("F", bound=Callable[..., object])

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def split_handles(values: Iterable[str]) -> list[str]:
    """--select a,b --select c -> [a, b, c]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def as_of_date(_context: click.Context, _param: click.Parameter, value: str | None) -> date:
    from archlint.model.dates import parse_date

    if value is None:
        return date.today()
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def model_size(_context: click.Context, _param: click.Parameter, value: str | None) -> Size | None:
    from archlint.model.sizes import parse_size

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
AS_OF_HELP = "The date that counts as today (YYYY-MM-DD). Default: today."
as_of_option = click.option("--as-of", callback=as_of_date, metavar="DATE", help=AS_OF_HELP)


def rule_packs_option(help_text: str) -> Callable[[F], F]:
    """`--rules DIR`, repeatable: the rule packs a command loads (loading one runs its
    code, so only the packs named on the command line or in the configuration load)."""
    return click.option(
        "--rules",
        "rule_packs",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False),
        metavar="DIR",
        help=help_text,
    )


def parse_later(
    name: str,
    callback: Callable[[click.Context, click.Parameter, str | None], Value],
    value: str | None,
) -> Value:
    """Parse the option `name` of the running command with its `callback`, as click would
    have: for a value that is only needed, and parsed, after a cache miss."""
    context = click.get_current_context()
    param = next(param for param in context.command.params if param.name == name)
    try:
        return callback(context, param, value)
    except click.BadParameter as error:
        error.ctx, error.param = context, param
        raise
