"""MS103: a class applied to a node (`:::name`, `class A name`) that no `classDef` defines."""

from __future__ import annotations

from typing import ClassVar

from mermaidlint.rule import Rule, RuleContext

from ._facts import facts

# Mermaid's built-in class: `classDef default ...` styles every node, and it may be named freely.
BUILTIN_CLASSES = frozenset({"default"})


class UndefinedClass(Rule):
    code: ClassVar[str] = "MS103"
    name: ClassVar[str] = "undefined-class"
    summary: ClassVar[str] = "A class is applied to a node but no `classDef` defines it"
    explanation: ClassVar[str] = """\
**What it does.** Reports a class applied with `A:::name` or `class A name` when the diagram has
no `classDef name ...` (in any order: Mermaid applies classes after reading the whole diagram).
Mermaid's built-in `default` class is never reported.

**Why.** Mermaid accepts the class and draws the node with no style: a misspelt `:::edgstyle`
leaves an Edge-plane node uncoloured, and nothing says so. (A class styled by the site's own
CSS, outside the diagram, is reported too; suppress the finding or ignore the rule there.)

Bad:
```mermaid
flowchart LR
    LB[Load balancer]:::edgStyle
    classDef edgeStyle fill:#3B82F6
```
Good:
```mermaid
flowchart LR
    LB[Load balancer]:::edgeStyle
    classDef edgeStyle fill:#3B82F6
```
"""

    def end(self, ctx: RuleContext) -> None:
        found = facts(ctx)
        if not found.class_uses:
            return  # most diagrams apply no class
        defined = BUILTIN_CLASSES.union(name.value for name in found.class_defs)
        for name in found.class_uses:
            if name.value not in defined:
                # (imported here: few diagrams use an undefined class, and every run's start
                # would pay for the module)
                from difflib import get_close_matches

                close = get_close_matches(name.value, sorted(defined - BUILTIN_CLASSES), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                ctx.report(name.span, f"class `{name.value}` is not defined by any `classDef` "
                           f"in this diagram: Mermaid draws the node unstyled{hint}")
