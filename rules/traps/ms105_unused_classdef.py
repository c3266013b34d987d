"""MS105: a `classDef` that no node uses."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.rule import Rule, RuleContext

from ._facts import facts


class UnusedClassDef(Rule):
    code: ClassVar[str] = "MS105"
    name: ClassVar[str] = "unused-classdef"
    summary: ClassVar[str] = "A `classDef` is never applied to any node"
    enabled_by_default: ClassVar[bool] = False
    explanation: ClassVar[str] = """\
**What it does.** Reports a class defined with `classDef name ...` that no node or subgraph uses
(`A:::name` or `class A name`). `classDef default` styles every node and is never reported.

**Why.** A defined but unused class is dead code that readers copy from diagram to diagram;
sometimes it means the `:::name` was forgotten or misspelt on the node it was written for.

**Opt-in.** Not enabled by default: on the Atlas corpus 32 of its 36 findings were classes left
over from a diagram template (an `errorStyle` or `controlStyle` the diagram has no node for),
harmless to the drawing. The few that mattered were classes misspelt where they are used
(`class DB stateState` beside `classDef stateStyle`), which MS103 reports where the mistake is.

Bad:
```mermaid
flowchart LR
    LB[Load balancer] --> API
    classDef edgeStyle fill:#3B82F6
```
Good:
```mermaid
flowchart LR
    LB[Load balancer]:::edgeStyle --> API
    classDef edgeStyle fill:#3B82F6
```
"""

    def end(self, ctx: RuleContext) -> None:
        found = facts(ctx)
        used = {name.value for name in found.class_uses}
        used.add("default")
        for name in found.class_defs:
            if name.value not in used:
                ctx.report(name.span, f"class `{name.value}` is defined but no node uses it "
                           f"(`:::{name.value}` or `class ... {name.value}`)")
