"""The rules' shortcuts give exactly what the plain definitions they stand for give.

Each shortcut skips work on inputs where the plain computation cannot succeed; hypothesis
generates texts rich in the characters each shortcut looks at, and compares with the plain
computation written out here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mermaidlint.rules.acronyms import _definitions, _expansions, _tokens
from mermaidlint.rules.latency import _figures
from mermaidlint.rules.latency._figures import FIGURE_START

from mermaidlint.check import parse_flowchart
from mermaidlint.document import SourceFile
from mermaidlint.extract import extract_diagrams
from mermaidlint.flowchart.ast import Chain, Flowchart, Subgraph
from mermaidlint.rule import Outline

# Pieces that make the definition forms (whole, and in parts that may come out in any order),
# tags, entities, URLs, colours and latency figures.
FORMS = ["Web Application Firewall (WAF)", "WAF (Web Application Firewall)",
         "WAF: Web Application Firewall", "WAF - Web Application Firewall",
         "WAF \u2014 Web Application Firewall", "| WAF | Web Application Firewall |",
         "Web Application Firewall<br/>WAF", "WAF<br/>Web Application Firewall",
         "**WAF** (Web Application Firewall)", "- WAF = Web Application Firewall"]
PIECES = ["WAF", "WAFs", "FAIL", "Fail", "fail", "failed", "II", "XIV", " ", "  ", "\n", "(",
          ")", ":", "=", "|", "-", "\u2013", "*", "_", "`", "<br/>", "<br>", "<b>", "<B WAF>",
          "</WAF>", "#quot;", "&amp;", "&WAF;", "#WAF;", "#ABC", "#3B82F6", "https://x.io/WAF",
          "ftp://WAF", "www.WAF.io", "Web", "Application", "Firewall", "of", "the", "p99",
          "99p", "P50", "12ms", "a", "x", "\0", "\t", "HTTPS://", ".", "s", "5", "/", "\"", "]",
          "&xWAF;", "&#WAF;", "#ABCDEF", "#abc", "<", ">", "<B>", "<br WAF=1>", "<x-y Z>", "WAF5",
          "-->", " --> ", "-.->", "==>", "<-->", "--", "-x", "=W", "-W", "<b", "<br"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(FORMS)),
                 max_size=30).map("".join)


# What may not come right before a whole token, as a plain pattern.
PLAIN_TOKEN_BEFORE = re.compile(r"[\w#&@$.]")


def plain_defines(text: str, acronym: str) -> bool:
    """_expansions.defines without the look at what follows each use."""
    at = text.find(acronym)
    while at >= 0:
        end = at + len(acronym)
        if text.startswith("s", end):
            end += 1
        whole = (at == 0 or not PLAIN_TOKEN_BEFORE.match(text, at - 1)) and not (
            end < len(text) and (text[end].isalnum() or text[end] == "_"))
        if whole and _expansions._defined_here(text, acronym, at, end):
            return True
        at = text.find(acronym, at + 1)
    return False


@settings(max_examples=400, deadline=None)
@given(texts)
# A glossary dash or `=` right before the long form, and arrows that only look like one
@example("WAF -Web Application Firewall")
@example("WAF =Web Application Firewall")
@example("WAF --> Web Application Firewall")
@example("WAF ==> Web Application Firewall")
@example("WAF<br/>Web Application Firewall")
def test_defines_passes_over_only_uses_no_form_can_follow(text: str) -> None:
    assert _expansions.defines(text, "WAF") == plain_defines(text, "WAF")


def plain_word_in(text: str, lowered: str) -> bool:
    """_definitions._word_in by lowering the whole text, position by position."""
    lowered_text = text.lower()
    forms = {lowered, *(lowered[:-len(end)] for end in _definitions._ENDINGS
                        if lowered.endswith(end) and len(lowered) - len(end) >= 3)}
    return any(lowered_text.startswith(form, at) and _definitions._is_word_at(
        text, at, at + len(form)) for form in forms for at in range(len(text)))


@settings(max_examples=400, deadline=None)
@given(texts, st.sampled_from(["FAIL", "FAILED", "FAILS", "WAF"]))
@example("fail", "FAIL")  # a word at the very start of the text
@example("Failed, FAILED", "FAILED")
def test_words_in_capitals_are_found_as_written(text: str, acronym: str) -> None:
    assert _definitions._word_in(text, acronym.lower()) == plain_word_in(text, acronym.lower())


# TOKEN without the lookahead after its first capital (which only turns away early what the
# rest of the pattern would turn away).
PLAIN_TOKEN = re.compile(
    r"([A-Z](?<![\w#&@$.\\][A-Z])[A-Z0-9]*[A-Z][A-Z0-9]*)(s?)(?![\w]|\.\w)")


@given(texts)
def test_the_token_pattern_finds_what_it_finds_without_its_lookahead(text: str) -> None:
    assert ([m.span() for m in _tokens.TOKEN.finditer(text)]
            == [m.span() for m in PLAIN_TOKEN.finditer(text)])


def plain_tokens(text: str) -> tuple[_tokens.Token, ...]:
    """_tokens.tokens with every label masked and every token tested for a Roman numeral."""
    masked = _tokens._NOT_TEXT.sub(lambda m: "\0" * (m.end() - m.start()), text)
    return tuple(_tokens.Token(m.start(), m.end(), m.group(1), m.group(0))
                 for m in _tokens.TOKEN.finditer(masked)
                 if not _tokens._ROMAN.fullmatch(m.group(1)))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_tokens_look_for_what_hides_them_only_where_it_can(text: str) -> None:
    assert _tokens.tokens(text) == plain_tokens(text)


# Non-empty label texts (Mermaid refuses `A[""]`) with figures, capitals and NULs at their ends.
label_texts = st.lists(st.sampled_from(["a", "WAF", "p99", "9p", "P", "9", "x y", "\0"]),
                       min_size=1, max_size=4).map("".join)


def _outline(labels: list[str]) -> Outline:
    """The outline of a diagram with one quoted node label per text (`nK["text"]`)."""
    body = "".join(f'  n{k}["{text}"]\n' for k, text in enumerate(labels))
    source = SourceFile("labels.mmd", "flowchart TD\n" + body)
    extract_diagrams(source)
    chart = parse_flowchart(source, source.diagrams[0])
    assert chart is not None
    return Outline(chart)


@settings(max_examples=200, deadline=None)
@given(st.lists(label_texts, max_size=6))
def test_labels_matching_is_the_labels_one_search_finds(labels: list[str]) -> None:
    outline = _outline(labels)
    assert [label.text for label in outline.labels] == labels
    for pattern in (FIGURE_START, re.compile(r"[A-Z][A-Z0-9]*[A-Z]"), re.compile(r"(?<![\w])W")):
        assert outline.labels_matching(pattern) == [
            label for label in outline.labels if pattern.search(label.text)]


@given(st.lists(st.sampled_from(["p", "P", "9", "99", "\u0669", "\uff19", "x", " ", ".", "\0",
                                  "ms", "p99", "99p"]), max_size=12).map("".join))
@example("P95")
@example("99p")
@example("p\u0669")  # an Arabic-Indic nine
def test_the_figure_gate_finds_a_p_beside_a_digit_and_nothing_else(text: str) -> None:
    # What it stands for: a `p` or `P` just before a digit, or a digit just before a `p`.
    plain = re.search(r"[pP]\d|\dp", text) is not None
    assert (FIGURE_START.search(text) is not None) == plain
    if text.isascii():
        assert (_figures.FIGURE_START_ASCII.search(text) is not None) == plain


# The latency rules' _NOT_TEXT without its lookahead (which only names the characters its
# alternatives start with).
PLAIN_NOT_TEXT = re.compile(
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"
    r"|[#&]#?\w+;"
    r"|\b(?:https?|ftp)://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+")


@given(texts)
@example("p99: 5ms<br/>see www.x.io/p99 or https://x.io #quot; &amp;")
def test_latency_masking_masks_what_the_pattern_without_its_lookahead_finds(text: str) -> None:
    plain = PLAIN_NOT_TEXT.sub(lambda m: "\0" * len(m.group(0)), text)
    assert _figures.mask(text) == plain


acronym_labels = st.lists(st.sampled_from(
    ["WAF", "SLAs", "II", "XIV", "a", " ", "<b>", "<B WAF>", "</WAF>", "#35;", "&WAF;",
     "#ABC", "https://x.io/WAF", "www.WAF.io", ".NET", "WAF.io", "\0", "P2P", "_WAF"]),
    min_size=1, max_size=5).map("".join).filter(lambda t: t.strip() != "")


@settings(max_examples=300, deadline=None)
@given(st.lists(acronym_labels, max_size=6))
def test_labels_are_tokenised_at_once_as_one_by_one(labels: list[str]) -> None:
    outline = _outline(labels)
    one_by_one = [(label, token) for label in outline.labels
                  for token in _tokens.tokens(label.text)]
    assert list(_tokens.new_tokens(outline, lambda acronym: False)) == one_by_one
    # A caller that settles each acronym as it takes it gets each one's first token only.
    taken: set[str] = set()
    firsts = []
    for label, token in _tokens.new_tokens(outline, taken.__contains__):
        taken.add(token.acronym)
        firsts.append((label, token))
    assert firsts == [(label, token) for k, (label, token) in enumerate(one_by_one)
                      if all(token.acronym != other.acronym for _, other in one_by_one[:k])]


def plain_spells_before(acronym: str, words: list[str]) -> bool:
    """_expansions.spells(anchored="end") with the long form tried from every word."""
    letters = _expansions.letters_of(acronym)
    if not letters or not words:
        return False
    skips = 1 if any(c.isdigit() for c in acronym) else 0
    window = words[-(len(letters) + 4):]
    return any(_expansions._go(letters, tuple(window[i:]), 0, 0, skips, True)
               for i in range(len(window)))


spelling_words = st.lists(st.sampled_from(
    ["web", "application", "firewall", "of", "the", "a", "and", "to", "wide", "area", "fire",
     "hyper", "text", "hypertext", "transfer", "protocol", "elastic", "compute", "cloud", "2",
     "w", "af", "fw"]), max_size=9)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(["WAF", "HTTP", "EC2", "AF", "W", "TAP", "WWW", "A2A", "FTP"]),
       spelling_words)
def test_a_long_form_before_is_looked_for_from_its_first_letter_only(
        acronym: str, words: list[str]) -> None:
    assert _expansions.spells(acronym, words, anchored="end") == plain_spells_before(
        acronym, words)


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "atlas"


def _charts(folder: Path, every: int = 1) -> list[Flowchart]:
    charts = []
    paths = sorted(p for p in folder.rglob("*") if p.suffix in {".md", ".mmd"})[::every]
    for path in paths:
        source = SourceFile(path.name, path.read_text(encoding="utf-8", errors="replace"))
        extract_diagrams(source)
        charts.extend(chart for diagram in source.diagrams
                      if (chart := parse_flowchart(source, diagram)) is not None)
    return charts


def _assert_outline_is_the_plain_walk(chart: Flowchart) -> None:
    # The tree builder's index (which Outline and the chart's helpers read) against walks of
    # the same tree without it.
    assert chart.index is not None
    outline = Outline(chart)
    plain = replace(chart, index=None)
    statements = list(plain.statements())
    assert [(id(s), p) for s, p in outline.statements] == [(id(s), p) for s, p in statements]
    assert outline.others == [(s, p) for s, p in statements if not isinstance(s, Chain)]
    assert outline.subgraphs == list(plain.subgraphs()) == list(chart.subgraphs())
    assert outline.nodes == list(plain.nodes()) == list(chart.nodes())
    assert outline.links == list(plain.links()) == list(chart.links())
    assert list(chart.statements()) == statements
    labels = [label for s, _ in statements for label in (
        [s.title] if isinstance(s, Subgraph) else
        [n.label for g in s.groups for n in g] + [k.label for k in s.links]
        if isinstance(s, Chain) else []) if label is not None]
    assert outline.labels == sorted(labels, key=lambda label: label.span.start)
    walked = Outline(plain)  # a tree without the index is walked for the same lists
    assert (walked.statements, walked.others, walked.subgraphs, walked.nodes, walked.links,
            walked.labels) == (outline.statements, outline.others, outline.subgraphs,
                               outline.nodes, outline.links, outline.labels)


def test_the_outline_lists_what_the_plain_walks_of_the_ast_give() -> None:
    charts = _charts(FIXTURES)
    assert any(Outline(chart).others for chart in charts)
    for chart in charts:
        _assert_outline_is_the_plain_walk(chart)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_the_outline_lists_what_the_plain_walks_give_on_the_corpus() -> None:
    for chart in _charts(CORPUS, every=5):
        _assert_outline_is_the_plain_walk(chart)


# A <br>, then what may come before the acronym on the next label line, up to the acronym.
PREVIOUS_LABEL_LINE = re.compile(r"<br[ \t]*/?>[ \t]*(?:[A-Za-z]+[ \t]+)?$")


def plain_line_before(text: str, acronym: str, start: int) -> bool:
    """_expansions._defined_on_the_line_before as a search of the 130 characters before."""
    window = max(0, start - 130)
    previous = PREVIOUS_LABEL_LINE.search(text, window, start)
    return previous is not None and _expansions.spells(
        acronym, _expansions.words_of(_expansions._words_before(text, previous.start())),
        anchored="end")


BR_PIECES = ["<br/>", "<br>", "<br />", "<br\t/>", "<b>", ">", " ", "\t", "\n", "\n\n", "Web",
             "-->", "<br", "br>", "/>", "/", "<", "r",
             "Application", "Firewall", "AWS", "x", "-", "(", "WAF",
             "Web Application Firewall<br/>", "Web Application Firewall<br />\t"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(BR_PIECES), max_size=14).map("".join))
def test_a_label_line_before_is_looked_for_only_after_a_br(text: str) -> None:
    text += "WAF"
    at = text.find("WAF")
    while at >= 0:
        assert _expansions._defined_on_the_line_before(text, "WAF", at) == plain_line_before(
            text, "WAF", at)
        at = text.find("WAF", at + 1)
