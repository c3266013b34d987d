"""A linted file, and the Mermaid diagrams found in it.

A diagram's text is what Mermaid would be handed: the fence's content lines with the container
prefixes (list indentation, ``>`` quote markers, fence indentation) taken off, joined by ``\\n``.
Each of those lines remembers where it starts in the original file, so that any offset into the
diagram text maps back to an exact offset in the file (see :meth:`Diagram.file_offset`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from mermaidlint.positions import Span


class DiagramLine(NamedTuple):
    """Where one content line of a diagram lies in the original file (a named tuple: one is
    made for every line of every diagram)."""

    file_offset: int  # offset in the file of the first real character of the content line
    length: int  # length of the content line in the diagram text (without the line break)
    # Leading characters of the content line that do not exist in the file: markdown-it expands a
    # tab that is only partly consumed by a list or quote indent into spaces. They map onto the
    # tab itself.
    virtual_prefix: int = 0


@dataclass(slots=True)
class Diagram:
    """One Mermaid diagram: a fenced block in Markdown, or a whole .mmd file."""

    text: str
    # Where each content line lies in the file (:attr:`lines`). None for a slice of the file
    # (``text_offset`` set): its lines are worked out when first asked for, and mostly never
    # are, as its offsets map by an addition (making them for every diagram took a seventh of
    # the extraction's time over the Atlas corpus).
    mapped_lines: list[DiagramLine] | None
    fence_span: Span  # the whole block, opening fence to closing fence (the whole file for .mmd)
    opening_line: int  # 1-based line of the opening fence (1 for a .mmd file)
    closing_line: int  # 1-based line of the closing fence (last content line when unclosed)
    closed: bool = True
    info: str = "mermaid"  # the fence's info string
    index: int = 0  # 0-based position among the file's diagrams
    # Where the text starts in the file when it is a slice of the file as it is (no prefix taken
    # off any line, no line break rewritten: a fence at the margin, the usual case); then offset
    # k of the text is offset ``text_offset + k`` of the file. None otherwise.
    text_offset: int | None = None
    _line_starts: list[int] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.mapped_lines is None and self.text_offset is None:
            raise ValueError("a diagram's lines are needed unless it is a slice of its file")

    @property
    def lines(self) -> list[DiagramLine]:
        """Where each content line of :attr:`text` lies in the original file, in order."""
        lines = self.mapped_lines
        if lines is None:
            assert self.text_offset is not None
            lines = self.mapped_lines = [
                DiagramLine(self.text_offset + start, length)
                for start, length in zip(self.line_starts(), map(len, self.text.split("\n")),
                                         strict=True)]
        return lines

    def line_starts(self) -> list[int]:
        """Offset in :attr:`text` where each content line starts."""
        starts = self._line_starts
        if starts is None:
            if self.mapped_lines is not None:
                lengths = [line.length for line in self.mapped_lines]
            else:
                lengths = [len(line) for line in self.text.split("\n")]
            starts, pos = [], 0
            for length in lengths:
                starts.append(pos)
                pos += length + 1
            self._line_starts = starts
        return starts

    def file_offset(self, offset: int) -> int:
        """Map an offset into :attr:`text` onto an offset into the original file."""
        if self.text_offset is not None:
            return self.text_offset + max(0, min(offset, len(self.text)))
        lines = self.lines
        if not lines:
            return self.fence_span.start
        offset = max(0, min(offset, len(self.text)))
        starts = self.line_starts()
        k = max(0, bisect_right(starts, offset) - 1)
        line = lines[k]
        within = min(offset - starts[k], line.length)
        return line.file_offset + max(0, within - line.virtual_prefix)

    def file_span(self, start: int, end: int) -> Span:
        """Map a diagram-text range onto the original file."""
        first = self.file_offset(start)
        return Span(first, max(first, self.file_offset(end)))


@dataclass(slots=True)
class Abbreviation:
    """A Markdown abbreviation definition, ``*[WAF]: Web Application Firewall``."""

    term: str
    expansion: str
    span: Span


@dataclass(slots=True)
class SourceFile:
    """A file as read, and what extraction found in it."""

    path: str  # as the user named it (or as found under a directory they named)
    text: str  # decoded, without the BOM; line breaks untouched
    has_bom: bool = False
    diagrams: list[Diagram] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)
    # Scratch space the rules share for the whole file (``RuleContext.document_shared``): what
    # they work out once per document, such as the acronyms it defines, for all its diagrams.
    # Kept here, it goes when the file goes, rather than staying alive in a module's memo.
    rule_data: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
