"""Check one diagram: Mermaid's clean-up, type detection, parsing, then the rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from mermaidlint.detect import FLOWCHART_TYPES, detect_type
from mermaidlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from mermaidlint.document import Diagram, SourceFile
from mermaidlint.engine import Settings, run_rules
from mermaidlint.flowchart.ast import Chain, Comment, Flowchart, LinkStyle, Subgraph
from mermaidlint.flowchart.build import Builder
from mermaidlint.flowchart.messages import describe_problem
from mermaidlint.flowchart.parser import CST, SyntaxProblem, parse_tokens
from mermaidlint.flowchart.repair import repair
from mermaidlint.flowchart.shapes import shape_problem
from mermaidlint.positions import Span
from mermaidlint.preprocess import OffsetMap, Preprocessed, prepare_for_parser, preprocess

if TYPE_CHECKING:
    from mermaidlint.select import Selection


def _span(diagram: Diagram, pre: Preprocessed, start: int, end: int) -> Span:
    return diagram.file_span(pre.original_offset(start), pre.original_offset(end))


def _first_line_span(diagram: Diagram, pre: Preprocessed) -> Span:
    code = pre.code
    end = code.find("\n")
    end = len(code) if end < 0 else end
    return _span(diagram, pre, 0, max(0, end))


def check_diagram(source: SourceFile, diagram: Diagram, settings: Settings,
                  selection: Selection | None = None) -> list[Diagnostic]:
    """Mermaid's verdict on one diagram and, for a flowchart it parses, the rules' findings
    (``selection``: the rules to run, when the caller has the file's already)."""
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
            span=_span(diagram, pre, _reported_start(pre.code, problem), problem.end),
            severity=Severity.ERROR,
        ))
    if outcome.tree is None:
        if not settings.syntax_repair:
            return diagnostics
        errors = [pre.original_offset(problem.start) for problem in outcome.problems]
        return _offer_repair(diagram, diagnostics, errors)
    chart = parse_flowchart_tree(outcome.tree, diagram, pre)
    diagnostics.extend(semantic_errors(chart, pre.code))
    # The rules see the AST of every flowchart Mermaid parses (one walk for all of them);
    # suppression comments are applied by the caller, to parsed and unparsed diagrams alike.
    diagnostics.extend(run_rules(source, diagram, chart, settings, selection))
    return diagnostics


def _offer_repair(diagram: Diagram, diagnostics: list[Diagnostic], errors: list[int]
                  ) -> list[Diagnostic]:
    """Attach the syntax repair (quoted labels) to a refused diagram's syntax errors
    (``errors``: their offsets in the diagram's text, as the repair's first round needs)."""
    repaired = repair(diagram.text, errors)
    if repaired is None:
        return diagnostics
    edits = tuple(_line_edits(diagram, diagram.text, repaired))
    fix = Fix(edits, Applicability.SAFE, "quote labels that hold characters Mermaid rejects")
    return [replace(d, fix=fix) if d.code == "MS001" else d for d in diagnostics]


def _line_edits(diagram: Diagram, old: str, new: str) -> list[Edit]:
    """One edit per changed line (repairs never add or remove lines), trimmed to the change."""
    edits = []
    offset = 0
    for old_line, new_line in zip(old.split("\n"), new.split("\n"), strict=True):
        if old_line != new_line:
            head = 0
            while head < min(len(old_line), len(new_line)) and old_line[head] == new_line[head]:
                head += 1
            tail = 0
            while (tail < min(len(old_line), len(new_line)) - head
                   and old_line[-1 - tail] == new_line[-1 - tail]):
                tail += 1
            edits.append(Edit(diagram.file_span(offset + head, offset + len(old_line) - tail),
                              new_line[head:len(new_line) - tail]))
        offset += len(old_line) + 1
    return edits


def _reported_start(code: str, problem: SyntaxProblem) -> int:
    """Start the span on the line Mermaid blames.

    Usually that is the offending token's line; when Mermaid blames an earlier line (the token
    it last accepted started there), the span reaches back to it, so the diagnostic sits on
    Mermaid's line and still covers the token that is wrong.
    """
    blame = problem.blame_start
    if blame is None or blame >= problem.start or "\n" not in code[blame:problem.start]:
        return problem.start
    return blame


def parse_flowchart_tree(tree: CST, diagram: Diagram, pre: Preprocessed) -> Flowchart:
    """The AST, its spans in the original file, with the diagram's `%%` comments attached."""
    chart = Builder(pre.code, _slow_map(diagram, pre), _file_table(diagram, pre)).flowchart(tree)
    chart.comments = [_comment(diagram, start, end) for start, end in pre.comments]
    return chart


def _slow_map(diagram: Diagram, pre: Preprocessed) -> Callable[[int], int]:
    def to_file(offset: int) -> int:
        return diagram.file_offset(pre.original_offset(offset))

    return to_file


def _file_map(diagram: Diagram, pre: Preprocessed) -> Callable[[int], int]:
    """One map from parsed-text offsets straight to file offsets."""
    table = _file_table(diagram, pre)
    slow = _slow_map(diagram, pre)
    if table is None:
        return slow
    last = len(table) - 1

    def to_file(offset: int) -> int:
        return table[offset] if 0 <= offset <= last else slow(offset)

    return to_file


def _file_table(diagram: Diagram, pre: Preprocessed) -> Sequence[int] | None:
    """The file offset of offsets of the parsed text, as a sequence indexed by offset (the AST
    asks for hundreds per diagram): the diagram's line table pulled through the clean-up's
    maps. It may stop short of the last offset (the appended line break), which is then mapped
    on its own. None when the maps do not fit together (then every offset is)."""
    table = _line_table(diagram)
    if table is None or not pre.maps:
        return None
    # A range (every line at the same distance from its place in the file) never exceeds its
    # last value, the end of the diagram; a list is checked at the end.
    bounded = isinstance(table, range)
    last = len(pre.maps) - 1
    for k, offset_map in enumerate(pre.maps):  # maps[0] maps onto the diagram text
        ends = offset_map._ends
        size = ends[-1] if ends else len(table) - 1
        if k == last and _appended_line_break(offset_map, size):
            # (the line break the clean-up appends: the table stops short of it, and it
            # changes no other offset, so the table is not copied through it)
            if len(table) != len(pre.code):
                return None
            break
        pulled = offset_map.pull(table, size)
        if pulled is None:
            return None
        table = pulled
    else:
        if len(table) != len(pre.code) + 1:
            return None
    if not bounded:
        limit = diagram.file_offset(len(diagram.text))
        if max(table) > limit:
            table = [min(value, limit) for value in table]
    return table


def _appended_line_break(offset_map: OffsetMap, size: int) -> bool:
    """Is this the map of the line break appended to a text of ``size - 1`` characters
    (every offset maps onto itself, the last onto the one before)?"""
    end = size - 1
    return (offset_map._starts == [0, end] and offset_map._ends == [end, size]
            and offset_map._old_starts == [0, end] and offset_map._old_ends == [end, end]
            and offset_map._exact == [True, False])


def _line_table(diagram: Diagram) -> Sequence[int] | None:
    """``[diagram.file_offset(offset) for offset in range(len(diagram.text) + 1)]``: a range
    when every line lies at the same distance from its place in the file (a fence at the
    margin), else a list."""
    if diagram.text_offset is not None:
        return range(diagram.text_offset, diagram.text_offset + len(diagram.text) + 1)
    lines = diagram.lines
    if not lines:
        return None
    starts = diagram.line_starts()
    shift = lines[0].file_offset - starts[0]
    if all(line.file_offset - start == shift and not line.virtual_prefix
           for line, start in zip(lines, starts, strict=True)):
        return range(shift, shift + len(diagram.text) + 1)
    table: list[int] = []
    extend = table.extend
    for line in lines:
        first, length, virtual = line.file_offset, line.length, line.virtual_prefix
        if virtual > length:
            return None
        # the virtual prefix maps onto the line's first character, the line break onto its end
        if virtual:
            extend([first] * virtual)
        extend(range(first, first + length - virtual + 1))
    return table if len(table) == len(diagram.text) + 1 else None


def _comment(diagram: Diagram, start: int, end: int) -> Comment:
    """A removed `%%` line; Mermaid's match may include blank lines before it and its newline."""
    text = diagram.text
    begin = text.find("%%", start, end)
    stop = text.find("\n", begin)
    stop = end if stop < 0 or stop > end else stop
    return Comment(text[begin + 2:stop].strip(), diagram.file_span(begin, stop))


def parse_flowchart(source: SourceFile, diagram: Diagram) -> Flowchart | None:
    """The AST of a flowchart diagram, or None when it is not a flowchart Mermaid accepts."""
    pre = preprocess(diagram.text)
    if detect_type(pre.code) not in FLOWCHART_TYPES:
        return None
    prepare_for_parser(pre, flowchart=True)
    outcome = parse_tokens(pre.code)
    if outcome.tree is None:
        return None
    return parse_flowchart_tree(outcome.tree, diagram, pre)


def semantic_errors(chart: Flowchart, code: str | None = None) -> list[Diagnostic]:
    """What Mermaid's flowchart database refuses after a successful parse.

    ``code``, the text that was parsed, if given, spares the walk of a diagram that has none of
    what the checks look at (shape data `@{`, a `subgraph`, a `linkStyle`)."""
    shapes = code is None or "@{" in code
    link_styles = code is None or "linkStyle" in code
    if code is not None and not shapes and not link_styles and "subgraph" not in code:
        return []
    out = []
    edges = 0
    for stmt, _ in chart.statements():
        if isinstance(stmt, Chain):
            if link_styles:
                # Each link joins every node of one group to every node of the next.
                edges += sum(len(link.source) * len(link.target) for link in stmt.links)
            if not shapes:
                continue
            for group in stmt.groups:
                for node in group:
                    if node.shape_data is None:
                        continue
                    shape = node.shape_data.fields.get("shape")
                    problem = shape_problem(shape) if shape is not None else None
                    if problem:
                        out.append(Diagnostic(
                            code="MS004", name="unknown-shape", message=problem,
                            span=node.shape_data.span,
                            notes=("See Mermaid's list of shapes: rect, rounded, stadium, "
                                   "cyl, diam, hex, circle, doc, ...",)))
        elif isinstance(stmt, Subgraph) and stmt.title is None:
            # Mermaid 11 parses a bare `subgraph` line, then fails building it (it reads the
            # title of a subgraph that has none).
            out.append(Diagnostic(
                code="MS006", name="anonymous-subgraph",
                message="a `subgraph` needs an id or a title: Mermaid fails on a bare `subgraph`",
                span=stmt.header_span or stmt.span,
                notes=("Name it: `subgraph Edge[\"Edge Plane\"]` or `subgraph EdgePlane`.",)))
        elif isinstance(stmt, LinkStyle) and stmt.targets is not None:
            for target in stmt.targets:
                if target >= edges:
                    out.append(Diagnostic(
                        code="MS005", name="link-style-out-of-range",
                        message=(f"`linkStyle {target}` names link number {target}, but only "
                                 f"{edges} link{'s' if edges != 1 else ''} come before it "
                                 "(links are numbered from 0 in the order they are written)"),
                        span=stmt.target_span or stmt.span,
                        notes=("Mermaid fails to render a diagram whose linkStyle names a link "
                               "that does not exist yet; move the linkStyle after the link or "
                               "fix the number.",)))
                    break
    return out
