"""MS102: `class`, `style` or `click` naming a node that no statement defines."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.rule import Rule, RuleContext

from ._facts import facts


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
        found = facts(ctx)
        for keyword, name in found.node_refs:
            if name.value in found.node_ids or name.value in found.subgraph_ids:
                continue
            effect = ("Mermaid draws a new, empty node with that id" if keyword == "style"
                      else "it applies to nothing")
            ctx.report(name.span, f"`{keyword}` names `{name.value}`, which no statement of "
                       f"this diagram defines: {effect}")
