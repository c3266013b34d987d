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
    "ELLIPSE_END": "`-)`", "NEWLINE": "end of line", "EOF": "end of the diagram",
    "$END": "end of the diagram", "SEMI": "`;`", "COLON": "`:`", "AMP": "`&`",
    "COMMA": "`,`", "SPACE": "space", "END": "`end`", "SUBGRAPH": "`subgraph`",
    "STYLE_SEPARATOR": "`:::`", "VERTEX_WITH_PROPS_START": "`[|`",
    "SHAPE_DATA": "shape data `@{...}`", "GRAPH": "diagram header",
    "NODIR": "end of the header line", "MINUS": "`-`", "MULT": "`*`", "BRKT": "`#`",
}
# Tokens shown by their text, quoted: links, strings, names.
_BY_TEXT = {"LINK": "link", "START_LINK": "link", "STR": "string", "MD_STR": "markdown string",
            "DIR": "direction"}

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
    text = (problem.found_text.strip() or problem.found_text)[:30]
    kind = _BY_TEXT.get(problem.found)
    if kind == "string" or kind == "markdown string":
        return f'{kind} "{text}"'
    return f"{kind} `{text}`" if kind else f"`{text}`"


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
    if problem.lexical and problem.found_text == "=":
        return ("Mermaid cannot read `=` here: a single `=` belongs to no id or link",
                ("Thick links are `==>` and `===`; an id cannot hold `=`. Text with `=` goes in "
                 "a quoted label: `A[\"x = 1\"]`; in a style, write `fill:#fff`.",))
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


_ID_PARTS = frozenset({"NUM", "NODE_STRING", "DOWN", "MINUS", "DEFAULT", "COMMA", "COLON",
                       "AMP", "BRKT", "MULT", "UNICODE_TEXT"})
_SUMMARISED = frozenset({"NEWLINE", "SEMI", "EOF", "SQS", "PS", "DIAMOND_START", "LINK",
                         "START_LINK"})


def _summarise(expected: frozenset[str]) -> str:
    names = []
    wants_id = "NODE_STRING" in expected or "NUM" in expected
    if wants_id:
        names.append("a node id")
    if "LINK" in expected or "START_LINK" in expected:
        names.append("a link such as `-->`")
    if expected & {"SQS", "PS", "DIAMOND_START"}:
        names.append("a node shape")
    if expected & {"NEWLINE", "SEMI", "EOF"}:
        names.append("the end of the statement")
    for token in sorted(expected):
        if token in _SUMMARISED or (wants_id and token in _ID_PARTS):
            continue  # already said, or part of "a node id"
        if token in _SHOWN and len(names) < 6:
            names.append("a space" if token == "SPACE" else _SHOWN[token])
    if not names:
        return "something else"
    return ", ".join(names[:-1]) + (" or " if len(names) > 1 else "") + names[-1]
