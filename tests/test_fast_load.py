"""The fast load path (archlint.load.fast) against the located loader, its reference.

Whenever the fast path takes a text, what it builds must mean exactly what the
located loader builds: the same data (types and key order; NaN equal to NaN)
and the same locations of the root, each section and each entity that waives
findings. A model it reads must validate to the same model, located the same.
Every reason to decline must send the text to the located loader.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlint.engine import pipeline
from archlint.engine.rulepack import load_rules
from archlint.load import fast
from archlint.load.fast import NotFast, build_fast_tree
from archlint.load.limits import Limits
from archlint.load.model import load_model, load_model_fast
from archlint.load.text import FileError, read_text
from archlint.load.tree import build_tree
from archlint.model.entities import Model
from archlint.model.errors import InvalidModel
from archlint.model.located import LocatedList, LocatedMap
from bench.generate import Gaps, generate, write
from tests.importers.helpers import CORPUS
from tests.strategies import GeneratedModel, budget, valid_models, write_files

REPOSITORY = Path(__file__).resolve().parents[1]
DISPLAY = "model.yaml"
LIMITS = Limits()
EXAMPLES = "ARCHLINT_PROPERTY_EXAMPLES"


def fast_tree(text: str, limits: Limits = LIMITS) -> LocatedMap | None:
    """The fast path's tree, or None when it declines the text."""
    try:
        tree, errors, _aliases = build_fast_tree(text, DISPLAY, limits)
    except NotFast:
        return None
    assert errors == []
    return tree


def agrees(text: str) -> bool:
    """Whether the fast path takes the text; if it does, it must agree with the
    located loader, which must find no error in it."""
    tree = fast_tree(text)
    if tree is None:
        return False
    located, errors, _aliases = build_tree(text, DISPLAY, LIMITS)
    assert errors == []
    assert located is not None
    assert_same_data(tree, located)
    assert_same_locations(tree, located)
    return True


def assert_same_data(fast_data: Any, located: Any, path: tuple[Any, ...] = ()) -> None:
    if isinstance(located, dict):
        assert isinstance(fast_data, dict), path
        assert list(fast_data) == list(located), path
        for key, value in located.items():
            assert_same_data(fast_data[key], value, (*path, key))
    elif isinstance(located, list):
        assert isinstance(fast_data, list), path
        assert len(fast_data) == len(located), path
        for index, value in enumerate(located):
            assert_same_data(fast_data[index], value, (*path, index))
    elif isinstance(located, float) and math.isnan(located):
        assert isinstance(fast_data, float) and math.isnan(fast_data), path
    else:
        assert type(fast_data) is type(located), (path, fast_data, located)
        assert fast_data == located, path


def assert_same_locations(fast_data: Any, located: Any, path: tuple[Any, ...] = ()) -> None:
    """Every location the fast path gives is the located loader's; below what it
    locates, its data is plain."""
    if isinstance(fast_data, LocatedMap):
        assert fast_data.location == located.location, path
        assert list(fast_data.key_locations.items()) == list(located.key_locations.items()), path
        assert list(fast_data.value_locations.items()) == list(located.value_locations.items()), (
            path
        )
        for key, value in fast_data.items():
            assert_same_locations(value, located[key], (*path, key))
    elif isinstance(fast_data, LocatedList):
        assert fast_data.location == located.location, path
        if path == ("include",):
            return  # its items' locations only ever appear in errors: never fast
        assert fast_data.item_locations == located.item_locations, path
        for index, value in enumerate(fast_data):
            assert_same_locations(value, located[index], (*path, index))
    else:
        assert type(fast_data) in (dict, list, str, int, float, bool, type(None)), path


def texts_of(paths: list[Path]) -> list[tuple[str, str]]:
    """(name, text) of each file the loader would read as text."""
    read = []
    for path in paths:
        try:
            text, _size = read_text(path, path.as_posix(), LIMITS, LIMITS.max_model_bytes)
        except FileError:
            continue
        read.append((path.as_posix(), text))
    return read


def yaml_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.suffix in (".yaml", ".yml"))


def bench_text(count: int) -> str:
    out = io.StringIO()
    write(out, count, generate(count, Gaps()))
    return out.getvalue()


# --------------------------------------------------------------------------
# Files: the repository's, the corpus of real configuration files, the bench


REPOSITORY_FILES = yaml_files(REPOSITORY / "models") + yaml_files(REPOSITORY / "tests")


@pytest.mark.parametrize(
    "path", REPOSITORY_FILES, ids=[p.relative_to(REPOSITORY).as_posix() for p in REPOSITORY_FILES]
)
def test_each_repository_yaml_file_agrees(path: Path) -> None:
    for _name, text in texts_of([path]):
        agrees(text)


def test_the_repository_models_take_the_fast_path() -> None:
    models = texts_of(yaml_files(REPOSITORY / "models"))
    assert len(models) >= 10
    declined = [name for name, text in models if not agrees(text)]
    assert declined == []


def test_each_corpus_file_agrees() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the corpus of real configuration files is not here: {CORPUS}")
    files = texts_of(yaml_files(CORPUS))
    taken = sum(agrees(text) for _name, text in files)
    assert taken > len(files) // 2  # most real files are plain enough


def test_the_bench_model_takes_the_fast_path_and_agrees() -> None:
    assert agrees(bench_text(1000))


def test_every_rule_example_agrees() -> None:
    examples = [
        example.model for rule in load_rules() for example in (*rule.failing, *rule.passing)
    ]
    taken = sum(agrees(model) for model in examples)
    assert taken > len(examples) // 2


# --------------------------------------------------------------------------
# Generated texts: risky scalars in block and flow style

RISKY_SCALARS = [
    *("1", "-1", "+1", "007", "0o17", "0x1F", "0X1F", "+0x1F", "0b101", "1_000", "_5", "9._"),
    *("2_8E145", "1.", ".5", "1e3", "1E-3", ".inf", "-.Inf", ".iNf", ".nan", ".NaN", "12:30"),
    *("1:2", "2024-01-01", "2024-01-01T10:00:00Z", "null", "Null", "~", "true", "TRUE", "yes"),
    *("on", "<<", "a b", "a#b", "a #b", "a: b", "a:b", "-", "-x", "- x", "?", "? x", "|", ">"),
    *("|-", ">+", "!x", "!!str x", "&a x", "*a", "*", "0 3 * * *", "*/5 * * * *", "%x", "@x"),
    *("`x", "x,y", "[a]", "{a: 1}", "[]", "{}", "", '""', "''", '"q"', "'s'", "'it''s'"),
    *('"a\\tb"', '"\\u00e9"', '"\\ud800"', '"\\x41"', '"\\N"', "é", "😀", "\\", "x\\"),
    *('"multi\n  line"', "'multi\n\n  line'", "12345678901234567890123", "0x" + "f" * 20),
]
KEYS = ["a", "b", "waive", "hosts", "services", "x-1", "a.b", "_k", "1", "true", "null", "<<"]
TEXT_CHARACTERS = "0123456789+-._eExXoObBaAfFiInN~:# '\"!&*?%|>[]{},\\\n"

scalars = st.sampled_from(RISKY_SCALARS) | st.text(TEXT_CHARACTERS, max_size=8)
keys = st.sampled_from(KEYS) | scalars


def flow_values() -> st.SearchStrategy[str]:
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
            | st.lists(st.tuples(keys, inner), max_size=3).map(
                lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
            )
        ),
        max_leaves=6,
    )


@st.composite
def block_texts(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """A block mapping of risky keys and values at `indent`, with comments,
    block scalars, nested mappings and sequences, and sometimes blank lines."""
    lines: list[str] = []
    pad = " " * indent
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(pad + "# " + draw(scalars).replace("\n", " "))
        key = draw(keys)
        kind = draw(st.sampled_from(["flow", "flow", "nested", "items", "block", "empty"]))
        if kind == "nested" and depth < 2:
            step = draw(st.sampled_from([1, 2, 4]))
            lines.append(f"{pad}{key}:")
            lines.append(draw(block_texts(indent + step, depth + 1)))
        elif kind == "items" and depth < 2:
            lines.append(f"{pad}{key}:")
            at = " " * (indent + draw(st.sampled_from([0, 2])))
            lines.extend(
                at + "- " + v for v in draw(st.lists(flow_values(), min_size=1, max_size=3))
            )
        elif kind == "block":
            header = draw(st.sampled_from(["|", ">", "|-", ">+", "|2", ">1-"]))
            lines.append(f"{pad}{key}: {header}")
            lines.extend(pad + "  " + draw(scalars) for _ in range(draw(st.integers(0, 3))))
        elif kind == "empty":
            lines.append(f"{pad}{key}:")
        else:
            lines.append(f"{pad}{key}: {draw(flow_values())}")
    return "\n".join(lines)


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(["", "---\n", "# a comment\n"])) + draw(block_texts())
    text += draw(st.sampled_from(["\n", "", "\n\n", "\n---\nb: 1\n"]))
    return text.replace("\n", "\r\n") if draw(st.integers(0, 19)) == 0 else text


@given(yaml_texts())
@budget(EXAMPLES, 300)
def test_generated_texts_agree(text: str) -> None:
    agrees(text)


@given(yaml_texts())
@budget(EXAMPLES, 300)
def test_generated_texts_agree_when_each_entity_is_parsed_alone(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fast, "_PART_LINES", 1)
        agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        'hosts:\n  a: "x\n  b: y"\n',
        "hosts:\n  a: [x,\n  b: y]\n",
        "hosts:\n  a: |\n    x\n  b: y\n",
        "hosts:\n  a: x\n  # a comment\n\n  b: {c: 1}\nservices: {}\n",
    ],
)
def test_parts_of_a_section_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "_PART_LINES", 1)
    agrees(text)


def test_parts_of_the_bench_model_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "_PART_LINES", 7)
    assert agrees(bench_text(300))


@pytest.mark.parametrize("part_lines", [1, 2])
def test_a_key_again_in_another_part_is_declined(
    part_lines: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fast, "_PART_LINES", part_lines)
    assert fast_tree("hosts:\n  a: {}\n  b: {}\n  a: {}\n") is None
    assert fast_tree("hosts:\n  a: {}\n  b: {}\n  c: {}\n  d: {}\n  c: {}\n") is None
    assert fast_tree("hosts:\n  a: {}\nkeys: {}\nhosts:\n  b: {}\n") is None
    assert agrees("hosts:\n  a: {}\n  b: {}\n  c: {}\n  d: {}\n  e: {}\n")


@given(st.text(TEXT_CHARACTERS, max_size=12))
@budget(EXAMPLES, 300)
def test_a_scalar_means_the_same_wherever_it_stands(token: str) -> None:
    for text in (f"k: {token}\n", f"k: [{token}]\n", f"{token}: v\n", f"k:\n  - {token}\n"):
        agrees(text)


# --------------------------------------------------------------------------
# Every reason to decline

DECLINED = {
    "tag": "a: !foo 1\n",
    "core tag": "a: !!str 1\n",
    "anchor and alias": "a: &x 1\nb: *x\n",
    "alias in a flow sequence": "a: [1,*x]\n",
    "directive": "%YAML 1.2\n---\na: 1\n",
    "complex key": "? a\n: 1\n",
    "number with underscores": "a: 1_000\n",
    "underscore first": "a: [_5]\n",
    "binary number": "a: 0b101\n",
    "signed hexadecimal": "a: -0x1F\n",
    "infinity in another case": "a: .iNf\n",
    "surrogate escape": 'a: "\\ud83d\\ude00"\n',
    "next line character": "a: b\x85c\n",
    "byte order mark inside": "a: b\ufeffc\n",
    "tab": "a:\tb\n",
    "lone carriage return": "a: 1\rb: 2\n",
    "escaped line break": 'a: "b\\\n  c"\n',
    "empty block scalar": "a: >\n",
    "block scalar at the end without a line break": "a: |\n  x",
    "block scalar header in a flow sequence": "a: [>x]\n",
    # Found by the property test below: libyaml rejects a block scalar in a flow
    # collection, and yaml_rs read each of these.
    "block scalar in a flow sequence": "k: [|\n ]\n",
    "block scalar in a flow mapping": "k: {a: >-\n  x}\n",
    "block scalar on a later line of a flow mapping": "k: {a: 1,\n  b: |\n   x}\n",
    "colon before a flow end": "a: [b:]\n",
    "key spanning lines": 'a: {"b\n  c": 1}\n',
    "integer key": "1: a\n",
    "null key": "null: a\n",
    "boolean key": "true: a\n",
    "merge key": "<<: {a: 1}\n",
    "big integer": "a: 123456789012345678901234567890\n",
    "root list": "- a\n",
    "root scalar": "a\n",
    "empty file": "",
    "only a comment": "# nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "indented root": "  a: 1\n",
    "flow root": "{a: 1}\n",
    "quoted key": '"a": 1\n',
    "quoted section key": 'hosts:\n  a: {}\n  "b": {}\n',
    "line between levels": "hosts:\n    a: 1\n  b: 2\n",
    "deep indentation": "a:\n" + " " * 256 + "b: 1\n",
    "compact sequences": "a:\n  - - - b\n",
    "syntax error for yaml_rs": "a: [b\n",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_each_reason_sends_the_text_to_the_located_loader(text: str) -> None:
    assert fast_tree(text) is None


def test_the_limits_send_the_text_to_the_located_loader() -> None:
    assert fast_tree("a: {b: {c: 1}}\n", Limits(max_depth=2)) is None
    assert fast_tree("a: 123456\n", Limits(max_scalar_chars=5)) is None
    assert fast_tree("a: '123456'\n", Limits(max_scalar_chars=5)) is None
    assert fast_tree("a: {b: {c: 1}}\n", Limits(max_depth=3)) is not None
    assert fast_tree("{12345: 1}\n", Limits(max_scalar_chars=4)) is None


SHORT = Limits(max_scalar_chars=5)
NESTED_DECLINED = {
    "too long in a list of texts": ("a: [x, '123456']\n", SHORT),
    "too long in an entity of texts": ("a:\n  b: {c: x, d: '123456'}\n", SHORT),
    "too long beside a list": ("a:\n  b: {c: [x], d: '123456'}\n", SHORT),
    "key too long in an entity": ("a:\n  b: {c: x, '123456': x}\n", SHORT),
    "big integer in a list": ("a: {b: [1, 123456789012345678901234567890]}\n", LIMITS),
    "negative big integer": ("a: {b: {c: -9223372036854775809}}\n", LIMITS),
    "list too deep": ("a: {b: {c: [d]}}\n", Limits(max_depth=3)),
    "integer key in an entity": ("hosts:\n  h: {1: x, b: y}\n", LIMITS),
    "integer key in a list": ("hosts:\n  h: [{1: x}]\n", LIMITS),
    "merge key in an entity": ("hosts:\n  h: {x: {<<: {a: 1}}}\n", LIMITS),
    "empty block scalar in a list": ("a: [x]\nb:\n  - x\n  - |\n", LIMITS),
}


@pytest.mark.parametrize("text,limits", NESTED_DECLINED.values(), ids=NESTED_DECLINED.keys())
def test_each_limit_holds_at_every_level(text: str, limits: Limits) -> None:
    assert fast_tree(text, limits) is None


def test_the_largest_integers_within_64_bits_are_read() -> None:
    text = "a: {b: [9223372036854775807, -9223372036854775808]}\n"
    assert fast_tree(text) is not None and agrees(text)


@pytest.mark.parametrize("part_lines", [4000, 1])
def test_equal_texts_are_one_object(part_lines: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Equal values share one str (memory), in mappings of texts, mappings that
    hold more, lists, and across parts of a section."""
    monkeypatch.setattr(fast, "_PART_LINES", part_lines)
    text = (
        "hosts:\n  h1: {in: eu, kind: vm}\n  h2: {in: eu, kind: vm, tags: [eu, vm]}\n"
        "  h3:\n    in: eu\n    retention: {daily: 7, kind: vm}\n"
    )
    tree = fast_tree(text)
    assert tree is not None
    hosts = tree["hosts"]
    texts = [
        hosts["h1"]["in"],
        hosts["h2"]["in"],
        hosts["h2"]["tags"][0],
        hosts["h3"]["in"],
    ]
    assert all(item is texts[0] for item in texts)
    assert hosts["h1"]["kind"] is hosts["h2"]["tags"][1] is hosts["h3"]["retention"]["kind"]
    assert agrees(text)


def test_mappings_of_texts_shared_together_keep_their_own_values() -> None:
    """The mappings of texts only at one level are shared in one batch, between
    mappings that hold more: each keeps its own values, in its own key order."""
    text = "hosts:\n" + "".join(
        f"  h{index}: {{kind: vm, in: d{index % 3}, tags: [t{index}]}}\n"
        if index % 3 == 0
        else f"  h{index}: {{in: d{index % 3}, kind: k{index}, note: n{index}}}\n"
        for index in range(12)
    )
    tree = fast_tree(text)
    assert tree is not None and agrees(text)
    hosts = tree["hosts"]
    assert [list(host.values())[:2] for host in hosts.values()][:3] == [
        ["vm", "d0"],
        ["d1", "k1"],
        ["d2", "k2"],
    ]
    assert hosts["h1"]["in"] is hosts["h4"]["in"] is hosts["h7"]["in"]
    assert hosts["h2"]["note"] == "n2" and hosts["h11"]["kind"] == "k11"


def test_a_reference_shares_the_str_of_the_id_it_names() -> None:
    text = "hosts:\n  h1: {}\nservices:\n  s1: {host: h1, depends_on: [s2, h1]}\n  s2: {}\n"
    tree = fast_tree(text)
    assert tree is not None
    ids = {key: key for section in tree.values() for key in section}
    service = tree["services"]["s1"]
    assert service["host"] is ids["h1"] and service["depends_on"][1] is ids["h1"]
    assert service["depends_on"][0] is ids["s2"]
    assert agrees(text)


def test_many_short_keys_stay_within_the_limit_on_values() -> None:
    # A 100,000-service section's ids together pass the limit on one value.
    text = "services:\n" + "".join(f"  s{index}: {{}}\n" for index in range(10))
    tree = fast_tree(text, Limits(max_scalar_chars=12))
    assert tree is not None and len(tree["services"]) == 10


def test_without_yaml_rs_the_located_loader_reads_every_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fast, "_YAML_RS", None)
    model = REPOSITORY / "models" / "homelab"
    assert load_model_fast(model) is None
    assert pipeline.read_model(model) == located_model(model)


def test_a_mapping_the_scanner_cannot_locate_stays_plain() -> None:
    """Validation rejects a section that is no LocatedMap: the located loader
    then reads the model; `defaults` needs no locations when it is valid."""
    for text in ('hosts:\n  "a": {}\n', "defaults: {criticality: high}\n"):
        tree = fast_tree(text)
        assert tree is not None
        assert agrees(text)
        assert not isinstance(next(iter(tree.values())), LocatedMap)


def test_a_cron_line_and_a_null_value_are_located() -> None:
    text = "archlint: 1\nbackups:\n  b1: {schedule: 0 3 * * *}\n  b2:\n  b3:\n    source: x\n"
    assert agrees(text)


# --------------------------------------------------------------------------
# Whole models: the same model, located the same, through the pipeline


def located_model(path: Path) -> Model:
    """The model as the located loader alone reads it."""
    from archlint.validate.entities import validate

    return validate(load_model(path), root_is_file=path.is_file())


def assert_same_model(path: Path, monkeypatch: pytest.MonkeyPatch, fast_expected: bool) -> None:
    reference = located_model(path)
    if fast_expected:  # the fast path must not fall back to the located loader
        monkeypatch.setattr(pipeline, "load_model", refuse)
    model = pipeline.read_model(path)
    monkeypatch.undo()
    assert model == reference
    assert model.files == reference.files
    for (kind, entity), (_kind, expected) in zip(
        model.entities(), reference.entities(), strict=True
    ):
        assert (kind, entity.id, entity.location) == (_kind, expected.id, expected.location)
        assert [w.location for w in entity.waive] == [w.location for w in expected.waive]


def refuse(*_args: object, **_kwargs: object) -> Any:
    raise AssertionError("the located loader ran")


@pytest.mark.parametrize("name", ["homelab", "reference"])
def test_the_repository_models_validate_the_same(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_same_model(REPOSITORY / "models" / name, monkeypatch, fast_expected=True)


def test_the_bench_model_validates_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m1000.yaml"
    path.write_text(bench_text(1000), encoding="utf-8")
    assert_same_model(path, monkeypatch, fast_expected=True)


@given(valid_models())
@budget(EXAMPLES, 30)
def test_generated_models_validate_the_same(model: GeneratedModel) -> None:
    with tempfile.TemporaryDirectory() as directory, pytest.MonkeyPatch.context() as patch:
        assert_same_model(write_files(Path(directory), model.files()), patch, fast_expected=False)


WAIVING = {
    "flow": "    waive: [{rule: snapshot-only, reason: x}, {rule: R001, reason: y}]\n",
    "block": "    waive:\n      # why\n      - rule: snapshot-only\n        reason: x\n"
    "      -   {rule: R001, reason: y}\n",
}


@pytest.mark.parametrize("waive", WAIVING.values(), ids=WAIVING.keys())
def test_waivers_are_located_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waive: str
) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(
        "archlint: 1\ndomains:\n  eu: {kind: region}\ndatastores:\n"
        "  d1: {kind: files, in: eu}\n  d2:\n    kind: files\n    in: eu\n"
        + waive
        + "  d3: {kind: files, in: eu}\n",
        encoding="utf-8",
    )
    assert_same_model(path, monkeypatch, fast_expected=True)


INVALID = {
    "dangling reference in an entity": "archlint: 1\nhosts:\n  h: {in: nowhere, kind: vm}\n",
    "bad field deep in an entity": (
        "archlint: 1\ndomains:\n  eu: {kind: region}\n"
        "repositories:\n  r: {in: eu, retention: {daily: -1}}\n"
    ),
    "section in flow style": "archlint: 1\ndomains: {eu: {kind: region}}\nhosts: {h: {in: eu}}\n",
}


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_errors_are_the_located_loaders(tmp_path: Path, text: str) -> None:
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_model_fast(path) is not None  # the fast path reads it; validation finds errors
    reports = []
    for read in (located_model, pipeline.read_model):
        with pytest.raises(InvalidModel) as raised:
            read(path)
        reports.append([str(error) for error in raised.value.errors])
    assert reports[0] == reports[1]


def number_with_underscore_by_line(text: str, underscore: int) -> bool:
    """The definition of fast._number_with_underscore, read from the whole line up
    to the underscore (what it did when a line of underscores took quadratic time)."""
    line = text[text.rfind("\n", 0, underscore) + 1 : underscore]
    head = re.search(r"[-+]?[0-9.]*\Z", line)
    assert head is not None
    ahead = line[: head.start()]
    blanks = ahead.rstrip(" ")
    return not blanks or blanks[-1] in "[{,:" or (blanks[-1] in "?-" and len(blanks) < len(ahead))


@given(st.text(alphabet=" \n_-+?:,[{.0123456789ab", max_size=40))
def test_number_with_underscore_reads_only_the_token_and_what_is_before_it(text: str) -> None:
    for underscore in (i for i, char in enumerate(text) if char == "_"):
        assert fast._number_with_underscore(text, underscore) == number_with_underscore_by_line(
            text, underscore
        ), (text, underscore)
