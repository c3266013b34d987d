"""MS107: `A---oB` / `A--xB`: a node id glued to a link is read as a circle or cross head."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import ArrowHead, Link
from mermaidlint.rule import Rule, RuleContext

from ..direction._links import arrow_end

_HEADS = (ArrowHead.CIRCLE, ArrowHead.CROSS)


class CircleCrossEdgeTrap(Rule):
    code: ClassVar[str] = "MS107"
    name: ClassVar[str] = "circle-cross-edge-trap"
    summary: ClassVar[str] = "`A---oB` is a circle-headed link to `B`, not a link to `oB`"
    explanation: ClassVar[str] = """\
**What it does.** Reports a link ending in a circle (`o`) or cross (`x`) head that is glued to
the next node id, as in `A---oB`, `A--xray` or `A==oB`.

**Why.** Mermaid's lexer takes an `o` or `x` right after `--`, `==` or `-.-` as an arrow head:
`A---oB` is a circle-headed link from `A` to `B`, and `A--xray` a cross-headed link to `ray`.
When the author meant a plain line to a node `oB` (or `xray`), the diagram renders, with the
wrong node and the wrong head, and nothing complains. (`A-->oB` is safe: the `>` head already
ended the link.)

**Instead.** Put spaces around links: `A --o B` for a circle head, `A --- oB` for a node `oB`.

Bad:
```mermaid
flowchart LR
    A---oB
```
Good:
```mermaid
flowchart LR
    A --- oB
```
"""

    # The links are read in `end`, off the shared outline, rather than by a `link` hook: cheaper
    # than a call per link of every diagram (see mermaidlint.rule).
    def end(self, ctx: RuleContext) -> None:
        for link, _ in ctx.outline().links:
            if link.end_head in _HEADS and link.target:
                self._link(link, ctx)

    def _link(self, link: Link, ctx: RuleContext) -> None:
        text = ctx.source.text
        end = arrow_end(link, text)
        target = link.target[0]
        if target.id.span.start != end or text[end - 1] not in "ox":
            return
        head = text[end - 1]
        glued = head + target.id.value
        kind = "circle" if head == "o" else "cross"
        # Only worked out for a finding: the whole diagram's ids cost a walk of it.
        ids = ctx.chart.defined_node_ids()
        also = f" (`{glued}` is a node elsewhere in this diagram)" if glued in ids else ""
        ctx.report(link.span.cover(target.id.span), (
            f"`{text[link.span.start:target.id.span.end]}` is read as a {kind}-headed link to "
            f"`{target.id.value}`, not as a link to `{glued}`{also}; add spaces to say which "
            f"is meant (`--{head} {target.id.value}` or `--- {glued}`)"))
