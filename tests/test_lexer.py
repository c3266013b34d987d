"""The lexer reproduces Mermaid's token stream, state changes included."""

from __future__ import annotations

from mermaidlint.flowchart.first_chars import ALL_ASCII, first_chars
from mermaidlint.flowchart.lexer import RULES, _alternation, _tables, _tokenize, tokenize


def kinds(text: str) -> list[str]:
    tokens, error = tokenize(text)
    assert error is None
    return [t.type for t in tokens]


def test_header_enters_direction_state_once() -> None:
    assert kinds("graph TD\nA-->B") == ["GRAPH", "DIR", "NEWLINE", "NODE_STRING", "LINK",
                                        "NODE_STRING", "EOF"]
    # a second `graph` is a plain keyword: no direction state
    assert kinds("graph LR\ngraph")[-2] == "GRAPH"


def test_literal_keywords_need_a_word_boundary() -> None:
    assert kinds("graph TD\nstyles")[3] == "NODE_STRING"
    assert kinds("graph TD\nstyle")[3] == "STYLE"
    assert kinds("graph TD\nclassDef")[3] == "CLASSDEF"


def test_label_is_a_lexer_state() -> None:
    # `(` inside [...] opens a nested text state; `)]` closes a cylinder, not the label.
    assert kinds("graph TD\nA[Cache (LRU)]")[3:] == ["NODE_STRING", "SQS", "TEXT", "PS", "TEXT",
                                                    "CYLINDEREND"]


def test_edge_text_state_and_link_end() -> None:
    tokens, _ = tokenize("graph TD\nA -- hi --> B")
    assert [t.type for t in tokens][3:6] == ["NODE_STRING", "START_LINK", "EDGE_TEXT"]
    assert tokens[-3].type == "LINK" and tokens[-3].value == " --> "


def test_strings_and_markdown_strings_drop_their_quotes() -> None:
    tokens, _ = tokenize('graph TD\nA["x (y)"] --> B["`**b**`"]')
    strs = [(t.type, t.value) for t in tokens if t.type in ("STR", "MD_STR")]
    assert strs == [("STR", "x (y)"), ("MD_STR", "**b**")]


def test_blank_runs_are_one_token_with_the_run_as_value() -> None:
    tokens, _ = tokenize("graph TD\n    A")
    space = tokens[3]
    assert space.type == "SPACE" and space.value == "    " and (space.start, space.end) == (9, 13)


def test_blank_before_a_link_belongs_to_the_link() -> None:
    assert kinds("graph TD\nA   --> B")[3:5] == ["NODE_STRING", "LINK"]


def test_unrecognised_character_is_a_lexical_error() -> None:
    _tokens, error = tokenize("graph TD\nA --> 😀")
    assert error is not None and error.offset == len("graph TD\nA --> ")


def test_text_ending_inside_a_label_has_no_eof_token() -> None:
    tokens, error = tokenize("graph TD\nA[x")
    assert error is None and tokens[-1].type == "TEXT"


def test_first_characters_never_exclude_a_rule_that_can_match() -> None:
    # For every rule and every ASCII character the rule can match at, the character must be in
    # the rule's first-character set, or the dispatch table would skip the rule.
    samples = ["accTitle: x", "@{", "call f()", '"', "`", "style", "default", "graph", "end",
               "_self", " LR", "direction TB", "a@-->", "12", "#", ":::", ":", "&", ";", ",",
               "*", " --> ", " -- ", "-", " == ", " ==> ", " -.- ", " -. ", "~~~", "-)", "(-",
               "])", "([", "]]", "[[", "[|", ">", ")]", "[(", ")))", "(((", "\\]", "/]", "[/",
               "[\\", "<", "^", "\\|", "v", "abc", "é", "|", ")", "(", "]", "[", "}", "{",
               "text", "\n", " ", ""]
    for rule in RULES:
        pattern = _alternation((rule,))[0]
        chars = first_chars("" if rule.pattern == "<letter>" else rule.pattern) \
            if rule.pattern != "<letter>" else ALL_ASCII
        for sample in samples:
            match = pattern.match(sample)
            if match and match.end() > 0 and ord(sample[0]) < 128:
                assert ord(sample[0]) in chars, (rule, sample)


def test_texts_without_direction_at_or_tildes_lex_the_same_with_fewer_rules() -> None:
    # Rules that need `direction`, `@` or `~~~` in the text are left out when it has none; the
    # tables with every rule must give the same tokens.
    texts = ["graph TD\nA-->B", "graph TD\n  A[x] --- B(y)\n  style A fill:#f9f,stroke:#333",
             "graph TD\ndirectio --> A", "graph TD\nA -- a@b --> B", "graph TD\nA ~~ B ~"]
    for text in texts:
        assert tokenize(text) == _tokenize(text, _tables(frozenset()))


def test_link_rules_behind_their_lookahead_match_as_without_it() -> None:
    # _alternation tries the link rules only where the blank run is followed by a character
    # that can continue a link; a plain alternation of the same rules must agree everywhere.
    import re

    from mermaidlint.flowchart.lexer import _pattern_of

    texts = ["A  --> B\n   C", "A\n  -.->B", "A \u00a0==> B", "x  o--o y", "\n\n  ~~~ z",
             "a -- t --> b", "  \t\u3000 x", "A <-.-> B ---x C"]
    table = _tables(frozenset())["INITIAL"]
    for text in texts:
        for pos in range(len(text)):
            pattern, infos = table.for_char(ord(text[pos]))
            rules = [r for r in table.rules if ord(text[pos]) >= 128
                     or ord(text[pos]) in first_chars(_pattern_of(r))] or list(table.rules)
            plain = re.compile("|".join(f"(?:{_pattern_of(r)})()" for r in rules), re.ASCII)
            got, want = pattern.match(text, pos), plain.match(text, pos)
            assert (got is None) == (want is None), (text, pos)
            if got is not None and want is not None:
                assert got.span() == want.span(), (text, pos)
                assert got.lastindex is not None and want.lastindex is not None
                assert infos[got.lastindex] == infos[want.lastindex], (text, pos)
