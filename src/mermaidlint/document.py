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
    lines: list[DiagramLine]
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
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self._line_starts:  # given by the maker, who had them at hand
            return
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += line.length + 1
        self._line_starts = starts

    def line_starts(self) -> list[int]:
        """Offset in :attr:`text` where each content line starts."""
        return self._line_starts

    def file_offset(self, offset: int) -> int:
        """Map an offset into :attr:`text` onto an offset into the original file."""
        if not self.lines:
            return self.fence_span.start
        offset = max(0, min(offset, len(self.text)))
        if self.text_offset is not None:
            return self.text_offset + offset
        k = max(0, bisect_right(self._line_starts, offset) - 1)
        line = self.lines[k]
        within = min(offset - self._line_starts[k], line.length)
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
