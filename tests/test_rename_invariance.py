"""`check` gives the same findings whatever the model's ids are called.

Every id of a model is renamed at random (entity keys and every reference
field that names them), both versions are checked with every rule, and the
findings of the renamed model, mapped back to the original ids, must be the
findings of the original: which rule fires on which entity may never depend
on how ids sort.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlint.engine.findings import run
from archlint.engine.pipeline import analyse
from archlint.load.model import load_model
from archlint.model.entities import SECTIONS
from archlint.model.references import references_of
from tests.conftest import AS_OF
from tests.rules.helpers import RULES
from tests.strategies import GeneratedModel, budget, valid_models

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = "ARCHLINT_PROPERTY_EXAMPLES"
ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"
new_ids = st.text(ID_CHARACTERS, min_size=1, max_size=12)


def plain(data: Any) -> Any:
    """The loader's located values as plain dicts, lists and scalars."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    return data


def read_model(path: Path) -> GeneratedModel:
    """A model of any layout (file, directory, includes) as one file's plain data."""
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    defaults = None
    for document in load_model(path):
        data = plain(document.data)
        defaults = data.get("defaults", defaults)
        for section in SECTIONS:
            sections.setdefault(section, {}).update(data.get(section) or {})
    return GeneratedModel(sections=sections, defaults=defaults)


def renamed(model: GeneratedModel, names: dict[str, str]) -> GeneratedModel:
    """The model with every id `names` maps renamed, in keys and in reference fields."""

    def rename(value: Any) -> Any:
        if isinstance(value, str):
            return names.get(value, value)
        return [names.get(item, item) for item in value]

    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for section, (_kind, cls) in SECTIONS.items():
        fields = {reference.field for reference in references_of(cls)}
        sections[section] = {
            names[entity_id]: {
                field: rename(value) if field in fields and value is not None else value
                for field, value in data.items()
            }
            for entity_id, data in model.sections.get(section, {}).items()
        }
    return GeneratedModel(sections=sections, defaults=model.defaults)


# A dependency knot is one finding on its first service by id: nothing but a name
# tells the members of a symmetric knot apart, so it is compared as its set of services.
KNOT_RULE = "restore-dependency-cycle"


def findings(model: GeneratedModel) -> Counter[tuple[str, frozenset[str]]]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "archlint.yaml"
        path.write_text(model.text(), encoding="utf-8")
        facts = analyse(path, AS_OF)
        result = run(facts.model, facts, RULES, RULES)
        knots = {knot.first: frozenset(knot.services) for knot in facts.dependencies.knots()}
        return Counter(
            (f.name, knots[f.entity] if f.name == KNOT_RULE else frozenset({f.entity}))
            for f in (*result.findings, *result.waived)
        )


def ids_of(model: GeneratedModel) -> list[str]:
    return [entity_id for entities in model.sections.values() for entity_id in entities]


def assert_invariant(model: GeneratedModel, fresh: list[str]) -> None:
    names = dict(zip(ids_of(model), fresh, strict=True))
    back = {new: old for old, new in names.items()}
    original = findings(model)
    mapped = Counter(
        {
            (rule, frozenset(back.get(entity, entity) for entity in entities)): n
            for (rule, entities), n in findings(renamed(model, names)).items()
        }
    )
    assert mapped == original


def unique_ids(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(new_ids, min_size=count, max_size=count, unique=True)


@pytest.mark.parametrize("name", ["homelab", "reference"])
@given(data=st.data())
@budget(EXAMPLES, 5)
def test_the_shipped_models_give_the_same_findings_whatever_their_ids(
    name: str, data: st.DataObject
) -> None:
    model = read_model(ROOT / "models" / name)
    assert_invariant(model, data.draw(unique_ids(len(ids_of(model)))))


@given(model=valid_models(), data=st.data())
@budget(EXAMPLES, 30)
def test_generated_models_give_the_same_findings_whatever_their_ids(
    model: GeneratedModel, data: st.DataObject
) -> None:
    assert_invariant(model, data.draw(unique_ids(len(ids_of(model)))))
