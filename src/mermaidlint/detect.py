"""Which kind of diagram is this? Mermaid's own detectors, in Mermaid's order.

Mermaid tries each registered diagram's detector on the cleaned-up text and takes the first that
says yes; if none does, it refuses the diagram ("No diagram type detected"). The detectors are
prefix tests on the text (after front matter, directives and comments are removed), and their
quirks are kept: ``graphs`` is detected as a flowchart (and then fails to parse), and the C4
detector's alternation is unanchored after its first word.
"""

from __future__ import annotations

import re

from mermaidlint.flowchart.lexer import S
from mermaidlint.preprocess import DIRECTIVE, FRONT_MATTER

_ANY_COMMENT = re.compile(r"[" + S + r"]*%%" + r"[^\n\r\u2028\u2029]*\n", re.M)


# JavaScript's blanks (the lexer's S, which the detectors skip), as characters for str.lstrip.
JS_BLANKS = ("\t\n\x0b\x0c\r \xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B))
             + "\u2028\u2029\u202f\u205f\u3000\ufeff")

# (type, prefix) in the order Mermaid registers them; Mermaid's names. Each detector is a regular
# expression `^\s*word...` (JavaScript's \s): the text, blanks skipped, starts with the word
# (what a pattern allows after it, `requirement(?:Diagram)?`, `sankey(?:-beta)?`, changes nothing
# in a prefix test). Testing prefixes spares compiling 30 patterns in every process, and
# searching with each of them on every diagram. (The tests compare with the expressions.)
DETECTORS: tuple[tuple[str, str], ...] = (
    ("c4", "C4Context"),  # (and see _C4_ANYWHERE)
    ("kanban", "kanban"),
    ("classDiagram", "classDiagram"),
    ("er", "erDiagram"),
    ("gantt", "gantt"),
    ("info", "info"),
    ("pie", "pie"),
    ("requirement", "requirement"),
    ("sequence", "sequenceDiagram"),
    ("flowchart-elk", "flowchart-elk"),
    ("flowchart-v2", "flowchart"),
    ("flowchart", "graph"),
    ("mindmap", "mindmap"),
    ("timeline", "timeline"),
    ("gitGraph", "gitGraph"),
    ("stateDiagram", "stateDiagram"),
    ("journey", "journey"),
    ("quadrantChart", "quadrantChart"),
    ("sankey", "sankey"),
    ("packet", "packet"),
    ("xychart", "xychart"),
    ("block", "block"),
    ("radar", "radar-beta"),
    ("architecture", "architecture"),
    ("treemap", "treemap"),
    ("venn", "venn-beta"),
    ("ishikawa", "ishikawa"),
    ("zenuml", "zenuml"),
)
# The C4 detector's quirk: `^\s*C4Context|C4Container|...`, its alternation unanchored after the
# first word, also takes a text holding any of the others anywhere.
_C4_ANYWHERE = ("C4Container", "C4Component", "C4Dynamic", "C4Deployment")

# Python's \s and str.strip() agree on what a blank is (both ask Py_UNICODE_ISSPACE).
_ONLY_WORD = re.compile(r"\s*(\S{5})\s*\Z")  # a text that is one five-letter word
_DASHES_FIRST = re.compile(r"\s*---")

FLOWCHART_TYPES = frozenset({"flowchart", "flowchart-v2", "flowchart-elk"})


def detect_type(code: str) -> str | None:
    """Mermaid's diagram type for already cleaned-up ``code``; None when Mermaid knows none."""
    # (`code.lower().strip() == "error"` and `code.lower().lstrip().startswith("---")`, asked
    # without lowering and copying the whole text twice, which cost more than the detectors)
    word = _ONLY_WORD.match(code)
    if word is not None and word.group(1).lower() == "error":
        return "error"
    if _DASHES_FIRST.match(code):
        return "---"
    text = FRONT_MATTER.sub("", code, count=1)
    # Each of these searches scans the whole text; the string every match holds is found much
    # faster (the clean-up has usually removed every `%%` already).
    if "%%{" in text:
        text = DIRECTIVE.sub("", text)
    if "%%" in text:
        text = _ANY_COMMENT.sub("\n", text)
    if "C4" in text and any(name in text for name in _C4_ANYWHERE):
        return "c4"
    start = text.lstrip(JS_BLANKS)
    for kind, prefix in DETECTORS:
        if start.startswith(prefix):
            return kind
    return None
