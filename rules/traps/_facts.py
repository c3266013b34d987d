"""What the trap rules look up in a diagram, gathered once per diagram for all of them."""

from __future__ import annotations

from mermaidlint.flowchart.ast import ClassAssign, ClassDef, Click, Name, Style, Subgraph
from mermaidlint.rule import Outline, RuleContext

_KEY = "MS1.facts"


class Facts:
    """What the trap rules look up in one diagram.

    A plain class with slots: one is made for every diagram, and a dataclass's ``__init__``
    with five default factories cost more than filling it for most diagrams.
    """

    __slots__ = ("_node_ids", "_outline", "class_defs", "class_uses", "node_refs",
                 "subgraph_ids")

    def __init__(self, outline: Outline, class_uses: list[Name]) -> None:
        self._outline = outline
        self._node_ids: set[str] | None = None
        self.subgraph_ids: set[str] = set()
        self.class_defs: list[Name] = []  # each name a classDef defines
        self.class_uses = class_uses  # `:::name` and `class A name`
        # (keyword, node id) of every `class`, `style` and `click` statement.
        self.node_refs: list[tuple[str, Name]] = []

    @property
    def node_ids(self) -> set[str]:
        """Every id a chain mentions (gathered when first asked for: only a diagram with a
        `class`, `style` or `click` statement needs them)."""
        if self._node_ids is None:
            self._node_ids = {node.id.value for node, _ in self._outline.nodes}
        return self._node_ids


def facts(ctx: RuleContext) -> Facts:
    """The diagram's facts, gathered by the first rule that asks (shared through the walk)."""
    found = ctx.shared.get(_KEY)
    if not isinstance(found, Facts):
        found = ctx.shared[_KEY] = _gather(ctx)
    return found


def _gather(ctx: RuleContext) -> Facts:
    outline = ctx.outline()
    # The nodes' classes first, off the outline's flat list, then the other statements. (A
    # node's classes thus come before the `class` statements' in `class_uses`; the rules
    # report each use at its own position, so the order is not seen.)
    out = Facts(outline, [name for node, _ in outline.nodes for name in node.classes])
    for stmt, _ in outline.others:
        if isinstance(stmt, ClassDef):
            out.class_defs.extend(stmt.names)
        elif isinstance(stmt, ClassAssign):
            out.class_uses.extend(stmt.class_names)
            out.node_refs.extend(("class", name) for name in stmt.nodes)
        elif isinstance(stmt, Subgraph):
            if stmt.id is not None:
                out.subgraph_ids.add(stmt.id.value)
        elif isinstance(stmt, (Style, Click)) and stmt.node is not None:
            out.node_refs.append(("style" if isinstance(stmt, Style) else "click", stmt.node))
    return out
