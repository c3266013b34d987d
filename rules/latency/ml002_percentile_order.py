"""ML002: percentiles out of order in one label (p50 larger than p99)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mermaidlint.rule import Rule, RuleContext

from ._figures import Figure, all_measures
from ._labels import figure_labels, text_span

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Label


class PercentileOrder(Rule):
    code: ClassVar[str] = "ML002"
    name: ClassVar[str] = "percentiles-out-of-order"
    summary: ClassVar[str] = "A higher percentile is faster than a lower one in the same label"
    explanation: ClassVar[str] = """\
**What it does.** Compares the latency figures of one label (node label, edge label or
subgraph title), in one unit: a higher percentile can never be faster than a lower one, so
`p50: 45ms, p99: 20ms` is a typo or two figures swapped. Figures are read in all the ways the
corpus writes them: `p99: 20ms`, `p99 latency: 20ms`, `20ms p99`, `p99 < 20ms`.

A label that gives one percentile twice (a before and an after, a target and an alert
threshold) or a negative figure (`p99: -28ms`, a change) is not compared: its figures are not
one distribution.

**Why.** Gate 3: SLO labels are read at 3 AM; one that contradicts itself sends the reader the
wrong way.

Bad:
```mermaid
flowchart LR
    API["API<br/>p50: 45ms<br/>p99: 20ms"]
```
Good:
```mermaid
flowchart LR
    API["API<br/>p50: 20ms<br/>p99: 45ms"]
```
"""

    def end(self, ctx: RuleContext) -> None:
        for label in figure_labels(ctx):
            self._label(label, ctx)

    def _label(self, label: Label, ctx: RuleContext) -> None:
        measures = all_measures(label.text)
        if len(measures) < 2 or any(negative for _, _, negative in measures):
            return
        if len({f.rank for f, _, _ in measures}) < len(measures):
            return  # one percentile twice: before/after, target/alert
        for figure, value, _ in measures:
            slower = _slower_lower_percentile(figure, value, measures)
            if slower is not None:
                span, _ = text_span(ctx, label, figure.start, figure.end)
                lower = label.text[slower.start:slower.end]
                ctx.report(span, f"`{label.text[figure.start:figure.end]}` is faster than "
                                 f"`{lower}`: a higher percentile cannot be lower")


def _slower_lower_percentile(figure: Figure, value: float,
                             measures: list[tuple[Figure, float, bool]]) -> Figure | None:
    for other, other_value, _ in measures:
        if other.rank < figure.rank and other_value > value:
            return other
    return None
