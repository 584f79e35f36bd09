"""The alias limit holds for a whole model: many files cannot each stay just under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.engine.pipeline import read_model
from archlint.load.limits import Limits
from archlint.load.model import load_model
from archlint.model.errors import InvalidModel
from bench.shapes import aliases_across_files
from tests.steps import LINEAR, Steps, counting, growth


def write_parts(directory: Path, files: int, items: int, aliases: int) -> None:
    """`files` files, each aliasing a list of `items` tags `aliases` times."""
    header = "archlint: 1\ndomains:\n  home: {kind: site}\nhosts:\n  nas: {kind: nas, in: home}\n"
    (directory / "root.yaml").write_text(header)
    tags = ", ".join(f"t{n}" for n in range(items))
    for number in range(files):
        lines = [f"datastores:\n  f{number}-0: {{kind: files, host: nas, tags: &t [{tags}]}}\n"]
        lines += [
            f"  f{number}-{n}: {{kind: files, host: nas, tags: *t}}\n"
            for n in range(1, aliases + 1)
        ]
        (directory / f"part{number}.yaml").write_text("".join(lines))


def test_aliases_are_counted_over_all_files(tmp_path: Path) -> None:
    # Each alias adds 21 nodes (the list and its 20 items), each file 105: the
    # fifth file's last alias makes 525, past 500, though each file alone is not.
    write_parts(tmp_path, files=5, items=20, aliases=5)
    with pytest.raises(InvalidModel) as raised:
        load_model(tmp_path, Limits(max_alias_nodes=500))
    (error,) = raised.value.errors
    assert str(error.location) == f"{tmp_path.as_posix()}/part4.yaml:6:40"
    assert error.message.startswith("aliases expand to more than 500 nodes in this model")
    for number in range(5):
        assert load_model(tmp_path / f"part{number}.yaml", Limits(max_alias_nodes=500))


def test_aliases_within_the_limit_load(tmp_path: Path) -> None:
    write_parts(tmp_path, files=5, items=20, aliases=5)
    model = read_model(tmp_path, Limits(max_alias_nodes=525))
    assert model.datastores["f4-5"].tags == tuple(f"t{n}" for n in range(20))


def test_the_bench_shape_fails_fast_at_the_second_file(tmp_path: Path) -> None:
    """Files that each alias a 1,000-item list 99 times: 99,099 nodes each.

    Every file after the limit stops at its first alias, so the work grows with
    the number of files, never with the files before each one.
    """
    counted: list[tuple[int, Steps]] = []
    for files in (10, 40):
        directory = tmp_path / str(files)
        directory.mkdir()
        aliases_across_files(directory, files)
        with counting() as steps, pytest.raises(InvalidModel) as raised:
            load_model(directory)
        counted.append((files, steps))
        errors = raised.value.errors
        # The second file's first alias passes 100,000; every later file fails at its first.
        assert [(e.location.file.rsplit("/", 1)[1], e.location.line) for e in errors] == [
            (f"part{number:04}.yaml", 3) for number in range(1, files)
        ]
        assert all("more than 100000 nodes in this model" in e.message for e in errors)
    assert growth(*counted) < LINEAR
