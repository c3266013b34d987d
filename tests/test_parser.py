"""The grammar accepts what Mermaid accepts and refuses what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mermaidlint.flowchart.lexer import Tok, tokenize, tokenize_raw
from mermaidlint.flowchart.parser import _drive, _Failure, _merge_styles, parse_tokens
from mermaidlint.preprocess import prepare_for_parser, preprocess


def verdict(text: str) -> bool:
    pre = preprocess(text)
    prepare_for_parser(pre, flowchart=True)
    return not parse_tokens(pre.code).problems


# Each construct from Mermaid 11's flowchart syntax; every one was checked with the official
# parser (../shared/oracle/run).
ACCEPTED = [
    "graph TD\nA-->B",
    "flowchart LR\nA --> B",
    "graph\nA-->B",
    "graph >;A-->B;",
    "flowchart-elk TB\nA-->B",
    "flowchart TD\nA[square] --> B(round) --> C{diamond} --> D((circle))",
    "flowchart TD\nA([stadium]) --> B[[sub]] --> C[(db)] --> D(((dbl)))",
    "flowchart TD\nA>odd] --> B{{hex}} --> C[/lean r/] --> D[\\lean l\\]",
    "flowchart TD\nA[/trap\\] --> B[\\inv/] --> C(-ellipse-)",
    'flowchart TD\nA@{ shape: cyl, label: "DB" } --> B@{ shape: rounded }',
    'flowchart TD\nA["quoted (ok)"] --> B["`**md**`"]',
    "flowchart TD\nA[#quot;entity#quot;] --> B",
    "flowchart TD\nA -- text --> B -. dotted .-> C == thick ==> D",
    "flowchart TD\nA -->|text| B ---|t2| C -.->|t3| D ==>|t4| E",
    "flowchart TD\nA --- B --> C -.- D -.-> E === F ==> G ~~~ H",
    "flowchart TD\nA ---> B ----> C <--> D o--o E x--x F --o G --x H",
    "flowchart TD\nA & B --> C & D",
    "flowchart TD\nA e1@--> B\nB e2@-- text --> C",
    "flowchart TD\nsubgraph one [Title one]\n  A-->B\nend",
    "flowchart TD\nsubgraph one\n  direction LR\n  A-->B\n  subgraph two\n    C\n  end\nend",
    'flowchart TD\nsubgraph "Quoted title"\n  A\nend',
    "flowchart TD\nsubgraph s\n  direction TD\n  A\nend",
    "flowchart TD\nclassDef red fill:#f00,stroke:#333,stroke-width:4px\nclass A,B red\nC:::red",
    "flowchart TD\nA-->B\nstyle A fill:#f9f,stroke:#333;\nlinkStyle 0 stroke:red",
    "flowchart TD\nA-->B\nB-->C\nlinkStyle 0,1 stroke:red\nlinkStyle default interpolate basis",
    'flowchart TD\nA-->B\nclick A callback "Tooltip"\nclick B "https://x.org" _blank',
    "flowchart TD\nA-->B\nclick A call cb(1, 2)",
    "flowchart TD\naccTitle: Title\naccDescr: Description\naccDescr {\n multi\n}\nA",
    "%%{init: {'theme': 'dark'}}%%\nflowchart TD\n%% a comment\nA-->B",
    "---\ntitle: Hello\n---\nflowchart TD\nA-->B",
    "flowchart TD\nA;B;C-->D;",
    "flowchart TD\nstyleA --> classB --> endpoint --> subgraphX",
    "flowchart TD\nA-->B\n\n\n",
]

REFUSED = [
    "flowchart TD\nA[Cache (LRU)] --> B",
    "flowchart TD\nA[x] --> B[y [z]]",
    "flowchart TD\nA --> end",
    "flowchart TD\nsubgraph S\nA",
    "flowchart TD\nA --> B\nend",
    "flowchart TD\nA{x} --> B{y (z)}",
    "flowchart TD\nA -->|a (b)| B",
    "flowchart TD\nA -- a --> B -- c",
    "flowchart TD\nA[]",
    "flowchart TD\nclassDef  x fill:#f00",
    "flowchart TD\nA --> 😀",
    "flowchart TD\nA --> B %% trailing comment",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted(text: str) -> None:
    assert verdict(text), text


@pytest.mark.parametrize("text", REFUSED)
def test_refused(text: str) -> None:
    assert not verdict(text), text


def test_recovery_reports_later_independent_errors() -> None:
    pre = preprocess("graph TD\nA[a (b)c] --> B\nC --> D\nE[e (f)g] --> F\n")
    prepare_for_parser(pre, flowchart=True)
    problems = parse_tokens(pre.code).problems
    lines = [pre.code[: p.start].count("\n") + 1 for p in problems]
    assert lines == [2, 4]


def test_no_recovery_across_a_broken_subgraph_line() -> None:
    pre = preprocess("graph TD\nsubgraph S[a (b)]\nA\nend\nB[c (d)e]\n")
    prepare_for_parser(pre, flowchart=True)
    assert len(parse_tokens(pre.code).problems) == 1


def _outcome(tokens: list[Tok]) -> tuple[int, frozenset[str]] | None:
    try:
        _drive(tokens)
    except _Failure as failure:
        return failure.index, failure.expected
    return None


def _one_token_per_blank(tokens: list[Tok]) -> tuple[list[Tok], list[int]]:
    """Each blank of a run its own SPACE token; and where each original token went."""
    out: list[Tok] = []
    where: list[int] = []
    for tok in tokens:
        where.append(len(out))
        if tok.type == "SPACE":
            out.extend(Tok("SPACE", c, tok.start + k, tok.start + k + 1)
                       for k, c in enumerate(tok.value))
        else:
            out.append(tok)
    where.append(len(out))
    return out, where


BLANK_RUNS = [
    "graph TD\n      A --> B\n        B --> C\n",
    "graph TD\nclassDef x   fill:#f00,   stroke:#333   \nA:::x\n",
    "graph TD\nsubgraph   S   T  \n   A\n   end\n",
    "graph TD\nA   &   B --> C    \n",
    "graph TD\nA-->|x|   B   \n",
    "graph TD   \n   A\n",
    "graph TD\nstyle   A fill:#f00\n",
    "graph TD\nlinkStyle 0    stroke:red   \n",
    "graph TD\nA    B\n",
    "graph TD\nclass   A   c\n",
    "graph TD\nA@{ shape: rect }    &   B\n",
]


@pytest.mark.parametrize("text", BLANK_RUNS)
def test_skipping_a_blank_run_changes_no_verdict(text: str) -> None:
    # The driver stops feeding a run's blanks once one leaves its stack unchanged; feeding
    # every blank as its own token must give the same verdict and the same failure.
    tokens, error = tokenize(text)
    assert error is None
    split, where = _one_token_per_blank(tokens)
    run_outcome, split_outcome = _outcome(tokens), _outcome(split)
    if run_outcome is None or split_outcome is None:
        assert run_outcome == split_outcome
    else:
        # (a run can fail at any of its blanks)
        assert where[run_outcome[0]] <= split_outcome[0] < max(where[run_outcome[0] + 1],
                                                              where[run_outcome[0]] + 1)
        assert run_outcome[1] == split_outcome[1]


STYLE_BODIES = [
    "graph TD\nclassDef x fill:#f9f,stroke:#333,stroke-width:2px\n",
    "graph TD\nclassDef x  fill:#f9f , stroke:#333  \n",
    "graph TD\nstyle A fill:#f9f;B\n",
    "graph TD\nA-->B\nlinkStyle 0,1 stroke:red\n",
    "graph TD\nA-->B\nlinkStyle default interpolate basis stroke:red\n",
    "graph TD\nclassDef x ,fill:red\n",
    "graph TD\nclassDef x fill:red,,color:blue\n",
    "graph TD\nclassDef x fill:red,\n",
    "graph TD\nclassDef x   \n",
    "graph TD\nclassDef x fill:default\n",
    "graph TD\nsubgraph classDef x fill:red\nA\nend\n",
    "graph TD\nclassDef a,b style:1 end\n",
]


@pytest.mark.parametrize("text", STYLE_BODIES)
def test_a_merged_style_body_parses_as_its_tokens_do(text: str) -> None:
    tokens, error = tokenize_raw(text)
    assert error is None
    merged = _merge_styles(tokens)
    plain = _outcome(tokens)  # type: ignore[arg-type]
    if merged is not None:
        # a merged parse may fail where the plain one succeeds (it is then redone: a title
        # that reads like a classDef), never succeed where the plain one fails
        assert _outcome(merged) is not None or plain is None
    assert (parse_tokens(text).tree is None) == (plain is not None)


def test_common_style_bodies_are_merged() -> None:
    for text in STYLE_BODIES[:5]:
        merged = _merge_styles(tokenize_raw(text)[0])
        assert merged is not None and any(t[0] == "STYLES" for t in merged), text
        assert _outcome(merged) is None, text


@pytest.mark.parametrize("text", BLANK_RUNS + STYLE_BODIES + [
    "graph TD\n  A --> B\n  \n  C[x (y)]\n", "graph TD\n\n   \n", "graph\n  A\n",
    "graph TD\n  subgraph S\n    A\n  end\n  end\n", "flowchart TD\n  A --> B\n    C --> (\n",
])
def test_skipping_indentation_changes_no_verdict(text: str) -> None:
    tokens, _error = tokenize_raw(text)
    quick = exact = True
    try:
        _drive(tokens, quick=True)
    except _Failure:
        quick = False
    try:
        _drive(tokens)
    except _Failure:
        exact = False
    assert quick == exact


def test_the_error_search_can_stop_at_the_first() -> None:
    text = "graph TD\nA[a (b)c] --> B\nC --> D\nE[e (f)g] --> F\n"
    pre = preprocess(text)
    prepare_for_parser(pre, flowchart=True)
    every = parse_tokens(pre.code).problems
    first = parse_tokens(pre.code, max_errors=1).problems
    assert len(every) == 2 and len(first) == 1 and first[0] == every[0]


def _flowchart(text: str) -> object:
    from mermaidlint.check import parse_flowchart
    from mermaidlint.document import SourceFile
    from mermaidlint.extract import extract_diagrams

    source = SourceFile("x.mmd", text)
    extract_diagrams(source)
    return parse_flowchart(source, source.diagrams[0])


@pytest.mark.parametrize("text", [
    *STYLE_BODIES,
    "graph TD\n  classDef edge fill:#0066CC,stroke:#004499,color:#fff,stroke-width:2px\n"
    "  A:::edge --> B\n  style B fill:#f9f , stroke-dasharray: 5 5\n",
    "graph TD\n  A --> B\n  classDef a fill:red\n  classDef b fill:1.5px\n  class A a\n",
    "graph TD\n  classDef a fill:red\n  A[(x --> B\n",  # refused: its errors as lexed
    "graph TD\n  style A fill:red\n  subgraph S\n  style B stroke:#000\n  end\n  end\n",
])
def test_bodies_read_whole_give_the_tree_and_errors_of_the_tokens_lexed(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from mermaidlint.flowchart import parser

    fast_chart, fast = _flowchart(text), parse_tokens(text)
    monkeypatch.setattr(parser, "tokenize_merged",  # every token lexed
                        lambda text: (*tokenize_raw(text), False))
    assert _flowchart(text) == fast_chart
    plain = parse_tokens(text)
    assert (fast.problems, fast.tree is None) == (plain.problems, plain.tree is None)


# ---- labels read whole (lexer._LABELS) ----------------------------------------------------------
# A label's text, now and then something that could change its tokens: another bracket, a pipe,
# a quote, an invisible link, a longer closer after the closing one.
_LABEL_TEXTS = ["text", "two words", " padded ", "a ~~~ b", " ~~~ b", "\u00a0~~~", "a)", "a]",
                "a(b", "a|b", '"q"', "a{b}", "é", "<b>x</b>", "a--b", "", "x:::y", "#quot;"]
_LABEL_AFTER = ["", ")", "]", " --> B", ":::c", "\nA --> B", " & C", "|x|"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_LABEL_TEXTS), st.sampled_from(_LABEL_AFTER),
       st.sampled_from(["A[{}]", "A -->|{}| B", "subgraph s[{}]\nA\nend", "A -->|{}|B[{}]",
                        "A[[{}]]", "A[|b:c|{}]", "A[{}]\nsubgraph s [{}]\nend"]))
@example("text", ")", "A[{}]")  # `])`: a stadium's closer, not the label's
def test_labels_read_whole_give_the_tree_and_errors_of_the_tokens_lexed(
        label: str, after: str, form: str) -> None:
    from mermaidlint.flowchart import lexer, parser

    text = "graph TD\n" + form.replace("{}", label) + after + "\n"
    merged, merged_error, _whole = lexer.tokenize_merged(text)
    plain, plain_error = tokenize_raw(text)
    assert merged_error == plain_error
    assert lexer.as_lexed(text, merged) == plain
    fast_chart, fast = _flowchart(text), parse_tokens(text)
    original = parser.tokenize_merged
    parser.tokenize_merged = lambda text: (*tokenize_raw(text), False)  # every token lexed
    try:
        assert _flowchart(text) == fast_chart
        slow = parse_tokens(text)
    finally:
        parser.tokenize_merged = original
    assert (fast.problems, fast.tree is None) == (slow.problems, slow.tree is None)


# ---- statements replayed (parser._replay) -------------------------------------------------------
_STATEMENTS = ["A", "A[text]", "A --> B", "A -->|t| B[x]", "A & B --> C", "A:::c", "A([s])",
               "class A,B c", "classDef c fill:#f00", "style A fill:#f00,stroke:#000",
               "linkStyle 0 stroke:#f00", "subgraph S[Title]", "subgraph T", "end", "end A",
               "direction LR", "A --> B;", "A; B", "click A call f()", "accTitle: t",
               "A[x] --> B[(y)] -.-> C{z}", "", "A  -->  B", "A@{ shape: rect }", "A-->",
               "A  &  B --> C", "subgraph   U", "class  A  c", "A & B"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "  ", "\t", "    "]), st.sampled_from(_STATEMENTS)),
                max_size=12),
       st.sampled_from(["\n", ""]), st.booleans())
def test_replayed_statements_give_the_tree_and_the_error_of_the_moves(
        lines: list[tuple[str, str]], end: str, quick: bool) -> None:
    """A statement whose moves are replayed (learnt on any statement of the same shape, in this
    diagram or an earlier one) gives the same tree, and a diagram the same error, as moving the
    automaton through every token."""
    from mermaidlint.flowchart import lexer, parser

    text = "graph TD\n" + "\n".join(indent + line for indent, line in lines) + end
    tokens, _error, _whole = lexer.tokenize_merged(text)

    def drive() -> object:
        try:
            return parser._drive(tokens, quick)
        except parser._Failure as failure:
            return failure.index, failure.expected

    replayed = drive()
    learn = parser._learn
    parser._learn = lambda key, feed, start, after: None  # nothing learnt: every move made
    saved = dict(parser._REPLAYS)
    parser._REPLAYS.clear()
    try:
        assert drive() == replayed
    finally:
        parser._learn = learn
        parser._REPLAYS.update(saved)


def test_statements_of_one_shape_are_replayed() -> None:
    """The second and later statements of a shape are made by the replay learnt on the first
    (the property test above would also pass if nothing were ever replayed)."""
    from mermaidlint.flowchart import lexer, parser

    text = "graph TD\n  A[a] --> B\n  C[c] --> D\n  E[e] --> F\n  G[g] --> H\n"
    tokens, _error, _whole = lexer.tokenize_merged(text)
    learnt: list[tuple[object, ...]] = []
    learn = parser._learn

    def spy(key: tuple[object, ...], feed: list[object], start: int, after: int) -> object:
        learnt.append(key)
        return learn(key, feed, start, after)

    saved = dict(parser._REPLAYS)
    parser._REPLAYS.clear()
    parser._learn = spy  # type: ignore[assignment]
    try:
        tree = parser._drive(tokens, True)
        shape = ("NODE_STRING", "SQUARE_LABEL", "LINK", "NODE_STRING", "NEWLINE", "NODE_STRING")
        # learnt once, on the second statement (the first has no document list yet to add to)
        assert [key[2:] for key in learnt] == [shape, (*shape[:-1], "EOF")]
        assert callable(parser._REPLAYS[learnt[0]])
    finally:
        parser._learn = learn
        parser._REPLAYS.clear()
        parser._REPLAYS.update(saved)
    third = tree.children[1].children[2]  # replayed: the tree of its own tokens

    def leaves(node: object) -> list[str]:
        if type(node) is not parser.CST:
            return [node[1]]  # type: ignore[index]
        return [value for child in node.children for value in leaves(child)]

    assert third.name == "chain_statement"
    assert leaves(third) == ["E", "[e]", " --> ", "F", "\n  "]
