"""What a rule is, and what it is given.

A rule is a small class in a module under ``rules/`` (installed as ``mermaidlint.rules``). It
declares, once, everything the engine, the ``rules``/``rule`` commands, the documentation and the
SARIF metadata need: its code, kebab-case name, default severity, one-line summary, explanation
(why it matters, a bad and a good example) and whether it can fix what it finds.

The engine parses each diagram once and walks its AST once; a rule says what it wants to see by
defining any of the hooks below, and reports through ``ctx.report``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from mermaidlint.diagnostics import Diagnostic, Fix, Severity
from mermaidlint.positions import Span

if TYPE_CHECKING:
    from mermaidlint.config import Config
    from mermaidlint.document import Diagram, SourceFile
    from mermaidlint.flowchart.ast import Flowchart, Link, Node, Statement, Subgraph


class Rule:
    """Base class of every rule. Subclasses set the class attributes and define hooks."""

    code: ClassVar[str]  # "MP001": family prefix + number
    name: ClassVar[str]  # "plane-colour-mismatch"
    summary: ClassVar[str]  # one line, no final full stop
    explanation: ClassVar[str]  # Markdown: what it does, why, a bad and a good example
    severity: ClassVar[Severity] = Severity.WARNING
    fixable: ClassVar[bool] = False
    enabled_by_default: ClassVar[bool] = True

    # ---- hooks (define the ones you need; each is called with the diagram's context) ------
    # def begin(self, ctx: RuleContext) -> None: ...            once per flowchart, first
    # def node(self, node: Node, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None: ...
    # def link(self, link: Link, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None: ...
    # def statement(self, stmt: Statement, parents: tuple[Subgraph, ...], ctx) -> None: ...
    # def end(self, ctx: RuleContext) -> None: ...              once per flowchart, last
    HOOKS: ClassVar[tuple[str, ...]] = ("begin", "statement", "node", "link", "end")

    @classmethod
    def defined_hooks(cls) -> tuple[str, ...]:
        """The hooks this rule defines: the engine calls a rule only where it asked to be."""
        return tuple(hook for hook in cls.HOOKS if callable(getattr(cls, hook, None)))


@dataclass(slots=True)
class RuleContext:
    """Everything a rule may look at for one diagram, and where it reports."""

    rule: Rule
    source: SourceFile
    diagram: Diagram
    chart: Flowchart
    config: Config
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Per-diagram scratch space a rule may use between hooks (cleared for every diagram).
    state: dict[str, object] = field(default_factory=dict)
    # Per-diagram scratch space shared by every rule of the walk: a family's rules compute a
    # common analysis once (key it by the family, e.g. "MP.analysis"; treat values as read-only).
    shared: dict[str, object] = field(default_factory=dict)

    def report(self, span: Span, message: str, *, fix: Fix | None = None,
               notes: tuple[str, ...] = (), severity: Severity | None = None) -> None:
        self.diagnostics.append(Diagnostic(
            code=self.rule.code, name=self.rule.name, message=message, span=span,
            severity=severity or self.rule.severity, fix=fix, notes=notes,
        ))

    def document_text(self) -> str:
        """The whole Markdown file (for definitions made outside the diagram)."""
        return self.source.text

    def iter_statements(self) -> Iterator[tuple[Statement, tuple[Subgraph, ...]]]:
        return self.chart.statements()

    def iter_nodes(self) -> Iterator[tuple[Node, tuple[Subgraph, ...]]]:
        return self.chart.nodes()

    def iter_links(self) -> Iterator[tuple[Link, tuple[Subgraph, ...]]]:
        return self.chart.links()
