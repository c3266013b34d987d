"""MP003: in a diagram drawn in planes, a node that is in none."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.rule import Rule, RuleContext

from ._diagram import analyse


class NodeWithoutPlane(Rule):
    code: ClassVar[str] = "MP003"
    name: ClassVar[str] = "node-without-plane"
    summary: ClassVar[str] = "A node of a plane diagram belongs to no plane"
    # Off by default: on the Atlas corpus most of what it finds is deliberate (see below).
    enabled_by_default: ClassVar[bool] = False
    explanation: ClassVar[str] = """\
**What it does.** In a diagram drawn in planes (its nodes are in at least two different planes,
by plane subgraph such as `subgraph EdgePlane["Edge Plane"]` or by plane class such as
`:::serviceStyle`), finds the nodes that are in no plane: no plane class and no plane subgraph
around them. Reported once per node, at its first mention.

**Off by default.** On the Atlas corpus (1,785 flowcharts) it finds 521 nodes; in a sample of
thirty, about a third were components someone forgot to place, the rest were left out on
purpose: the users and client apps drawn outside the system, the steps of debugging flowcharts
that colour only some steps, and annotation nodes ("Cache Performance"). Select it
(`extend-select = ["MP003"]`) for diagrams where every box is a component.

**Why.** Gate 3: every component of a plane diagram is in one of the four planes, so the colours
tell the whole story; a node left out is either forgotten or belongs to a plane nobody named.

Bad:
```mermaid
flowchart LR
    subgraph EdgePlane["Edge Plane"]
        CDN[Content delivery network]
    end
    Cache[(Cache)]
    CDN --> Cache
```
Good:
```mermaid
flowchart LR
    subgraph EdgePlane["Edge Plane"]
        CDN[Content delivery network]
    end
    subgraph StatePlane["State Plane"]
        Cache[(Cache)]
    end
    CDN --> Cache
```
"""

    def end(self, ctx: RuleContext) -> None:
        diagram = analyse(ctx)
        if len(diagram.planes_in_use) < 2:
            return  # one "Service Layer" subgraph or one highlighted node is no plane diagram
        for node_id, facts in diagram.nodes.items():
            if diagram.planes.get(node_id) is None:
                ctx.report(
                    facts.first.span,
                    f"`{node_id}` is in no plane: give it a plane class or move it into a plane "
                    "subgraph",
                )
