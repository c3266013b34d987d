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

from bisect import bisect_right
from collections.abc import Sequence

from mermaidlint.detect import FLOWCHART_TYPES, detect_type
from mermaidlint.flowchart.parser import MAX_ERRORS, parse_tokens
from mermaidlint.preprocess import prepare_for_parser, preprocess

MAX_REPAIRS = 16  # rounds of repairs per diagram (each round repairs every reported line)
MAX_CANDIDATES = 12  # label boundaries tried per error

# Shape delimiters, longest first, so `((` is tried before `(`.
_DELIMITERS = (
    ("(((", ")))"), ("([", "])"), ("[[", "]]"), ("[(", ")]"), ("((", "))"), ("{{", "}}"),
    ("[", "]"), ("(", ")"), ("{", "}"), (">", "]"), ("|", "|"),
)
_OPENER_CHARS = frozenset(opener[0] for opener, _ in _DELIMITERS)


def _errors(text: str, max_errors: int = MAX_ERRORS) -> list[int]:
    """Offsets into ``text`` of the syntax errors Mermaid's parser (with recovery) reports."""
    pre = preprocess(text)
    if detect_type(pre.code) not in FLOWCHART_TYPES:
        return []
    prepare_for_parser(pre, flowchart=True)
    problems = parse_tokens(pre.code, max_errors=max_errors, build_tree=False).problems
    return [pre.original_offset(p.start) for p in problems]


def first_error(text: str) -> int | None:
    """Offset into ``text`` of the first syntax error Mermaid would report; None when it parses
    (or is not a flowchart)."""
    errors = _errors(text, max_errors=1)  # (the search for later errors is wasted here)
    return errors[0] if errors else None


def quote(content: str) -> str:
    """A label's text as a Mermaid string."""
    return '"' + content.replace('"', "#quot;") + '"'


# A statement is checked on its own, after this header: parsing one line is far cheaper than
# parsing the diagram again for every candidate.
_PROBE = "flowchart TD\n"


def _line_error(line: str) -> int | None:
    """Column of the first error in ``line`` standing alone in a flowchart; None if it parses."""
    error = first_error(_PROBE + line)
    return None if error is None else error - len(_PROBE)


def repair(text: str, errors: Sequence[int] | None = None) -> str | None:
    """The diagram with its broken labels quoted (and the other slips above repaired), or None
    when nothing could be repaired.

    Each round repairs every line the parser reports an error on (it goes on past the first
    error), each repair checked on its line alone; the next round parses the result again.
    ``errors``, when the caller has parsed ``text`` already, are its errors' offsets (what
    ``_errors(text)`` would find), which saves parsing it again for the first round.
    """
    current = text
    found = list(errors) if errors is not None else _errors(text)
    for _ in range(MAX_REPAIRS):
        if not found:
            break
        lines = current.split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)
        changed = False
        done: set[int] = set()
        for error in found:
            index = max(0, bisect_right(starts, error) - 1)
            if index in done or index >= len(lines):
                continue
            done.add(index)
            fixed = _repair_line(lines[index], error - starts[index])
            if fixed is not None:
                lines[index] = fixed
                changed = True
        if not changed:
            break
        current = "\n".join(lines)
        found = _errors(current)
    return current if current != text else None


def _candidates(line: str, error: int) -> list[tuple[int, int]]:
    """(content start, content end) of labels around ``error`` (a column in ``line``): openers
    before the error first, nearest first, then openers after it (a token such as an edge id,
    `x@`, can swallow the opener that follows it)."""
    out: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    before = range(min(error, len(line) - 1), -1, -1)
    after = range(error + 1, len(line))
    for position in (*before, *after):
        if line[position] not in _OPENER_CHARS:  # (most characters open nothing)
            continue
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


def _repair_line(line: str, error: int) -> str | None:
    """``line`` repaired where the parser stopped (column ``error``), or None."""
    fixes = _label_fixes(line, error)
    fixes += [(len(fixed), fixed) for fixed in _keyword_fixes(line)]
    for changed_until, fixed_line in fixes:
        after = _line_error(fixed_line)
        # Kept only when the error is gone, or the first error now lies after the change.
        if after is None or after >= changed_until:
            return fixed_line
    return None
