"""MD003: a link with heads at both ends (`<-->`) hides which way a request goes."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import Link, Stroke, Subgraph
from mermaidlint.rule import Rule, RuleContext


class BidirectionalLink(Rule):
    code: ClassVar[str] = "MD003"
    name: ClassVar[str] = "bidirectional-link"
    summary: ClassVar[str] = "A two-headed link (`<-->`) hides which way a request flows"
    explanation: ClassVar[str] = """\
**What it does.** Reports links with a head at both ends: `<-->`, `<==>`, `<-.->`, `o--o`,
`x--x`.

**Why.** Gate 4 of the Atlas quality gates: data flow has a direction. A two-headed arrow says
"they talk" without saying who asks and who answers, which is what a reader of an architecture
diagram needs to know (who depends on whom, where a timeout or a retry happens).

**Instead.** Draw the request as a solid arrow and the answer as a dashed one, or keep one arrow
in the direction of the request and label it.

Bad:
```mermaid
flowchart LR
    API <--> Cache
```
Good:
```mermaid
flowchart LR
    API -->|GET| Cache
    Cache -.->|hit| API
```
"""

    def link(self, link: Link, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        if link.bidirectional and link.stroke is not Stroke.INVISIBLE:
            ctx.report(link.span, f"`{link.arrow}` points both ways: draw the request and the "
                       "answer as two links (the answer dashed), or one arrow in the direction "
                       "of the request")
