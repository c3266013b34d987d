"""Which of the four planes (Edge, Service, State, Control) a node belongs to.

Shared by every rule that reasons about planes (MD004 here; the MP colour rules). A node's plane
comes, in this order, from:

1. its classes (``A:::edgeStyle`` or ``class A edgeStyle``), compared case-insensitively with
   ``config.planes.class_names``; when several classes name a plane, the last one written wins,
   as a later ``class`` statement is the author's latest word;
2. the subgraphs around it, innermost first: a subgraph whose id or title says ``Edge Plane``,
   ``EdgePlane``, ``edge-plane`` or ``Edge Layer`` (any case) puts its nodes in that plane.

A node belongs to a subgraph as Mermaid decides it (:func:`membership`): the subgraphs are
registered as they close (inner before outer, earlier before later), and the first one to mention
a node in its own body keeps it; a mention at the top level does not take it out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from mermaidlint.config import PLANES
from mermaidlint.flowchart.ast import Chain, ClassAssign, ClassDef, Statement, Subgraph

if TYPE_CHECKING:
    from mermaidlint.config import Config
    from mermaidlint.flowchart.ast import Flowchart
    from mermaidlint.rule import Outline, RuleContext

# Words that follow a plane's name in a subgraph's id or title ("Edge Plane", "ServiceLayer").
_PLANE_NOUNS = ("plane", "layer")
# Splits "ServicePlane1", "edge_plane", "Edge Plane - #3B82F6" into lower-case words;
# runs of capitals ("EDGEPLANE", "APILayer") stay together up to the next capitalised word.
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text)]


# One word in capitals, "EDGEPLANE", "STATELAYER", lower-cased.
_COMPOUNDS = {plane + noun: plane for plane in PLANES for noun in _PLANE_NOUNS}


@lru_cache(maxsize=4096)  # the same few titles recur in every diagram of a corpus
def plane_of_text(text: str) -> str | None:
    """The plane a subgraph id or title names (``"Edge Plane - Blue"`` -> ``"edge"``), if any."""
    lowered = text.lower()
    if "plane" not in lowered and "layer" not in lowered:
        return None  # every way of naming a plane has one of the nouns (most titles have none)
    words = _words(text)
    for first, second in zip(words, [*words[1:], ""], strict=True):
        if first in PLANES and second in _PLANE_NOUNS:
            return first
        if first in _COMPOUNDS:
            return _COMPOUNDS[first]
    return None


def plane_of_subgraph(sub: Subgraph) -> str | None:
    """The plane a subgraph's title or id names; the title first, as it is what readers see."""
    if sub.title is not None:
        plane = plane_of_text(sub.title.text)
        if plane is not None:
            return plane
    return plane_of_text(sub.id.value) if sub.id is not None else None


# The last configuration's class table: every diagram of a file, and most files, share one.
_TABLE: tuple[object, dict[str, str]] | None = None


def _class_table(config: Config) -> dict[str, str]:
    global _TABLE
    if _TABLE is not None and _TABLE[0] is config.planes:
        return _TABLE[1]
    table: dict[str, str] = {}
    for plane, names in config.planes.class_names.items():
        for name in names:
            table.setdefault(name.lower(), plane)
    _TABLE = (config.planes, table)
    return table


def plane_of_classes(names: Iterable[str], config: Config) -> str | None:
    """The plane of the last class in ``names`` that config maps to a plane, if any."""
    return _plane_in_table(names, _class_table(config))


def plane_of_class(name: str, config: Config) -> str | None:
    """The plane config maps one class name to, if any."""
    return _class_table(config).get(name.lower())


def _plane_in_table(names: Iterable[str], table: dict[str, str]) -> str | None:
    plane = None
    for name in names:
        plane = table.get(name.lower(), plane)
    return plane


_NAMED_KEY = "planes.named"


def names_a_plane(ctx: RuleContext) -> bool:
    """Whether a subgraph or a class (defined or applied) of the diagram names a plane: when
    none does, no node is in a plane (see :func:`node_planes`). Six diagrams in ten of the Atlas
    corpus name none, and the rules that reason about planes have nothing to check in them.
    Answered once per diagram, off the shared outline."""
    named = ctx.shared.get(_NAMED_KEY)
    if not isinstance(named, bool):
        named = ctx.shared[_NAMED_KEY] = _names_a_plane(ctx.outline(), _class_table(ctx.config))
    return named


def _names_a_plane(outline: Outline, table: dict[str, str]) -> bool:
    # Plain loops, no generator per item: this runs over every node of every diagram.
    for sub, _ in outline.subgraphs:
        if plane_of_subgraph(sub) is not None:
            return True
    for node, _ in outline.nodes:
        for name in node.classes:
            if name.value.lower() in table:
                return True
    for stmt, _ in outline.others:
        if isinstance(stmt, ClassAssign):
            names = stmt.class_names
        elif isinstance(stmt, ClassDef):
            names = stmt.names
        else:
            continue
        for name in names:
            if name.value.lower() in table:
                return True
    return False


def membership(chart: Flowchart) -> dict[str, tuple[Subgraph, ...]]:
    """Node id (or nested subgraph id) -> the subgraphs around it, outermost first.

    Mermaid's ``addSubGraph`` runs when a subgraph's ``end`` is read and drops the ids an earlier
    subgraph already holds (``makeUniq``), so the innermost, earliest-closed subgraph wins.
    """
    owner: dict[str, tuple[Subgraph, ...]] = {}
    _claim(chart.body, (), owner)
    return owner


def _claim(body: list[Statement], parents: tuple[Subgraph, ...],
           owner: dict[str, tuple[Subgraph, ...]]) -> None:
    """membership() for one body. (A module function, not a closure calling itself: such a
    closure is a reference cycle, and would keep the whole AST alive until the next run of the
    cycle collector, which then has it all to free.)"""
    for stmt in body:
        if isinstance(stmt, Subgraph):
            _claim(stmt.body, (*parents, stmt), owner)  # closes, and so claims, before its parent
            if stmt.id is not None and parents:
                owner.setdefault(stmt.id.value, parents)
    if parents:
        for stmt in body:
            if isinstance(stmt, Chain):
                for group in stmt.groups:
                    for node in group:
                        owner.setdefault(node.id.value, parents)


def _plane_of_parents(parents: tuple[Subgraph, ...]) -> str | None:
    for sub in reversed(parents):  # innermost first
        plane = plane_of_subgraph(sub)
        if plane is not None:
            return plane
    return None


# Several rules ask for the planes of the same diagram: the answer is kept in the diagram's
# shared scratch space, which goes (with the AST) when the diagram is done.
_PLANES_KEY = "planes.node-planes"


def node_planes(ctx: RuleContext) -> dict[str, str | None]:
    """Every node id (and subgraph id) of the diagram -> its plane, or None when none is known.

    The result is shared between the rules of the diagram: treat it as read-only.
    """
    planes = _cached(ctx)
    return planes if planes is not None else node_planes_from(ctx, *_gather(ctx.chart))


def _gather(chart: Flowchart) -> tuple[dict[str, list[str]], dict[str, tuple[Subgraph, ...]]]:
    """What node_planes_from() works the planes out from, in one walk of the chart."""
    classes: dict[str, list[str]] = {}  # in the order written, so that the last one wins
    own: dict[str, tuple[Subgraph, ...]] = {}  # a subgraph is in its own plane first
    for stmt, parents in chart.statements():
        if isinstance(stmt, Chain):
            for group in stmt.groups:
                for node in group:
                    names = classes.get(node.id.value)
                    if names is None:
                        names = classes[node.id.value] = []
                    if node.classes:  # most mentions have none
                        names.extend(c.value for c in node.classes)
        elif isinstance(stmt, ClassAssign):
            for node_id in stmt.nodes:
                classes.setdefault(node_id.value, []).extend(c.value for c in stmt.class_names)
        elif isinstance(stmt, Subgraph) and stmt.id is not None:
            classes.setdefault(stmt.id.value, [])
            own[stmt.id.value] = (*parents, stmt)
    return classes, own


def node_planes_from(ctx: RuleContext, classes: dict[str, list[str]],
                     own: dict[str, tuple[Subgraph, ...]]) -> dict[str, str | None]:
    """:func:`node_planes`, for a caller that already gathered, in one pass of its own, what it
    is worked out from: ``classes``, every node and subgraph id -> the class names applied to
    it in the order written; ``own``, every subgraph id -> its parents and itself (the last
    subgraph of an id). The result is kept for the other callers, as node_planes() keeps it."""
    planes = _cached(ctx)
    if planes is None:
        planes = ctx.shared[_PLANES_KEY] = _resolve(ctx.chart, ctx.config, classes, own)
    return planes


def _cached(ctx: RuleContext) -> dict[str, str | None] | None:
    found = ctx.shared.get(_PLANES_KEY)
    return found if isinstance(found, dict) else None


def _resolve(chart: Flowchart, config: Config, classes: dict[str, list[str]],
             own: dict[str, tuple[Subgraph, ...]]) -> dict[str, str | None]:
    table = _class_table(config)
    enclosing = membership(chart)
    # The nodes of a subgraph share one tuple of parents (membership() makes one per subgraph):
    # its plane is worked out once, by the tuple's identity (all are alive until the end).
    by_parents: dict[int, str | None] = {}
    out: dict[str, str | None] = {}
    for ident, names in classes.items():
        plane = _plane_in_table(names, table) if names else None
        if plane is None:
            parents = own.get(ident) or enclosing.get(ident, ())
            key = id(parents)
            if key not in by_parents:
                by_parents[key] = _plane_of_parents(parents)
            plane = by_parents[key]
        out[ident] = plane
    return out
