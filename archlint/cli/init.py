"""`archlint init`: a small commented starter model and its configuration.

    archlint init [DIR] [--yes]

On a terminal it asks a few questions (the sites, the machines, where backups
go); `--yes` takes every default. It writes DIR/archlint.yaml and
DIR/archlint.toml and never overwrites a file: if either exists, nothing is
written. The model it writes loads and checks (tests/test_first_hour.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import get_args

import click

from archlint.model.entities import HostKind
from archlint.model.errors import UsageError
from archlint.model.references import ID_PATTERN

MODEL_FILE = "archlint.yaml"
CONFIG_FILE = "archlint.toml"
DESTINATIONS = ("cloud", "usb", "other-site", "none")
HOST_KINDS = get_args(HostKind)


@dataclass(frozen=True)
class Answers:
    sites: list[str]
    hosts: list[str]
    destination: str  # one of DESTINATIONS


DEFAULTS = Answers(sites=["home"], hosts=["nas"], destination="cloud")


@click.command()
@click.argument(
    "directory", default=".", type=click.Path(path_type=Path, file_okay=False), metavar="[DIR]"
)
@click.option("-y", "--yes", is_flag=True, help="Take every default instead of asking.")
def init(directory: Path, yes: bool) -> None:
    """Write a small commented starter model (archlint.yaml) and archlint.toml in DIR
    (default: the current directory). Never overwrites a file."""
    targets = [directory / MODEL_FILE, directory / CONFIG_FILE]
    refuse_existing(targets)
    answers = DEFAULTS if yes else ask()
    refuse_existing(targets)  # again: the questions took time
    directory.mkdir(parents=True, exist_ok=True)
    for target, text in zip(targets, (model_text(answers), CONFIG_TEXT), strict=True):
        write_new(target, text)
    click.echo(f"Wrote {targets[0]} and {targets[1]}.")
    click.echo(f"Next: edit {targets[0]} to describe what you run, then `archlint check`.")


def refuse_existing(targets: list[Path]) -> None:
    for target in targets:
        if target.exists() or target.is_symlink():
            raise UsageError(f"{target} already exists; archlint init never overwrites a file")


def write_new(target: Path, text: str) -> None:
    """Create `target`; fail if it appeared meanwhile (mode "x" never replaces a file)."""
    try:
        with target.open("x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError:
        raise UsageError(
            f"{target} already exists; archlint init never overwrites a file"
        ) from None
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror}") from None


def ask() -> Answers:
    sites = ask_ids(
        "Sites: the places one fire or burglary takes out together (comma-separated; "
        "the first is where your machines are)",
        DEFAULTS.sites,
    )
    hosts = ask_ids(f"Machines at {sites[0]} (comma-separated)", DEFAULTS.hosts)
    destination = click.prompt(
        "Where do the backups go",
        default=DEFAULTS.destination,
        type=click.Choice(DESTINATIONS),
    )
    return Answers(sites, hosts, destination)


def ask_ids(question: str, default: list[str]) -> list[str]:
    # value_proc turns the answer (or the default) into ids, and asks again on an error.
    ids: list[str] = click.prompt(question, default=", ".join(default), value_proc=parse_ids)
    return ids


def parse_ids(text: str) -> list[str]:
    """A comma-separated list of ids, each a valid, distinct model id."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids:
        raise click.BadParameter("give at least one name")
    for entity_id in ids:
        if not ID_PATTERN.fullmatch(entity_id):
            raise click.BadParameter(
                f"'{entity_id}' is not an id: use 1-64 letters, digits, '.', '_' or '-'"
            )
    if len(set(ids)) != len(ids):
        raise click.BadParameter("a name is given twice")
    return ids


def model_text(answers: Answers) -> str:
    home, *other_sites = answers.sites
    first_host = answers.hosts[0]
    lines = [
        "# A starter archlint model, written by `archlint init`.",
        "#",
        "# It describes where things are (domains: sites, disks, people), the machines",
        "# (hosts), what runs on them (services) and the data they keep (datastores),",
        "# then how that data is copied (backups) into where copies live (repositories)",
        "# and which keys unlock them. Replace the examples with what you really run,",
        "# then run `archlint check`: every finding says what a failure would lose.",
        "# The format: site/docs/model-format.md.",
        "archlint: 1",
        "",
        "domains:",
        f"  {home}:",
        "    kind: site",
        "    description: Where the machines are.",
    ]
    for site in other_sites:
        lines += [f"  {site}:", "    kind: site"]
    lines += [
        "  you:",
        "    kind: person",
        "    description: You, and what only you know (a password manager, your memory).",
    ]
    lines += destination_domain(answers, first_host)
    lines += ["", "hosts:"]
    for host in answers.hosts:
        kind = host if host in HOST_KINDS else "server"
        lines += [
            f"  {host}:",
            f"    kind: {kind}  # {', '.join(HOST_KINDS)}",
            f"    in: {home}",
        ]
    lines += [
        "",
        "services:",
        "  # An example: rename it, and add one entry per application you care about.",
        "  photos-app:",
        f"    host: {first_host}",
        "    criticality: high  # low, medium, high or critical",
        "    depends_on: []",
        "    data: [photos]",
        "",
        "datastores:",
        "  photos:",
        "    kind: files",
        f"    host: {first_host}",
        "    path: /srv/photos",
    ]
    lines += backup_sections(answers)
    return "\n".join(lines) + "\n"


def destination_domain(answers: Answers, first_host: str) -> list[str]:
    if answers.destination == "cloud":
        return [
            "  cloud:",
            "    kind: site",
            "    description: The cloud storage provider the backups go to.",
        ]
    if answers.destination == "usb":
        return [
            "  usb-disk:",
            "    kind: disk",
            f"    in: {first_host}",
            "    description: A USB disk plugged into the machine it backs up.",
        ]
    if answers.destination == "other-site" and len(answers.sites) == 1:
        return [
            "  other-site:",
            "    kind: site",
            "    description: A second place, e.g. a friend's or family member's house.",
        ]
    return []


def backup_sections(answers: Answers) -> list[str]:
    if answers.destination == "none":
        return [
            "",
            "# No backups yet: archlint will say what that risks. Add `repositories`,",
            "# `keys` and `backups` sections as in site/docs/model-format.md.",
        ]
    where = {
        "cloud": "in: cloud",
        "usb": "in: usb-disk",
        "other-site": f"in: {answers.sites[1] if len(answers.sites) > 1 else 'other-site'}",
    }[answers.destination]
    return [
        "",
        "keys:",
        "  backup-passphrase:",
        "    kind: passphrase",
        "    stored_in: [you]  # where a copy of the key is kept: hosts, datastores, domains",
        "",
        "repositories:",
        "  backups:",
        "    tool: restic  # restic, borg, kopia, rclone, ...",
        f"    {where}",
        "    key: backup-passphrase",
        "    verify: weekly  # how often its integrity is checked (restic check, borg check)",
        "",
        "backups:",
        "  photos-nightly:",
        "    source: photos",
        "    method: file  # dump, file, image, snapshot, replication, copy or git",
        "    target: backups",
        "    schedule: daily",
    ]


CONFIG_TEXT = """\
# archlint configuration, written by `archlint init`. See site/docs/configuration.md.
paths = ["archlint.yaml"]  # the models `archlint check` checks; a directory works too
fail-on = "low"            # exit 1 from this severity up: low, medium, high or critical
ignore = []                # rules never to run, by name or id, e.g. ["unused-key"]
"""
