"""Mermaid's clean-up of a diagram's text before its parser sees it, with an exact offset map.

``mermaid.parse`` does not hand the diagram text to the diagram's parser as written. In order
(Mermaid 11): line breaks are normalised; ``="..."`` attribute quotes inside HTML tags become
single quotes; YAML front matter is cut off; ``%%{...}%%`` directives are removed; whole-line
``%%`` comments are removed and leading white space trimmed; the diagram type is detected; entity
codes such as ``#quot;`` are encoded and a trailing ``;`` of ``style``/``classDef`` lines dropped;
a newline is appended; and, for flowcharts, white space between a ``}`` and the next line break is
removed. Whether Mermaid accepts a diagram depends on every step, so :func:`preprocess` repeats
them, and keeps a map from every offset of the result back to the diagram text, so that what the
parser blames can be reported at the exact place the author wrote it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from mermaidlint.flowchart.lexer import DOT, S

_ATTRIBUTE_TAG = re.compile(r"<(\w+)([^>]*)>", re.ASCII)
_ATTRIBUTE_QUOTE = re.compile(r'="([^"]*)"')
FRONT_MATTER = re.compile(r"\A-{3}[" + S + r"]*[\n\r](.*?)[\n\r]-{3}[" + S + r"]*[\n\r]+", re.S)
DIRECTIVE = re.compile(
    r"%{2}\{[" + S + r"]*(?:(\w+)[" + S + r"]*:|(\w+))[" + S + r"]*(?:(\w+)|((?:(?!\}%{2})"
    + DOT + r"|\r?\n)*))?[" + S + r"]*(?:\}%{2})?",
    re.I | re.ASCII,
)
_COMMENT_LINE = re.compile(r"^[" + S + r"]*%%(?!\{)[^\n]+\n?", re.M)
_BLANK = re.compile(r"[" + S + r"]")
_LEADING_SPACE = re.compile(r"\A[" + S + r"]+")
_STYLE_SEMICOLON = re.compile(r"style" + DOT + r"*:[^" + S + r"]*#" + DOT + r"*;")
_CLASSDEF_SEMICOLON = re.compile(r"classDef" + DOT + r"*:[^" + S + r"]*#" + DOT + r"*;")
_ENTITY = re.compile(r"#\w+;", re.ASCII)
_CARRIAGE_RETURN = re.compile(r"\r\n?")
_BRACE_SPACE = re.compile(r"\}[" + S + r"]*\n")


@dataclass(slots=True)
class _Piece:
    new_start: int
    new_end: int
    old_start: int
    old_end: int
    exact: bool  # copied text: offsets map one to one


class OffsetMap:
    """Maps offsets of a rewritten text back to the text it was rewritten from."""

    __slots__ = ("_ends", "_exact", "_old_ends", "_old_starts", "_pieces", "_starts")

    def __init__(self, pieces: list[_Piece]) -> None:
        self._pieces = pieces
        # Parallel lists: the lookup below runs for every span of every AST.
        self._starts = [p.new_start for p in pieces]
        self._ends = [p.new_end for p in pieces]
        self._old_starts = [p.old_start for p in pieces]
        self._old_ends = [p.old_end for p in pieces]
        self._exact = [p.exact for p in pieces]

    def then(self, inner: OffsetMap) -> OffsetMap:
        """One map doing ``inner(self(offset))``: self maps a text to its parent, inner maps
        the parent to the grandparent. Exact pieces are split where inner's pieces change."""
        out: list[_Piece] = []
        for piece in self._pieces:
            if not piece.exact or piece.new_end == piece.new_start:
                old = inner(piece.old_start)
                out.append(_Piece(piece.new_start, piece.new_end, old,
                                  inner(piece.old_end) if piece.exact else max(
                                      old, inner(piece.old_end)), piece.exact))
                continue
            # Walk inner's pieces across [old_start, old_end).
            cursor = piece.old_start
            while cursor < piece.old_end:
                k = max(0, bisect_right(inner._starts, cursor) - 1)
                inner_piece = inner._pieces[k]
                stop = min(piece.old_end, inner_piece.new_end) if inner_piece.new_end > cursor \
                    else piece.old_end
                new_start = piece.new_start + (cursor - piece.old_start)
                new_end = piece.new_start + (stop - piece.old_start)
                out.append(_Piece(new_start, new_end, inner(cursor),
                                  inner(cursor) + (stop - cursor) if inner_piece.exact
                                  else inner(stop), inner_piece.exact))
                cursor = stop
        return OffsetMap(out)

    def __call__(self, offset: int) -> int:
        starts = self._starts
        if not starts:
            return offset
        k = bisect_right(starts, offset) - 1
        if k < 0:
            k = 0
        old_start = self._old_starts[k]
        if self._exact[k]:
            return old_start + min(offset - starts[k], self._old_ends[k] - old_start)
        return old_start if offset < self._ends[k] else self._old_ends[k]

    def pull(self, table: Sequence[int], size: int) -> list[int] | None:
        """``[table[self(offset)] for offset in range(size + 1)]``, built piece by piece from
        slices of ``table`` (the AST builder's offset table is made of these). None when this
        map reaches outside ``table`` (the caller then maps offset by offset)."""
        starts = self._starts
        if not starts:
            same = list(table[:size + 1])
            return same if len(same) == size + 1 else None
        if starts[0] != 0:
            return None
        if isinstance(table, range):
            table = _as_list(table)
        out: list[int] = []
        extend = out.extend
        last = len(starts) - 1
        old_starts, old_ends, exact = self._old_starts, self._old_ends, self._exact
        for k, start in enumerate(starts):
            stop = starts[k + 1] if k < last else size + 1
            if stop <= start:
                continue
            old_start, old_end = old_starts[k], old_ends[k]
            if exact[k]:
                # offsets start..start+(old_end-old_start) map one to one; later ones to old_end
                linear_stop = min(stop, start + old_end - old_start + 1)
                extend(table[old_start:old_start + linear_stop - start])
                if stop > linear_stop:
                    if old_end >= len(table):
                        return None
                    extend([table[old_end]] * (stop - linear_stop))
            else:
                end = self._ends[k]
                inside = min(stop, end) - start
                if inside > 0:
                    if old_start >= len(table):
                        return None
                    extend([table[old_start]] * inside)
                if stop > end:
                    if old_end >= len(table):
                        return None
                    extend([table[old_end]] * (stop - max(start, end)))
        return out if len(out) == size + 1 else None

    @classmethod
    def of_lines(cls, lines: list[tuple[int, int, int, int]]) -> OffsetMap:
        """A map from a text made of lines to where each line lies elsewhere:
        ``(start in the text, length, start elsewhere, characters not there)``."""
        pieces = []
        for start, length, target, virtual in lines:
            if virtual:
                pieces.append(_Piece(start, start + virtual, target, target, False))
            pieces.append(_Piece(start + virtual, start + length + 1, target,
                                 target + length - virtual + 1, True))
        return cls(pieces)


def _substitute(matches: Iterable[re.Match[str]], text: str,
                replace: Callable[[re.Match[str]], str]) -> tuple[str, OffsetMap | None]:
    """``pattern.sub`` (given ``pattern.finditer(text)``) that also returns how offsets of the
    result map back (None: unchanged).

    A match replaced by itself changes nothing, so it is copied like the text around it."""
    out: list[str] = []
    pieces: list[_Piece] = []
    old = new = 0
    for match in matches:
        replacement = replace(match)
        if replacement == match.group():
            continue  # (`<br/>`, `}` right before the line break): copied with what follows
        start, end = match.span()
        if start > old:
            out.append(text[old:start])
            pieces.append(_Piece(new, new + start - old, old, start, True))
            new += start - old
        out.append(replacement)
        # The part the replacement keeps from the match (`x;` -> `x`, `}  \n` -> `}\n`) still
        # maps exactly; only the rest is new text.
        same_length = len(replacement) == end - start
        kept = len(replacement) if same_length else _common_prefix(replacement, match.group())
        if kept:
            pieces.append(_Piece(new, new + kept, start, start + kept, True))
        pieces.append(_Piece(new + kept, new + len(replacement), start + kept, end, False))
        new += len(replacement)
        old = end
    if not pieces:
        return text, None
    out.append(text[old:])
    pieces.append(_Piece(new, new + len(text) - old, old, len(text), True))
    return "".join(out), OffsetMap(pieces)


def _comment_lines(text: str) -> list[re.Match[str]]:
    """``list(_COMMENT_LINE.finditer(text))``, several times faster.

    The pattern starts with ``^`` and a blank run, so the regular expression engine tries it at
    every character; this looks only where the text has ``%%``. A match is the blank run before
    a ``%%`` from the first line start in it: the run is all blanks (line breaks included), so
    a ``%%`` preceded on its line by anything else is in no match, and when the pattern fails
    from that line start it fails from every later one before the ``%%`` too.
    """
    out: list[re.Match[str]] = []
    pos = 0
    find, match_at = text.find, _COMMENT_LINE.match
    while True:
        at = find("%%", pos)
        if at < 0:
            return out
        start = _line_start_of_blank_run(text, pos, at)
        found = match_at(text, start) if start is not None else None
        if found is None:
            pos = at + 1
            continue
        out.append(found)
        pos = found.end()


def _line_start_of_blank_run(text: str, pos: int, at: int) -> int | None:
    """The first line start, not before ``pos``, from which only blanks lead up to ``at``."""
    begin = at
    while begin > pos and _BLANK.match(text, begin - 1):
        begin -= 1
    if begin == 0 or text[begin - 1] == "\n":
        return begin
    line_break = text.find("\n", begin, at)  # (begin follows a non-blank, or is `pos`)
    return line_break + 1 if line_break >= 0 else None


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _quote_attributes(match: re.Match[str]) -> str:
    attributes = _ATTRIBUTE_QUOTE.sub(lambda m: "='" + m.group(1) + "'", match.group(2))
    return "<" + match.group(1) + attributes + ">"


def _encode_entity(match: re.Match[str]) -> str:
    inner = match.group()[1:-1]
    if re.fullmatch(r"\+?\d+", inner):
        return "\ufb02\u00b0\u00b0" + inner + "\u00b6\u00df"
    return "\ufb02\u00b0" + inner + "\u00b6\u00df"


@dataclass(slots=True)
class Preprocessed:
    """The text a diagram's parser is handed, and how to find its offsets in the diagram."""

    code: str
    maps: list[OffsetMap] = field(default_factory=list)  # applied last-first
    front_matter: str | None = None
    front_matter_span: tuple[int, int] | None = None  # offsets into the diagram text
    directives: list[tuple[int, int]] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)  # `%%` lines, diagram offsets

    def original_offset(self, offset: int) -> int:
        if len(self.maps) > 1:
            # Composed once, on first use after a change: the AST builder asks for every span.
            composed = self.maps[-1]
            for inner in reversed(self.maps[:-1]):
                composed = composed.then(inner)
            self.maps = [composed]
        return self.maps[0](offset) if self.maps else offset

    def _apply(self, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str],
               needs: str = "") -> None:
        """Replace the matches of ``pattern``; ``needs``: a string every match that changes
        something holds (its absence skips the search)."""
        if needs not in self.code:
            return
        self._replace(pattern.finditer(self.code), replace)

    def _replace(self, matches: Iterable[re.Match[str]],
                 replace: Callable[[re.Match[str]], str]) -> None:
        self.code, offset_map = _substitute(matches, self.code, replace)
        if offset_map is not None:
            self.maps.append(offset_map)

    def _record(self, pattern: re.Pattern[str], needs: str) -> list[tuple[int, int]]:
        if needs not in self.code:
            return []
        return self._offsets(pattern.finditer(self.code))

    def _offsets(self, matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
        """Where the matches lie in the diagram text."""
        return [(self.original_offset(m.start()), self.original_offset(m.end()))
                for m in matches]


def preprocess(text: str) -> Preprocessed:
    """Mermaid's clean-up up to type detection (``preprocessDiagram``)."""
    result = Preprocessed(code=text)
    result._apply(_CARRIAGE_RETURN, lambda m: "\n", "\r")
    result._apply(_ATTRIBUTE_TAG, _quote_attributes, '="')
    match = FRONT_MATTER.match(result.code)
    if match:
        result.front_matter = match.group(1)
        result.front_matter_span = (result.original_offset(0),
                                    result.original_offset(match.end()))
        result._apply(FRONT_MATTER, lambda m: "")
    # (a directive starts with `%%{`; half the diagrams have `%%` comments, few a directive)
    if "%%{" in result.code:
        result.directives = result._record(DIRECTIVE, "%%{")
        result._apply(DIRECTIVE, lambda m: "", "%%{")
    if "%%" in result.code:
        comments = _comment_lines(result.code)  # (found once: recorded, then removed)
        result.comments = result._offsets(comments)
        result._replace(comments, lambda m: "")
    result._apply(_LEADING_SPACE, lambda m: "")
    return result


def prepare_for_parser(result: Preprocessed, flowchart: bool) -> None:
    """The rest of the clean-up, done once the type is known (``Diagram.fromText``)."""
    # Each of these three needs a `;` (and none adds one): one search of the text, not three.
    if ";" in result.code:
        result._apply(_STYLE_SEMICOLON, lambda m: m.group()[:-1], ";")
        result._apply(_CLASSDEF_SEMICOLON, lambda m: m.group()[:-1], ";")
        result._apply(_ENTITY, _encode_entity, ";")
    end = len(result.code)
    result.code += "\n"
    result.maps.append(OffsetMap([_Piece(0, end, 0, end, True), _Piece(end, end + 1, end, end,
                                                                       False)]))
    if flowchart:
        result._apply(_BRACE_SPACE, lambda m: "}\n", "}")


# File offsets as int objects, made once per process and shared by every table built from them.
# A table pulled through a map is made of runs of consecutive offsets: copied from this list,
# a run is a copy of references (in C), where a run of a range makes a new int object for every
# offset above 256 (about 2.5 million of them over the Atlas corpus's flowcharts, more than half
# of the tables' cost). Grown to the largest offset asked for, up to _SHARED_LIMIT (a file of
# that many characters costs some 10 MB of them); past it, tables are made as before.
_SHARED_LIMIT = 1 << 18
_shared: list[int] = []


def _as_list(table: range) -> Sequence[int]:
    """``table``, a range of file offsets, as a list sharing the process's int objects (or the
    range itself when it is not a run of consecutive offsets within the limit)."""
    global _shared
    if table.step != 1 or table.start < 0 or table.stop > _SHARED_LIMIT:
        return table
    if table.stop > len(_shared):
        _shared = list(range(min(max(table.stop, 2 * len(_shared), 4096), _SHARED_LIMIT)))
        # (a new list: the old one may still be sliced by a caller; its ints live on in both)
    return _shared[table.start:table.stop]
