"""The labels a reader sees in a diagram (node labels, edge labels, subgraph titles), in file
order, and where a piece of a label's text lies in the file.

Shared by the ML rules and MA001: each reads every label of a diagram once, in its ``end`` hook,
from one list gathered per diagram (the ML rules only the labels that may hold a figure).
(Defining ``node``/``link``/``statement`` hooks in four rules would cost a call per rule for
every statement of every diagram, several times what the rules themselves do on the Atlas
corpus.)
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from mermaidlint.flowchart.ast import Chain, Subgraph
from mermaidlint.positions import Span

from ._figures import FIGURE_START

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Flowchart, Label, Statement
    from mermaidlint.rule import RuleContext

_cache: list[tuple[Flowchart, list[Label]]] = []
_START = attrgetter("span.start")


def chart_labels(chart: Flowchart) -> list[Label]:
    """Every label of ``chart`` in file order (kept for the diagram being checked)."""
    if _cache and _cache[0][0] is chart:
        return _cache[0][1]
    labels: list[Label] = []
    _collect(chart.body, labels)
    labels.sort(key=_START)
    _cache[:] = [(chart, labels)]
    return labels


_FIGURE_LABELS = "ML.figure-labels"


def figure_labels(ctx: RuleContext) -> list[Label]:
    """The labels of the diagram that may hold a latency figure, in file order: worked out once
    per diagram for the ML rules (a few hundred of the Atlas corpus's 32,000 labels)."""
    found = ctx.shared.get(_FIGURE_LABELS)
    if not isinstance(found, list):
        may_hold = FIGURE_START.search
        found = ctx.shared[_FIGURE_LABELS] = [
            label for label in chart_labels(ctx.chart) if may_hold(label.text) is not None]
    return found


def _collect(body: list[Statement], labels: list[Label]) -> None:
    # Plain loops and appends: this runs over every node and link of every diagram.
    for stmt in body:
        if isinstance(stmt, Chain):
            for group in stmt.groups:
                for node in group:
                    if node.label is not None:
                        labels.append(node.label)
            for link in stmt.links:
                if link.label is not None:
                    labels.append(link.label)
        elif isinstance(stmt, Subgraph):
            if stmt.title is not None:
                labels.append(stmt.title)
            _collect(stmt.body, labels)


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
