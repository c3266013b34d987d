"""Turn the concrete syntax tree into the typed AST (:mod:`.ast`).

Offsets in the tree are into the text the parser saw (after Mermaid's clean-up); ``to_file`` maps
them onto the original file, so every AST span is exact in the file the user edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from mermaidlint.flowchart import ast
from mermaidlint.flowchart.lexer import RawTok
from mermaidlint.flowchart.parser import CST
from mermaidlint.positions import Span

# A tree node: a CST, or a token leaf, the lexer's (type, value, start, end) tuple; the code
# below reads a leaf by index: [0] type, [1] value, [2] start, [3] end.
Child = Any  # CST | RawTok

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

# Builder.span makes hundreds of spans per diagram: tuple.__new__ makes one without the call
# through the named tuple's own __new__.
_new_span = tuple.__new__
_SKIPPED = _SEPARATORS | {"SPACE"}


# The label kinds as module globals, read for every label made (see ast.NO_HEAD).
_TEXT_LABEL = ast.LabelKind.TEXT
_STRING_LABEL = ast.LabelKind.STRING
_MARKDOWN_LABEL = ast.LabelKind.MARKDOWN

# A label's text of one token stands in the tree as that token (`?text`): trees of one token
# were a tenth of all the trees the parser made.
_TEXT_TOKENS = frozenset({"TEXT", "TAGSTART", "TAGEND", "UNICODE_TEXT", "STR", "MD_STR"})


def _is_text(node: Child) -> bool:
    """Whether a shape's child is its text (`text` in the grammar): a tree, or its one token.
    (Only the opener, `>` of `id>text]`, is a text token too: callers start past it.)"""
    if type(node) is CST:
        return bool(node.name == "text")
    return node[0] in _TEXT_TOKENS


def _leaves(node: Child) -> list[RawTok]:
    """The tokens under ``node``, in order."""
    if type(node) is not CST:
        return [node]
    out: list[RawTok] = []
    _collect(node, out)
    return out


def _collect(node: CST, out: list[RawTok]) -> None:
    for child in node.children:
        if type(child) is CST:
            _collect(child, out)
        else:
            out.append(child)


def _first(node: Child) -> RawTok:
    while type(node) is CST:
        node = node.children[0]
    return node  # type: ignore[no-any-return]


def _last(node: Child) -> RawTok:
    while type(node) is CST:
        node = node.children[-1]
    return node  # type: ignore[no-any-return]


def _first_real(node: Child) -> RawTok | None:
    """The first token under ``node`` that is not a separator or a blank."""
    if type(node) is not CST:
        if node[0] == "STYLES":  # a style body as one token: look at the tokens it holds
            return next((t for t in node[4] if t[0] not in _SKIPPED), None)
        return None if node[0] in _SKIPPED else node
    for child in node.children:
        found = _first_real(child)
        if found is not None:
            return found
    return None


def _last_real(node: Child) -> RawTok | None:
    if type(node) is not CST:
        if node[0] == "STYLES":
            return next((t for t in reversed(node[4]) if t[0] not in _SKIPPED), None)
        return None if node[0] in _SKIPPED else node
    for child in reversed(node.children):
        found = _last_real(child)
        if found is not None:
            return found
    return None


class Builder:
    """Builds the AST of one diagram.

    ``to_file`` maps an offset of the parsed text to the file; ``table``, when given, is the
    same map as a list (``table[offset]`` for every offset of the text), which is much faster
    for the hundreds of spans a diagram has.
    """

    def __init__(self, text: str, to_file: Callable[[int], int],
                 table: Sequence[int] | None = None) -> None:
        self.text = text
        self.to_file = to_file
        self.table = table
        self._limit = len(table) - 1 if table is not None else -1
        self._encoded = "\ufb02" in text
        # The flat lists of the diagram's elements (see ast.Index), filled as they are made,
        # and the subgraphs around what is being made.
        self.index = ast.Index()
        self._parents: ast.Parents = ()

    # ---- helpers -------------------------------------------------------------------------
    def offset(self, offset: int) -> int:
        """Where ``offset`` of the parsed text lies in the file."""
        if 0 <= offset <= self._limit:
            return self.table[offset]  # type: ignore[index]
        return self.to_file(offset)

    def span(self, start: int, end: int) -> Span:
        # (every caller passes start <= end: these two tests keep both in the table)
        if start >= 0 and end <= self._limit:
            table = self.table
            first = table[start]  # type: ignore[index]
            last = table[end]  # type: ignore[index]
        else:
            first = self.to_file(start)
            last = self.to_file(end)
        span: Span = _new_span(Span, (first, last if last > first else first))
        return span

    def node_span(self, nodes: list[Child]) -> Span:
        """Span of a run of children, without the separators and blanks around it."""
        first = None
        for node in nodes:
            first = _first_real(node)
            if first is not None:
                break
        if first is None:
            tok = _first(nodes[0])
            return self.span(tok[2], tok[2])
        last = None
        for node in reversed(nodes):
            last = _last_real(node)
            if last is not None:
                break
        return self._tokens_span(first, last)  # type: ignore[arg-type]

    def _tokens_span(self, first: RawTok, last: RawTok) -> Span:
        """From ``first``'s start to ``last``'s end, without the blanks the tokens carry."""
        value = first[1]
        start = first[2]
        if value[:1].isspace():
            start += len(value) - len(value.lstrip())
        value = last[1]
        end = last[3]
        if value[-1:].isspace():
            end -= len(value) - len(value.rstrip())
        return self.span(start, end if end > start else start)

    def source(self, start: int, end: int) -> str:
        if self._encoded:
            return _ENCODED.sub(r"#\1;", self.text[start:end])
        return self.text[start:end]

    def name(self, node: Child) -> ast.Name:
        start, end = _first(node)[2], _last(node)[3]
        return ast.Name(self.source(start, end), self.span(start, end))

    def names(self, node: Child) -> list[ast.Name]:
        """``a,b,c`` as Mermaid splits it for classDef / class statements."""
        start = _first(node)[2]
        end = _last(node)[3]
        text = self.text[start:end]
        if "," not in text:
            return [ast.Name(self.source(start, end), self.span(start, end))]
        out, offset = [], start
        for part in text.split(","):
            stop = offset + len(part)
            out.append(ast.Name(self.source(offset, stop), self.span(offset, stop)))
            offset = stop + 1
        return out

    def label(self, node: Child) -> ast.Label:
        first, last = _first(node), _last(node)
        kind = _TEXT_LABEL
        outer_start, outer_end = first[2], last[3]
        if first[0] == "STR":
            kind = _STRING_LABEL
            outer_start -= 1
            if first is last:
                outer_end += 1
        elif first[0] == "MD_STR":
            kind = _MARKDOWN_LABEL
            outer_start -= 2
            if first is last:
                outer_end += 2
        start, end = first[2], last[3]
        span = self.span(start, end)
        outer = span if kind is _TEXT_LABEL else self.span(outer_start, outer_end)
        return ast.Label(self.source(start, end), kind, span, outer)

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
            direction = tok[1].strip()
            lead = len(tok[1]) - len(tok[1].lstrip())
            direction_span = self.span(tok[2] + lead, tok[3])
        header_end = direction_span.end if direction_span else self.offset(keyword[3])
        header = ast.Header(keyword[1], direction, Span(self.offset(keyword[2]),
                                                           header_end), direction_span)
        body = self.document(document)
        whole = self.span(_first(tree)[2], _last(tree)[3])
        return ast.Flowchart(header=header, body=body, span=whole, index=self.index)

    def document(self, node: CST) -> list[ast.Statement]:
        out: list[ast.Statement] = []
        statement = self.statement
        index = self.index
        parents = self._parents
        chain = self.chain
        for child in node.children:
            if type(child) is not CST:
                continue
            # (chains, most statements, without the call through statement())
            stmt = chain(child.children[0]) if child.name == "chain_statement" \
                else statement(child)
            if stmt is None:
                continue
            out.append(stmt)
            # A subgraph lists itself before its body (see subgraph), and a chain its nodes and
            # links as it makes them: the index stays in the order of a depth-first walk.
            if stmt.__class__ is not ast.Subgraph:
                index.statements.append((stmt, parents))
                if stmt.__class__ is not ast.Chain:
                    index.others.append((stmt, parents))
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
            return ast.Accessibility(self.node_span(node.children), kind, value[1].strip())
        if name == "acc_descr_multiline":
            tok = node.children[0]
            return ast.Accessibility(self.span(tok[2], tok[3]), "description",
                                     tok[1].strip())
        inner = node.children[0]
        if type(inner) is not CST:
            return None
        handler = getattr(self, inner.name, None)
        return handler(inner) if handler is not None else None

    # ---- nodes and links -----------------------------------------------------------------
    def chain(self, node: CST) -> ast.Chain:
        # `vertex_statement: vertex_statement link node ...` nests to the left; a chain of one
        # plain node is the node itself (`?vertex_statement`).
        steps: list[tuple[CST | None, CST, CST | None]] = []  # (link, node group, shape data)
        current: CST = node
        while True:
            if current.name != "vertex_statement":
                steps.append((None, current, None))
                break
            kids = current.children
            second = kids[1]
            if second.name == "link" or second.name == "link_with_text":
                shape = kids[3] if len(kids) > 3 and kids[3].name == "shape_data" else None
                steps.append((second, kids[2], shape))
                current = kids[0]
                continue
            # `node spaces` or `node shape_data`
            steps.append((None, kids[0], second if second.name == "shape_data" else None))
            break
        steps.reverse()
        # The chain's span covers its nodes: it starts with its first node's id and ends with
        # its last node (its closing token, classes or shape data), whose span ends there too.
        low = high = -1
        groups: list[list[ast.Node]] = []
        links: list[ast.Link] = []
        vertex_kind = self.vertex
        parents = self._parents
        index = self.index
        add_node, add_link, add_label = index.nodes.append, index.links.append, index.labels.append
        for link_node, group_node, shape_node in steps:
            name = group_node.name
            if name == "node" or name == "styled_vertex":
                group = self.group(group_node)
            else:  # a plain vertex: a group of one (`?node`) without classes (`?styled_vertex`)
                group = [vertex_kind(group_node)]
            if shape_node is not None and group:
                vertex = group[-1]
                vertex.shape_data = self.shape_data(shape_node)
                vertex.span = vertex.span.cover(vertex.shape_data.span)
            if link_node is not None:
                link = self.link(link_node)
                link.source = groups[-1]
                link.target = group
                links.append(link)
                add_link((link, parents))
                if link.label is not None:  # (written before the nodes it leads to)
                    add_label(link.label)
            groups.append(group)
            for vertex in group:
                add_node((vertex, parents))
                if vertex.label is not None:
                    add_label(vertex.label)
                start, end = vertex.span
                if start < low or low < 0:
                    low = start
                if end > high:
                    high = end
        # (positional, in the order of ast.Chain's fields: one is made for every chain)
        if len(groups) == 1 and len(groups[0]) == 1:  # a lone node: the chain is its span
            return ast.Chain(groups[0][0].span, groups, links)
        return ast.Chain(_new_span(Span, (low, high)), groups, links)

    def group(self, node: CST) -> list[ast.Node]:
        """``A & B:::c & C`` -> its nodes, with shape data attached where it stands."""
        if node.name != "node":  # a group of one node (`?node`)
            return [self.styled_vertex(node)]
        kids = node.children
        nodes = self.group(kids[0])
        if kids[1].name == "shape_data" and nodes:
            nodes[-1].shape_data = self.shape_data(kids[1])
        nodes.append(self.styled_vertex(kids[-1]))
        return nodes

    def styled_vertex(self, node: CST) -> ast.Node:
        if node.name != "styled_vertex":  # a vertex without `:::classes` (`?styled_vertex`)
            return self.vertex(node)
        kids = node.children
        vertex = self.vertex(kids[0])
        vertex.classes = self.names(kids[2])
        vertex.span = vertex.span.cover(vertex.classes[-1].span)
        return vertex

    def vertex(self, node: CST) -> ast.Node:
        kids = node.children
        id_node = kids[0]
        if type(id_node) is CST:
            first = _first(id_node)
            last = _last(id_node)
        else:  # an id of one token (`?id_string`)
            first = last = id_node
        start, end = first[2], last[3]
        # (span() and source() written out: a node's id is the commonest of their calls)
        if start >= 0 and end <= self._limit:
            table = self.table
            low, high = table[start], table[end]  # type: ignore[index]
            id_span: Span = _new_span(Span, (low, high if high > low else low))
        else:
            id_span = self.span(start, end)
        ident = ast.Name(self.source(start, end) if self._encoded else self.text[start:end],
                         id_span)
        # A vertex starts with its id and ends with it or with the shape's closing token:
        # never a blank, so these are the tokens node_span would find.
        name = node.name
        if name == "plain":
            if first[1][:1].isspace() or last[1][-1:].isspace():
                id_span = self._tokens_span(first, last)
            return ast.Node(ident, id_span)
        if len(kids) == 2:  # `id[text]` with its label as one token (lexer._LABELS)
            kids = [id_node, *kids[1][4]]
        closing = kids[-1]
        span = self._tokens_span(first, closing)
        text_node = kids[2]  # most shapes: id, opener, text, closer
        if not _is_text(text_node):  # after a second opener, or `id[|key:value|text]`
            text_node = next((kid for kid in kids[3:] if _is_text(kid)), None)
        label = self.label(text_node) if text_node is not None else None
        shape_span = self.span(kids[1][2], closing[3])
        # (positional, in the order of ast.Node's fields: one is made for every node)
        return ast.Node(ident, span, _SHAPES.get(name, name), label, [], None, shape_span)

    def shape_data(self, node: CST) -> ast.ShapeData:
        first = _first(node)
        start, end = first[3], _last(node)[3]  # after `@{`; the closing `}` has no token
        raw = self.text[start:end]
        close = end + 1 if self.text[end:end + 1] == "}" else end
        return ast.ShapeData(raw=raw, span=self.span(first[2], close),
                             fields=parse_shape_fields(raw))

    def link(self, node: CST) -> ast.Link:
        kids = node.children
        link_id = None
        label = None
        if node.name == "link_with_text":
            if kids[0][0] == "LINK_ID":
                link_id = self._link_id(kids[0])
                kids = kids[1:]
            start_tok, text_node, end_tok = kids
            arrow_start = start_tok[1].strip()
            arrow_end = end_tok[1].strip()
            label = self.label(text_node)
            arrow = (arrow_start[0] if arrow_start[:1] in ("<", "x", "o") else "") + arrow_end
            span = self.node_span([node])
        else:
            # `LINK` or `LINK_ID LINK`, then the label, if any
            arrow_at = 0
            if kids[0][0] == "LINK_ID":
                link_id = self._link_id(kids[0])
                arrow_at = 1
            arrow = kids[arrow_at][1].strip()
            after = kids[arrow_at + 1] if len(kids) > arrow_at + 1 else None
            if type(after) is CST and after.name == "arrow_text":
                parts = after.children
                if len(parts) == 1:  # `|text|` as one token (lexer._LABELS)
                    parts = parts[0][4]
                label = self.label(parts[1])
            if len(kids) == 1:  # a link of one LINK token, the commonest
                span = self._tokens_span(kids[0], kids[0])
            else:
                span = self.node_span([k for k in kids if type(k) is CST or k[0] != "SPACE"])
        stroke, start_head, end_head, length = describe_arrow(arrow)
        # (positional, in the order of ast.Link's fields: one is made for every link)
        return ast.Link(arrow, stroke, start_head, end_head, length, span, label, link_id, [], [])

    def _link_id(self, tok: RawTok) -> ast.Name:
        return ast.Name(tok[1][:-1], self.span(tok[2], tok[3] - 1))

    # ---- subgraphs -----------------------------------------------------------------------
    def subgraph(self, node: CST) -> ast.Subgraph:
        kids = node.children
        keyword, end_tok = kids[0], kids[-1]
        document = kids[-2]
        ident: ast.Name | None = None
        title: ast.Label | None = None
        if node.name == "subgraph_with_id":
            if len(kids) == 7:  # `[title]` as one token (lexer._LABELS)
                kids = [*kids[:3], *kids[3][4], *kids[4:]]
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
        end_value = end_tok[1]
        end_span = self.span(end_tok[2], end_tok[2] + len(end_value.rstrip()))
        subgraph = ast.Subgraph(
            span=Span(self.offset(keyword[2]), end_span.end), id=ident, title=title,
            header_span=Span(self.offset(keyword[2]), self.offset(header_last[3])),
            end_span=end_span,
        )
        # Indexed before its body, as a depth-first walk meets it.
        parents = self._parents
        index = self.index
        index.statements.append((subgraph, parents))
        index.others.append((subgraph, parents))
        index.subgraphs.append((subgraph, parents))
        if title is not None:
            index.labels.append(title)
        self._parents = (*parents, subgraph)
        subgraph.body = self.document(document)
        self._parents = parents
        return subgraph

    def direction(self, node: CST) -> ast.Direction:
        tok = node.children[0]
        return ast.Direction(self.node_span([tok]), _DIRECTIONS[tok[0]])

    # ---- styling and interaction ---------------------------------------------------------
    def properties(self, node: CST) -> list[ast.StyleProperty]:
        out = []
        for toks in _style_tokens(node):
            low, high = 0, len(toks) - 1
            while high >= 0 and toks[high][0] == "SPACE":
                high -= 1
            while low <= high and toks[low][0] == "SPACE":
                low += 1
            if low > high:
                continue
            start, end = toks[low][2], toks[high][3]
            raw = self.text[start:end]
            key, colon, value = raw.partition(":")
            value_start = start + len(key) + len(colon)
            value_lead = len(value) - len(value.lstrip())
            out.append(ast.StyleProperty(key.strip(), value.strip(), self.span(start, end),
                                         self.span(value_start + value_lead, end)))
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
        target_toks = _leaves(targets_node)
        targets = (None if target_toks[0][0] == "DEFAULT"
                   else [int(t[1]) for t in target_toks if t[0] == "NUM"])
        interpolate = None
        properties: list[ast.StyleProperty] = []
        for k, child in enumerate(kids):
            if type(child) is not CST and child[0] == "INTERPOLATE":
                interpolate = self.name(kids[k + 2]).value
            if type(child) is CST and child.name == "styles":
                properties = self.properties(child)
        return ast.LinkStyle(self.node_span([node]), targets=targets,
                             target_span=self.node_span([targets_node]),
                             interpolate=interpolate, properties=properties)

    def click_statement(self, node: CST) -> ast.Click:
        kids = node.children
        click = kids[0]
        click_node = ast.Name(click[1], self.span(click[2], click[3]))
        strings = [t[1] for t in kids[1:] if type(t) is not CST and t[0] == "STR"]
        has_href = any(type(t) is not CST and t[0] == "HREF" for t in kids)
        callback = next((t[1] for t in kids if type(t) is not CST
                         and t[0] == "CALLBACKNAME"), None)
        if callback is None and len(kids) > 1 and type(kids[1]) is CST:
            callback = self.name(kids[1]).value
        href = strings[0] if strings and (has_href or callback is None) else None
        tooltip = strings[-1] if len(strings) > (1 if href else 0) else None
        return ast.Click(self.node_span([node]), node=click_node, href=href,
                         callback=callback, tooltip=tooltip)


def _style_tokens(node: CST) -> list[list[RawTok]]:
    """The tokens of each style of a `styles` phrase: of its `style` trees, or, for a body
    merged into one STYLES token, the runs of its tokens between commas."""
    kids = node.children
    if type(kids[0]) is CST:
        return [_leaves(kid) for kid in kids if type(kid) is CST]  # (the others are the commas)
    runs: list[list[RawTok]] = [[]]
    for tok in kids[0][4]:
        if tok[0] == "COMMA":
            runs.append([])
        else:
            runs[-1].append(tok)
    return runs


_ARROWS: dict[str, tuple[ast.Stroke, ast.ArrowHead, ast.ArrowHead, int]] = {}


def describe_arrow(arrow: str) -> tuple[ast.Stroke, ast.ArrowHead, ast.ArrowHead, int]:
    """Stroke, heads and length of a link as written (``-->``, ``<-.->``, ``==o``, ``~~~``)."""
    described = _ARROWS.get(arrow)
    if described is None:
        described = _describe_arrow(arrow)
        if len(_ARROWS) < 1000:
            _ARROWS[arrow] = described
    return described


def _describe_arrow(arrow: str) -> tuple[ast.Stroke, ast.ArrowHead, ast.ArrowHead, int]:
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


_FIELD = re.compile(
    r'\s*([A-Za-z_][\w-]*)\s*:\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[^,\n]*)\s*(?:,|\n|$)')


def parse_shape_fields(raw: str) -> dict[str, str]:
    """The ``key: value`` pairs of shape data (a YAML mapping without its braces)."""
    out: dict[str, str] = {}
    for match in _FIELD.finditer(raw):
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[match.group(1)] = value
    return out
