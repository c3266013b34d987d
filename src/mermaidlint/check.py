"""Check one diagram: Mermaid's clean-up, type detection, parsing, then the rules."""

from __future__ import annotations

from mermaidlint.detect import FLOWCHART_TYPES, detect_type
from mermaidlint.diagnostics import Diagnostic, Severity
from mermaidlint.document import Diagram, SourceFile
from mermaidlint.engine import Settings
from mermaidlint.flowchart.messages import describe_problem
from mermaidlint.flowchart.parser import parse_tokens
from mermaidlint.positions import Span
from mermaidlint.preprocess import Preprocessed, prepare_for_parser, preprocess


def _span(diagram: Diagram, pre: Preprocessed, start: int, end: int) -> Span:
    return diagram.file_span(pre.original_offset(start), pre.original_offset(end))


def _first_line_span(diagram: Diagram, pre: Preprocessed) -> Span:
    code = pre.code
    end = code.find("\n")
    end = len(code) if end < 0 else end
    return _span(diagram, pre, 0, max(0, end))


def check_diagram(source: SourceFile, diagram: Diagram, settings: Settings) -> list[Diagnostic]:
    pre = preprocess(diagram.text)
    kind = detect_type(pre.code)
    if kind is None:
        first = pre.code.split("\n", 1)[0].strip()
        return [Diagnostic(
            code="MS002", name="unknown-diagram-type",
            message=(f"Mermaid does not know the diagram type `{first[:40]}`" if first else
                     "the diagram is empty: Mermaid needs a diagram type such as `flowchart TD`"),
            span=_first_line_span(diagram, pre),
            notes=("Start the diagram with a type Mermaid knows: `flowchart TD`, `graph LR`, "
                   "`sequenceDiagram`, `classDiagram`, `stateDiagram-v2`, `erDiagram`, `gantt`, "
                   "`pie`, `mindmap`, `timeline`, ...",),
        )]
    if kind == "---":
        return [Diagnostic(
            code="MS003", name="unclosed-front-matter",
            message="the diagram starts with `---` but its front matter is never closed",
            span=_first_line_span(diagram, pre),
            notes=("Front matter is a `---` line, YAML, and another `---` line, both unindented.",),
        )]
    if kind not in FLOWCHART_TYPES:
        return []
    prepare_for_parser(pre, flowchart=True)
    outcome = parse_tokens(pre.code)
    diagnostics = []
    for problem in outcome.problems:
        message, notes = describe_problem(problem)
        diagnostics.append(Diagnostic(
            code="MS001", name="syntax-error", message=message, notes=notes,
            span=_span(diagram, pre, problem.start, problem.end), severity=Severity.ERROR,
        ))
    return diagnostics
