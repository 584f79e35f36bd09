"""The YAML 1.2 core schema: what a scalar means, and which tags a model may use.

PyYAML resolves scalars under YAML 1.1 (`yes`, `on` and `0755` are not strings
there); the tree builder asks this module instead. An untagged plain scalar is
null, a bool, an int or a float only when the core schema says so, everything
else is a string. The only tags allowed are the core ones that fit their node
and the non-specific `!`: no tag can construct an object.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import Any

from archlint.model.errors import clip

__all__ = [
    "MAP_TAG",
    "SEQ_TAG",
    "ScalarProblem",
    "collection_tag_problem",
    "resolve_scalar",
]

_CORE = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT = _CORE + "str", _CORE + "int", _CORE + "float"
_BOOL, _NULL, MAP_TAG, SEQ_TAG = _CORE + "bool", _CORE + "null", _CORE + "map", _CORE + "seq"

_NULLS: dict[str, None] = dict.fromkeys(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INFINITIES = {
    f"{sign}.{word}": float(f"{sign}inf")
    for sign in ("", "+", "-")
    for word in ("inf", "Inf", "INF")
}
_NANS = dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan)
# Plain scalars that are not strings and are not written as digits.
_PLAIN_WORDS: dict[str, Any] = {**_NULLS, **_BOOLS, **_INFINITIES, **_NANS}

_DECIMAL = re.compile(r"[-+]?[0-9]+")
_OCTAL = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT_DIGITS = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NUMBER_START = frozenset("0123456789+-.")
# A number of n decimal digits has up to n * log2(10) bits; below that bound,
# str() of it never passes the limit on digits.
_BITS_PER_DIGIT = 3


class _NoFit(Exception):
    """A scalar's text does not fit its explicit tag."""


def _plain_scalar(text: str) -> Any:
    """An untagged plain scalar under the core schema: everything else is a string."""
    if text in _PLAIN_WORDS:
        return _PLAIN_WORDS[text]
    if text[0] in _NUMBER_START:  # text is not empty: "" is a null word
        number = _number(text)
        if number is not None:
            return number
    return text


def _number(text: str) -> int | float | None:
    """The int or float a core-schema number means, or None; ValueError if too long."""
    if _DECIMAL.fullmatch(text):
        return int(text)
    if _OCTAL.fullmatch(text):
        return _within_digit_limit(int(text[2:], 8))
    if _HEX.fullmatch(text):
        return _within_digit_limit(int(text[2:], 16))
    if _FLOAT_DIGITS.fullmatch(text):
        return float(text)
    return None


def _within_digit_limit(number: int) -> int:
    """The number, or ValueError when it has more decimal digits than Python converts.

    int() limits the digits of decimal text only: a hexadecimal or octal number
    of any length converts, and the first str() of it (in a message, a report)
    would fail instead.
    """
    limit = sys.get_int_max_str_digits()
    if limit and number.bit_length() > limit * _BITS_PER_DIGIT:
        raise ValueError("too many digits")
    return number


def _tagged_int(text: str) -> int:
    number = _number(text)
    if not isinstance(number, int):
        raise _NoFit
    return number


def _tagged_float(text: str) -> float:
    if text in _INFINITIES or text in _NANS:
        value: float = _PLAIN_WORDS[text]
        return value
    if not _FLOAT_DIGITS.fullmatch(text):  # decimal integers match too: !!float 1 is 1.0
        raise _NoFit
    return float(text)


def _tagged_from(words: dict[str, Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        if text not in words:
            raise _NoFit
        return words[text]

    return convert


_SCALAR_TAGS: dict[str, Callable[[str], Any]] = {
    _STR: str,
    _INT: _tagged_int,
    _FLOAT: _tagged_float,
    _BOOL: _tagged_from(_BOOLS),
    _NULL: _tagged_from(_NULLS),
}
_CORE_TAGS = frozenset((*_SCALAR_TAGS, MAP_TAG, SEQ_TAG))


class ScalarProblem(Exception):
    """Why a scalar has no value under the core schema; its text stands instead."""


def resolve_scalar(text: str, tag: str | None, style: str | None) -> Any:
    """The value of a scalar with this text, tag and style; ScalarProblem if none fits."""
    if tag is None:
        # libyaml reports plain style as "", pure-Python PyYAML as None.
        if style:
            return text
        try:
            return _plain_scalar(text)
        except ValueError:  # more decimal digits than Python converts
            raise ScalarProblem(_too_many_digits(text)) from None
    if tag == "!":  # the non-specific tag: a string, whatever it looks like
        return text
    convert = _SCALAR_TAGS.get(tag)
    if convert is None:
        raise ScalarProblem(_tag_problem(tag, "a scalar"))
    try:
        return convert(text)
    except _NoFit:
        raise ScalarProblem(f"'{clip(text)}' is not a valid {_short_tag(tag)}") from None
    except ValueError:
        raise ScalarProblem(_too_many_digits(text)) from None


def collection_tag_problem(tag: str | None, fits: str, kind: str) -> str | None:
    """Why a mapping's or list's tag is not allowed, or None when it is."""
    if tag is None or tag in ("!", fits):
        return None
    return _tag_problem(tag, f"a {kind}")


def _tag_problem(tag: str, kind: str) -> str:
    if tag in _CORE_TAGS:
        return f"tag {_short_tag(tag)} does not fit {kind}"
    return f"YAML tags are not allowed (found {_short_tag(tag)}): a model is plain data"


def _short_tag(tag: str) -> str:
    return clip("!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag)


def _too_many_digits(text: str) -> str:
    limit = sys.get_int_max_str_digits()
    if _DECIMAL.fullmatch(text):
        return f"number is too long: {len(text)} digits (the limit is {limit})"
    return f"number is too big: {len(text)} characters (the limit is {limit} decimal digits)"
