"""What a rule is, and what it is given.

A rule is a small class in a module under ``rules/`` (installed as ``mermaidlint.rules``). It
declares, once, everything the engine, the ``rules``/``rule`` commands, the documentation and the
SARIF metadata need: its code, kebab-case name, default severity, one-line summary, explanation
(why it matters, a bad and a good example) and whether it can fix what it finds.

The engine parses each diagram once and walks its AST once; a rule says what it wants to see by
defining any of the hooks below, and reports through ``ctx.report``.

A rule that looks at every node or every link of every diagram is cheaper written as an ``end``
hook over ``ctx.outline()`` (the diagram's statements, nodes and links as flat lists, built once
per diagram and shared): a loop over a list costs a fraction of a call per node and per rule.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from mermaidlint.diagnostics import Diagnostic, Fix, Severity
from mermaidlint.flowchart.ast import Subgraph
from mermaidlint.positions import Span

if TYPE_CHECKING:
    from mermaidlint.config import Config
    from mermaidlint.document import Diagram, SourceFile
    from mermaidlint.flowchart.ast import Flowchart, Label, Link, Node, Statement

    Parents = tuple[Subgraph, ...]


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


class RuleContext:
    """Everything a rule may look at for one diagram, and where it reports.

    ``rule``: the rule being called. The engine makes one context per diagram and points it at
    each rule in turn before calling that rule's hook, so ``report`` files a finding under the
    rule that made it. (One per rule and diagram cost about 10 µs a diagram to make, more than
    half of what most rules then spend on it.)
    ``state``: the current rule's own scratch space for this diagram, between its hooks.
    ``shared``: per-diagram scratch space shared by every rule of the walk: a family's rules
    compute a common analysis once (key it by the family, e.g. "MP.analysis"; treat values as
    read-only).
    ``diagnostics``: what the rules reported on the diagram, in the order reported.
    """

    __slots__ = ("_outline", "_states", "chart", "config", "diagnostics", "diagram", "rule",
                 "shared", "source")

    def __init__(self, rule: Rule, source: SourceFile, diagram: Diagram, chart: Flowchart,
                 config: Config) -> None:
        self.rule = rule
        self.source = source
        self.diagram = diagram
        self.chart = chart
        self.config = config
        self.diagnostics: list[Diagnostic] = []
        self.shared: dict[str, object] = {}
        self._states: dict[Rule, dict[str, object]] | None = None  # made when first asked for
        self._outline: Outline | None = None  # made when first asked for

    @property
    def state(self) -> dict[str, object]:
        """The current rule's scratch space for this diagram (kept between its hooks)."""
        if self._states is None:
            self._states = {}
        found = self._states.get(self.rule)
        if found is None:
            found = self._states[self.rule] = {}
        return found

    def report(self, span: Span, message: str, *, fix: Fix | None = None,
               notes: tuple[str, ...] = (), severity: Severity | None = None) -> None:
        rule = self.rule
        # Positional, in Diagnostic's field order (code, name, message, span, severity, fix,
        # notes): every finding of every rule is made here.
        self.diagnostics.append(Diagnostic(rule.code, rule.name, message, span,
                                           severity or rule.severity, fix, notes))

    @property
    def document_shared(self) -> dict[str, object]:
        """Scratch space shared by every rule for the whole Markdown file, all its diagrams
        (key it by the family, as ``shared``; treat values as read-only)."""
        return self.source.rule_data

    def document_text(self) -> str:
        """The whole Markdown file (for definitions made outside the diagram)."""
        return self.source.text

    def outline(self) -> Outline:
        """The diagram as flat lists, built by the first rule that asks and shared."""
        found = self._outline
        if found is None:
            found = self._outline = Outline(self.chart)
        return found

    def iter_statements(self) -> Iterator[tuple[Statement, tuple[Subgraph, ...]]]:
        return iter(self.outline().statements)

    def iter_nodes(self) -> Iterator[tuple[Node, tuple[Subgraph, ...]]]:
        return iter(self.outline().nodes)

    def iter_links(self) -> Iterator[tuple[Link, tuple[Subgraph, ...]]]:
        return iter(self.outline().links)


class Outline:
    """One diagram's statements, subgraphs, nodes and links as flat lists, each with the subgraphs
    around it (outermost first), in the order of ``Flowchart.statements``/``nodes``/``links``;
    and every label a reader sees (node labels, link labels, subgraph titles) in file order.

    ``others``: the statements that are not chains (subgraphs, classDef, class, style, click,
    linkStyle, direction...), in order: most statements are chains, and a rule that reads only
    the others need not pass over them.

    The lists are the tree builder's (``Flowchart.index``), made as it made the elements; a tree
    made otherwise is walked once for them. Rules share one per diagram
    (``RuleContext.outline``): treat the lists as read-only.
    """

    __slots__ = ("_joined", "chart", "labels", "links", "nodes", "others", "statements",
                 "subgraphs")

    def __init__(self, chart: Flowchart) -> None:
        self.chart = chart
        index = chart.indexed()
        self.statements: list[tuple[Statement, Parents]] = index.statements
        self.subgraphs: list[tuple[Subgraph, Parents]] = index.subgraphs
        self.nodes: list[tuple[Node, Parents]] = index.nodes
        self.links: list[tuple[Link, Parents]] = index.links
        self.others: list[tuple[Statement, Parents]] = index.others
        self.labels: list[Label] = index.labels  # (in file order already: see ast.Index)
        self._joined: tuple[str, list[int]] | None = None

    def joined_labels(self) -> tuple[str, list[int]]:
        """Every label's text joined by NUL, in file order, and where each starts in it.

        One search over this replaces one per label: most labels hold nothing a rule looks for,
        and a diagram has dozens. A pattern run over it must never match a NUL (nor look past
        one: lookarounds see it as they see the start or end of a text that is not a word
        character)."""
        if self._joined is None:
            starts, offset = [], 0
            for label in self.labels:
                starts.append(offset)
                offset += len(label.text) + 1
            self._joined = ("\0".join(label.text for label in self.labels), starts)
        return self._joined

    def labels_matching(self, pattern: re.Pattern[str]) -> list[Label]:
        """The labels in which ``pattern`` finds a match, in file order (``pattern`` as
        :meth:`joined_labels` requires)."""
        joined, starts = self.joined_labels()
        found: list[Label] = []
        search = pattern.search
        match = search(joined)
        while match is not None:
            k = bisect_right(starts, match.start()) - 1
            found.append(self.labels[k])
            if k + 1 == len(starts):
                break
            match = search(joined, starts[k + 1])  # the next label: one match per label is enough
        return found

