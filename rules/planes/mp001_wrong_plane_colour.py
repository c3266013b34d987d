"""MP001: a plane's class or style fills it with a colour that is not the plane's colour."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.diagnostics import Applicability, Edit, Fix
from mermaidlint.rule import Rule, RuleContext

from ._diagram import PlaneFill, analyse, colour_span, describe


class WrongPlaneColour(Rule):
    code: ClassVar[str] = "MP001"
    name: ClassVar[str] = "wrong-plane-colour"
    summary: ClassVar[str] = "A plane class or style fills its plane with the wrong colour"
    fixable: ClassVar[bool] = True
    explanation: ClassVar[str] = """\
**What it does.** Checks the `fill` of every plane class (`classDef edgeStyle ...`, names set by
`planes.class-names`) and every `style` on a plane subgraph or on a node in a plane, against the
palette colour of that plane. Colours are compared as colours: `#0066cc`, `#06C`,
`rgb(0,102,204)` and CSS names such as `orange` are all understood.

**Why.** Gate 3 of the Atlas quality gates: the four planes (Edge, Service, State, Control) keep
one colour each in every diagram, so a reader finds the State plane at a glance everywhere.

**Which palette.** `planes.palette`, when it names a palette other than the default `seed`.
Left at the default, each diagram is held to the known palette (`seed`, `tailwind`, or one of your
`planes.palettes`) its plane fills already follow most, or else the one its document's other
diagrams follow. The Atlas corpus moved from the seed colours to the Tailwind ones: of the plane
fills in its 1,785 parsed flowcharts, 2,993 are Tailwind colours, 28 seed colours and 50
neither, so holding it to the seed default would report some 3,000 fills nobody wants changed;
chosen per diagram, MP001 and MP004 report about 40. Name a palette (`palette = "tailwind"`) to
make the remaining seed diagrams migrate: the fix rewrites the colour. (To hold every diagram to
the seed colours, define them as a custom palette under another name and name that.)

A plane subgraph drawn as a light tint with the plane colour as its border
(`style EdgePlane fill:#EFF6FF,stroke:#3B82F6`) is accepted. A fill in *another* plane's
colour is MP004's, not this rule's.

**Fix (safe).** Replaces the colour with the palette's.

Bad:
```mermaid
flowchart LR
    LB[Load balancer]:::edgeStyle
    classDef edgeStyle fill:#E8F5E8,stroke:#388E3C
```
Good:
```mermaid
flowchart LR
    LB[Load balancer]:::edgeStyle
    classDef edgeStyle fill:#3B82F6,stroke:#2563EB
```
"""

    def end(self, ctx: RuleContext) -> None:
        diagram = analyse(ctx)
        palette = diagram.palette
        for fill in diagram.fills:
            expected = palette.colours.get(fill.plane)
            if expected is None or fill.colour is None or fill.colour == expected:
                continue
            if fill.kind == "subgraph" and fill.stroke == expected:
                continue  # a tinted container outlined in the plane colour
            if palette.plane_of_colour(fill.colour) is not None:
                continue  # another plane's colour: MP004
            self._report(ctx, fill, palette.hexes[fill.plane], palette.name)

    def _report(self, ctx: RuleContext, fill: PlaneFill, colour: str, palette: str) -> None:
        span = colour_span(ctx.source.text, fill.fill)
        written = ctx.source.text[span.start:span.end]
        ctx.report(
            span,
            f"{describe(fill)} is filled with `{written}`, but the {fill.plane.capitalize()} "
            f"plane's colour is `{colour}` ({palette} palette)",
            fix=Fix((Edit(span, colour),), Applicability.SAFE,
                    f"Use the {fill.plane.capitalize()} plane's colour {colour}"),
        )
