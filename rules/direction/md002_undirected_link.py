"""MD002: a link without an arrow head (`---`, `-.-`, `===`), so data flow has no direction."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.diagnostics import Applicability, Edit, Fix
from mermaidlint.flowchart.ast import Link, Stroke
from mermaidlint.positions import Span
from mermaidlint.rule import Rule, RuleContext

from ._links import arrow_end


class UndirectedLink(Rule):
    code: ClassVar[str] = "MD002"
    name: ClassVar[str] = "undirected-link"
    summary: ClassVar[str] = "A link without an arrow head hides which way data flows"
    fixable: ClassVar[bool] = True
    enabled_by_default: ClassVar[bool] = False
    explanation: ClassVar[str] = """\
**What it does.** Reports links drawn without any head: `---`, `-.-`, `===` (and their longer
and labelled forms, `A -- text --- B`, `A ---|text| B`). Invisible links (`~~~`) only steer the
layout and are left alone.

**Why.** Gate 4 of the Atlas quality gates: every link in an architecture diagram shows which
way data flows. A plain line between a service and its database says they are related, not who
calls whom.

**Opt-in.** Not enabled by default: on the Atlas corpus (2,577 diagrams) every one of its 14
findings was a line that deliberately shows no flow: the CAP triangle, teams side by side in a
Conway's-law picture, bulkheads between failure domains, dotted annotation links carrying a
note. Select it (`extend-select = ["MD002"]`) where every link is meant to carry data.

**Fix (unsafe).** Turns the line into an arrow from the left node to the right one (`---` to
`-->`, `-.-` to `-.->`, `===` to `==>`). It is unsafe because only the author knows whether
the data flows left to right.

Bad:
```mermaid
flowchart LR
    API --- DB
```
Good:
```mermaid
flowchart LR
    API -->|SQL| DB
```
"""

    # The links are read in `end`, off the shared outline, rather than by a `link` hook: cheaper
    # than a call per link of every diagram (see mermaidlint.rule).
    def end(self, ctx: RuleContext) -> None:
        for link, _ in ctx.outline().links:
            if not link.directed and link.stroke is not Stroke.INVISIBLE:
                self._link(link, ctx)

    def _link(self, link: Link, ctx: RuleContext) -> None:
        end = arrow_end(link, ctx.source.text)
        arrow = f"{link.arrow[:-1]}>" if link.stroke is not Stroke.DOTTED else f"{link.arrow}>"
        edit = (Edit(Span(end - 1, end), ">") if link.stroke is not Stroke.DOTTED
                else Edit(Span(end, end), ">"))
        ctx.report(Span(link.span.start, end),
                   f"`{link.arrow}` has no arrow head: which way does the data flow? "
                   f"(`{arrow}` if it flows from left to right)",
                   fix=Fix((edit,), Applicability.UNSAFE, f"Replace `{link.arrow}` by `{arrow}`"))
