"""Properties over random models: valid ones always check, broken ones fail with located errors.

Budgets are small by default (a few seconds per test); run many more examples with
`ARCHLINT_PROPERTY_EXAMPLES=500 pytest tests/test_properties.py` or
`pytest --hypothesis-profile=long tests/test_properties.py`.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.analysis.facts import Facts
from archlint.engine.findings import run
from archlint.engine.pipeline import read_model
from archlint.engine.rulepack import load_rules
from archlint.model.entities import SECTIONS
from archlint.model.errors import InvalidModel
from archlint.reporters import REPORTERS, Style
from tests.conftest import AS_OF
from tests.strategies import (
    STRUCTURAL,
    GeneratedModel,
    budget,
    field_names,
    generic_fields,
    valid_models,
    write_files,
)

RULES = load_rules()
EXAMPLES = "ARCHLINT_PROPERTY_EXAMPLES"


def check(path: Path) -> dict[str, str]:
    """The whole pipeline in-process, every rule: the JSON and text reports."""
    model = read_model(path)
    facts = Facts(model, AS_OF)
    result = run(model, facts, RULES, RULES)
    return {name: REPORTERS[name](result, Style()) for name in ("json", "text")}


# --------------------------------------------------------------------------
# The strategy covers the model


def test_every_model_field_has_a_strategy() -> None:
    """A field added to archlint.model.entities is drawn, or this fails until tests/strategies.py
    learns its type; a structural field renamed there fails here too."""
    for section, (_kind, cls) in SECTIONS.items():
        written = set(field_names(cls))
        assert STRUCTURAL[section] <= written, section
        assert set(generic_fields(section)) | STRUCTURAL[section] == written, section


def test_the_strategy_draws_every_section_and_layout() -> None:
    seen: set[str] = set()

    # Derandomized: whether 60 random draws cover every section must not vary by run.
    @given(valid_models())
    @settings(budget(EXAMPLES, 60), derandomize=True)
    def collect(model: GeneratedModel) -> None:
        seen.update(name for name, entities in model.sections.items() if entities)
        seen.add(model.layout)

    collect()
    assert seen >= {*SECTIONS, "file", "directory", "includes"}


# --------------------------------------------------------------------------
# Valid models


@given(valid_models())
@budget(EXAMPLES, 40)
def test_a_valid_model_checks_without_error_and_reports_identically_twice(
    model: GeneratedModel,
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = write_files(Path(directory), model.files())
        try:
            first = check(path)
        except InvalidModel as error:  # pragma: no cover - the message is the point
            pytest.fail(f"a generated valid model is invalid:\n{error}\n\n{model.text()}")
        assert check(path) == first
    assert json.loads(first["json"])["summary"]["entities"] == model.entity_count()


@given(valid_models())
@budget(EXAMPLES, 15)
def test_the_layout_does_not_change_the_findings(model: GeneratedModel) -> None:
    """One file, a directory or includes: the same model gives the same findings."""
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as split:
        single = check(write_files(Path(one), {"archlint.yaml": model.text()}))
        spread = check(write_files(Path(split), model.files()))

    def without_locations(report: str) -> list[tuple[str, str, str]]:
        return sorted(
            (f["rule"], f["entity"], f["message"]) for f in json.loads(report)["findings"]
        )

    assert without_locations(single["json"]) == without_locations(spread["json"])


# --------------------------------------------------------------------------
# Broken models: a result or located errors, never another exception

WRONG_VALUES = [
    "[1, 2]",
    "{a: 1}",
    "42",
    "-1",
    "1.5",
    "true",
    "null",
    "''",
    '"\\e[31m"',
    "&x [*x]",
    "*nowhere",
    "!!python/object/apply:os.system ['true']",
    "!custom x",
    "2026-02-30",
    "0 0 31 2 *",
    "-5GiB",
    "9" * 100,
]

Mutation = Callable[[list[str]], list[str]]


@st.composite
def mutations(draw: st.DrawFn) -> Mutation:
    """One random edit of a model's lines."""
    where = draw(st.integers(0, 10_000))
    other = draw(st.integers(0, 10_000))
    wrong = draw(st.sampled_from(WRONG_VALUES))
    junk = draw(st.text(max_size=5))
    cut = draw(st.floats(0, 1))
    indent = draw(st.sampled_from([" ", "  ", "\t", ""]))

    def delete_line(lines: list[str]) -> list[str]:
        return lines[: where % len(lines)] + lines[where % len(lines) + 1 :]

    def duplicate_line(lines: list[str]) -> list[str]:
        index = where % len(lines)
        return [*lines[: index + 1], lines[index], *lines[index + 1 :]]

    def swap_values(lines: list[str]) -> list[str]:
        first, second = where % len(lines), other % len(lines)
        if ": " not in lines[first] or ": " not in lines[second]:
            return lines
        key_a, value_a = lines[first].split(": ", 1)
        key_b, value_b = lines[second].split(": ", 1)
        edited = list(lines)
        edited[first], edited[second] = f"{key_a}: {value_b}", f"{key_b}: {value_a}"
        return edited

    def wrong_type(lines: list[str]) -> list[str]:
        index = where % len(lines)
        if ": " not in lines[index]:
            return lines
        key, _value = lines[index].split(": ", 1)
        return [*lines[:index], f"{key}: {wrong}", *lines[index + 1 :]]

    def truncate(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return text[: int(len(text) * cut)].split("\n")

    def insert_junk(lines: list[str]) -> list[str]:
        index = where % len(lines)
        line = lines[index]
        at = other % (len(line) + 1)
        return [*lines[:index], line[:at] + junk + line[at:], *lines[index + 1 :]]

    def reindent(lines: list[str]) -> list[str]:
        index = where % len(lines)
        return [*lines[:index], indent + lines[index].lstrip(" "), *lines[index + 1 :]]

    chosen: Mutation = draw(
        st.sampled_from(
            [delete_line, duplicate_line, swap_values, wrong_type, truncate, insert_junk, reindent]
        )
    )
    return chosen


@given(valid_models(), st.lists(mutations(), min_size=1, max_size=3))
@budget(EXAMPLES, 60)
def test_a_mutated_model_gives_a_result_or_located_errors(
    model: GeneratedModel, edits: list[Mutation]
) -> None:
    lines = model.text().split("\n")
    for edit in edits:
        if lines:
            lines = edit(lines)
    text = "\n".join(lines)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "archlint.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            check(path)
        except InvalidModel as invalid:
            assert invalid.errors
            line_count = text.count("\n") + 1
            for error in invalid.errors:
                assert error.location.file == str(path), error
                assert 1 <= error.location.line <= line_count + 1, error
                assert error.location.column >= 1, error
                assert "\n" not in error.message, error
