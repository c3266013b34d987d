"""MD005: a subgraph `direction` that Mermaid ignores, because a link crosses the subgraph."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import Chain, Flowchart, Statement, Subgraph
from mermaidlint.rule import Rule, RuleContext

from ..planes_common import membership


class IgnoredSubgraphDirection(Rule):
    code: ClassVar[str] = "MD005"
    name: ClassVar[str] = "ignored-subgraph-direction"
    summary: ClassVar[str] = "A subgraph's `direction` is ignored because a link crosses its border"
    explanation: ClassVar[str] = """\
**What it does.** Reports a `direction` statement inside a subgraph when a link joins a node
inside that subgraph (or in a subgraph nested in it) to a node outside it, or to the subgraph
itself.

**Why.** Mermaid's default (dagre) layout only lays a subgraph out on its own, in its own
direction, when no link crosses its border; otherwise the subgraph is laid out with the rest of
the diagram and its `direction` is silently ignored (Mermaid's documentation says so, and its
layout code checks exactly this). The author asked for `LR` and gets the diagram's `TB`.

**Instead.** Link to the subgraph itself from outside (`Client --> Backend`, which keeps the
direction), move the crossing links so they join subgraphs rather than nodes, or drop the
`direction` line so that the source says what is drawn. The ELK layout (`flowchart-elk`) is not
checked.

Bad (the `direction LR` is ignored):
```mermaid
flowchart TB
    Client --> API
    subgraph Backend
        direction LR
        API --> Worker --> DB
    end
```
Good:
```mermaid
flowchart TB
    Client --> Backend
    subgraph Backend
        direction LR
        API --> Worker --> DB
    end
```
"""

    def statement(self, stmt: Statement, parents: tuple[Subgraph, ...], ctx: RuleContext
                  ) -> None:
        if isinstance(stmt, Subgraph) and stmt.direction is not None:
            ctx.state["directed"] = True

    def end(self, ctx: RuleContext) -> None:
        chart = ctx.chart
        if not ctx.state.get("directed") or chart.header.keyword == "flowchart-elk":
            return
        # Rare: only diagrams with a subgraph direction get the second look below.
        directed = [(sub, sub.direction) for sub, _ in chart.subgraphs() if sub.direction]
        inside = _descendants(chart)
        pairs = [(s.id.value, t.id.value)
                 for stmt, _ in chart.statements() if isinstance(stmt, Chain)
                 for link in stmt.links for s in link.source for t in link.target]
        for sub, direction in directed:
            assert direction is not None
            members = inside.get(id(sub), set())
            crossing = next(((a, b) for a, b in pairs if (a in members) != (b in members)),
                            None)
            if crossing is None:
                continue
            a, b = crossing
            inner, outer = (a, b) if a in members else (b, a)
            ctx.report(direction.span, (
                f"`direction {direction.value}` is ignored: the link between `{inner}` (inside "
                f"{_name(sub)}) and `{outer}` (outside) crosses the subgraph, so Mermaid lays it "
                f"out with the rest of the diagram"),
                notes=("Link to the subgraph itself instead, or remove the `direction` line.",))


def _name(sub: Subgraph) -> str:
    return f"subgraph `{sub.id.value}`" if sub.id is not None else "the subgraph"


def _descendants(chart: Flowchart) -> dict[int, set[str]]:
    """id(subgraph) -> every node and subgraph id Mermaid places inside it, at any depth."""
    out: dict[int, set[str]] = {}
    for node_id, parents in membership(chart).items():
        for sub in parents:
            out.setdefault(id(sub), set()).add(node_id)
    return out
