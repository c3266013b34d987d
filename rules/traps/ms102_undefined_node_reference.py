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
  the author meant stays unstyled, or not clickable;
* `style A,B fill:#f96` is the same trap: unlike `class`, `style` takes a single id, so Mermaid
  draws one new empty node called `A,B` and styles neither `A` nor `B` (12 findings in the Atlas
  corpus, all of this kind).

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
        if not found.node_refs:
            return  # no `class`, `style` or `click` statement: nothing to look up
        known = found.node_ids | found.subgraph_ids
        for keyword, name in found.node_refs:
            if name.value in known:
                continue
            effect = ("Mermaid draws a new, empty node with that id" if keyword == "style"
                      else "it applies to nothing")
            parts = [p.strip() for p in name.value.split(",")]
            if len(parts) > 1 and any(p in known for p in parts):
                # `style A,B fill:...`: Mermaid's `style` takes one id, commas and all.
                ctx.report(name.span, (
                    f"`{keyword}` takes one node id: Mermaid reads `{name.value}` as a single "
                    f"new node (drawn empty) and styles none of {', '.join(parts)}"),
                    notes=("Write one `style` line per node, or a `classDef` and "
                           f"`class {name.value} name`.",))
                continue
            ctx.report(name.span, f"`{keyword}` names `{name.value}`, which no statement of "
                       f"this diagram defines: {effect}")
