"""MD005: a subgraph `direction` that Mermaid ignores, because a link crosses the subgraph."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import Flowchart, Subgraph
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

    def end(self, ctx: RuleContext) -> None:
        chart, outline = ctx.chart, ctx.outline()
        if chart.header.keyword == "flowchart-elk" or not any(
                sub.direction is not None for sub, _ in outline.subgraphs):
            return
        # Rare: only diagrams with a subgraph direction get this second look.
        inside = _descendants(chart)
        pairs = [(s.id.value, t.id.value)
                 for link, _ in outline.links for s in link.source for t in link.target]
        crossing = {id(sub): _crossing(inside.get(id(sub), set()), pairs)
                    for sub, _ in outline.subgraphs}
        root = _norm(chart.header.direction or "TB")
        for sub, parents in outline.subgraphs:
            direction, link = sub.direction, crossing[id(sub)]
            if direction is None or link is None or len(inside.get(id(sub), ())) < 2:
                continue  # honoured, or nothing to arrange
            used = _layout_direction(parents, crossing, root)
            if _norm(direction.value) == used:
                continue  # ignored, but it asks for what Mermaid draws anyway
            inner, outer = link
            ctx.report(direction.span, (
                f"`direction {direction.value}` is ignored: the link between `{inner}` (inside "
                f"{_name(sub)}) and `{outer}` (outside) crosses the subgraph, so Mermaid lays it "
                f"out {_WORDS[used]} ({used}) with the rest of the diagram"),
                notes=("Link to the subgraph itself instead, or remove the `direction` line.",))


_WORDS = {"TB": "top to bottom", "BT": "bottom to top", "LR": "left to right",
          "RL": "right to left"}


def _norm(direction: str) -> str:
    return {"TD": "TB", "<": "RL", ">": "LR", "^": "BT", "v": "TB"}.get(direction, direction)


def _crossing(members: set[str], pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(inside, outside) ids of the first link crossing the border, if any."""
    for a, b in pairs:
        if (a in members) != (b in members):
            return (a, b) if a in members else (b, a)
    return None


def _layout_direction(parents: tuple[Subgraph, ...],
                      crossing: dict[int, tuple[str, str] | None], root: str) -> str:
    """The direction of the graph a subgraph is laid out in (Mermaid's dagre ``extractor``).

    A subgraph no link crosses is laid out as a graph of its own: in its `direction`, or else
    across its parent's (LR inside TB, TB inside anything else). One that a link crosses stays
    in its parent's graph.
    """
    used = root
    for parent in parents:
        if crossing[id(parent)] is None:
            own = parent.direction
            used = _norm(own.value) if own is not None else ("LR" if used == "TB" else "TB")
    return used


def _name(sub: Subgraph) -> str:
    return f"subgraph `{sub.id.value.strip()}`" if sub.id is not None else "the subgraph"


def _descendants(chart: Flowchart) -> dict[int, set[str]]:
    """id(subgraph) -> every node and subgraph id Mermaid places inside it, at any depth."""
    out: dict[int, set[str]] = {}
    for node_id, parents in membership(chart).items():
        for sub in parents:
            out.setdefault(id(sub), set()).add(node_id)
    return out
