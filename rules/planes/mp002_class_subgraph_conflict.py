"""MP002: a node whose class names one plane while the subgraph around it names another."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.rule import Rule, RuleContext

from ..planes_common import plane_of_subgraph
from ._diagram import ClassUse, NodeFacts, PlaneDiagram, analyse


class ClassSubgraphConflict(Rule):
    code: ClassVar[str] = "MP002"
    name: ClassVar[str] = "plane-class-subgraph-conflict"
    summary: ClassVar[str] = "A node's plane class and its plane subgraph name different planes"
    explanation: ClassVar[str] = """\
**What it does.** Finds a node whose plane class (`:::stateStyle`, `class A stateStyle`) puts it
in one plane while the plane subgraph it sits in (`subgraph ServicePlane["Service Plane"]`) says
another. The finding points at the class that decides (the last plane class applied).

**Why.** The diagram contradicts itself: the box is drawn in one plane's colour inside another
plane's frame, and a reader cannot tell which the author meant (Gate 3, plane colours).

Bad:
```mermaid
flowchart TB
    subgraph ServicePlane["Service Plane"]
        Orders[Order service]:::stateStyle
    end
```
Good:
```mermaid
flowchart TB
    subgraph ServicePlane["Service Plane"]
        Orders[Order service]:::serviceStyle
    end
```
"""

    def end(self, ctx: RuleContext) -> None:
        diagram = analyse(ctx)
        if not diagram.plane_subgraphs:
            return  # no subgraph names a plane: no node has a plane frame
        frames: dict[int, str | None] = {}  # by the parents' identity: nodes share them
        for node_id, facts in diagram.nodes.items():
            key = id(facts.parents)
            if key not in frames:
                frames[key] = _subgraph_plane(facts)
            frame = frames[key]
            if frame is None:
                continue
            deciding = _deciding_class(facts, diagram)
            if deciding is None:
                continue
            plane = diagram.class_planes[deciding.name]
            if plane is not None and plane != frame:
                ctx.report(
                    deciding.span,
                    f"`{node_id}` sits in the {frame.capitalize()} plane subgraph, but its class "
                    f"`{deciding.name}` puts it in the {plane.capitalize()} plane",
                    notes=("Move the node into the right plane subgraph, or give it the class "
                           "of the plane around it.",),
                )


def _subgraph_plane(facts: NodeFacts) -> str | None:
    for sub in reversed(facts.parents):  # innermost first, as planes_common reads them
        plane = plane_of_subgraph(sub)
        if plane is not None:
            return plane
    return None


def _deciding_class(facts: NodeFacts, diagram: PlaneDiagram) -> ClassUse | None:
    """The last plane class applied to the node: the one that sets its plane."""
    for use in reversed(facts.uses):
        if diagram.class_planes.get(use.name) is not None:
            return use
    return None
