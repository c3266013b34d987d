"""Syntax errors in words a person understands.

The parser knows the token it found and the tokens it would have accepted; this module turns
that into "what was found, what Mermaid expects there, and how to fix the common cases".
"""

from __future__ import annotations

from mermaidlint.flowchart.parser import SyntaxProblem

# What each token looks like to the author.
_SHOWN = {
    "PS": "`(`", "PE": "`)`", "SQS": "`[`", "SQE": "`]`", "DIAMOND_START": "`{`",
    "DIAMOND_STOP": "`}`", "PIPE": "`|`", "TAGEND": "`>`", "TAGSTART": "`<`",
    "STADIUMSTART": "`([`", "STADIUMEND": "`])`", "SUBROUTINESTART": "`[[`",
    "SUBROUTINEEND": "`]]`", "CYLINDERSTART": "`[(`", "CYLINDEREND": "`)]`",
    "DOUBLECIRCLESTART": "`(((`", "DOUBLECIRCLEEND": "`)))`", "TRAPSTART": "`[/`",
    "INVTRAPSTART": "`[\\`", "TRAPEND": "`\\]`", "INVTRAPEND": "`/]`", "ELLIPSE_START": "`(-`",
    "ELLIPSE_END": "`-)`", "NEWLINE": "the end of the line", "EOF": "the end of the diagram",
    "$END": "the end of the diagram", "SEMI": "`;`", "COLON": "`:`", "AMP": "`&`",
    "COMMA": "`,`", "SPACE": "a space", "END": "`end`", "SUBGRAPH": "`subgraph`",
    "LINK": "a link", "START_LINK": "the start of a link", "STYLE_SEPARATOR": "`:::`",
    "VERTEX_WITH_PROPS_START": "`[|`", "SHAPE_DATA": "shape data `@{...}`", "STR": "a string",
    "MD_STR": "a markdown string", "GRAPH": "a diagram header", "DIR": "a direction",
    "NODIR": "the end of the header line", "MINUS": "`-`", "MULT": "`*`", "BRKT": "`#`",
}

# Shape openers and the closer Mermaid expects for each.
_OPENERS = {
    "SQS": "]", "PS": ")", "DIAMOND_START": "}", "STADIUMSTART": "])", "SUBROUTINESTART": "]]",
    "CYLINDERSTART": ")]", "DOUBLECIRCLESTART": ")))", "TRAPSTART": "\\] or /]",
    "INVTRAPSTART": "/] or \\]", "ELLIPSE_START": "-)", "TAGEND": "]", "PIPE": "|",
}
_LABEL_ENDS = frozenset({"SQE", "PE", "DIAMOND_STOP", "STADIUMEND", "SUBROUTINEEND",
                         "CYLINDEREND", "DOUBLECIRCLEEND", "TRAPEND", "INVTRAPEND",
                         "ELLIPSE_END", "PIPE"})

QUOTE_NOTE = ("Parentheses, brackets, braces, pipes and quotes inside an unquoted label open or "
              "close a shape. Quote the whole label: `A[\"Cache (LRU)\"]`; write a double quote "
              "inside it as `#quot;`.")


def _shown(problem: SyntaxProblem) -> str:
    if problem.found in _SHOWN:
        return _SHOWN[problem.found]
    text = problem.found_text.strip() or problem.found_text
    return f"`{text[:30]}`"


def _open_label(problem: SyntaxProblem) -> str | None:
    """The shape opener whose label the parser was inside, if any."""
    depth = 0
    for tok in reversed(problem.tokens_before):
        if tok.type in _LABEL_ENDS and tok.type != "PIPE":
            depth += 1
        elif tok.type in _OPENERS:
            if depth == 0:
                return tok.type
            depth -= 1
    return None


def describe_problem(problem: SyntaxProblem) -> tuple[str, tuple[str, ...]]:
    """A message and help notes for one syntax problem."""
    found = _shown(problem)
    if problem.lexical:
        return (f"Mermaid cannot read {found} here: no flowchart token starts with it",
                ("Characters such as emoji, `%` or `\\` outside a label are not allowed; put "
                 "them inside a quoted label: `A[\"...\"]`.",))
    opener = _open_label(problem)
    expects_label_end = bool(problem.expected & _LABEL_ENDS)
    if opener is not None and expects_label_end:
        closer = _OPENERS[opener]
        what = "edge label" if opener == "PIPE" else "node label"
        return (f"unexpected {found} inside an unquoted {what}: Mermaid expected the label to "
                f"end with `{closer}`", (QUOTE_NOTE,))
    if problem.found in ("$END", "EOF") and "END" in problem.expected:
        return ("the diagram ends inside a subgraph: a `subgraph` is missing its `end`",
                ("Close every `subgraph` with an `end` line.",))
    if problem.found == "END" and not problem.tokens_before:
        return ("`end` without a matching `subgraph`",
                ("Remove the extra `end`, or open the subgraph it closes.",))
    expected = _summarise(problem.expected)
    return (f"unexpected {found}: Mermaid expected {expected}", ())


def _summarise(expected: frozenset[str]) -> str:
    names = []
    if "NODE_STRING" in expected or "NUM" in expected:
        names.append("a node id")
    if "LINK" in expected or "START_LINK" in expected:
        names.append("a link such as `-->`")
    if expected & {"SQS", "PS", "DIAMOND_START"}:
        names.append("a node shape")
    if expected & {"NEWLINE", "SEMI", "EOF"}:
        names.append("the end of the statement")
    for token in sorted(expected):
        if token in _SHOWN and len(names) < 6 and token not in (
                "NEWLINE", "SEMI", "EOF", "SQS", "PS", "DIAMOND_START", "LINK", "START_LINK"):
            names.append(_SHOWN[token])
    if not names:
        return "something else"
    return ", ".join(names[:-1]) + (" or " if len(names) > 1 else "") + names[-1]
