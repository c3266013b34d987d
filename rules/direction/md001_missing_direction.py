"""MD001: a flowchart header without a direction (`graph` / `flowchart` alone)."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.diagnostics import Applicability, Edit, Fix
from mermaidlint.flowchart.ast import Direction
from mermaidlint.positions import Span
from mermaidlint.rule import Rule, RuleContext


class MissingDirection(Rule):
    code: ClassVar[str] = "MD001"
    name: ClassVar[str] = "missing-direction"
    summary: ClassVar[str] = "A flowchart header without a direction (`graph` or `flowchart` alone)"
    fixable: ClassVar[bool] = True
    explanation: ClassVar[str] = """\
**What it does.** Reports a `graph` or `flowchart` header that does not say which way the
diagram flows (`TD`/`TB`, `BT`, `LR`, `RL`).

**Why.** Gate 4 of the Atlas quality gates asks for a clear data-flow direction. Without one,
Mermaid draws top to bottom, which a reader cannot tell from the source was meant, and which an
editor may "fix" differently in every diagram. A `direction LR` line at the top level does not
help: Mermaid 11 ignores it outside a subgraph (the diagram is still drawn top to bottom).

**Fix.** Adds ` TD` after the keyword: safe, as that is what Mermaid already draws. When the
diagram has a top-level `direction` line, the fix writes that direction into the header instead
(unsafe: it changes the drawing to what the author asked for).

Bad:
```mermaid
graph
    Client --> API
```
Good:
```mermaid
graph TD
    Client --> API
```
"""

    def begin(self, ctx: RuleContext) -> None:
        header = ctx.chart.header
        if header.direction is not None:
            return
        at = header.span.start + len(header.keyword)
        wanted = next((s for s in ctx.chart.body if isinstance(s, Direction)), None)
        if wanted is None:
            ctx.report(header.span, f"`{header.keyword}` without a direction: Mermaid draws it "
                       f"top to bottom; say so (`{header.keyword} TD`) or pick another",
                       fix=Fix((Edit(Span(at, at), " TD"),), Applicability.SAFE,
                               "Add ` TD`, the direction Mermaid draws"))
            return
        ctx.report(header.span, f"`{header.keyword}` without a direction: the top-level "
                   f"`direction {wanted.value}` is ignored by Mermaid, which draws it top to "
                   f"bottom; write `{header.keyword} {wanted.value}`",
                   fix=Fix((Edit(Span(at, at), f" {wanted.value}"),), Applicability.UNSAFE,
                           f"Put `{wanted.value}` in the header"),
                   notes=("A `direction` statement only takes effect inside a subgraph.",))
