"""MS104: one node given two different labels; Mermaid shows only the last."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import Node
from mermaidlint.positions import LineIndex
from mermaidlint.rule import Rule, RuleContext


class ConflictingLabels(Rule):
    code: ClassVar[str] = "MS104"
    name: ClassVar[str] = "conflicting-labels"
    summary: ClassVar[str] = "A node is given two different labels; only the last is shown"
    explanation: ClassVar[str] = """\
**What it does.** Reports a node whose label is written twice, differently (`A[Cache]` in one
place, `A[Redis]` in another).

**Why.** Mermaid keeps one node per id and the last label wins, silently: the first label, often
the more careful one, is never shown. Usually an id was reused for a second, different node by
mistake, or a label was edited in one place only.

Bad:
```mermaid
flowchart LR
    A[API gateway] --> B[Orders]
    B --> A[API]
```
Good:
```mermaid
flowchart LR
    A[API gateway] --> B[Orders]
    B --> A
```
"""

    # One loop over the diagram's nodes in `end`, rather than a `node` hook: a call per node of
    # every diagram would cost several times the check itself.
    def end(self, ctx: RuleContext) -> None:
        first: dict[str, Node] = {}
        for node, _ in ctx.outline().nodes:
            if node.label is None:
                continue
            seen = first.setdefault(node.id.value, node)
            assert seen.label is not None
            if seen is not node and seen.label.text.strip() != node.label.text.strip():
                self._report(ctx, node, seen)

    def _report(self, ctx: RuleContext, node: Node, seen: Node) -> None:
        assert node.label is not None and seen.label is not None
        line = LineIndex(ctx.source.text).position(seen.label.span.start).line
        ctx.report(node.label.span, (
            f"node `{node.id.value}` is labelled `{_short(node.label.text)}` here but "
            f"`{_short(seen.label.text)}` on line {line}: Mermaid shows only the last label"))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
