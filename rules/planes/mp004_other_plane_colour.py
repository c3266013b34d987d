"""MP004: a plane's colour used on a node or class of another plane."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.diagnostics import Applicability, Edit, Fix
from mermaidlint.rule import Rule, RuleContext

from ._colour import parse_colour
from ._diagram import (
    NodeFacts,
    PlaneDiagram,
    analyse,
    colour_span,
    describe,
)
from ._palette import Palette


class OtherPlaneColour(Rule):
    code: ClassVar[str] = "MP004"
    name: ClassVar[str] = "other-plane-colour"
    summary: ClassVar[str] = "A node or class of one plane is filled with another plane's colour"
    fixable: ClassVar[bool] = True
    explanation: ClassVar[str] = """\
**What it does.** Finds a fill in one plane's colour on something of another plane:

* a plane class or `style` (`classDef serviceStyle fill:#F59E0B` — the State colour);
* a node in a plane (by class or subgraph) that another class paints in another plane's colour
  (`class Orders dbStyle` with `dbStyle` filled in the State colour, inside the Service plane).

The palette is MP001's (configured, or the one the diagram follows).

**Why.** Gate 3: a colour *is* a plane. A Service box painted in the State colour tells the
reader it stores data; that is worse than an unknown colour, which at least looks wrong.

**Fix (unsafe).** For a plane class or style, replaces the colour with its own plane's; unsafe,
because the class name may be what is wrong rather than the colour.

Bad:
```mermaid
flowchart LR
    Orders[Order service]:::serviceStyle
    classDef serviceStyle fill:#F59E0B
```
Good:
```mermaid
flowchart LR
    Orders[Order service]:::serviceStyle
    classDef serviceStyle fill:#10B981
```
"""

    def end(self, ctx: RuleContext) -> None:
        diagram = analyse(ctx)
        palette = diagram.palette
        for fill in diagram.fills:
            other = palette.plane_of_colour(fill.colour)
            if other is None or other == fill.plane:
                continue
            span = colour_span(ctx.source.text, fill.fill)
            own = palette.hexes[fill.plane]
            ctx.report(
                span,
                f"{describe(fill)} is filled with the {other.capitalize()} plane's colour "
                f"`{ctx.source.text[span.start:span.end]}`; the {fill.plane.capitalize()} "
                f"plane's is `{own}`",
                fix=Fix((Edit(span, own),), Applicability.UNSAFE,
                        f"Use the {fill.plane.capitalize()} plane's colour {own}"),
            )
        styled = {f.owner for f in diagram.fills if f.kind == "node"}
        for node_id, facts in diagram.nodes.items():
            plane = diagram.planes.get(node_id)
            if plane is not None and node_id not in styled:
                self._check_node(ctx, node_id, plane, facts, diagram, palette)

    def _check_node(self, ctx: RuleContext, node_id: str, plane: str, facts: NodeFacts,
                    diagram: PlaneDiagram, palette: Palette) -> None:
        # The class whose fill the node shows: the last one applied that has a fill.
        for use in reversed(facts.uses):
            fill = diagram.class_fills.get(use.name)
            if fill is None:
                continue
            if diagram.class_planes.get(use.name) is not None:
                return  # a plane class: its colour is checked at its classDef
            other = palette.plane_of_colour(parse_colour(fill.value))
            if other is not None and other != plane:
                ctx.report(
                    use.span,
                    f"`{node_id}` is in the {plane.capitalize()} plane, but class `{use.name}` "
                    f"fills it with the {other.capitalize()} plane's colour `{fill.value}`",
                    notes=("Use a colour that is no plane's for highlight classes, or the "
                           "node's own plane colour.",),
                )
            return
