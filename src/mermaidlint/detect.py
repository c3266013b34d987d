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


def _prefix(word: str) -> re.Pattern[str]:
    return re.compile(r"\A[" + S + r"]*(?:" + word + ")")


# (type, detector) in the order Mermaid registers them. Types are Mermaid's names.
DETECTORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("c4", re.compile(r"\A[" + S + r"]*C4Context|C4Container|C4Component|C4Dynamic|C4Deployment")),
    ("kanban", _prefix("kanban")),
    ("classDiagram", _prefix("classDiagram")),
    ("er", _prefix("erDiagram")),
    ("gantt", _prefix("gantt")),
    ("info", _prefix("info")),
    ("pie", _prefix("pie")),
    ("requirement", _prefix("requirement(?:Diagram)?")),
    ("sequence", _prefix("sequenceDiagram")),
    ("flowchart-elk", _prefix("flowchart-elk")),
    ("flowchart-v2", _prefix("flowchart")),
    ("flowchart", _prefix("graph")),
    ("mindmap", _prefix("mindmap")),
    ("timeline", _prefix("timeline")),
    ("gitGraph", _prefix("gitGraph")),
    ("stateDiagram", _prefix("stateDiagram")),
    ("journey", _prefix("journey")),
    ("quadrantChart", _prefix("quadrantChart")),
    ("sankey", _prefix("sankey(?:-beta)?")),
    ("packet", _prefix("packet(?:-beta)?")),
    ("xychart", _prefix("xychart(?:-beta)?")),
    ("block", _prefix("block(?:-beta)?")),
    ("radar", _prefix("radar-beta")),
    ("architecture", _prefix("architecture(?:-beta)?")),
    ("treemap", _prefix("treemap(?:-beta)?")),
    ("venn", _prefix("venn-beta")),
    ("ishikawa", _prefix("ishikawa(?:-beta)?")),
    ("zenuml", _prefix("zenuml")),
)

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
    c4 = "C4" in text  # (the C4 detector, unanchored after its first word, scans the text)
    for kind, detector in DETECTORS:
        if (c4 or kind != "c4") and detector.search(text):
            return kind
    return None
