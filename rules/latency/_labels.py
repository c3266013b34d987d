"""The labels the ML rules read (node labels, edge labels, subgraph titles), and where a piece of
a label's text lies in the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mermaidlint.flowchart.ast import Subgraph
from mermaidlint.positions import Span

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Label, Link, Node, Statement
    from mermaidlint.rule import RuleContext


class LabelHooks:
    """Hooks that hand every label of a diagram to ``label()``; mixed into a Rule."""

    def label(self, label: Label, ctx: RuleContext) -> None:
        raise NotImplementedError

    def node(self, node: Node, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        if node.label is not None:
            self.label(node.label, ctx)

    def link(self, link: Link, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        if link.label is not None:
            self.label(link.label, ctx)

    def statement(self, stmt: Statement, parents: tuple[Subgraph, ...],
                  ctx: RuleContext) -> None:
        if isinstance(stmt, Subgraph) and stmt.title is not None:
            self.label(stmt.title, ctx)


def text_span(ctx: RuleContext, label: Label, start: int, end: int) -> tuple[Span, bool]:
    """The file span of ``label.text[start:end]``, and whether it is exact.

    The label's text is the file's text between its delimiters, except where the diagram's
    lines lost a container prefix (a label running over lines of a list item or a quote); then
    the whole label is the best position, and no fix may be offered.
    """
    span = label.span
    if ctx.source.text[span.start:span.end] == label.text:
        return Span(span.start + start, span.start + end), True
    return span, False
