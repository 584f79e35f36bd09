"""Coverage-guided fuzzing of the loader and validation with atheris (libFuzzer).

    pip install atheris
    python -m tests.fuzz_atheris -runs=200000 [-max_len=4096] [CORPUS_DIRECTORY]

Each input is written to a file and loaded, with tight limits when its first
byte is "s" and the default ones otherwise; the check is the one of
tests/test_fuzz.py: a model, or InvalidModel whose errors are all located. Only
archlint and PyYAML are instrumented, so it starts in a second.
"""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-untyped, import-not-found, unused-ignore]

with atheris.instrument_imports(include=["archlint", "yaml"]):
    import archlint.load.limits
    import archlint.load.model  # and the rest of the load stage, which it imports
    import archlint.validate.entities  # instrumented here, before tests.test_fuzz imports it

from tests.test_fuzz import SMALL_LIMITS, fuzz_file


def fuzz_one_input(data: bytes) -> None:
    fuzz_file(data[1:], SMALL_LIMITS if data[:1] == b"s" else archlint.load.limits.Limits())


def main() -> None:
    atheris.Setup(sys.argv, fuzz_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
