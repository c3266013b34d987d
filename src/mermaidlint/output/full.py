"""``--format full``: each diagnostic with its source lines and carets under the span, as ruff
shows them, its notes as ``help:`` lines and its fix, then the summary of the text format::

    fixtures/broken.md:7:13: MS001 unexpected `(` inside an unquoted node label: ...
      |
    6 | flowchart LR
    7 |     A[Cache (LRU)] --> B[Database]
      |             ^ MS001
    8 | ```
      |
      = help: Parentheses, brackets, braces, pipes and quotes inside an unquoted label ...

The file is read again (standard input's text is kept by the report) and split into lines the
way positions are counted: CRLF, CR and LF all end a line, and a column is a code point. On
screen, a tab is four spaces, wide (East Asian) characters take two cells and combining marks
none, so that the carets stand under the right characters; control characters are shown as
their Unicode pictures (an escape sequence in a file cannot drive the terminal).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mermaidlint.output.text import summary

if TYPE_CHECKING:
    from mermaidlint.engine import ReportedDiagnostic
    from mermaidlint.positions import LineIndex
    from mermaidlint.runner import Report

TAB = "    "
CONTEXT = 1  # lines shown before and after the span
MAX_SPAN_LINES = 6  # a longer span shows its first and last lines around a "..."

# Bidirectional controls would reorder what the terminal shows (the "Trojan source" trick).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# ANSI styles (SGR parameters) by role.
_STYLES = {
    "error": "1;31", "warning": "1;33", "info": "1;36", "path": "1", "gutter": "1;34",
    "help": "1;36", "fix": "1;32",
}

Style = Callable[[str, str], str]


def _ansi(text: str, role: str) -> str:
    return f"\x1b[{_STYLES[role]}m{text}\x1b[0m" if text else text


def _plain(text: str, role: str) -> str:
    return text


def _cell(char: str) -> tuple[str, int]:
    """How one character is shown: (what is printed, how many cells it takes)."""
    if char == "\t":
        return TAB, len(TAB)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code), 1  # the control pictures: ␀ .. ␟
    if code == 0x7F:
        return "\u2421", 1  # ␡
    if 0x80 <= code < 0xA0 or char in _BIDI:
        return "\ufffd", 1
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return char, 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return char, 2
    return char, 1


def display_line(text: str) -> tuple[str, list[int]]:
    """The line as shown, and for each column (1-based, up to one past the end) the cell where
    that character starts."""
    shown: list[str] = []
    cells = [0]
    for char in text:
        out, width = _cell(char)
        shown.append(out)
        cells.append(cells[-1] + width)
    return "".join(shown), cells


def _underline(text: str, start: int, end: int) -> tuple[str, int, int]:
    """(the line as shown, first cell, cells covered) for columns ``start``..``end`` (end
    exclusive; an empty span gets one caret)."""
    shown, cells = display_line(text)
    last = len(cells) - 1
    start = max(1, min(start, last + 1))
    end = max(start, min(end, last + 1))
    first_cell = cells[start - 1]
    width = cells[end - 1] - first_cell
    return shown, first_cell, max(1, width)


def _snippet(d: ReportedDiagnostic, index: LineIndex, style: Style) -> list[str]:
    if d.line > index.line_count:
        return []
    end_line = max(d.line, min(d.end_line, index.line_count))
    span = list(range(d.line, end_line + 1))
    if len(span) > MAX_SPAN_LINES:
        span = [*span[:MAX_SPAN_LINES - 2], -1, *span[-1:]]
    before = range(max(1, d.line - CONTEXT), d.line)
    after = range(end_line + 1, min(index.line_count, end_line + CONTEXT) + 1)
    shown_numbers = [*before, *span, *after]
    width = len(str(max(shown_numbers)))
    bar = style(" " * width + " |", "gutter")
    colour = d.severity if d.severity in _STYLES else "warning"

    def numbered(number: int, text: str) -> str:
        return (style(f"{number:>{width}} |", "gutter") + f" {text}").rstrip()

    lines = [bar]
    lines.extend(numbered(n, display_line(index.line_text(n))[0]) for n in before)
    for k, number in enumerate(span):
        if number == -1:
            lines.append(style(" " * width + " ...", "gutter"))
            continue
        text = index.line_text(number)
        # the first line from the span's start; the others from their first non-blank character
        start = d.column if number == d.line else len(text) - len(text.lstrip()) + 1
        end = d.end_column if number == d.end_line else len(text) + 1
        shown, first_cell, cells = _underline(text, start, end)
        lines.append(numbered(number, shown))
        label = f" {d.code}" if k == len(span) - 1 else ""
        lines.append(bar + " " + " " * first_cell + style("^" * cells + label, colour))
    lines.extend(numbered(n, display_line(index.line_text(n))[0]) for n in after)
    lines.append(bar)
    return lines


def _help(d: ReportedDiagnostic, style: Style) -> list[str]:
    lines = []
    for note in d.notes:
        first, *rest = note.splitlines() or [""]
        lines.append(f"  {style('= help:', 'help')} {first}".rstrip())
        lines.extend(f"          {more}".rstrip() for more in rest)
    if d.fix_description:
        lines.append(f"  {style('= fix:', 'fix')} {d.fix_description}")
    return lines


class Sources:
    """The text of each reported file, read once: standard input's from the report, the
    others from disk (None when it cannot be read any more)."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self._indexes: dict[str, LineIndex | None] = {}

    def index(self, display_path: str) -> LineIndex | None:
        if display_path not in self._indexes:
            self._indexes[display_path] = self._read(display_path)
        return self._indexes[display_path]

    def _read(self, display_path: str) -> LineIndex | None:
        from mermaidlint import files
        from mermaidlint.positions import LineIndex

        given = self._report.inputs.get(display_path)
        if given is not None and given.data is not None:
            source = files.read_stdin(display_path, given.data)
        elif given is not None and given.path is not None:
            source = files.read_source(given.path, display_path)
        elif display_path != "-":
            source = files.read_source(Path(display_path), display_path)
        else:
            return None
        if isinstance(source, files.FileProblem):
            return None
        return LineIndex(source.text)


def render(report: Report, color: bool = False) -> str:
    style: Style = _ansi if color else _plain
    sources = Sources(report)
    blocks = []
    for d in report.diagnostics:
        colour = d.severity if d.severity in _STYLES else "warning"
        header = (style(f"{d.path}:{d.line}:{d.column}:", "path") + " "
                  + style(d.code, colour) + f" {display_line(d.message)[0]}")
        lines = [header]
        index = sources.index(d.path)
        if index is not None:
            lines.extend(_snippet(d, index, style))
        lines.extend(_help(d, style))
        blocks.append("\n".join(lines))
    blocks.append(summary(report))
    return "\n\n".join(blocks) + "\n"
