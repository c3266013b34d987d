"""What the MP rules need to know about one diagram, worked out once and shared by all four.

Plane membership itself comes from :mod:`mermaidlint.rules.planes_common` (the helper every
plane-aware rule uses); this module adds what only the colour rules need: where each class is
applied, the ``fill`` written for each plane, and which palette the diagram is held to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from mermaidlint.flowchart.ast import (
    Chain,
    ClassAssign,
    ClassDef,
    Name,
    Style,
    StyleProperty,
    Subgraph,
)
from mermaidlint.positions import Span

from ..planes_common import (
    names_a_plane,
    node_planes_from,
    plane_of_class,
    plane_of_subgraph,
)
from ._colour import Colour, parse_colour
from ._palette import Palette, choose_palette, configured_palette

if TYPE_CHECKING:
    from mermaidlint.config import Config
    from mermaidlint.flowchart.ast import Statement
    from mermaidlint.rule import Outline, RuleContext



class ClassUse(NamedTuple):
    """A class applied to a node: ``A:::cls`` (span: the class name) or ``class A cls`` (span:
    the node's name in that statement, so one finding points at one node)."""

    name: str
    span: Span


class NodeFacts:
    """A node of a plane diagram: its id at its first mention, the classes applied to it in
    the order written, and the subgraphs around its first mention inside one.

    A plain class with slots: one is made for every node of every diagram that names a plane,
    and a dataclass's ``__init__`` with a default factory took most of the analysis's walk.
    """

    __slots__ = ("first", "parents", "uses")

    def __init__(self, first: Name, parents: tuple[Subgraph, ...] = ()) -> None:
        self.first = first
        self.uses: list[ClassUse] = []
        self.parents = parents


@dataclass(slots=True)
class PlaneFill:
    """A ``fill`` written for a plane: a plane class's ``classDef`` or a ``style`` on a node or
    subgraph that is in a plane."""

    plane: str
    kind: str  # "class", "node" or "subgraph"
    owner: str  # the class, node or subgraph name
    fill: StyleProperty
    colour: Colour | None
    stroke: Colour | None


@dataclass(slots=True)
class PlaneDiagram:
    planes: dict[str, str | None]  # node_planes(): node and subgraph ids -> plane
    nodes: dict[str, NodeFacts]  # node ids only, in order of first mention (none listed when
    # the diagram names no plane)
    class_planes: dict[str, str | None]  # every class name seen -> the plane it names
    class_fills: dict[str, StyleProperty]  # class name -> its fill (the last classDef wins)
    fills: list[PlaneFill]
    palette: Palette
    plane_subgraphs: dict[str, str]  # id ("" for a title only) -> plane, of subgraphs naming one

    @property
    def planes_in_use(self) -> set[str]:
        """The planes the diagram's nodes are in."""
        return {plane for node_id in self.nodes if (plane := self.planes.get(node_id))}


def fill_of(properties: list[StyleProperty]) -> StyleProperty | None:
    found = None
    for prop in properties:  # the last one wins, as in CSS
        if prop.key.strip().lower() == "fill":
            found = prop
    return found


def _colour_of(properties: list[StyleProperty], key: str) -> Colour | None:
    for prop in reversed(properties):
        if prop.key.strip().lower() == key:
            return parse_colour(prop.value)
    return None


# One analysis per diagram, shared by MP001-MP004 through the diagram's shared scratch space.
_ANALYSIS_KEY = "MP.analysis"


def analyse(ctx: RuleContext) -> PlaneDiagram:
    found = ctx.shared.get(_ANALYSIS_KEY)
    if isinstance(found, PlaneDiagram):
        return found
    result = _analyse(ctx, ctx.outline()) if names_a_plane(ctx) else _no_planes(ctx.config)
    ctx.shared[_ANALYSIS_KEY] = result
    return result


def _no_planes(config: Config) -> PlaneDiagram:
    """The analysis of a diagram that names no plane: no node in a plane, no plane fill (its
    nodes are not listed, as no rule reports on them)."""
    return PlaneDiagram({}, {}, {}, {}, [], configured_palette(config), {})


def _analyse(ctx: RuleContext, outline: Outline) -> PlaneDiagram:
    config, document_text = ctx.config, ctx.source.text
    nodes: dict[str, NodeFacts] = {}
    class_defs: list[ClassDef] = []
    styles: list[Style] = []
    plane_subgraphs: dict[str, str] = {}  # subgraph id -> plane
    _visit(outline.statements, nodes, class_defs, styles, plane_subgraphs)
    class_fills: dict[str, StyleProperty] = {}
    class_planes: dict[str, str | None] = {}
    for class_def in class_defs:
        fill = fill_of(class_def.properties)
        for name in class_def.names:
            class_planes[name.value] = plane_of_class(name.value, config)
            if fill is not None:
                class_fills[name.value] = fill
    for facts in nodes.values():
        for use in facts.uses:
            class_planes[use.name] = plane_of_class(use.name, config)
    # Most diagrams name no plane at all: then no node is in one, and the walk is spared.
    in_planes = plane_subgraphs or any(class_planes.values())
    planes = _planes(ctx, nodes, outline.subgraphs) if in_planes else {}
    fills = _class_fills(class_defs, class_planes)
    fills.extend(_style_fills(styles, planes, plane_subgraphs, nodes))
    evidence = [(f.plane, f.colour) for f in fills if f.colour is not None]
    # Without a fill to check (no plane fill, no node in a plane), the palette is not needed:
    # the default spares reading the rest of the document for evidence.
    needed = fills or (class_fills and any(planes.values()))
    palette = (choose_palette(config, evidence, document_text) if needed
               else configured_palette(config))
    return PlaneDiagram(planes, nodes, class_planes, class_fills, fills, palette,
                        plane_subgraphs)


def _planes(ctx: RuleContext, nodes: dict[str, NodeFacts],
            subgraphs: list[tuple[Subgraph, tuple[Subgraph, ...]]]) -> dict[str, str | None]:
    """node_planes(), from the classes the node facts already list in the order written (the
    same a walk of node_planes' own would gather), rather than from a second walk."""
    classes = {ident: [use.name for use in facts.uses] for ident, facts in nodes.items()}
    own: dict[str, tuple[Subgraph, ...]] = {}
    for sub, parents in subgraphs:
        if sub.id is not None:
            classes.setdefault(sub.id.value, [])
            own[sub.id.value] = (*parents, sub)
    return node_planes_from(ctx, classes, own)


def _visit(statements: list[tuple[Statement, tuple[Subgraph, ...]]],
           nodes: dict[str, NodeFacts], class_defs: list[ClassDef], styles: list[Style],
           plane_subgraphs: dict[str, str]) -> None:
    """One pass over the statements, depth first, in order (the shared outline's list: this runs
    on every diagram, so the node loop is written out here rather than in a helper)."""
    for stmt, parents in statements:
        if isinstance(stmt, Chain):
            for group in stmt.groups:
                for node in group:
                    facts = nodes.get(node.id.value)
                    if facts is None:
                        facts = nodes[node.id.value] = NodeFacts(node.id, parents)
                    elif parents and not facts.parents:
                        # Mermaid keeps a node in the first subgraph that lists it (as
                        # planes_common).
                        facts.parents = parents
                    if node.classes:  # most mentions have none
                        facts.uses.extend(ClassUse(c.value, c.span) for c in node.classes)
        elif isinstance(stmt, ClassAssign):
            names = [c.value for c in stmt.class_names]  # mostly one, for many nodes
            for node_id in stmt.nodes:
                facts = nodes.get(node_id.value)
                if facts is None:
                    facts = nodes[node_id.value] = NodeFacts(node_id)
                uses, span = facts.uses, node_id.span
                for name in names:
                    uses.append(ClassUse(name, span))
        elif isinstance(stmt, ClassDef):
            class_defs.append(stmt)
        elif isinstance(stmt, Style):
            styles.append(stmt)
        elif isinstance(stmt, Subgraph):
            _note_subgraph(stmt, plane_subgraphs)


def _note_subgraph(sub: Subgraph, plane_subgraphs: dict[str, str]) -> None:
    plane = plane_of_subgraph(sub)
    if plane is not None:
        # A subgraph with a title only (`subgraph "Edge Plane"`) has no id a style can name.
        plane_subgraphs[sub.id.value if sub.id is not None else ""] = plane


def _class_fills(class_defs: list[ClassDef], class_planes: dict[str, str | None]
                 ) -> list[PlaneFill]:
    out = []
    for stmt in class_defs:
        fill = fill_of(stmt.properties)
        if fill is None:
            continue
        for name in stmt.names:
            plane = class_planes.get(name.value)
            if plane is not None:
                out.append(PlaneFill(plane, "class", name.value, fill, parse_colour(fill.value),
                                     _colour_of(stmt.properties, "stroke")))
                break  # one finding per written value, even for `classDef a,b`
    return out


def _style_fills(styles: list[Style], planes: dict[str, str | None],
                 plane_subgraphs: dict[str, str], nodes: dict[str, NodeFacts]
                 ) -> list[PlaneFill]:
    out = []
    for style in styles:
        fill = fill_of(style.properties)
        if style.node is None or fill is None:
            continue
        target = style.node.value
        if target in plane_subgraphs:
            kind, plane = "subgraph", plane_subgraphs[target]
        elif target in nodes and planes.get(target) is not None:
            kind, plane = "node", str(planes[target])
        else:
            continue
        out.append(PlaneFill(plane, kind, target, fill, parse_colour(fill.value),
                             _colour_of(style.properties, "stroke")))
    return out


def colour_span(source_text: str, fill: StyleProperty) -> Span:
    """The colour inside a fill's value, without a trailing ``!important``."""
    span = fill.value_span
    written = source_text[span.start:span.end]
    colour = written.split("!", 1)[0].rstrip()
    return Span(span.start, span.start + len(colour))




def describe(fill: PlaneFill) -> str:
    """How a finding names what was written: "class `edgeStyle`", "node `LB`"..."""
    plane = fill.plane.capitalize()
    if fill.kind == "class":
        return f"the {plane}-plane class `{fill.owner}`"
    if fill.kind == "subgraph":
        return f"the {plane}-plane subgraph `{fill.owner}`"
    return f"`{fill.owner}` (in the {plane} plane)"
