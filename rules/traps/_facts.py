"""What the trap rules look up in a diagram, gathered once per diagram for all of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from mermaidlint.flowchart.ast import ClassAssign, ClassDef, Click, Name, Style, Subgraph
from mermaidlint.rule import RuleContext

_KEY = "MS1.facts"


@dataclass(slots=True)
class Facts:
    node_ids: set[str] = field(default_factory=set)  # every id a chain mentions
    subgraph_ids: set[str] = field(default_factory=set)
    class_defs: list[Name] = field(default_factory=list)  # each name a classDef defines
    class_uses: list[Name] = field(default_factory=list)  # `:::name` and `class A name`
    # (keyword, node id) of every `class`, `style` and `click` statement.
    node_refs: list[tuple[str, Name]] = field(default_factory=list)


def facts(ctx: RuleContext) -> Facts:
    """The diagram's facts, gathered by the first rule that asks (shared through the walk)."""
    found = ctx.shared.get(_KEY)
    if not isinstance(found, Facts):
        found = ctx.shared[_KEY] = _gather(ctx)
    return found


def _gather(ctx: RuleContext) -> Facts:
    outline = ctx.outline()
    # The nodes first, off the outline's flat list (they are most of the work), then the other
    # statements. (A node's classes thus come before the `class` statements' in `class_uses`;
    # the rules report each use at its own position, so the order is not seen.)
    out = Facts(node_ids={node.id.value for node, _ in outline.nodes},
                class_uses=[name for node, _ in outline.nodes for name in node.classes])
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
