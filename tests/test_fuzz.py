"""Fuzzing the loader and validation: any input ends in a model or in located errors.

Every input, whatever its bytes, must end either in a model or in InvalidModel
whose errors all name the file, a line >= 1 and a column >= 1: never another
exception, never a hang. The hypothesis runs are short by default; run longer
ones with `ARCHLINT_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py` or
`pytest --hypothesis-profile=long tests/test_fuzz.py`.

Coverage-guided fuzzing with atheris (`pip install atheris`, not a test
dependency) runs the same check on every input libFuzzer makes up:

    python -m tests.fuzz_atheris -runs=200000 [-max_len=4096] [CORPUS_DIRECTORY]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlint.load.limits import Limits
from archlint.load.model import load_model
from archlint.model.entities import SECTIONS
from archlint.model.errors import InvalidModel
from archlint.validate.entities import validate
from tests.strategies import budget, flow, scalar

EXAMPLES = "ARCHLINT_FUZZ_EXAMPLES"

# Tight limits make the fuzzer reach every limit with small inputs.
SMALL_LIMITS = Limits(max_file_bytes=3000, max_depth=6, max_alias_nodes=40, max_scalar_chars=50)
limits = st.sampled_from([Limits(), SMALL_LIMITS])


def load_and_validate(path: Path, given_limits: Limits) -> None:
    """Load and validate; InvalidModel must carry only located errors."""
    try:
        documents = load_model(path, given_limits)
        validate(documents, root_is_file=True)
    except InvalidModel as invalid:
        assert invalid.errors
        for error in invalid.errors:
            assert error.location.file == str(path), error
            assert error.location.line >= 1, error
            assert error.location.column >= 1, error
            assert error.message and "\n" not in error.message, error


DEFAULT_LIMITS = Limits()


def fuzz_file(content: bytes, given_limits: Limits = DEFAULT_LIMITS) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.yaml"
        path.write_bytes(content)
        load_and_validate(path, given_limits)


# --------------------------------------------------------------------------
# Arbitrary bytes


@given(st.binary(max_size=2000), limits)
@budget(EXAMPLES, 300)
def test_arbitrary_bytes(content: bytes, given_limits: Limits) -> None:
    fuzz_file(content, given_limits)


# Bytes that are close to a model: a valid start, then anything.
@given(st.binary(max_size=300), limits)
@budget(EXAMPLES, 150)
def test_a_model_followed_by_arbitrary_bytes(tail: bytes, given_limits: Limits) -> None:
    fuzz_file(b"archlint: 1\ndomains:\n  home: {kind: site}\n" + tail, given_limits)


# --------------------------------------------------------------------------
# YAML-ish text: a soup of the tokens YAML's grammar turns on

TOKENS = [
    *"\n\n\n    ::::--,,[]{}?#&*!|>'\"%@`\\\t",
    ": ",
    "- ",
    "  ",
    "    ",
    "---\n",
    "...\n",
    "&a ",
    "*a",
    "&b ",
    "*b ",
    "!!str ",
    "!!int ",
    "!!map ",
    "!!python/object/apply:os.system ",
    "!x ",
    "! ",
    "<<: ",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "? ",
    "|\n",
    ">-\n",
    '"\\x1b[31m"',
    '"\\u0000"',
    '"\\UFFFFFFFF"',
    "'it''s'",
    "true",
    "yes",
    "null",
    "~",
    "1",
    "-1",
    "0x1F",
    "0o17",
    "1e999",
    ".inf",
    ".nan",
    "9" * 30,
    "2026-02-30",
    "6h",
    "20GiB",
    "0 3 * * *",
    "archlint",
    "include",
    "defaults",
    *SECTIONS,
    "kind",
    "site",
    "in",
    "host",
    "waive",
    "rule",
    "reason",
    "\u00e9",
    "\u2028",
    "\ufeff",
    "\x85",
    "\x07",
    "\x00",
]


@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join), limits)
@budget(EXAMPLES, 300)
def test_yaml_token_soup(text: str, given_limits: Limits) -> None:
    fuzz_file(text.encode("utf-8"), given_limits)


@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
@budget(EXAMPLES, 100)
def test_token_soup_inside_a_section(text: str) -> None:
    fuzz_file(f"archlint: 1\nhosts:\n  a: {text}\n  b:\n    {text}\n".encode())


# --------------------------------------------------------------------------
# Well-formed YAML of any shape: validation's turn

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.text(max_size=8),
    st.sampled_from(["site", "vm", "hypervisor", "daily", "6h", "20GiB", "2026-01-01"]),
)
FIELDS = ["kind", "in", "host", "hypervisor", "source", "target", "method", "stored_in", "data"]
shapes = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=6) | st.sampled_from(FIELDS), children)
    ),
    max_leaves=12,
)


@st.composite
def random_models(draw: st.DrawFn) -> str:
    """A mapping of sections holding anything, with plenty of field names and ids."""
    ids = st.sampled_from(["a", "b", "c", "home", "nas"])
    field_names = st.sampled_from(FIELDS)
    entity = st.dictionaries(field_names, shapes | ids, max_size=5) | shapes
    top: dict[str, Any] = {}
    if draw(st.booleans()):
        top["archlint"] = draw(st.sampled_from([1, 2, "1", None]))
    for section in draw(st.lists(st.sampled_from([*SECTIONS, "defaults", "other"]), max_size=4)):
        top[section] = draw(st.dictionaries(ids, entity, max_size=4) | shapes)
    if not top:
        return "{}\n"
    return "\n".join(f"{scalar(key)}: {flow(value)}" for key, value in top.items()) + "\n"


@given(random_models())
@budget(EXAMPLES, 200)
def test_well_formed_yaml_of_any_shape(text: str) -> None:
    fuzz_file(text.encode("utf-8"))


# --------------------------------------------------------------------------
# atheris: coverage-guided, on demand (tests/fuzz_atheris.py)


def test_atheris_harness_runs_when_atheris_is_installed() -> None:
    """A few hundred coverage-guided inputs, so that the harness keeps working."""
    pytest.importorskip("atheris")
    runs = os.environ.get(EXAMPLES, "500")
    done = subprocess.run(
        [sys.executable, "-m", "tests.fuzz_atheris", f"-runs={runs}", "-max_len=2048", "-seed=1"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
