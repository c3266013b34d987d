"""The labels of a diagram that may hold a latency figure, and where a piece of a label's text
lies in the file.

The ML rules and MA001 read the labels a reader sees (node labels, edge labels, subgraph titles)
from the diagram's shared outline (``RuleContext.outline().labels``, in file order), in their
``end`` hooks; the ML rules only the few that may hold a figure, picked once per diagram here.
(Defining ``node``/``link``/``statement`` hooks in four rules would cost a call per rule for
every statement of every diagram, several times what the rules themselves do on the Atlas
corpus.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mermaidlint.positions import Span

from ._figures import FIGURE_START, FIGURE_START_ASCII

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Label
    from mermaidlint.rule import RuleContext

_FIGURE_LABELS = "ML.figure-labels"


def figure_labels(ctx: RuleContext) -> list[Label]:
    """The labels of the diagram that may hold a latency figure, in file order: worked out once
    per diagram for the ML rules (a few hundred of the Atlas corpus's 32,000 labels)."""
    found = ctx.shared.get(_FIGURE_LABELS)
    if not isinstance(found, list):
        outline = ctx.outline()
        joined, _ = outline.joined_labels()
        # In ASCII text (three diagrams in four) the only digits are 0-9, which the regex
        # engine tells apart faster than any Unicode digit `\d` stands for.
        gate = FIGURE_START_ASCII if joined.isascii() else FIGURE_START
        found = ctx.shared[_FIGURE_LABELS] = outline.labels_matching(gate)
    return found


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
