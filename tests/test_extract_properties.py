"""Property tests for extraction: generated Markdown, checked against what was generated and
against a plain markdown-it parse (the oracle for everything the fast paths in extract.py do).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from mdit_py_plugins.front_matter import front_matter_plugin

from mermaidlint import engine, extract
from mermaidlint.document import Diagram, SourceFile
from mermaidlint.extract import extract_diagrams, is_mermaid_info, parse_blocks

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ORACLE = MarkdownIt("commonmark").use(front_matter_plugin)


def oracle_blocks(text: str) -> list[tuple[str, int, int, int, str, str, str, bool]]:
    """(kind, start, end, level, info, markup, content, closed) per raw block, per markdown-it.

    A fence was closed when its lines are its opening line, its content lines and one more."""
    found = []
    for token in ORACLE.parse(text):
        if token.type in ("fence", "code_block", "html_block", "front_matter") and token.map:
            first, last = token.map
            content = token.content
            count = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
            closed = token.type != "fence" or last - first - 1 - count == 1
            found.append((token.type, first, last, token.level, token.info, token.markup,
                          content, closed))
    return found


def ours(text: str) -> list[tuple[str, int, int, int, str, str, str, bool]]:
    return [(b.kind, b.start, b.end, b.level, b.info, b.markup, b.content, b.closed)
            for b in parse_blocks(text)]


def mermaid_only(blocks: list[tuple[str, int, int, int, str, str, str, bool]]
                 ) -> list[tuple[str, int, int, int, str, str, str, bool]]:
    return [b for b in blocks if b[0] == "fence" and is_mermaid_info(b[4])]


def check_mapping(text: str, diagram: Diagram) -> None:
    """Every character of the diagram text maps back onto the same character of the file."""
    lines = diagram.text.split("\n") if diagram.lines else []
    assert len(lines) == len(diagram.lines)
    position = 0
    for content, line in zip(lines, diagram.lines, strict=True):
        assert line.length == len(content)
        for j in range(line.virtual_prefix, len(content)):
            assert text[line.file_offset + j - line.virtual_prefix] == content[j]
            assert text[diagram.file_offset(position + j)] == content[j]
        assert content[: line.virtual_prefix] == " " * line.virtual_prefix
        end = diagram.file_offset(position + len(content))  # just past the line: its break
        assert end == len(text) or text[end] in "\r\n"
        position += len(content) + 1


# --------------------------------------------------------------------------------------------
# Structured documents: we know what every Mermaid fence must yield
# --------------------------------------------------------------------------------------------


@dataclass
class Fence:
    opening: int  # 0-based line within the rendered lines
    closing: int
    expected: list[str] | None  # content lines; None when only the oracle knows (tabs)
    info: str
    closed: bool = True


@dataclass
class Rendered:
    lines: list[str]
    fences: list[Fence] = field(default_factory=list)


CONTENT_CHARS = st.sampled_from(
    [*list("ABCxyz09 -->|[](){};:.,=\"'#%"), "é", "日", "本", "→", "\xa0", "\t", "`", "~", ">"]
)


@st.composite
def content_line(draw: st.DrawFn, marker: str) -> str:
    # Leading blanks are spaces only here (a leading tab's expansion is left to the soups).
    line = draw(st.text(CONTENT_CHARS, max_size=12).map(lambda s: s.lstrip(" \t")))
    spaces = draw(st.integers(0, 6))
    line = " " * spaces + line
    if line.lstrip(" \t").startswith(marker[0] * 3):  # would close the fence
        line = "x" + line
    return line


@st.composite
def mermaid_fence(draw: st.DrawFn) -> Rendered:
    char = draw(st.sampled_from("`~"))
    marker = char * draw(st.integers(3, 5))
    info = draw(st.sampled_from(
        ["mermaid", "Mermaid", "MERMAID", " mermaid", 'mermaid title="x y"', "mermaid  "]))
    indent = draw(st.integers(0, 3))
    body = draw(st.lists(content_line(marker), max_size=6))
    closer = " " * draw(st.integers(0, 3)) + marker + char * draw(st.integers(0, 2)) + " " * \
        draw(st.integers(0, 2))
    lines = [" " * indent + marker + info, *body, closer]
    # markdown-it removes up to the fence's own indent of spaces from each content line
    expected = [line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in body]
    return Rendered(lines, [Fence(0, len(lines) - 1, expected, info)])


def leaf() -> st.SearchStrategy[Rendered]:
    return st.one_of(
        mermaid_fence(),
        st.sampled_from([
            ["Some text, é → 日本"],
            ["# A heading"],
            ["```python", "x = '```mermaid'", "```"],
            ["~~~", "```mermaid", "not a diagram", "~~~"],
            ["<div>", "```mermaid", "not a diagram either", "</div>"],
            ["___"],
            ["two lines", "of text"],
        ]).map(lambda lines: Rendered(list(lines))),
    )


@st.composite
def container(draw: st.DrawFn, inner: st.SearchStrategy[Rendered]) -> Rendered:
    items = draw(st.lists(inner, min_size=1, max_size=3))
    body = join_items(items, blank="")
    kind = draw(st.sampled_from(["quote", "bullet", "ordered"]))
    if kind == "quote":
        tight = draw(st.booleans())  # ">x" rather than "> x" where that reads the same

        def quoted(line: str) -> str:
            if not line:
                return ">"
            return ">" + line if tight and line[0] not in " \t" else "> " + line

        return Rendered([quoted(line) for line in body.lines], body.fences)
    marker = draw(st.sampled_from(["-", "*", "+"])) if kind == "bullet" else \
        draw(st.sampled_from(["1.", "2)", "10."]))
    gap = draw(st.integers(1, 3))
    width = len(marker) + gap  # continuation lines are indented by exactly the content column
    if body.lines[0][:1] in (" ", ""):
        # An item's content column is where its first line's text starts: begin with a word.
        body = join_items([Rendered(["item"]), body], blank="")
    lines = [marker + " " * gap + line if k == 0 else (" " * width + line if line else "")
             for k, line in enumerate(body.lines)]
    return Rendered(lines, body.fences)


def join_items(items: list[Rendered], blank: str) -> Rendered:
    lines: list[str] = []
    fences: list[Fence] = []
    for item in items:
        if lines:
            lines.append(blank)
            if item.lines[0][:1] == " ":
                # An indented block right after a list would be read as part of that list.
                lines.extend(["text", blank])
        base = len(lines)
        fences.extend(Fence(f.opening + base, f.closing + base, f.expected, f.info, f.closed)
                      for f in item.fences)
        lines.extend(item.lines)
    return Rendered(lines, fences)


blocks_tree = st.recursive(leaf(), lambda inner: container(inner), max_leaves=6)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Rendered]:
    items = draw(st.lists(blocks_tree, max_size=5))
    doc = join_items(items, blank="")
    if draw(st.booleans()):  # front matter, with a fence-like block that must be ignored
        front = ["---", "title: x", "```mermaid", "ignored", "```", "---"]
        doc = join_items([Rendered(front), doc], blank="") if doc.lines else Rendered(front)
    if draw(st.booleans()):  # an unclosed fence at the very end runs to the end
        body = draw(st.lists(content_line("```"), max_size=3))
        start = len(doc.lines) + (1 if doc.lines else 0)
        if doc.lines:
            doc.lines.append("")
        doc.lines.extend(["```mermaid", *body])
        doc.fences.append(Fence(start, start + len(body), body, "mermaid", closed=False))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    breaks = [draw(st.sampled_from(["\n", "\r\n", "\r"])) if eol == "mixed" else eol
              for _ in doc.lines]
    text = join_lines(doc.lines, breaks)
    if text and doc.lines[-1].strip(" \t") and draw(st.booleans()):
        text = text[: -len(breaks[-1])]  # no line break at the end
    return text, doc


def join_lines(lines: list[str], breaks: list[str]) -> str:
    """Lines joined by the given breaks; a CR followed by an empty line's LF would read as one
    CRLF, so that LF becomes a CR (the lines stay the lines they were)."""
    out = []
    for k, (line, brk) in enumerate(zip(lines, breaks, strict=True)):
        if not line and brk == "\n" and k and breaks[k - 1] == "\r":
            brk = breaks[k] = "\r"
        out.append(line + brk)
    return "".join(out)


@FAST
@given(documents())
def test_generated_documents_yield_their_fences_exactly(case: tuple[str, Rendered]) -> None:
    text, doc = case
    source = SourceFile("doc.md", text)
    problems = extract_diagrams(source)
    fences = doc.fences
    assert [d.index for d in source.diagrams] == list(range(len(fences)))
    assert len(source.diagrams) == len(fences)
    for diagram, fence in zip(source.diagrams, fences, strict=True):
        assert diagram.opening_line == fence.opening + 1
        assert diagram.info == fence.info.strip()
        assert diagram.closed == fence.closed
        assert diagram.closing_line == fence.closing + 1
        if fence.expected is not None:
            assert diagram.text == "\n".join(fence.expected)
        check_mapping(text, diagram)
    assert [p.code for p in problems] == ["MS101"] * sum(not f.closed for f in fences)
    assert mermaid_only(ours(text)) == mermaid_only(oracle_blocks(text))


# --------------------------------------------------------------------------------------------
# Markdown "soup": lines of Markdown-significant fragments, checked against markdown-it
# --------------------------------------------------------------------------------------------

PREFIXES = ["", "", "", " ", "   ", "    ", "\t", "> ", ">", ">\t", "> > ", "- ", "-\t", "* ",
            "1. ", "2) ", "  - ", "   > ", "  ", "      "]
BODIES = ["```mermaid", "```", "````", "~~~", "~~~ Mermaid x", "```mermaid title", "```python",
          "```mermaid`", "``` mermaid", "text", "é日本 → x", "A-->B", "", "", "", "---", "...",
          "***", "# h", "===", "<div>", "</div>", "<!--", "-->", "<script>", "</script>",
          "<?php", "?>", "<![CDATA[", "]]>", "<!DOCTYPE html>", "[a]: /url", "*[WAF]: Web",
          "\tx", "    code", "- a--", "\x00", "a\tb"]
soup_line = st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.sampled_from(BODIES))


@st.composite
def soups(draw: st.DrawFn) -> str:
    # One line in four blank: blank lines are where chunks are cut, so they matter most.
    lines = draw(st.lists(st.one_of(soup_line, soup_line, soup_line, st.just("")), max_size=40))
    breaks = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n", "\r"]), min_size=len(lines),
                           max_size=len(lines)))
    text = join_lines(lines, breaks)
    return text[: -1] if text and draw(st.booleans()) else text


@FAST
@given(soups())
# (text the parser passes over: a fence opening three spaces in, a raw HTML block, each running
# on past the next blank line and hiding what looks like a Mermaid fence)
@example("para\n\n   ```\ncode\n\n```mermaid\ngraph\n```\n")
@example("para\n\n   ~~~\ncode\n\n```mermaid\ngraph\n```\n~~~\n")
@example("para\n\n <pre>\ncode\n\n```mermaid\ngraph\n```\n</pre>\n")
def test_parse_blocks_agrees_with_markdown_it(text: str) -> None:
    expected = oracle_blocks(text)
    found = ours(text)
    assert mermaid_only(found) == mermaid_only(expected)
    # Blocks outside the parsed parts may be left out, but none may be made up.
    position = 0
    for block in found:
        position = expected.index(block, position) + 1


@FAST
@given(soups())
def test_fast_block_parser_equals_markdown_it(text: str) -> None:
    """The line tables and the rule dispatchers change nothing in markdown-it's output."""
    src = extract._normalise(text)
    if not src:
        return
    keys = [(t.type, t.map, t.level, t.info, t.markup, t.content, t.nesting, t.hidden)
            for t in ORACLE.parse(text)]
    tokens, _state = extract._tokenize(src)
    assert [(t.type, t.map, t.level, t.info, t.markup, t.content, t.nesting, t.hidden)
            for t in tokens] == keys
    plain = StateBlock(src, ORACLE, {}, [])
    mine = extract._LineMarks(src, ORACLE, [])
    for name in ("bMarks", "eMarks", "tShift", "sCount", "bsCount", "lineMax"):
        assert getattr(mine, name) == getattr(plain, name), name


@FAST
@given(soups())
def test_soup_diagrams_map_back_and_abbreviations_match(text: str) -> None:
    source = SourceFile("soup.md", text)
    problems = extract_diagrams(source)
    for diagram in source.diagrams:
        check_mapping(text, diagram)
    assert len(problems) == sum(not d.closed for d in source.diagrams)
    # Abbreviations: a naive scan of every line outside markdown-it's raw blocks.
    raw = [range(b[1], b[2]) for b in oracle_blocks(text)]
    src = extract._normalise(text)
    naive = []
    for k, line in enumerate(src.split("\n")):
        match = extract._ABBREVIATION.match(line)
        if match and match.group(2).strip() and not any(k in r for r in raw):
            naive.append(match.group(2).strip())
    assert [a.term.replace("\0", "\ufffd") for a in source.abbreviations] == naive
    for abbreviation in source.abbreviations:
        assert text[abbreviation.span.start : abbreviation.span.start + 2] == "*["


def _diagram_fields(diagram: Diagram) -> tuple[object, ...]:
    return (diagram.text, diagram.lines, diagram.fence_span, diagram.opening_line,
            diagram.closing_line, diagram.closed, diagram.info, diagram.index,
            diagram.line_starts(), [diagram.file_offset(k) for k in range(len(diagram.text) + 2)])


def _sliced_and_mapped(text: str) -> tuple[SourceFile, SourceFile]:
    """``text`` extracted as usual, and with every fence mapped line by line (no slices)."""
    sliced = SourceFile("soup.md", text)
    extract_diagrams(sliced)
    mapped = SourceFile("soup.md", text)
    shortcut = extract._slice_diagram
    try:
        extract._slice_diagram = lambda *args: None  # type: ignore[assignment]
        extract_diagrams(mapped)
    finally:
        extract._slice_diagram = shortcut
    return sliced, mapped


@FAST
@given(soups())
# (a quoted content line that only ends with its text; an indented one that starts with it)
@example("> ```mermaid\n> ```\n>\n> ```mermaid\n>\n> ```\n")
@example("- x\n\n  ```mermaid\n    \n  ```\n")
@example("```mermaid\ngraph\n\n```")
def test_a_fence_read_as_a_slice_of_the_file_is_the_fence_mapped_line_by_line(
        text: str) -> None:
    # extract._slice_diagram is a shortcut for fences at the margin: it must give what the
    # line-by-line mapping gives, and only where the text really is a slice of the file.
    sliced, mapped = _sliced_and_mapped(text)
    assert [_diagram_fields(d) for d in sliced.diagrams] == [
        _diagram_fields(d) for d in mapped.diagrams]
    for diagram in sliced.diagrams:
        if diagram.text_offset is not None:
            start = diagram.text_offset
            assert text[start:start + len(diagram.text)] == diagram.text


@FAST
@given(soups())
@example("```mermaid\n\n")
def test_a_slice_works_its_line_starts_out_on_their_own(text: str) -> None:
    # A slice's lines and line starts are made when first asked for. The test above asks for
    # the lines first; here the starts come first, from the text alone.
    sliced, mapped = _sliced_and_mapped(text)
    for diagram, other in zip(sliced.diagrams, mapped.diagrams, strict=True):
        if diagram.text_offset is not None:
            assert diagram.mapped_lines is None  # nothing asked for them yet
        assert diagram.line_starts() == other.line_starts()
        assert diagram.lines == other.lines


def test_checking_a_fence_at_the_margin_never_maps_its_lines() -> None:
    source = SourceFile("doc.md", "Intro\n\n```mermaid\nflowchart LR\n  A[WAF] --> B\n```\n")
    diagnostics = engine.collect_diagnostics(source, engine.Settings(select=("ALL",)))
    assert [d.code for d in diagnostics]  # the rules did run on it
    (diagram,) = source.diagrams
    assert diagram.text_offset is not None and diagram.mapped_lines is None


@FAST
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\x00é"))))
def test_a_whole_file_diagram_is_its_lines_mapped_one_by_one(text: str) -> None:
    # (without a CR: the shortcut that reads the text as a slice of the file)
    assert _diagram_fields(extract._whole_file_diagram(text)) == _diagram_fields(
        extract._whole_file_by_lines(text))


@FAST
@given(st.text())
def test_extract_never_raises_on_arbitrary_text(text: str) -> None:
    for path in ("a.md", "a.mmd"):
        source = SourceFile(path, text)
        extract_diagrams(source)
        for diagram in source.diagrams:
            check_mapping(text, diagram)


@FAST
@given(st.text(st.sampled_from([*list("`~>-*+ 1.\t\n\rmermaid<!#[]:"), "\x00", "é"])))
def test_markdown_alphabet_agrees_with_markdown_it(text: str) -> None:
    assert mermaid_only(ours(text)) == mermaid_only(oracle_blocks(text))
    source = SourceFile("a.md", text)
    extract_diagrams(source)
    for diagram in source.diagrams:
        check_mapping(text, diagram)
