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


class Position(NamedTuple):
    """A 1-based line and column (a named tuple, as Span: one is made for each end of every
    finding reported)."""

    line: int
    column: int


class LineIndex:
    """Turns offsets into 1-based (line, column) pairs for one text.

    Most files report a handful of positions, if any. For those, counting the line breaks from
    the last position asked for (in C, over the text between the two) is cheaper than a table of
    every line start, which the run over the Atlas corpus spent 2% of its time building: counted
    so, the positions of a file cost at most one pass over it when asked for in order, as the
    diagnostics of a file mostly are. The table is built once the counting has covered the text
    twice (positions asked for out of order), or at once when the text has a CR (three kinds of
    line break to tell apart).
    """

    __slots__ = ("_at", "_counted", "_line_at", "_starts_table", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts_table: list[int] | None = _line_starts(text) if "\r" in text else None
        self._at, self._line_at = 0, 1  # the last offset counted to, and its line
        self._counted = 0  # characters counted over so far

    @property
    def _starts(self) -> list[int]:
        if self._starts_table is None:
            self._starts_table = _line_starts(self._text)
        return self._starts_table

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break."""
        starts = self._starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self._text)
        text = self._text[start:end]
        return text.rstrip("\r\n") if text.endswith(("\r", "\n")) else text

    def position(self, offset: int) -> Position:
        text = self._text
        offset = max(0, min(offset, len(text)))
        if self._starts_table is None and self._counted <= 2 * len(text):
            # (no CR in the text: every line ends at a LF)
            at = self._at
            if offset >= at:
                line = self._line_at + text.count("\n", at, offset)
                self._counted += offset - at
            else:
                line = self._line_at - text.count("\n", offset, at)
                self._counted += at - offset
            self._at, self._line_at = offset, line
            return Position(line, offset - text.rfind("\n", 0, offset))
        starts = self._starts
        line = bisect_right(starts, offset)
        return Position(line, offset - starts[line - 1] + 1)


def _line_starts(text: str) -> list[int]:
    """Offset of the start of every line of ``text`` (lines end at CRLF, CR or LF)."""
    if "\r" in text:
        return [0, *(m.end() for m in LINE_BREAK.finditer(text))]
    # Without CR, in C: line k starts after the k line breaks and the characters of lines < k.
    lengths = accumulate(map(len, text.split("\n")), initial=0)
    return list(map(add, lengths, range(len(text) + 1)))[:text.count("\n") + 1]
