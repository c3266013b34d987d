"""Diagnostics for whole diagrams: what Mermaid refuses, where, and in what words."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mermaidlint.check import (
    _file_map,
    _file_table,
    check_diagram,
    parse_flowchart,
    semantic_errors,
)
from mermaidlint.document import Diagram, DiagramLine, SourceFile
from mermaidlint.engine import Settings
from mermaidlint.flowchart.ast import LabelKind
from mermaidlint.positions import LineIndex, Span
from mermaidlint.preprocess import prepare_for_parser, preprocess


def mmd(text: str) -> tuple[SourceFile, Diagram]:
    """A .mmd file: the whole text is one diagram."""
    lines = re.split(r"\r\n|\r|\n", text)
    index = LineIndex(text)
    diagram_lines = [DiagramLine(index.line_start(k + 1), len(line)) for k, line in
                     enumerate(lines)]
    return SourceFile("x.mmd", text), Diagram("\n".join(lines), diagram_lines,
                                              Span(0, len(text)), 1, len(lines))


def findings(text: str) -> list[tuple[str, int, int, str]]:
    source, diagram = mmd(text)
    index = LineIndex(text)
    out = []
    for d in check_diagram(source, diagram, Settings()):
        pos = index.position(d.span.start)
        out.append((d.code, pos.line, pos.column, d.message))
    return out


def test_parenthesis_in_unquoted_label_points_at_it_and_says_quote() -> None:
    text = "flowchart TD\n    A[Cache (LRU)] --> B\n"
    source, diagram = mmd(text)
    [d] = check_diagram(source, diagram, Settings())
    assert d.code == "MS001" and d.name == "syntax-error"
    assert text[d.span.start:d.span.end] == "("
    assert "unquoted node label" in d.message
    assert any('"Cache (LRU)"' in note for note in d.notes)


def test_unknown_diagram_type() -> None:
    [(code, line, column, message)] = findings("sequenceD diagram\n  A->>B: hi\n")
    assert (code, line, column) == ("MS002", 1, 1) and "sequenceD" in message


def test_other_diagram_types_are_recognised_and_not_reported() -> None:
    assert findings("sequenceDiagram\n  A->>B: hi (there)\n") == []
    assert findings("pie\n  \"a\": 1\n") == []


def test_unknown_shape_name() -> None:
    [(code, line, _column, message)] = findings("flowchart TD\n  A@{ shape: blob }\n")
    assert code == "MS004" and line == 2 and "blob" in message
    [(code, *_rest)] = findings("flowchart TD\n  A@{ shape: Rounded }\n")
    assert code == "MS004"
    assert findings("flowchart TD\n  A@{ shape: rounded }\n") == []


def test_link_style_out_of_range_counts_links_written_before_it() -> None:
    assert findings("flowchart TD\nA & B --> C\nlinkStyle 1 stroke:red\n") == []
    [(code, line, column, _message)] = findings("flowchart TD\nA --> B\nlinkStyle 1 stroke:red\n")
    assert (code, line, column) == ("MS005", 3, 11)


def test_error_after_comment_and_directive_lines_is_on_the_right_line() -> None:
    text = "%%{init: {'theme':'dark'}}%%\n%% note\nflowchart TD\n\n  A --> B{x (y)}\n"
    [(code, line, column, _message)] = findings(text)
    assert (code, line, column) == ("MS001", 5, 13)


def test_several_independent_errors_are_reported() -> None:
    text = "flowchart TD\n  A[a (b)c] --> B\n  C --> D\n  E[e (f)g] --> F\n"
    assert [(c, line) for c, line, _col, _m in findings(text)] == [("MS001", 2), ("MS001", 4)]


def test_missing_end_of_subgraph() -> None:
    [(code, _line, _column, message)] = findings("flowchart TD\nsubgraph S\n  A --> B\n")
    assert code == "MS001" and "subgraph" in message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_gives_diagnostics_never_an_exception(text: str) -> None:
    source, diagram = mmd(text)
    for d in check_diagram(source, diagram, Settings()):
        assert 0 <= d.span.start <= d.span.end <= len(text)


_ALPHABET = st.sampled_from([
    "A", "B", "x", "end", "graph", "-->", "---", "==>", "-.->", " ", "\n", "[", "]", "(", ")",
    "{", "}", "|", '"', "&", ";", ":", ":::", "#", "subgraph", "classDef", "style", "%%", "é",
    "\t", "o", "<", ">", "~~~", "@{", "`", "direction TB", "0", ",",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_flowchart_like_text_never_crashes(body: str) -> None:
    source, diagram = mmd("flowchart TD\n" + body)
    check_diagram(source, diagram, Settings())


_IDS = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: s.lower() not in {"end", "graph", "flowchart", "subgraph", "style", "class",
                                "classdef", "click", "linkstyle", "default", "call", "href",
                                "interpolate", "v"} and not s.startswith(("o", "x")))
_LABELS = st.from_regex(r"[A-Za-z0-9 ,.:]{1,12}", fullmatch=True).filter(
    lambda s: s.strip() == s and s.strip() != "")
_SHAPES = st.sampled_from([("[", "]"), ("(", ")"), ("{", "}"), ("([", "])"), ("[[", "]]"),
                           ("((", "))"), ("{{", "}}"), ("[(", ")]")])
_LINKS = st.sampled_from(["-->", "---", "==>", "-.->", "--o", "--x", "<-->"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_IDS, _LABELS, _SHAPES, _LINKS, _IDS), min_size=1, max_size=6),
       st.sampled_from(["", "    ", "\t"]), st.sampled_from(["\n", "\r\n"]))
def test_ast_spans_point_at_the_source_text(statements: list[tuple[str, str, tuple[str, str],
                                                                   str, str]],
                                            indent: str, newline: str) -> None:
    lines = ["flowchart LR"]
    for ident, label, (open_, close), link, target in statements:
        lines.append(f"{indent}{ident}{open_}{label}{close} {link} {target}")
    text = newline.join(lines) + newline
    source, diagram = mmd(text)
    chart = parse_flowchart(source, diagram)
    assert chart is not None, text
    nodes = [node for node, _ in chart.nodes()]
    assert len(nodes) == 2 * len(statements)
    for k, (ident, label, _shape, _link, target) in enumerate(statements):
        first, second = nodes[2 * k], nodes[2 * k + 1]
        assert text[first.id.span.start:first.id.span.end] == ident
        assert first.label is not None and first.label.text == label
        assert text[first.label.span.start:first.label.span.end] == label
        assert text[second.id.span.start:second.id.span.end] == target
    for (link_node, _), (_i, _l, _s, arrow, _t) in zip(chart.links(), statements, strict=False):
        assert text[link_node.span.start:link_node.span.end] == arrow


def test_bare_subgraph_is_refused() -> None:
    # Mermaid 11.17 parses `subgraph` alone, then fails: "Cannot read properties of undefined".
    [(code, line, column, _message)] = findings("flowchart TD\nsubgraph\n  A\nend\n")
    assert (code, line, column) == ("MS006", 2, 1)
    assert findings("flowchart TD\nsubgraph Edge Plane\n  A\nend\n") == []


def test_error_after_end_is_blamed_on_the_end_line() -> None:
    # Mermaid's `end` token swallows the line break and blanks after it, so Mermaid blames the
    # line of the last `end` it accepted; the diagnostic starts there and covers the extra `end`.
    text = "flowchart TD\n  subgraph S\n    A\n  end\n  end\n"
    source, diagram = mmd(text)
    [d] = check_diagram(source, diagram, Settings())
    assert LineIndex(text).position(d.span.start).line == 4
    assert text[d.span.start:d.span.end].rstrip().endswith("end\n  end")


_MAP_PIECES = st.sampled_from([
    "flowchart TD", "\n", "\r\n", "%% c\n", "%%{init: {}}%%\n", "A{x}", "   ", "\n\n",
    "#quot;", "style A fill:#f00;", '<b class="x">', "B", "---\n", "é", "\t", "A --> B",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MAP_PIECES, max_size=25).map("".join), st.sampled_from(["", "  ", "> "]))
def test_file_table_maps_every_offset_like_the_maps_one_by_one(body: str, prefix: str) -> None:
    # A diagram whose lines sit behind a container prefix in the file (a list, a quote).
    lines = re.split(r"\r\n|\r|\n", body)
    text = "\n".join(prefix + line for line in lines)
    index = LineIndex(text)
    diagram_lines = [DiagramLine(index.line_start(k + 1) + len(prefix), len(line))
                     for k, line in enumerate(lines)]
    diagram = Diagram("\n".join(lines), diagram_lines, Span(0, len(text)), 1, len(lines))
    pre = preprocess(diagram.text)
    prepare_for_parser(pre, flowchart=True)
    assert _file_table(diagram, pre) is not None
    to_file = _file_map(diagram, pre)
    assert [to_file(o) for o in range(len(pre.code) + 1)] == [
        diagram.file_offset(pre.original_offset(o)) for o in range(len(pre.code) + 1)]


def test_style_properties_point_at_the_source_text() -> None:
    # Bodies parsed as one token (see parser._merge_styles) give the spans the tokens give.
    text = ("flowchart TD\nA --> B\nclassDef x  fill:#f9f , stroke-width: 2px  \n"
            "style A color:red,stroke:#333\nlinkStyle 0 stroke:blue\n")
    source, diagram = mmd(text)
    chart = parse_flowchart(source, diagram)
    assert chart is not None
    found = [(text[p.span.start:p.span.end], p.key, p.value,
              text[p.value_span.start:p.value_span.end])
             for stmt, _ in chart.statements() for p in getattr(stmt, "properties", [])]
    assert found == [("fill:#f9f", "fill", "#f9f", "#f9f"),
                     ("stroke-width: 2px", "stroke-width", "2px", "2px"),
                     ("color:red", "color", "red", "red"),
                     ("stroke:#333", "stroke", "#333", "#333"),
                     ("stroke:blue", "stroke", "blue", "blue")]


def test_semantic_checks_skipped_only_when_nothing_to_check() -> None:
    for text in ["flowchart TD\nA --> B\n", "flowchart TD\nsubgraph\nA\nend\n",
                 "flowchart TD\nA --> B\nlinkStyle 3 stroke:red\n",
                 "flowchart TD\nA@{ shape: nope }\n"]:
        source, diagram = mmd(text)
        chart = parse_flowchart(source, diagram)
        assert chart is not None
        pre = preprocess(diagram.text)
        prepare_for_parser(pre, flowchart=True)
        assert semantic_errors(chart, pre.code) == semantic_errors(chart)



def test_a_bare_equals_sign_is_unrecognised_text() -> None:
    # Mermaid 11.17.2's lexer refuses `=` outside a link or a label (found by bench/mutations.py:
    # one mistyped `=` in an id, a style or after `end`); `==`, `===`, `==>` and labels still pass.
    cases = {"A=B --> C": (2, 2), "=A --> C": (2, 1), "A --> C\nstyle A fill:=fff": (3, 14),
             "subgraph s\n  A\nend=": (4, 4)}
    for body, (line, column) in cases.items():
        [(code, *position, message)] = findings(f"flowchart TD\n{body}\n")
        assert (code, *position) == ("MS001", line, column), body
        assert message == "Mermaid cannot read `=` here: a single `=` belongs to no id or link"
    for fine in ("A == text ==> B", "A === B", "A[x=1] --> B", "A -->|x=1| B", "A -- a=b --> B"):
        refusals = [f for f in findings(f"flowchart TD\n{fine}\n") if f[0].startswith("MS0")]
        assert refusals == [], fine


# ---- no reference cycles ------------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_checking_leaves_no_reference_cycle() -> None:
    """Once checked, a file's ASTs are freed as soon as they are done with: nothing a check
    makes (the parse, the AST, any rule's analysis, the syntax repair) may hold a reference
    cycle. A cycle keeps everything it reaches (a diagram's whole AST) alive until the cycle
    collector runs, which then has it all to walk and free: a recursive closure in one rule
    once made that a tenth of a corpus run."""
    from mermaidlint.engine import lint_source

    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".md", ".mmd"})
    sources = [SourceFile(str(p.relative_to(FIXTURES)), p.read_text(encoding="utf-8"))
               for p in paths]
    assert len(sources) > 5
    settings_all = Settings(select=("ALL",), syntax_repair=True)
    for source in sources:  # first checks: imports, compiled patterns, caches
        lint_source(SourceFile(source.path, source.text), settings_all)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for source in sources:
            assert lint_source(SourceFile(source.path, source.text), settings_all).diagrams
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_no_rule_keeps_a_checked_file_alive() -> None:
    """What the rules work out per document lives on the document (RuleContext.document_shared),
    not in a module: once checked and let go, a file is freed at once, with all it holds. (A
    module-level memo of MA001's once kept the last file checked alive until the next one.)"""
    import sys

    from mermaidlint.engine import lint_source

    text = ("# Edge\n\nThe WAF (Web Application Firewall) filters.\n\n```mermaid\nflowchart LR\n"
            "    A[WAF] --> B[ALB]\n```\n")
    source = SourceFile("doc.md", text)
    references = sys.getrefcount(source)
    result = lint_source(source, Settings(select=("ALL",)))
    assert [d.code for d in result.diagnostics if d.code == "MA001"] == ["MA001"]  # ALB only
    assert source.rule_data  # the acronym facts were kept with the file ...
    assert sys.getrefcount(source) == references  # ... and nothing else holds on to it


_EVERY_SHAPE = [
    ("square", "[", "]"), ("round", "(", ")"), ("stadium", "([", "])"),
    ("subroutine", "[[", "]]"), ("cylinder", "[(", ")]"), ("circle", "((", "))"),
    ("doublecircle", "(((", ")))"), ("ellipse", "(-", "-)"), ("diamond", "{", "}"),
    ("hexagon", "{{", "}}"), ("odd", ">", "]"), ("trapezoid", "[/", "\\]"),
    ("inv_trapezoid", "[\\", "/]"), ("lean_right", "[/", "/]"), ("lean_left", "[\\", "\\]"),
    ("rect", "[|borders:lt|", "]"),
]
# A label of one token, one of several (tags split it), a string, a markdown string.
_EVERY_KIND = [
    ("Cache", "Cache", LabelKind.TEXT), ("Cache<br/>LRU", "Cache<br/>LRU", LabelKind.TEXT),
    ('"Cache (LRU)"', "Cache (LRU)", LabelKind.STRING),
    ('"`**Cache**`"', "**Cache**", LabelKind.MARKDOWN),
]


@pytest.mark.parametrize(("shape", "opener", "closer"), _EVERY_SHAPE)
@pytest.mark.parametrize(("written", "label_text", "kind"), _EVERY_KIND)
def test_every_shape_gives_its_label(shape: str, opener: str, closer: str, written: str,
                                     label_text: str, kind: LabelKind) -> None:
    text = f"flowchart LR\n  A{opener}{written}{closer} --> B\n"
    source, diagram = mmd(text)
    chart = parse_flowchart(source, diagram)
    assert chart is not None, text
    node = next(node for node, _parents in chart.nodes())
    assert node.shape == shape
    assert node.label is not None
    assert (node.label.text, node.label.kind) == (label_text, kind)
    assert text[node.label.span.start:node.label.span.end] == label_text
    assert text[node.label.outer_span.start:node.label.outer_span.end] == written
    assert text[node.span.start:node.span.end] == f"A{opener}{written}{closer}"
