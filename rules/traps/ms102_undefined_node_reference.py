"""MS102: `class`, `style` or `click` naming a node that no statement defines."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.flowchart.ast import Chain, ClassAssign, Click, Name, Style, Subgraph
from mermaidlint.rule import Rule, RuleContext


class UndefinedNodeReference(Rule):
    code: ClassVar[str] = "MS102"
    name: ClassVar[str] = "undefined-node-reference"
    summary: ClassVar[str] = "`class`, `style` or `click` names a node the diagram never defines"
    explanation: ClassVar[str] = """\
**What it does.** Reports a `class`, `style` or `click` statement naming an id that is neither a
node (mentioned in any link or node statement of the diagram) nor a subgraph.

**Why.** It is almost always a typo or a node that was renamed, and Mermaid does not complain:

* `style C fill:#f96` for an unknown `C` makes Mermaid **draw a new, empty node `C`**;
* `class C important` and `click C href "..."` for an unknown `C` do nothing at all: the node
  the author meant stays unstyled, or not clickable.

Bad:
```mermaid
flowchart LR
    Api --> Db
    style API fill:#f96
```
Good:
```mermaid
flowchart LR
    Api --> Db
    style Api fill:#f96
```
"""

    def end(self, ctx: RuleContext) -> None:
        defined: set[str] = set()
        refs: list[tuple[str, Name]] = []
        for stmt, _ in ctx.chart.statements():
            if isinstance(stmt, Chain):
                defined.update(n.id.value for group in stmt.groups for n in group)
            elif isinstance(stmt, Subgraph) and stmt.id is not None:
                defined.add(stmt.id.value)
            elif isinstance(stmt, ClassAssign):
                refs.extend(("class", name) for name in stmt.nodes)
            elif isinstance(stmt, (Style, Click)) and stmt.node is not None:
                refs.append(("style" if isinstance(stmt, Style) else "click", stmt.node))
        for keyword, name in refs:
            if name.value in defined:
                continue
            effect = ("Mermaid draws a new, empty node with that id" if keyword == "style"
                      else "it applies to nothing")
            ctx.report(name.span, f"`{keyword}` names `{name.value}`, which no statement of "
                       f"this diagram defines: {effect}")
