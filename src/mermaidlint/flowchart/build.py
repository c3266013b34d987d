"""Turn the concrete syntax tree into the typed AST (:mod:`.ast`).

Offsets in the tree are into the text the parser saw (after Mermaid's clean-up); ``to_file`` maps
them onto the original file, so every AST span is exact in the file the user edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from mermaidlint.flowchart import ast
from mermaidlint.flowchart.lexer import Tok
from mermaidlint.flowchart.parser import CST
from mermaidlint.positions import Span

Child = Any  # CST | Tok

_SHAPES = {
    "square": "square", "doublecircle": "doublecircle", "circle": "circle",
    "ellipse": "ellipse", "stadium": "stadium", "subroutine": "subroutine",
    "rect_with_props": "rect", "cylinder": "cylinder", "round": "round", "diamond": "diamond",
    "hexagon": "hexagon", "odd": "odd", "trapezoid": "trapezoid",
    "inv_trapezoid": "inv_trapezoid", "lean_right": "lean_right", "lean_left": "lean_left",
}
_DIRECTIONS = {"DIRECTION_TB": "TB", "DIRECTION_TD": "TD", "DIRECTION_BT": "BT",
               "DIRECTION_RL": "RL", "DIRECTION_LR": "LR"}
# Mermaid's entity encoding (see preprocess) undone, so labels read as written.
_ENCODED = re.compile("\ufb02\u00b0\u00b0?(\\+?\\w+)\u00b6\u00df")
_SEPARATORS = frozenset({"NEWLINE", "SEMI", "EOF"})
_SKIPPED = _SEPARATORS | {"SPACE"}


def _leaves(node: Child) -> Iterator[Tok]:
    if isinstance(node, Tok):
        yield node
        return
    for child in node.children:
        yield from _leaves(child)


def _leaves_reversed(node: Child) -> Iterator[Tok]:
    if isinstance(node, Tok):
        yield node
        return
    for child in reversed(node.children):
        yield from _leaves_reversed(child)


def _first(node: Child) -> Tok:
    while not isinstance(node, Tok):
        node = node.children[0]
    return node


def _last(node: Child) -> Tok:
    while not isinstance(node, Tok):
        node = node.children[-1]
    return node


class Builder:
    def __init__(self, text: str, to_file: Callable[[int], int]) -> None:
        self.text = text
        self.to_file = to_file

    # ---- helpers -------------------------------------------------------------------------
    def span(self, start: int, end: int) -> Span:
        first = self.to_file(start)
        return Span(first, max(first, self.to_file(end)))

    def node_span(self, nodes: list[Child]) -> Span:
        """Span of a run of children, without the separators and blanks around it."""
        first = next((t for n in nodes for t in _leaves(n) if t.type not in _SKIPPED), None)
        if first is None:
            tok = _first(nodes[0])
            return self.span(tok.start, tok.start)
        last = next(t for n in reversed(nodes) for t in _leaves_reversed(n)
                    if t.type not in _SKIPPED)
        start = first.start + len(first.value) - len(first.value.lstrip())
        end = last.end - (len(last.value) - len(last.value.rstrip()))
        return self.span(start, max(start, end))

    def source(self, start: int, end: int) -> str:
        return _ENCODED.sub(r"#\1;", self.text[start:end])

    def name(self, node: Child) -> ast.Name:
        start, end = _first(node).start, _last(node).end
        return ast.Name(self.source(start, end), self.span(start, end))

    def names(self, node: Child) -> list[ast.Name]:
        """``a,b,c`` as Mermaid splits it for classDef / class statements."""
        whole = self.name(node)
        start = _first(node).start
        out, offset = [], 0
        for part in self.text[start:_last(node).end].split(","):
            out.append(ast.Name(self.source(start + offset, start + offset + len(part)),
                                self.span(start + offset, start + offset + len(part))))
            offset += len(part) + 1
        return out or [whole]

    def label(self, node: Child) -> ast.Label:
        toks = list(_leaves(node))
        first, last = toks[0], toks[-1]
        kind = ast.LabelKind.TEXT
        outer_start, outer_end = first.start, last.end
        if first.type == "STR":
            kind = ast.LabelKind.STRING
            outer_start -= 1
            if len(toks) == 1:
                outer_end += 1
        elif first.type == "MD_STR":
            kind = ast.LabelKind.MARKDOWN
            outer_start -= 2
            if len(toks) == 1:
                outer_end += 2
        return ast.Label(self.source(first.start, last.end), kind,
                         self.span(first.start, last.end), self.span(outer_start, outer_end))

    # ---- the diagram ---------------------------------------------------------------------
    def flowchart(self, tree: CST) -> ast.Flowchart:
        config, document = tree.children
        header_node = config
        while header_node.name == "graph_config":
            header_node = header_node.children[-1]
        keyword, *rest = header_node.children
        direction = None
        direction_span = None
        if header_node.name == "header":
            tok = rest[0]
            direction = tok.value.strip()
            lead = len(tok.value) - len(tok.value.lstrip())
            direction_span = self.span(tok.start + lead, tok.end)
        header_end = direction_span.end if direction_span else self.to_file(keyword.end)
        header = ast.Header(keyword.value, direction, Span(self.to_file(keyword.start),
                                                           header_end), direction_span)
        body = self.document(document)
        whole = self.span(_first(tree).start, _last(tree).end)
        return ast.Flowchart(header=header, body=body, span=whole)

    def document(self, node: CST) -> list[ast.Statement]:
        out: list[ast.Statement] = []
        for child in node.children:
            if isinstance(child, Tok):
                continue
            stmt = self.statement(child)
            if stmt is not None:
                out.append(stmt)
        return out

    def statement(self, node: CST) -> ast.Statement | None:
        name = node.name
        if name == "chain_statement":
            return self.chain(node.children[0])
        if name.startswith("subgraph_"):
            return self.subgraph(node)
        if name in ("acc_title", "acc_descr"):
            value = node.children[1]
            kind = "title" if name == "acc_title" else "description"
            return ast.Accessibility(self.node_span(node.children), kind, value.value.strip())
        if name == "acc_descr_multiline":
            tok = node.children[0]
            return ast.Accessibility(self.span(tok.start, tok.end), "description",
                                     tok.value.strip())
        inner = node.children[0]
        if isinstance(inner, Tok):
            return None
        handler = getattr(self, inner.name, None)
        return handler(inner) if handler is not None else None

    # ---- nodes and links -----------------------------------------------------------------
    def chain(self, node: CST) -> ast.Chain:
        steps: list[tuple[CST | None, CST, CST | None]] = []  # (link, node group, shape data)
        current: CST = node
        while True:
            kids = current.children
            if kids and isinstance(kids[0], CST) and kids[0].name == "vertex_statement":
                shape = kids[3] if len(kids) > 3 and kids[3].name == "shape_data" else None
                steps.append((kids[1], kids[2], shape))
                current = kids[0]
                continue
            shape = kids[1] if len(kids) > 1 and kids[1].name == "shape_data" else None
            steps.append((None, kids[0], shape))
            break
        steps.reverse()
        chain = ast.Chain(span=self.node_span([node]))
        for link_node, group_node, shape_node in steps:
            group = self.group(group_node)
            if shape_node is not None and group:
                group[-1].shape_data = self.shape_data(shape_node)
                group[-1].span = group[-1].span.cover(group[-1].shape_data.span)
            if link_node is not None:
                link = self.link(link_node)
                link.source = chain.groups[-1]
                link.target = group
                chain.links.append(link)
            chain.groups.append(group)
        for group in chain.groups:
            for vertex in group:
                chain.span = chain.span.cover(vertex.span)
        return chain

    def group(self, node: CST) -> list[ast.Node]:
        """``A & B:::c & C`` -> its nodes, with shape data attached where it stands."""
        kids = node.children
        if kids[0].name == "styled_vertex":
            return [self.styled_vertex(kids[0])]
        nodes = self.group(kids[0])
        if kids[1].name == "shape_data" and nodes:
            nodes[-1].shape_data = self.shape_data(kids[1])
        nodes.append(self.styled_vertex(kids[-1]))
        return nodes

    def styled_vertex(self, node: CST) -> ast.Node:
        vertex = self.vertex(node.children[0])
        if len(node.children) == 3:
            vertex.classes = self.names(node.children[2])
            vertex.span = vertex.span.cover(vertex.classes[-1].span)
        return vertex

    def vertex(self, node: CST) -> ast.Node:
        kids = node.children
        ident = self.name(kids[0])
        span = self.node_span([node])
        if node.name == "plain":
            return ast.Node(id=ident, span=span)
        text_node = next((k for k in kids if isinstance(k, CST) and k.name == "text"), None)
        label = self.label(text_node) if text_node is not None else None
        opener = kids[1]
        shape_span = self.span(opener.start, _last(node).end)
        return ast.Node(id=ident, span=span, shape=_SHAPES.get(node.name, node.name),
                        label=label, shape_span=shape_span)

    def shape_data(self, node: CST) -> ast.ShapeData:
        toks = list(_leaves(node))
        start, end = toks[0].end, toks[-1].end  # after `@{`; the closing `}` has no token
        raw = self.text[start:end]
        close = end + 1 if self.text[end:end + 1] == "}" else end
        return ast.ShapeData(raw=raw, span=self.span(toks[0].start, close),
                             fields=parse_shape_fields(raw))

    def link(self, node: CST) -> ast.Link:
        kids = node.children
        link_id = None
        label = None
        if node.name == "link_with_text":
            if kids[0].type == "LINK_ID":
                link_id = self._link_id(kids[0])
                kids = kids[1:]
            start_tok, text_node, end_tok = kids
            arrow_start = start_tok.value.strip()
            arrow_end = end_tok.value.strip()
            label = self.label(text_node)
            arrow = (arrow_start[0] if arrow_start[:1] in ("<", "x", "o") else "") + arrow_end
            span = self.node_span([node])
        else:
            statement = kids[0]
            toks = statement.children
            if toks[0].type == "LINK_ID":
                link_id = self._link_id(toks[0])
            arrow = toks[-1].value.strip()
            if len(kids) > 1 and isinstance(kids[1], CST) and kids[1].name == "arrow_text":
                label = self.label(kids[1].children[1])
            span = self.node_span([k for k in kids if not (isinstance(k, Tok) and
                                                           k.type == "SPACE")])
        stroke, start_head, end_head, length = describe_arrow(arrow)
        return ast.Link(arrow=arrow, stroke=stroke, start_head=start_head, end_head=end_head,
                        length=length, span=span, label=label, id=link_id)

    def _link_id(self, tok: Tok) -> ast.Name:
        return ast.Name(tok.value[:-1], self.span(tok.start, tok.end - 1))

    # ---- subgraphs -----------------------------------------------------------------------
    def subgraph(self, node: CST) -> ast.Subgraph:
        kids = node.children
        keyword, end_tok = kids[0], kids[-1]
        document = kids[-2]
        ident: ast.Name | None = None
        title: ast.Label | None = None
        if node.name == "subgraph_with_id":
            ident = self.name(kids[2])
            title = self.label(kids[4])
            header_last = kids[5]
        elif node.name == "subgraph_titled":
            title = self.label(kids[2])
            if not re.search(r"\s", title.text.strip()):
                ident = ast.Name(title.text.strip(), title.span)
            header_last = _last(kids[2])
        else:
            header_last = keyword
        end_value = end_tok.value
        end_span = self.span(end_tok.start, end_tok.start + len(end_value.rstrip()))
        return ast.Subgraph(
            span=Span(self.to_file(keyword.start), end_span.end), id=ident, title=title,
            body=self.document(document),
            header_span=Span(self.to_file(keyword.start), self.to_file(header_last.end)),
            end_span=end_span,
        )

    def direction(self, node: CST) -> ast.Direction:
        tok = node.children[0]
        return ast.Direction(self.node_span([tok]), _DIRECTIONS[tok.type])

    # ---- styling and interaction ---------------------------------------------------------
    def properties(self, node: CST) -> list[ast.StyleProperty]:
        out = []
        for style in node.children:
            if isinstance(style, Tok):  # the commas
                continue
            toks = [t for t in _leaves(style)]
            while toks and toks[-1].type == "SPACE":
                toks.pop()
            while toks and toks[0].type == "SPACE":
                toks.pop(0)
            if not toks:
                continue
            start, end = toks[0].start, toks[-1].end
            raw = self.text[start:end]
            key, colon, value = raw.partition(":")
            value_start = start + len(key) + len(colon)
            value_lead = len(value) - len(value.lstrip())
            out.append(ast.StyleProperty(
                key=key.strip(), value=value.strip(), span=self.span(start, end),
                value_span=self.span(value_start + value_lead, end),
            ))
        return out

    def class_def_statement(self, node: CST) -> ast.ClassDef:
        kids = node.children
        return ast.ClassDef(self.node_span([node]), names=self.names(kids[2]),
                            properties=self.properties(kids[4]))

    def class_statement(self, node: CST) -> ast.ClassAssign:
        kids = node.children
        return ast.ClassAssign(self.node_span([node]), nodes=self.names(kids[2]),
                               class_names=self.names(kids[4]))

    def style_statement(self, node: CST) -> ast.Style:
        kids = node.children
        return ast.Style(self.node_span([node]), node=self.name(kids[2]),
                         properties=self.properties(kids[4]))

    def link_style_statement(self, node: CST) -> ast.LinkStyle:
        kids = node.children
        targets_node = kids[2]
        target_toks = list(_leaves(targets_node))
        targets = (None if target_toks[0].type == "DEFAULT"
                   else [int(t.value) for t in target_toks if t.type == "NUM"])
        interpolate = None
        properties: list[ast.StyleProperty] = []
        for k, child in enumerate(kids):
            if isinstance(child, Tok) and child.type == "INTERPOLATE":
                interpolate = self.name(kids[k + 2]).value
            if isinstance(child, CST) and child.name == "styles":
                properties = self.properties(child)
        return ast.LinkStyle(self.node_span([node]), targets=targets,
                             target_span=self.node_span([targets_node]),
                             interpolate=interpolate, properties=properties)

    def click_statement(self, node: CST) -> ast.Click:
        kids = node.children
        click = kids[0]
        click_node = ast.Name(click.value, self.span(click.start, click.end))
        strings = [t.value for t in kids[1:] if isinstance(t, Tok) and t.type == "STR"]
        has_href = any(isinstance(t, Tok) and t.type == "HREF" for t in kids)
        callback = next((t.value for t in kids if isinstance(t, Tok)
                         and t.type == "CALLBACKNAME"), None)
        if callback is None and len(kids) > 1 and isinstance(kids[1], CST):
            callback = self.name(kids[1]).value
        href = strings[0] if strings and (has_href or callback is None) else None
        tooltip = strings[-1] if len(strings) > (1 if href else 0) else None
        return ast.Click(self.node_span([node]), node=click_node, href=href,
                         callback=callback, tooltip=tooltip)


def describe_arrow(arrow: str) -> tuple[ast.Stroke, ast.ArrowHead, ast.ArrowHead, int]:
    """Stroke, heads and length of a link as written (``-->``, ``<-.->``, ``==o``, ``~~~``)."""
    heads = {">": ast.ArrowHead.POINT, "<": ast.ArrowHead.POINT, "o": ast.ArrowHead.CIRCLE,
             "x": ast.ArrowHead.CROSS}
    body = arrow
    end_head = ast.ArrowHead.NONE
    start_head = ast.ArrowHead.NONE
    if body[-1:] in (">", "o", "x"):
        end_head = heads[body[-1]]
        body = body[:-1]
        if body[:1] in ("<", "o", "x"):
            start_head = heads[body[0]]
            body = body[1:]
    if "." in body:
        return ast.Stroke.DOTTED, start_head, end_head, max(1, body.count("."))
    if body.startswith("="):
        stroke = ast.Stroke.THICK
    elif body.startswith("~"):
        stroke = ast.Stroke.INVISIBLE
    else:
        stroke = ast.Stroke.NORMAL
    return stroke, start_head, end_head, max(1, len(body) - 1)


_FIELD = re.compile(r'\s*([A-Za-z_][\w-]*)\s*:\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[^,\n]*)\s*(?:,|\n|$)')


def parse_shape_fields(raw: str) -> dict[str, str]:
    """The ``key: value`` pairs of shape data (a YAML mapping without its braces)."""
    out: dict[str, str] = {}
    for match in _FIELD.finditer(raw):
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[match.group(1)] = value
    return out
