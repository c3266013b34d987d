"""Which ASCII characters can a regular expression's match start with?

The lexer uses this to try, at each position, only the rules that can match there. The answer
must never be too small (a rule wrongly left out would change the lexing), so anything this
module does not understand counts as "any character".
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from typing import Any

# The regular expression parser's modules moved into `re` in Python 3.11 (typed loosely: they
# are internal modules).
sre_constants: Any = importlib.import_module(
    "re._constants" if sys.version_info >= (3, 11) else "sre_constants")
sre_parse: Any = importlib.import_module(
    "re._parser" if sys.version_info >= (3, 11) else "sre_parse")

ALL_ASCII = frozenset(range(128))

_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
if hasattr(sre_constants, "POSSESSIVE_REPEAT"):
    _REPEATS.add(sre_constants.POSSESSIVE_REPEAT)


@cache
def first_chars(pattern: str) -> frozenset[int]:
    """ASCII code points a match of ``pattern`` may start with (all of them if it may be empty)."""
    chars, nullable = _sequence(list(sre_parse.parse(pattern, 0)))
    return ALL_ASCII if nullable else frozenset(chars)


def _sequence(items: list[tuple[Any, Any]]) -> tuple[set[int], bool]:
    out: set[int] = set()
    for op, arg in items:
        chars, nullable = _item(op, arg)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _item(op: Any, arg: Any) -> tuple[set[int], bool]:
    if op is sre_constants.LITERAL:
        return ({arg} if arg < 128 else set()), False
    if op is sre_constants.NOT_LITERAL:
        return set(ALL_ASCII - {arg}), False
    if op is sre_constants.IN:
        return _char_class(arg), False
    if op in _REPEATS:
        low, _high, sub = arg
        chars, nullable = _sequence(list(sub))
        return chars, nullable or low == 0
    if op is sre_constants.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is sre_constants.BRANCH:
        out: set[int] = set()
        any_nullable = False
        for alternative in arg[1]:
            chars, nullable = _sequence(list(alternative))
            out |= chars
            any_nullable = any_nullable or nullable
        return out, any_nullable
    if op in _ZERO_WIDTH:
        return set(), True
    return set(ALL_ASCII), True  # not understood: could start anywhere


def _char_class(items: list[tuple[Any, Any]]) -> set[int]:
    members: set[int] = set()
    negate = False
    for op, arg in items:
        if op is sre_constants.NEGATE:
            negate = True
        elif op is sre_constants.LITERAL:
            members.add(arg)
        elif op is sre_constants.RANGE:
            low, high = arg
            members.update(range(low, min(high, 127) + 1))
        else:  # categories such as \d: be generous
            return set(ALL_ASCII)
    ascii_members = {c for c in members if c < 128}
    return set(ALL_ASCII - ascii_members) if negate else ascii_members
