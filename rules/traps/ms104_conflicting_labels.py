"""MS104: one node given two different labels; Mermaid shows only the last."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import Node, Subgraph
from mermaidlint.positions import LineIndex
from mermaidlint.rule import Rule, RuleContext

_STATE_KEY = "MS104.first"


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

    def begin(self, ctx: RuleContext) -> None:
        ctx.state[_STATE_KEY] = {}

    def node(self, node: Node, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        if node.label is None:
            return
        first = ctx.state[_STATE_KEY]
        assert isinstance(first, dict)
        seen = first.setdefault(node.id.value, node)
        assert isinstance(seen, Node) and seen.label is not None
        if seen.label.text.strip() == node.label.text.strip():
            return
        line = LineIndex(ctx.source.text).position(seen.label.span.start).line
        ctx.report(node.label.span, (
            f"node `{node.id.value}` is labelled `{_short(node.label.text)}` here but "
            f"`{_short(seen.label.text)}` on line {line}: Mermaid shows only the last label"))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
