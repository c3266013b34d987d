"""Syntax repair: quote the labels that hold characters Mermaid rejects unquoted, and the
other frequent slips found in real documentation.

Most broken flowcharts in real documentation fail for one reason: a node or edge label written
without quotes holds a character that opens or closes a shape, a string or a link (``(``, ``)``,
``[``, ``]``, ``{``, ``}``, ``"``, ``|``, ``@``, ``/``). Quoting the whole label fixes it:
``A[Cache (LRU)]`` becomes ``A["Cache (LRU)"]``, with ``"`` inside written as ``#quot;``.

Two more slips are common enough to repair: a label whose closing bracket was replaced by a
stray quote (``A[Setup"`` for ``A[Setup]``), and a misspelt keyword at the start of a statement
(``classDf``/``classDev`` for ``classDef``, ``case`` for ``class``).

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


KEYWORDS = ("classDef", "class", "style", "linkStyle", "subgraph", "click")


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, for short words."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _keyword_fixes(line: str) -> list[str]:
    """The line with its first word replaced by a keyword it looks like a misspelling of."""
    stripped = line.lstrip()
    word = stripped.split(" ", 1)[0]
    if not word.isalpha() or word in KEYWORDS or " " not in stripped:
        return []
    indent = line[: len(line) - len(stripped)]
    close = sorted((k for k in KEYWORDS if _distance(word.lower(), k.lower()) <= 2),
                   key=lambda k: _distance(word.lower(), k.lower()))
    return [indent + keyword + stripped[len(word):] for keyword in close]


def _label_fixes(line: str, error: int) -> list[tuple[int, str]]:
    """(where the first change is, the fixed line) for each way of quoting a label."""
    out = []
    for start, end in _candidates(line, error):
        quoted = quote(line[start:end])
        out.append((start + len(quoted), line[:start] + quoted + line[end:]))
    # A label whose closing `]` became a quote at the end of the line: `A[Setup"`.
    body = line.rstrip()
    opener = body.rfind("[", 0, max(0, error) + 1)
    if body.endswith('"') and opener >= 0 and "]" not in body[opener:]:
        quoted = quote(body[opener + 1:-1]) + "]"
        out.append((opener + 1 + len(quoted), body[:opener + 1] + quoted + line[len(body):]))
    return out


def _repair_at(text: str, error: int) -> str | None:
    line_start, line_end = _line_bounds(text, error)
    line = text[line_start:line_end]
    fixes = _label_fixes(line, error - line_start)
    fixes += [(len(fixed), fixed) for fixed in _keyword_fixes(line)]
    for changed_until, fixed_line in fixes:
        candidate = text[:line_start] + fixed_line + text[line_end:]
        after = first_error(candidate)
        # Kept only when the error is gone, or the first error now lies after the change.
        if after is None or after > line_start + changed_until:
            return candidate
    return None
