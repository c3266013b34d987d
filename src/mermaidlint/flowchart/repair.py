"""Syntax repair: quote the labels that hold characters Mermaid rejects unquoted.

Most broken flowcharts in real documentation fail for one reason: a node or edge label written
without quotes holds a character that opens or closes a shape, a string or a link (``(``, ``)``,
``[``, ``]``, ``{``, ``}``, ``"``, ``|``, ``@``, ``/``). Quoting the whole label fixes it:
``A[Cache (LRU)]`` becomes ``A["Cache (LRU)"]``, with ``"`` inside written as ``#quot;``.

A repair is only kept when the parser (which agrees with Mermaid's) says it worked: the error it
was made for is gone and no new one appears before it. Each repair touches one label on the line
Mermaid blamed, so the rest of the diagram stays as written.
"""

from __future__ import annotations

from mermaidlint.detect import FLOWCHART_TYPES, detect_type
from mermaidlint.flowchart.parser import parse_tokens
from mermaidlint.preprocess import prepare_for_parser, preprocess

MAX_REPAIRS = 64  # labels repaired per diagram
MAX_CANDIDATES = 12  # label boundaries tried per error

# Shape delimiters, longest first, so `((` is tried before `(`.
_DELIMITERS = (
    ("(((", ")))"), ("([", "])"), ("[[", "]]"), ("[(", ")]"), ("((", "))"), ("{{", "}}"),
    ("[", "]"), ("(", ")"), ("{", "}"), (">", "]"), ("|", "|"),
)


def first_error(text: str) -> int | None:
    """Offset into ``text`` of the first syntax error Mermaid would report; None when it parses
    (or is not a flowchart)."""
    pre = preprocess(text)
    if detect_type(pre.code) not in FLOWCHART_TYPES:
        return None
    prepare_for_parser(pre, flowchart=True)
    problems = parse_tokens(pre.code).problems
    if not problems:
        return None
    return pre.original_offset(problems[0].start)


def quote(content: str) -> str:
    """A label's text as a Mermaid string."""
    return '"' + content.replace('"', "#quot;") + '"'


def repair(text: str) -> str | None:
    """The diagram with its broken labels quoted, or None when nothing could be repaired."""
    current = text
    for _ in range(MAX_REPAIRS):
        error = first_error(current)
        if error is None:
            break
        repaired = _repair_at(current, error)
        if repaired is None:
            break
        current = repaired
    return current if current != text else None


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def _candidates(line: str, error: int) -> list[tuple[int, int]]:
    """(content start, content end) of labels around ``error`` (a column in ``line``): openers
    before the error first, nearest first, then openers after it (a token such as an edge id,
    `x@`, can swallow the opener that follows it)."""
    out: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    before = range(min(error, len(line) - 1), -1, -1)
    after = range(error + 1, len(line))
    for position in (*before, *after):
        for opener, closer in _DELIMITERS:
            if not line.startswith(opener, position):
                continue
            start = position + len(opener)
            close = line.find(closer, max(start, error))
            while close >= 0:
                content = line[start:close]
                already_quoted = len(content) >= 2 and content[0] == content[-1] == '"'
                if content.strip() and not already_quoted and (start, close) not in seen:
                    seen.add((start, close))
                    out.append((start, close))
                close = line.find(closer, close + 1)
        if len(out) >= MAX_CANDIDATES:
            break
    return out[:MAX_CANDIDATES]


def _repair_at(text: str, error: int) -> str | None:
    line_start, line_end = _line_bounds(text, error)
    line = text[line_start:line_end]
    for start, end in _candidates(line, error - line_start):
        quoted = quote(line[start:end])
        fixed_line = line[:start] + quoted + line[end:]
        candidate = text[:line_start] + fixed_line + text[line_end:]
        after = first_error(candidate)
        # Kept only when the error is gone, or the first error now lies after this label.
        if after is None or after > line_start + start + len(quoted):
            return candidate
    return None
