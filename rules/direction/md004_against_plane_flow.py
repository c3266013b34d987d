"""MD004: a solid arrow that runs against the plane order (State -> Service -> Edge)."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import ArrowHead, Link, Stroke, Subgraph
from mermaidlint.rule import Rule, RuleContext

from ..planes_common import node_planes

# Requests flow down this order; an answer flows back up, drawn dashed. Control is outside it.
ORDER = {"edge": 0, "service": 1, "state": 2}
_STATE_KEY = "MD004.planes"


class AgainstPlaneFlow(Rule):
    code: ClassVar[str] = "MD004"
    name: ClassVar[str] = "against-plane-flow"
    summary: ClassVar[str] = "A solid arrow runs against the plane order Edge -> Service -> State"
    explanation: ClassVar[str] = """\
**What it does.** Reports a solid arrow (`-->`, `==>`) that goes from a later plane to an
earlier one: State to Service, State to Edge, Service to Edge. A node's plane comes from its
classes (`planes.class-names`, e.g. `:::stateStyle`) or else from the subgraph it is in
(`subgraph StatePlane`, `subgraph "Service Plane"`). Dashed arrows (`-.->`) are answers and are
exempt, and so are links touching the Control plane or a node with no plane.

**Why.** Gate 4 of the Atlas quality gates: in the four-plane diagrams, requests flow from the
Edge through the Services to the State, and what comes back is drawn dashed. A solid arrow from
the database to the API reads as the database calling the API; if it is the answer, dash it; if
the State plane really pushes (a change stream, a queue consumer), say so in the label and
suppress the finding.

Bad:
```mermaid
flowchart LR
    subgraph ServicePlane[Service Plane]
        API
    end
    subgraph StatePlane[State Plane]
        DB[(Orders DB)]
    end
    API --> DB
    DB --> API
```
Good:
```mermaid
flowchart LR
    subgraph ServicePlane[Service Plane]
        API
    end
    subgraph StatePlane[State Plane]
        DB[(Orders DB)]
    end
    API -->|query| DB
    DB -.->|rows| API
```
"""

    def begin(self, ctx: RuleContext) -> None:
        ctx.state[_STATE_KEY] = node_planes(ctx.chart, ctx.config)

    def link(self, link: Link, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        if link.stroke not in (Stroke.NORMAL, Stroke.THICK) or link.bidirectional:
            return
        if not link.directed:
            return
        planes = ctx.state[_STATE_KEY]
        assert isinstance(planes, dict)
        forward = link.end_head is not ArrowHead.NONE
        sources, targets = (link.source, link.target) if forward else (link.target, link.source)
        for source in sources:
            for target in targets:
                src, dst = planes.get(source.id.value), planes.get(target.id.value)
                if src in ORDER and dst in ORDER and ORDER[src] > ORDER[dst]:
                    ctx.report(link.span, (
                        f"solid arrow from `{source.id.value}` ({src.title()} plane) to "
                        f"`{target.id.value}` ({dst.title()} plane) runs against the request "
                        "flow Edge -> Service -> State; if it is an answer, dash it (`-.->`)"))
                    return
