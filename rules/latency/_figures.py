"""Latency figures in the text of a label: ``p99: 10ms``, ``P95 = 2 seconds``, ``10ms p99``.

A figure is a percentile (p50, p75, p90, p95, p99, p999, p9999; ``p99.9`` and ``p99.99`` are
read as p999 and p9999) with a duration: a number and a unit (ns, us or µs, ms, s, min; h and
spelt-out units are read too). The canonical form, the one the Atlas corpus writes most
(531 of its 632 figures), is ``p99: 10ms``: a lower-case p, a colon and a space, no space before
the unit.

What is not a figure, and never reported: ``P1``/``P2`` priorities (only p50 and above look
like percentiles), ``p3.2xlarge`` instance types, ``P2P``, ``720p`` video, ``50p`` pence,
``p99 > 2x baseline`` (a ratio), figures inside URLs, HTML tags and entity codes.

Offsets are into the label's text as the AST gives it; the rules map them onto the file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..text_common import not_text

# Percentile as written (digits after the p) -> its rank, for ordering.
PERCENTILES: dict[str, float] = {
    "50": 50, "75": 75, "90": 90, "95": 95, "99": 99, "999": 99.9, "9999": 99.99,
    "99.9": 99.9, "99.99": 99.99,
}
# How the two decimal spellings are written canonically.
CANONICAL_PERCENTILE = {"99.9": "999", "99.99": "9999"}

# Unit as written (lower case) -> (canonical unit, nanoseconds per unit).
UNITS: dict[str, tuple[str, float]] = {}
for _canonical, _factor, _spellings in (
    ("ns", 1.0, "ns nanosecond nanoseconds nsec"),
    ("us", 1e3, "us µs μs microsecond microseconds usec"),
    ("ms", 1e6, "ms msec msecs millisecond milliseconds millis"),
    ("s", 1e9, "s sec secs second seconds"),
    ("min", 6e10, "min mins minute minutes"),
    ("h", 3.6e12, "h hr hrs hour hours"),
):
    for _spelling in _spellings.split():
        UNITS[_spelling] = (_canonical, _factor)
# `us` and `µs` are both canonical: the style guide allows either (see ML004).
KEEP_AS_WRITTEN = frozenset({"us", "µs", "μs"})
AMBIGUOUS_UNITS = frozenset({"m"})  # minutes? metres? millions? (`p95: 3.2m`)

# What a reader does not read as label text: tags, entity codes (`#quot;`, `&amp;`), URLs. They
# are masked with NULs, not spaces, so that no figure is read across them (`p99: 250<br/>ms`).
_NOT_TEXT = not_text()
# Something that may start a figure: `p` + digits, or digits + `p` (`99p`). Without it, scan()
# and all_measures() find nothing. (Written to start with the digit, looking back for the `p`:
# the regex engine skips ahead to the next digit, and labels hold far fewer digits than p's.
# An alternation, or a class of both first, tried the rest at every `p` too: 1.5 to 3 times
# slower over the Atlas corpus's labels. Only whether it matches, and in which label, is used.)
_QUICK = FIGURE_START = re.compile(r"\d(?:(?<=[pP]\d)|p)")
# The same, for a text known to be ASCII (where \d is 0-9): a third faster.
FIGURE_START_ASCII = re.compile(r"[0-9](?:(?<=[pP][0-9])|p)")
# A percentile: not inside a word, a number (`v1.p99`), a path or an id-like token.
_PERCENTILE = re.compile(r"(?<![\w.$/#@-])([pP])(\d+(?:\.\d+)?)(?![\w]|\.\d)")
_REVERSED = re.compile(r"(?<![\w.$/#@-])(\d+(?:\.\d+)?)p(?!\w)")
_SEPARATOR = re.compile(r"[ \t]*([:=])[ \t]*|[ \t]+")
_QUALIFIER = re.compile(r"(?:[<>≤≥~≈]=?|Sub-|sub-|under |below |~)[ \t]*")
_VALUE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(r"([ \t]*)([A-Za-zµμ]+)(?![\w])")
# `p99 latency: 25ms`, `P95 read: 3ms`: one or two words between the percentile and its value.
_WORDS_THEN_COLON = re.compile(r"[ \t]+[A-Za-z]+(?:[ \t]+[A-Za-z]+)?[ \t]*[:=][ \t]*")
# `10ms p99`: a duration just before a percentile.
# A minus sign counts only on its own: `Sub-10ms p99` is no negative figure.
_VALUE_BEFORE = re.compile(r"((?<![\w-])-)?(\d+(?:\.\d+)?)[ \t]*([A-Za-zµμ]+)[ \t]+$")


class Figure(NamedTuple):
    """A percentile with a duration, as written.

    This and the other values here are named tuples, not frozen dataclasses: a frozen
    dataclass sets each field through ``object.__setattr__``, and these are made for every
    figure of every label read."""

    start: int  # the percentile's first character
    end: int  # one past the unit
    percentile: str  # the digits after the p, as written ("99", "99.9")
    rank: float  # 99.9 for p999
    nanoseconds: float
    qualified: bool  # `< 10ms`, `Sub-10ms`: a bound rather than a measure
    negative: bool  # `p99: -28ms`: a change, not a distribution
    form: str  # "direct" (p99: 10ms), "worded" (p99 latency: 10ms), "after" (10ms p99)
    canonical: str | None  # the canonical spelling, for direct unqualified figures


class Problem(NamedTuple):
    """A malformed figure (ML001)."""

    start: int
    end: int
    message: str
    replacement: str | None = None  # a certain rewrite, when there is one


class Scan(NamedTuple):
    figures: tuple[Figure, ...]
    problems: tuple[Problem, ...]


EMPTY = Scan((), ())


@lru_cache(maxsize=4096)
def scan(text: str) -> Scan:
    """Every figure and every malformed figure in one label's text (cached: the ML rules all
    read the same labels)."""
    if _QUICK.search(text) is None:
        return EMPTY
    masked = mask(text)
    figures: list[Figure] = []
    problems: list[Problem] = []
    for match in _PERCENTILE.finditer(masked):
        _read_percentile(masked, match, figures, problems)
    for match in _REVERSED.finditer(masked):
        _read_reversed(masked, match, problems)
    return Scan(tuple(figures), tuple(problems))


@lru_cache(maxsize=1024)
def mask(text: str) -> str:
    """``text`` with tags, entity codes and URLs replaced by as many NULs (cached: scan() and
    all_measures() mask the same labels)."""
    return _NOT_TEXT.sub(lambda m: "\0" * len(m.group(0)), text)


class _Duration(NamedTuple):
    start: int  # the qualifier or the number
    end: int  # one past the unit, or the number when there is none
    value: str
    unit: str | None  # as written; None when no word follows the number
    gap: str  # between number and unit
    qualifier: str


def _duration_at(text: str, pos: int) -> _Duration | None:
    """A (qualified) number and the word after it, starting at ``pos``."""
    qualifier = _QUALIFIER.match(text, pos)
    number_at = qualifier.end() if qualifier else pos
    number = _VALUE.match(text, number_at)
    if number is None:
        return None
    unit = _UNIT.match(text, number.end())
    if unit is None:
        if number.end() < len(text) and (text[number.end()].isalnum()
                                          or text[number.end()] in "%.$"):
            return _Duration(pos, number.end(), number.group(0), "", "", "")  # 2x, 99%...
        return _Duration(pos, number.end(), number.group(0), None, "",
                         qualifier.group(0) if qualifier else "")
    return _Duration(pos, unit.end(), number.group(0), unit.group(2), unit.group(1),
                     qualifier.group(0) if qualifier else "")


def _read_percentile(text: str, match: re.Match[str], figures: list[Figure],
                     problems: list[Problem]) -> None:
    digits = match.group(2)
    known = digits in PERCENTILES
    if not known and not _looks_like_percentile(digits):
        return  # P1, P19: priorities and pattern numbers
    separator = _SEPARATOR.match(text, match.end())
    duration = _duration_at(text, separator.end()) if separator else None
    if duration is None or duration.unit == "":
        if known and separator is not None and separator.group(1) and duration is None:
            problems.append(Problem(match.start(), separator.end(),
                                    f"`{match.group(0)}` has no value: write it as "
                                    f"`p{digits}: 10ms`"))
        elif known:
            _read_worded(text, match, figures)
        return
    unit = duration.unit
    if unit is None:
        if known:
            problems.append(Problem(match.start(), duration.end,
                                    f"`{text[match.start():duration.end]}` has no unit: "
                                    "write ms, s, us, ns or min after the number"))
        return
    lowered = unit.lower()
    if lowered in AMBIGUOUS_UNITS and known:
        problems.append(Problem(match.start(), duration.end,
                                f"`{text[match.start():duration.end]}`: `{unit}` is not a "
                                "duration unit; write min (minutes) or ms (milliseconds)"))
        return
    if lowered not in UNITS:
        if known:
            _read_worded(text, match, figures)  # `p99 read: 3ms`
        return
    if not known:
        problems.append(Problem(match.start(), match.end(),
                                f"`{match.group(0)}` is not a percentile the style guide uses "
                                "(p50, p75, p90, p95, p99, p999, p9999)"))
        return
    figures.append(_figure(text, match, separator, duration, lowered))


def _looks_like_percentile(digits: str) -> bool:
    """p98, p100, p99.5: a percentile, if not one of ours; p1 to p49 are priorities."""
    try:
        return float(digits) >= 50
    except ValueError:
        return False


def _figure(text: str, match: re.Match[str], separator: re.Match[str] | None,
            duration: _Duration, unit: str) -> Figure:
    digits = match.group(2)
    canonical_unit, factor = UNITS[unit]
    value = float(duration.value.replace(",", ""))
    canonical = None
    if not duration.qualifier:
        written_unit = duration.unit if unit in KEEP_AS_WRITTEN else canonical_unit
        canonical = (f"p{CANONICAL_PERCENTILE.get(digits, digits)}: "
                     f"{duration.value}{written_unit}")
    return Figure(match.start(), duration.end, digits, PERCENTILES[digits], abs(value) * factor,
                  bool(duration.qualifier), value < 0, "direct", canonical)


def _read_worded(text: str, match: re.Match[str], figures: list[Figure]) -> None:
    """``p99 latency: 25ms``: the value comes after a word or two and a colon."""
    words = _WORDS_THEN_COLON.match(text, match.end())
    if words is None:
        return
    duration = _duration_at(text, words.end())
    if duration is None or duration.unit is None or duration.unit.lower() not in UNITS:
        return
    value = float(duration.value.replace(",", ""))
    digits = match.group(2)
    figures.append(Figure(match.start(), duration.end, digits, PERCENTILES[digits],
                          abs(value) * UNITS[duration.unit.lower()][1],
                          bool(duration.qualifier), value < 0, "worded", None))


def read_value_before(text: str, figure_start: int) -> tuple[float, bool] | None:
    """``10ms p99``: the duration written just before a percentile, if any."""
    before = _VALUE_BEFORE.search(text, max(0, figure_start - 24), figure_start)
    if before is None or before.group(3).lower() not in UNITS:
        return None
    return float(before.group(2)) * UNITS[before.group(3).lower()][1], bool(before.group(1))


def _read_reversed(text: str, match: re.Match[str], problems: list[Problem]) -> None:
    """``99p: 10ms``: only with a duration after it (``720p`` video and ``50p`` are not)."""
    digits = match.group(1)
    if digits not in PERCENTILES:
        return
    separator = _SEPARATOR.match(text, match.end())
    duration = _duration_at(text, separator.end()) if separator else None
    if duration is None or duration.unit is None or duration.unit.lower() not in UNITS:
        return
    replacement = None
    if not duration.qualifier:
        unit = duration.unit.lower()
        written = duration.unit if unit in KEEP_AS_WRITTEN else UNITS[unit][0]
        replacement = f"p{CANONICAL_PERCENTILE.get(digits, digits)}: {duration.value}{written}"
    problems.append(Problem(match.start(), duration.end,
                            f"`{text[match.start():duration.end]}`: the percentile is written "
                            f"p{digits}, with the p first", replacement))


def all_measures(text: str) -> list[tuple[Figure, float, bool]]:
    """Every (figure, nanoseconds, negative) of a label for ordering: the direct and worded
    figures, and percentiles with their duration written before them (``10ms p99``)."""
    if _QUICK.search(text) is None:
        return []
    found = scan(text)
    out = [(f, f.nanoseconds, f.negative) for f in found.figures]
    taken = {f.start for f in found.figures}
    masked = mask(text)
    for match in _PERCENTILE.finditer(masked):
        digits = match.group(2)
        if match.start() in taken or digits not in PERCENTILES:
            continue
        before = read_value_before(masked, match.start())
        if before is not None:
            figure = Figure(match.start(), match.end(), digits, PERCENTILES[digits], before[0],
                            False, before[1], "after", None)
            out.append((figure, before[0], before[1]))
    return out
