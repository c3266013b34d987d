"""The typed AST of a flowchart.

Every node carries ``span``, an exact :class:`~mermaidlint.positions.Span` of offsets into the
*original file* (not the diagram text), so rules report and fix in place without re-parsing.

Text a reader sees (node labels, edge labels, subgraph titles) is a :class:`Label`; its ``text``
is the label as written between the delimiters, quotes removed for strings, and its ``span``
covers exactly that text in the file.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field

from mermaidlint.positions import Span


class LabelKind(str, enum.Enum):
    TEXT = "text"  # unquoted:  A[Cache]
    STRING = "string"  # quoted:    A["Cache (LRU)"]
    MARKDOWN = "markdown"  # markdown:  A["`**Cache**`"]


@dataclass(slots=True)
class Label:
    text: str
    kind: LabelKind
    span: Span  # the text itself (inside the quotes for strings)
    outer_span: Span  # including the quotes / backticks, when there are any


@dataclass(slots=True)
class Name:
    """An identifier as written: a node id, a class name, a subgraph id."""

    value: str
    span: Span


@dataclass(slots=True)
class StyleProperty:
    """One ``key:value`` of a ``style``, ``classDef`` or ``linkStyle`` statement."""

    key: str
    value: str
    span: Span  # the whole property
    value_span: Span


@dataclass(slots=True)
class Node:
    """One mention of a node: ``A``, ``A[label]``, ``A:::cls``, ``A@{ shape: rect }``."""

    id: Name
    span: Span
    shape: str | None = None  # None when the mention gives no shape (plain `A`)
    label: Label | None = None
    classes: list[Name] = field(default_factory=list)  # from `:::`
    shape_data: ShapeData | None = None
    # Where the shape's opening delimiter starts (for fixes that rewrite the label).
    shape_span: Span | None = None


@dataclass(slots=True)
class ShapeData:
    """``@{ ... }``: the raw YAML-ish body and the keys found in it."""

    raw: str
    span: Span
    fields: dict[str, str] = field(default_factory=dict)


class Stroke(str, enum.Enum):
    NORMAL = "normal"  # --
    THICK = "thick"  # ==
    DOTTED = "dotted"  # -.
    INVISIBLE = "invisible"  # ~~~


class ArrowHead(str, enum.Enum):
    NONE = "none"
    POINT = "point"  # >  (or < at the start)
    CIRCLE = "circle"  # o
    CROSS = "cross"  # x


# For code that runs for every link (the properties below, some rules): in Python 3.11 a read of
# an enum member through its class (`ArrowHead.NONE`) goes through the __getattr__ hook of the
# enum's metaclass, about 120 ns against 8 for a module global (imported by name, as this is).
NO_HEAD = ArrowHead.NONE


@dataclass(slots=True)
class Link:
    """One link between two node groups: ``-->``, ``-- text -->``, ``==>|text|``, ``e1@-.->``."""

    arrow: str  # the link as written, spaces and label removed: "-->", "-.->", "<==>"
    stroke: Stroke
    start_head: ArrowHead
    end_head: ArrowHead
    length: int  # 1 for -->, 2 for --->, ...
    span: Span  # the link token(s), label included
    label: Label | None = None
    id: Name | None = None
    source: list[Node] = field(default_factory=list)
    target: list[Node] = field(default_factory=list)

    @property
    def directed(self) -> bool:
        return self.end_head is not NO_HEAD or self.start_head is not NO_HEAD

    @property
    def bidirectional(self) -> bool:
        return self.end_head is not NO_HEAD and self.start_head is not NO_HEAD


@dataclass(slots=True)
class Statement:
    span: Span


@dataclass(slots=True)
class Chain(Statement):
    """``A & B --> C --> D``: groups of nodes joined by links."""

    groups: list[list[Node]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass(slots=True)
class Subgraph(Statement):
    id: Name | None = None
    title: Label | None = None
    body: list[Statement] = field(default_factory=list)
    header_span: Span | None = None
    end_span: Span | None = None

    @property
    def direction(self) -> Direction | None:
        for stmt in self.body:
            if isinstance(stmt, Direction):
                return stmt
        return None


@dataclass(slots=True)
class Direction(Statement):
    value: str = "TB"


@dataclass(slots=True)
class ClassDef(Statement):
    names: list[Name] = field(default_factory=list)  # `classDef a,b fill:...` defines both
    properties: list[StyleProperty] = field(default_factory=list)


@dataclass(slots=True)
class ClassAssign(Statement):
    """``class A,B someClass``."""

    nodes: list[Name] = field(default_factory=list)
    class_names: list[Name] = field(default_factory=list)


@dataclass(slots=True)
class Style(Statement):
    node: Name | None = None
    properties: list[StyleProperty] = field(default_factory=list)


@dataclass(slots=True)
class LinkStyle(Statement):
    targets: list[int] | None = None  # None means `default`
    target_span: Span | None = None
    interpolate: str | None = None
    properties: list[StyleProperty] = field(default_factory=list)


@dataclass(slots=True)
class Click(Statement):
    node: Name | None = None
    href: str | None = None
    callback: str | None = None
    tooltip: str | None = None


@dataclass(slots=True)
class Accessibility(Statement):
    kind: str = "title"  # "title" or "description"
    text: str = ""


@dataclass(slots=True)
class Comment:
    """A ``%%`` line: Mermaid drops it before parsing; rules may read it (suppressions)."""

    text: str  # after the %%
    span: Span


@dataclass(slots=True)
class Header:
    keyword: str  # graph, flowchart, flowchart-elk
    direction: str | None  # as written (TD, LR, >, ...) or None when absent
    span: Span
    direction_span: Span | None = None


Parents = tuple["Subgraph", ...]  # the subgraphs around an element, outermost first


@dataclass(slots=True)
class Index:
    """A diagram's statements, subgraphs, nodes and links as flat lists, each with the subgraphs
    around it, in the order of a depth-first walk of the body; and every label a reader sees
    (node labels, link labels, subgraph titles) in the order written, which is file order.

    The tree builder fills it as it makes the elements, so that neither Mermaid's own checks
    nor the rules walk the tree again. ``others`` holds the statements that are not chains.
    """

    statements: list[tuple[Statement, Parents]] = field(default_factory=list)
    subgraphs: list[tuple[Subgraph, Parents]] = field(default_factory=list)
    nodes: list[tuple[Node, Parents]] = field(default_factory=list)
    links: list[tuple[Link, Parents]] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    others: list[tuple[Statement, Parents]] = field(default_factory=list)


@dataclass(slots=True)
class Flowchart:
    header: Header
    body: list[Statement]
    span: Span
    comments: list[Comment] = field(default_factory=list)
    # Filled by the tree builder; None for a tree made otherwise (then the helpers walk it).
    # Read-only, like the tree: it lists the elements of ``body`` as built.
    index: Index | None = None

    # ---- traversal helpers (rules use these instead of walking by hand) --------------------
    def indexed(self) -> Index:
        """The index: the tree builder's, or for a tree made otherwise, one walk of it."""
        return self.index if self.index is not None else index_of(self.body)

    def statements(self) -> Iterator[tuple[Statement, tuple[Subgraph, ...]]]:
        """Every statement, depth first, with the subgraphs enclosing it (outermost first)."""
        return iter(self.indexed().statements)

    def subgraphs(self) -> Iterator[tuple[Subgraph, tuple[Subgraph, ...]]]:
        return iter(self.indexed().subgraphs)

    def nodes(self) -> Iterator[tuple[Node, tuple[Subgraph, ...]]]:
        """Every node mention, with its enclosing subgraphs."""
        return iter(self.indexed().nodes)

    def links(self) -> Iterator[tuple[Link, tuple[Subgraph, ...]]]:
        """Every link in source order (the order ``linkStyle`` numbers them)."""
        return iter(self.indexed().links)

    def defined_node_ids(self) -> set[str]:
        return {node.id.value for node, _ in self.nodes()}

    def class_defs(self) -> dict[str, ClassDef]:
        out: dict[str, ClassDef] = {}
        for stmt, _ in self.statements():
            if isinstance(stmt, ClassDef):
                for name in stmt.names:
                    out.setdefault(name.value, stmt)
        return out


def index_of(body: list[Statement]) -> Index:
    """The :class:`Index` of a tree the tree builder did not make (it fills its own as it
    goes, in the same order): one depth-first walk."""
    index = Index()
    _index_into(index, body, ())
    return index


def _index_into(index: Index, body: list[Statement], parents: Parents) -> None:
    for stmt in body:
        index.statements.append((stmt, parents))
        if isinstance(stmt, Chain):
            for k, group in enumerate(stmt.groups):
                if k:  # the link into this group, with its label written before the group's
                    link = stmt.links[k - 1]
                    index.links.append((link, parents))
                    if link.label is not None:
                        index.labels.append(link.label)
                for node in group:
                    index.nodes.append((node, parents))
                    if node.label is not None:
                        index.labels.append(node.label)
            continue
        index.others.append((stmt, parents))
        if isinstance(stmt, Subgraph):
            index.subgraphs.append((stmt, parents))
            if stmt.title is not None:
                index.labels.append(stmt.title)
            _index_into(index, stmt.body, (*parents, stmt))
