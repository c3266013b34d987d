"""Source positions.

Everything inside the engine speaks in *offsets* into the text of the original file (a Python
``str`` index, after the UTF-8 byte-order mark, if any, was removed). Offsets are cheap to carry and
to compare, and fixes need them to splice text. Only at the edge, when a diagnostic is reported,
is an offset turned into a 1-based line and column by :class:`LineIndex`.

A column counts Unicode code points from the start of the line (a tab is one column), the way
ruff and most editors' "go to line:column" do.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from operator import add
from typing import NamedTuple

# The line breaks Mermaid and markdown-it both recognise: CRLF, a lone CR, or LF.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Span(NamedTuple):
    """A half-open range ``[start, end)`` of offsets into the original file's text.

    A named tuple, not a frozen dataclass: a diagram's AST holds hundreds of spans, and a
    frozen dataclass costs several times as much to make. The ends are in order by
    construction (``Diagram.file_span`` and the tree builder see to it; the property tests of
    the extractor and the parser check it).
    """

    start: int
    end: int

    def cover(self, other: Span) -> Span:
        """The smallest span holding both."""
        return Span(min(self.start, other.start), max(self.end, other.end))


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


class LineIndex:
    """Turns offsets into 1-based (line, column) pairs for one text."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = _line_starts(text)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(self._text)
        text = self._text[start:end]
        return text.rstrip("\r\n") if text.endswith(("\r", "\n")) else text

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self._text)))
        line = bisect_right(self._starts, offset)
        return Position(line, offset - self._starts[line - 1] + 1)


def _line_starts(text: str) -> list[int]:
    """Offset of the start of every line of ``text`` (lines end at CRLF, CR or LF)."""
    if "\r" in text:
        return [0, *(m.end() for m in LINE_BREAK.finditer(text))]
    # Without CR, in C: line k starts after the k line breaks and the characters of lines < k.
    lengths = accumulate(map(len, text.split("\n")), initial=0)
    return list(map(add, lengths, range(len(text) + 1)))[:text.count("\n") + 1]
