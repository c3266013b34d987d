"""ML001: a latency figure that is malformed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from mermaidlint.diagnostics import Applicability, Edit, Fix
from mermaidlint.rule import Rule, RuleContext

from ._figures import scan
from ._labels import figure_labels, text_span

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Label


class MalformedFigure(Rule):
    code: ClassVar[str] = "ML001"
    name: ClassVar[str] = "malformed-latency-figure"
    summary: ClassVar[str] = "A latency figure lacks its value or unit, or its percentile is wrong"
    fixable: ClassVar[bool] = True
    explanation: ClassVar[str] = """\
**What it does.** Reads the latency figures in node labels, edge labels and subgraph titles
(a percentile and a duration, `p99: 10ms`) and reports the malformed ones:

* a percentile with a colon but no value: `p99:`;
* a value without a unit: `p99: 250` (ms? s?);
* a unit that is not a duration: `p95: 3.2m` (minutes, or metres?);
* a percentile the style guide does not use: `p100: 5ms`, `p98 10ms` (p50, p75, p90, p95,
  p99, p999 and p9999 are; `p99.9` is read as p999);
* the p written after the number: `99p: 10ms`.

Not figures, never reported: `P1`/`P2` priorities, `p3.2xlarge` instance types, `P2P`, `720p`
video, `p99 > 2x baseline`, anything inside a URL, a tag or an entity code.

**Why.** Gate 3: critical paths carry SLO labels (p50, p99, p999). A figure a reader has to
guess at is no SLO.

**Fix (safe).** `99p: 10ms` becomes `p99: 10ms`; the other cases need the author.

Bad:
```mermaid
flowchart LR
    API -->|"p99: 250"| DB
```
Good:
```mermaid
flowchart LR
    API -->|"p99: 250ms"| DB
```
"""

    def end(self, ctx: RuleContext) -> None:
        for label in figure_labels(ctx):
            self._label(label, ctx)

    def _label(self, label: Label, ctx: RuleContext) -> None:
        for problem in scan(label.text).problems:
            span, exact = text_span(ctx, label, problem.start, problem.end)
            fix = None
            if exact and problem.replacement is not None:
                fix = Fix((Edit(span, problem.replacement),), Applicability.SAFE,
                          f"Write `{problem.replacement}`")
            ctx.report(span, problem.message, fix=fix)
