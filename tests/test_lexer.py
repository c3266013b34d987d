"""The lexer reproduces Mermaid's token stream, state changes included."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mermaidlint.flowchart import parser
from mermaidlint.flowchart.first_chars import first_chars
from mermaidlint.flowchart.lexer import (
    BLANK,
    DOT,
    LETTER,
    LINE_SEPARATOR,
    OTHER,
    RULES,
    STATES,
    RawTok,
    S,
    _alternation,
    _tables,
    _tokenize,
    as_lexed,
    scanned,
    tokenize,
    tokenize_merged,
    tokenize_raw,
)


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
    # For every rule and every character the rule can match at, the character must be in the
    # rule's first-character set, or the dispatch table would skip the rule.
    samples = ["accTitle: x", "@{", "call f()", '"', "`", "style", "default", "graph", "end",
               "_self", " LR", "direction TB", "a@-->", "12", "#", ":::", ":", "&", ";", ",",
               "*", " --> ", " -- ", "-", " == ", " ==> ", " -.- ", " -. ", "~~~", "-)", "(-",
               "])", "([", "]]", "[[", "[|", ">", ")]", "[(", ")))", "(((", "\\]", "/]", "[/",
               "[\\", "<", "^", "\\|", "v", "abc", "é", "|", ")", "(", "]", "[", "}", "{",
               "text", "\n", " ", "", "\xa0-->", "\u2028x", "😀", "\x03 --> "]
    for rule in RULES:
        pattern = _alternation((rule,))[0]
        chars = first_chars(rule.pattern)
        for sample in map(scanned, samples):
            match = pattern.match(sample)
            if match and match.end() > 0:
                assert ord(sample[0]) in chars, (rule, sample)


def test_texts_without_direction_at_or_tildes_lex_the_same_with_fewer_rules() -> None:
    # Rules that need `direction`, `@` or `~~~` in the text are left out when it has none; the
    # tables with every rule must give the same tokens.
    texts = ["graph TD\nA-->B", "graph TD\n  A[x] --- B(y)\n  style A fill:#f9f,stroke:#333",
             "graph TD\ndirectio --> A", "graph TD\nA -- a@b --> B", "graph TD\nA ~~ B ~"]
    for text in texts:
        assert tokenize(text) == _tokenize(text, scanned(text), _tables(frozenset()))


def test_link_rules_behind_their_lookahead_match_as_without_it() -> None:
    # _alternation tries the link rules only where the blank run is followed by a character
    # that can continue a link; a plain alternation of the same rules must agree everywhere.
    texts = ["A  --> B\n   C", "A\n  -.->B", "A \u00a0==> B", "x  o--o y", "\n\n  ~~~ z",
             "a -- t --> b", "  \t\u3000 x", "A <-.-> B ---x C"]
    table = _tables(frozenset())["INITIAL"]
    for text in map(scanned, texts):
        for pos in range(len(text)):
            pattern, infos = table.for_char(ord(text[pos]))
            rules = [r for r in table.rules
                     if ord(text[pos]) in first_chars(r.pattern)] or list(table.rules)
            plain = re.compile("|".join(f"(?:{r.pattern})()" for r in rules), re.ASCII)
            got, want = pattern.match(text, pos), plain.match(text, pos)
            assert (got is None) == (want is None), (text, pos)
            if got is not None and want is not None:
                assert got.span() == want.span(), (text, pos)
                assert got.lastindex is not None and want.lastindex is not None
                assert infos[got.lastindex] == infos[want.lastindex], (text, pos)


# ---- characters outside ASCII -----------------------------------------------------------------
# The lexer's patterns run on the scanned text, where each character outside ASCII stands for
# its kind. Here every rule is also read as Mermaid writes it, over the text itself (JavaScript's
# blanks and ".", the Unicode letters), and the two readings must agree everywhere.

@cache
def _unicode_letter() -> str:
    ranges: list[tuple[int, int]] = []
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF or not unicodedata.category(chr(code)).startswith("L"):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]"


def _as_written(template: str) -> str:
    return (template.replace("{S}", S).replace("{DOT}", DOT)
            .replace("{LETTER}", _unicode_letter()))


@cache
def _written_alternation(state: str, missing: frozenset[str]) -> re.Pattern[str]:
    rules = _tables(missing)[state].rules
    return re.compile("|".join(f"(?:{_as_written(r.template)})()" for r in rules), re.ASCII)


_PIECES = [
    # what the rules look for
    "-", "--", "-->", "==>", "-.-", "~~~", ">", "<", "=", ".", "x", "o", "[", "]", "(", ")",
    "{", "}", "|", '"', "`", ":", ";", "&", "@", "#", "*", "/", "\\", "^", "v", " ", "\t",
    "\n", "\r", "A", "b", "1", "TB", "LR", "direction ", "direction TB", "graph ", "end",
    "style ", "click ",
    "call ", "accTitle: ", "@{",
    # outside ASCII, of every kind: blanks, line separators, letters, anything else
    "\xa0", "\u1680", "\u2003", "\u200a", "\u202f", "\u205f", "\u3000", "\ufeff",
    "\u2028", "\u2029", "é", "ß", "ª", "中", "Ω", "ǅ", "━", "•", "\u00d7", "✅", "²", "Ⅻ",
    "\u0301", "😀", "\U0001d400",
    # the ASCII characters that stand for a kind, in the text itself
    "\x01", "\x02", "\x03", "\x04",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join),
       st.sampled_from(STATES))
@example("a\u2028direction TB", "INITIAL")  # "." stops at a line separator
@example("A\u2029direction\u3000LR", "INITIAL")
@example("x\xa0-.->\u2003y", "INITIAL")
@example("\u2028\n", "dir")
def test_every_state_reads_the_scanned_text_as_its_rules_read_the_text(
        text: str, state: str) -> None:
    scan = scanned(text)
    missing = frozenset(n for n in ("direction", "@", "~~~") if n not in text)
    table = _tables(missing)[state]
    written = _written_alternation(state, missing)
    for pos in range(len(text) + 1):
        if pos < len(text):
            pattern, infos = table.for_char(ord(scan[pos]))
        else:
            pattern, infos = table.at_end
        got, want = pattern.match(scan, pos), written.match(text, pos)
        assert (got is None) == (want is None), (text, state, pos)
        if got is not None and want is not None:
            assert got.span() == want.span(), (text, state, pos)
            assert infos[got.lastindex or 0] == _info_of(table, want.lastindex), (
                text, state, pos)


def _info_of(table: object, index: int | None) -> object:
    from mermaidlint.flowchart.lexer import _info

    assert index is not None
    return _info(table.rules[index - 1])  # type: ignore[attr-defined]


@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))
def test_the_scanned_text_keeps_every_place_and_every_kind(text: str) -> None:
    scan = scanned(text)
    assert len(scan) == len(text) and scan.isascii()
    for char, kind in zip(text, scan, strict=True):
        if char in "\x02\x03\x04":
            assert kind == OTHER
        elif char.isascii():
            assert kind == char
        elif char in "\u2028\u2029":
            assert kind == LINE_SEPARATOR
        elif re.fullmatch(f"[{S}]", char):
            assert kind == BLANK
        elif re.fullmatch(_unicode_letter(), char):
            assert kind == LETTER
        else:
            assert kind == OTHER


def test_tokens_keep_the_characters_of_the_text() -> None:
    tokens, error = tokenize("graph TD\nA\xa0-->\u3000é[Größe ━ 😀]")
    assert error is None
    assert [(t.type, t.value) for t in tokens[3:]] == [
        ("NODE_STRING", "A"), ("LINK", "\xa0-->\u3000"), ("UNICODE_TEXT", "é"), ("SQS", "["),
        ("TEXT", "Größe ━ 😀"), ("SQE", "]"), ("EOF", "")]
    assert scanned("plain ascii") == "plain ascii"


# ---- style bodies read whole (tokenize_merged) --------------------------------------------------

def stands_for_the_tokens_lexed(text: str) -> tuple[list[Any], bool, list[RawTok]]:
    """Assert that tokenize_merged's tokens, put back by as_lexed, are the tokens the rules make
    one by one, with the same error; return them, whether it says all is merged, and those."""
    plain, plain_error = tokenize_raw(text)
    merged, merged_error, whole = tokenize_merged(text)
    assert merged_error == plain_error
    assert as_lexed(text, merged) == plain
    return merged, whole, plain


# Style statements as real diagrams write them (`fill:#0066CC, stroke-width:2px`), with, now and
# then, something that could turn a body into other tokens (a keyword, a link, `:::`, a blank
# other than one space, a character outside ASCII) next to or instead of a word.
_WORDS = ["fill", "stroke-width", "color", "0066CC", "#fff", "2px", "5 5", "1.5", "50%", "a-b",
          "x", "o", "_z", "e1", "#0066CC", "dash"]
_HAZARDS = ["--", ".-", "-.", "-", "->", "v", "end", "style", "class", "::", ":::", "  ", "\t",
            "é", "\u00a0", "@", "~~~", "direction", "default", "_self", "subgraph", ";", "graph",
            "accTitle", "href", "click", "call", ">", "=", "(", '"', "&", "*", ",", "", "^", "|"]
_word = st.sampled_from(_WORDS)
_hazard = st.sampled_from(_HAZARDS)
_piece = st.one_of(_word, _word, _word, _hazard, st.builds(str.__add__, _word, _hazard),
                   st.builds(str.__add__, _hazard, _word))
_style = st.builds(lambda key, value: f"{key}:{value}", _piece, _piece)
_body = st.builds(lambda styles, comma: comma.join(styles), st.lists(_style, min_size=1,
                  max_size=4), st.sampled_from([",", ", ", " ,", " , "]))


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(["classDef", "style", "class", "linkStyle"]), _piece, _body,
       st.sampled_from(["\n", "\n  A --> B\n", "", ";A\n", " \n", "\n--> B\n", "\n~~~ B\n"]))
@example("classDef", "edge", "fill:#0066CC,stroke:#004499,color:#fff", "\n")
@example("style", "A", "fill:#f9f , stroke-width:4px", "\n")
@example("classDef", "a", "fill:end", "\n")  # `end` takes the line break: not a style body
@example("classDef", "a", "fill:.-fill", "\n")  # a dotted link
@example("classDef", "a", "fill:5--b", "\n")  # a link
@example("style", "a", "accTitle:x", "\n")  # the accessible title
@example("classDef", "a", "fill:v", "\n")  # DOWN
@example("classDef", "a", "fill:x:::y", "\n")  # `:::`
def test_a_style_body_read_whole_stands_for_exactly_the_tokens_lexed(
        keyword: str, ident: str, body: str, after: str) -> None:
    text = f"graph TD\n  {keyword} {ident} {body}{after}"
    merged, whole, plain = stands_for_the_tokens_lexed(text)
    if whole:  # nothing left for the parser's merging
        assert parser._merge_styles(merged) is None
    for k, tok in enumerate(merged):
        if tok[0] != "STYLES":
            continue
        # ... and those tokens make a body the parser's merging would take: one blank, an id
        # of one token, one blank, then only the tokens of styles, up to a line break or the end.
        start, end = tok[2], tok[3]
        inner = [t for t in plain if start <= t[2] < end]
        assert {t[0] for t in inner} <= {"NUM", "NODE_STRING", "BRKT", "COLON", "COMMA", "SPACE"}
        assert inner[-1][3] == end and inner[-1][0] != "SPACE"
        assert text[end:end + 1] in ("", "\n")
        assert [t[0] for t in merged[k - 3:k]] == ["SPACE", "NODE_STRING", "SPACE"]
        assert merged[k - 4][0] in ("CLASSDEF", "STYLE")
        # The styles it holds are the text between the commas, without blanks around.
        styles = [part for part in tok[4] if part[0] != "COMMA"]
        assert [part[1] for part in styles] == [s.strip(" ") for s in text[start:end].split(",")]
        assert all(text[part[2]:part[3]] == part[1] for part in tok[4])


def test_an_alternation_is_made_once_for_each_run_of_rules() -> None:
    from mermaidlint.flowchart import lexer as lexer_module

    rules = lexer_module.RULES[:5]
    first = lexer_module._alternation(rules)
    assert lexer_module._alternation(tuple(rules)) is first  # the same rules: the same entry
    other = lexer_module._alternation(lexer_module.RULES[1:6])
    assert other is not first and other[0].pattern != first[0].pattern
    assert first == lexer_module._make_alternation(rules)


def test_table_sets_share_the_patterns_of_the_same_rules() -> None:
    """The tables with and without whole style bodies differ only in the `classDef` and `style`
    rules, the labels read whole (`[` and `|`), and, for a text without `direction`, in the line
    break (which takes the indentation after it): a character that starts none of those gets
    the very same compiled pattern from both (each pattern is compiled once per process, not
    once per table set)."""
    for missing in (frozenset(), frozenset({"direction", "@", "~~~"})):
        merging = _tables(missing, merge_styles=True)
        plain = _tables(missing)
        for char in "A1-(\" ":
            assert merging["INITIAL"].for_char(ord(char)) is plain["INITIAL"].for_char(ord(char))
        for state in ("text", "string", "edgeText"):
            for char in "x[|":
                assert merging[state].for_char(ord(char)) is plain[state].for_char(ord(char))
        # and `classDef` and the labels are where they differ
        for char in "c[|":
            assert (merging["INITIAL"].for_char(ord(char))
                    is not plain["INITIAL"].for_char(ord(char)))
        folds = "direction" in missing
        assert (merging["INITIAL"].for_char(ord("\n"))
                is plain["INITIAL"].for_char(ord("\n"))) is not folds


_INDENTS = ["", " ", "  ", "\t", " \t ", "\u00a0", " \u00a0", "\x0b", "\r", " \r"]
_LINE_STARTS = ["A", "-->", "--> B", "x--> B", "o-- t --> B", "<--> B", "-.-> B", ".-> B",
                "==> B", "x== t ==> B", "~~~ B", "- B", "= B", "o", "x", "<", "end", "subgraph S",
                "direction LR", "classDef a fill:red", "", "\"s\"", "é", "\u2028"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_INDENTS), st.sampled_from(_LINE_STARTS)),
                min_size=1, max_size=6),
       st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_a_line_break_that_takes_the_indentation_stands_for_the_tokens_lexed(
        lines: list[tuple[str, str]], newline: str) -> None:
    text = "graph TD" + "".join(newline + indent + start for indent, start in lines)
    stands_for_the_tokens_lexed(text)


def test_a_line_break_takes_the_indentation_only_in_the_tables_that_fold() -> None:
    text = "graph TD\n  A --> B\n\tsubgraph S\n  end\n"
    merged, _error, _whole = tokenize_merged(text)
    # (`end` takes the blanks and line breaks after it)
    assert [tok[1] for tok in merged if tok[0] == "NEWLINE"] == ["\n  ", "\n\t", "\n  "]
    assert all(merged[k + 1][0] != "SPACE" for k, tok in enumerate(merged) if tok[0] == "NEWLINE")
    assert as_lexed(text, merged) == tokenize_raw(text)[0]
    with_direction = text.replace("A --> B", "direction LR")  # `direction` looks along lines
    merged, _error, _whole = tokenize_merged(with_direction)
    assert [tok[1] for tok in merged if tok[0] == "NEWLINE"] == ["\n"] * 3


# ---- the id lists of class statements read whole (_class_rest) -----------------------------------
_IDS = ["A", "A,B", "a_1,b-2,C", "1,2", "backend", "end", "A,end", "v", "A,v", "x-", "a--b",
        "A,,B", "A,", "é", "a@b", "A:::c", "styled", "A,style", "href", "direction", "click",
        "LR", "TB"]


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_IDS), st.sampled_from(_IDS),
       st.sampled_from(["\n", "", "\n  A --> B\n", ";", " ", "  \n", "\nclass A b\n"]),
       st.sampled_from([" ", "  ", "\t"]))
@example("A,end", "b", "\n", " ")  # `end` after a comma: the END token
@example("direction", "LR", "\n", " ")  # a `direction` statement, to Mermaid's rules
@example("A", "href", "\n", " ")  # `href` and a blank (the line break): the HREF token
def test_a_class_statement_read_whole_stands_for_exactly_the_tokens_lexed(
        ids: str, names: str, after: str, blank: str) -> None:
    text = f"graph TD\n  class {ids}{blank}{names}{after}"
    stands_for_the_tokens_lexed(text)
