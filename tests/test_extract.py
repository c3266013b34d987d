"""Unit tests for extract.py: which fences are Mermaid diagrams, and exact positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from mdit_py_plugins.front_matter import front_matter_plugin

from mermaidlint import extract
from mermaidlint.diagnostics import Severity
from mermaidlint.document import Diagram, SourceFile
from mermaidlint.extract import extract_diagrams, is_mermaid_info, parse_blocks
from mermaidlint.files import read_source, source_from_text
from mermaidlint.positions import LineIndex, Position

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "atlas"


def run(text: str, path: str = "doc.md") -> tuple[SourceFile, list[str]]:
    source = SourceFile(path, text)
    problems = extract_diagrams(source)
    return source, [p.code for p in problems]


def diagrams(text: str, path: str = "doc.md") -> list[Diagram]:
    return run(text, path)[0].diagrams


def assert_maps_back(text: str, diagram: Diagram) -> None:
    """Every real character of the diagram text is the same character in the file."""
    position = 0
    contents = diagram.text.split("\n") if diagram.lines else []
    for content, line in zip(contents, diagram.lines, strict=True):
        real = len(content) - line.virtual_prefix
        assert text[line.file_offset : line.file_offset + real] == content[line.virtual_prefix :]
        for j in (line.virtual_prefix, len(content) - 1):
            if line.virtual_prefix <= j < len(content):
                assert text[diagram.file_offset(position + j)] == content[j]
        position += len(content) + 1


def at(text: str, offset: int) -> Position:
    return LineIndex(text).position(offset)


# --------------------------------------------------------------------------------------------
# Which fences are Mermaid
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("info", [
    "mermaid", "Mermaid", "MERMAID", 'mermaid title="Flow"', " mermaid", "mermaid\t", "mermaid x y",
])
def test_info_strings_whose_first_word_is_mermaid(info: str) -> None:
    assert is_mermaid_info(info)
    assert len(diagrams(f"```{info}\nA\n```\n")) == 1


@pytest.mark.parametrize("info", [
    "", "mermaidjs", "{mermaid}", "mermaid-js", "mermaid.js", "python", "graph mermaid", "mermaïd",
])
def test_other_info_strings(info: str) -> None:
    assert not is_mermaid_info(info)
    assert diagrams(f"```{info}\nA\n```\n") == []


def test_backtick_in_the_info_string_is_not_a_fence() -> None:
    # CommonMark: a backtick fence's info string may not hold a backtick (it is inline code).
    assert diagrams("```mermaid`\nA\n```\n") == []
    assert len(diagrams("~~~mermaid `x`\nA\n~~~\n")) == 1


def test_tilde_and_long_fences() -> None:
    text = "~~~mermaid\nA\n~~~\n\n`````mermaid\n```\nB\n````\n`````\n"
    first, second = diagrams(text)
    assert (first.text, first.info, first.opening_line, first.closing_line) == ("A", "mermaid",
                                                                                1, 3)
    # Shorter runs of the marker inside a longer fence are content.
    assert second.text == "```\nB\n````"
    assert (second.opening_line, second.closing_line) == (5, 9)


def test_a_longer_closing_fence_closes() -> None:
    (diagram,) = diagrams("```mermaid\nA\n``````  \n")
    assert diagram.closed and diagram.closing_line == 3


def test_documents_without_mermaid() -> None:
    assert diagrams("") == []
    assert diagrams("# Title\n\n```python\nprint('mermaid')\n```\n") == []
    source, problems = run("just text, no fences\n")
    assert source.diagrams == [] and problems == []


def test_fixture_with_lookalikes_has_exactly_one_diagram() -> None:
    source = read_source(FIXTURES / "not_diagrams.md", "not_diagrams.md")
    assert isinstance(source, SourceFile)
    assert extract_diagrams(source) == []
    (diagram,) = source.diagrams
    assert diagram.text == "graph TD\n  TheOnlyDiagram"
    assert diagram.opening_line == 45


def test_front_matter_is_not_markdown() -> None:
    text = "---\ntitle: x\n```mermaid\nNo\n```\n---\n\n```mermaid\nYes\n```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "Yes" and diagram.opening_line == 8


def test_unclosed_front_matter_is_markdown() -> None:
    (diagram,) = diagrams("---\ntitle: x\n```mermaid\nYes\n```\n")
    assert diagram.text == "Yes"


def test_indented_code_block_is_not_a_fence() -> None:
    assert diagrams("Text\n\n    ```mermaid\n    A\n    ```\n") == []
    # ... but three spaces of indent are still a fence.
    (diagram,) = diagrams("   ```mermaid\n   A\n     B\n```\n")
    assert diagram.text == "A\n  B"


def test_html_block_swallows_a_fence_until_a_blank_line() -> None:
    assert diagrams("<details>\n```mermaid\nA\n```\n</details>\n") == []
    (diagram,) = diagrams("<details>\n\n```mermaid\nA\n```\n\n</details>\n")
    assert diagram.text == "A"
    assert diagrams("<!--\n\n```mermaid\nA\n```\n\n-->\n") == []


# --------------------------------------------------------------------------------------------
# Containers
# --------------------------------------------------------------------------------------------


def test_every_container_kind() -> None:
    text = (FIXTURES / "containers.md").read_text(encoding="utf-8")
    found = diagrams(text)
    assert [d.opening_line for d in found] == [5, 12, 19, 27, 34, 41, 48, 55]
    assert [d.closing_line for d in found] == [8, 15, 22, 30, 37, 44, 51, 58]
    assert all(d.text == "graph TD\n  A-->B" for d in found)
    assert [d.index for d in found] == list(range(8))
    assert found[5].info == 'Mermaid title="in a nested quote"'
    for diagram in found:
        assert_maps_back(text, diagram)


def test_exact_offsets_in_a_list_item() -> None:
    text = "- item\n\n  ```mermaid\n  graph TD\n    A-->B\n  ```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "graph TD\n  A-->B"
    assert [(line.file_offset, line.length) for line in diagram.lines] == [
        (text.index("graph"), 8), (text.index("  A-->B"), 7)]
    assert diagram.fence_span.start == text.index("```mermaid")
    assert diagram.fence_span.end == len(text) - 1  # end of the closing line, before "\n"
    assert (diagram.opening_line, diagram.closing_line) == (3, 6)
    assert diagram.file_offset(diagram.text.index("B")) == text.index("B")


def test_exact_offsets_in_nested_quotes() -> None:
    text = "> > ```mermaid\n> > A --> B\n> > ```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "A --> B"
    assert diagram.lines[0].file_offset == text.index("A")
    assert diagram.fence_span.start == 4
    assert at(text, diagram.fence_span.start) == Position(1, 5)


def test_quote_inside_list_and_list_inside_quote() -> None:
    text = "- > ```mermaid\n  > A\n  > ```\n\n> 1. ```mermaid\n>    B\n>    ```\n"
    first, second = diagrams(text)
    assert (first.text, second.text) == ("A", "B")
    assert first.lines[0].file_offset == text.index("A")
    assert second.lines[0].file_offset == text.index("B")
    assert at(text, second.fence_span.start) == Position(5, 6)


def test_fence_indent_is_taken_off_content_lines() -> None:
    text = "  ```mermaid\n  A\n B\n    C\n  ```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "A\nB\n  C"
    assert_maps_back(text, diagram)


# --------------------------------------------------------------------------------------------
# Tabs, line breaks, BOM, non-ASCII, NUL
# --------------------------------------------------------------------------------------------


def test_tab_partly_used_by_a_list_indent_gives_virtual_spaces() -> None:
    # The list item's content starts at column 2; the tab reaches column 4, so two of its
    # columns are content: markdown-it turns them into spaces that are not in the file.
    text = "- ```mermaid\n\t A\n  ```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "   A"
    (line,) = diagram.lines
    assert (line.file_offset, line.length, line.virtual_prefix) == (14, 4, 2)
    assert text[line.file_offset] == " "  # the first real character, after the tab
    assert diagram.file_offset(3) == text.index("A")
    assert_maps_back(text, diagram)


def test_tab_after_a_fence_indent() -> None:
    text = "  ```mermaid\n\tD\n  ```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "  D"
    assert diagram.lines[0].virtual_prefix == 2
    assert diagram.file_offset(2) == text.index("D")


def test_tabs_inside_content_are_kept() -> None:
    text = "```mermaid\nA\t-->\tB\n\tC\n```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "A\t-->\tB\n\tC"
    assert [line.virtual_prefix for line in diagram.lines] == [0, 0]
    assert diagram.file_offset(diagram.text.index("C")) == text.index("C")


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_line_breaks_other_than_lf(eol: str) -> None:
    text = eol.join(["# T", "", "- item", "", "  ```mermaid", "  A-->B", "  C", "  ```", ""])
    (diagram,) = diagrams(text)
    assert diagram.text == "A-->B\nC"  # diagram text always joins with "\n"
    assert diagram.lines[0].file_offset == text.index("A-->B")
    assert diagram.lines[1].file_offset == text.index("C")
    assert (diagram.opening_line, diagram.closing_line) == (5, 8)
    assert at(text, diagram.fence_span.start) == Position(5, 3)
    assert diagram.fence_span.end == text.rindex("```") + 3
    assert_maps_back(text, diagram)


def test_mixed_line_breaks() -> None:
    text = "a\r\n\r```mermaid\nB\r\nC\r```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "B\nC"
    assert (diagram.opening_line, diagram.closing_line) == (3, 6)
    assert diagram.lines[1].file_offset == text.index("C")


def test_vertical_tab_and_unicode_separators_are_not_line_breaks() -> None:
    text = "```mermaid\nA\x0bB\u2028C\x1cD\n```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "A\x0bB\u2028C\x1cD"
    assert len(diagram.lines) == 1


def test_bom_offsets_are_into_the_text_without_it() -> None:
    source = source_from_text("doc.md", "\ufeff```mermaid\nA\n```\n")
    assert source.has_bom and not source.text.startswith("\ufeff")
    extract_diagrams(source)
    (diagram,) = source.diagrams
    assert diagram.fence_span.start == 0
    assert diagram.lines[0].file_offset == source.text.index("A") == 11


def test_non_ascii_columns_count_code_points() -> None:
    text = "> ```mermaid\n> A[日本語 é] --> B\n> ```\n"
    (diagram,) = diagrams(text)
    offset = diagram.file_offset(diagram.text.index("B"))
    assert text[offset] == "B"
    # Before B: "> A[" (4), three CJK characters, " é] --> " (8): B is column 16.
    assert at(text, offset) == Position(2, 16)


def test_nul_is_kept_in_the_diagram_text() -> None:
    text = "- ```mermaid\n  A\x00B\n  ```\n"
    (diagram,) = diagrams(text)
    assert diagram.text == "A\x00B"  # not markdown-it's U+FFFD
    assert_maps_back(text, diagram)


# --------------------------------------------------------------------------------------------
# Shapes of fences
# --------------------------------------------------------------------------------------------


def test_empty_fence() -> None:
    (diagram,) = diagrams("```mermaid\n```\n")
    assert diagram.text == "" and diagram.lines == []
    assert diagram.file_offset(0) == 0


def test_fence_with_blank_content_lines() -> None:
    (diagram,) = diagrams("```mermaid\n\nA\n\n```\n")
    assert diagram.text == "\nA\n"
    assert [line.length for line in diagram.lines] == [0, 1, 0]


def test_fence_at_end_without_a_final_line_break() -> None:
    text = "```mermaid\nA\n```"
    (diagram,) = diagrams(text)
    assert diagram.closed and diagram.fence_span.end == len(text)


def test_diagrams_are_in_file_order() -> None:
    text = "".join(f"```mermaid\nD{k}\n```\n\n- ```mermaid\n  L{k}\n  ```\n\n" for k in range(3))
    found = diagrams(text)
    assert [d.text for d in found] == ["D0", "L0", "D1", "L1", "D2", "L2"]
    assert [d.index for d in found] == list(range(6))


def test_info_with_trailing_blanks_and_fence_span() -> None:
    text = "> ~~~~ Mermaid  \n> A\n> ~~~~\n"
    (diagram,) = diagrams(text)
    assert diagram.info == "Mermaid"
    assert diagram.fence_span.start == 2
    assert diagram.fence_span.end == len(text) - 1


# --------------------------------------------------------------------------------------------
# Unclosed fences (MS101)
# --------------------------------------------------------------------------------------------


def test_unclosed_fence_at_top_level() -> None:
    text = "Intro\n\n```mermaid title  \ngraph TD\n  A-->B\n\nMore text\n"
    source = SourceFile("doc.md", text)
    (problem,) = extract_diagrams(source)
    (diagram,) = source.diagrams
    assert not diagram.closed
    assert diagram.text == "graph TD\n  A-->B\n\nMore text"
    assert (diagram.opening_line, diagram.closing_line) == (3, 7)
    assert diagram.fence_span.end == len(text) - 1
    assert (problem.code, problem.name, problem.severity) == ("MS101", "unclosed-fence",
                                                              Severity.ERROR)
    assert not problem.refuses_render
    assert text[problem.span.start : problem.span.end] == "```mermaid title"
    assert "never closed" in problem.message and "end of the document" in problem.message


def test_unclosed_fences_fixture() -> None:
    text = (FIXTURES / "unclosed.md").read_text(encoding="utf-8")
    source, problems = run(text)
    in_list, at_top = source.diagrams
    assert problems == ["MS101", "MS101"]
    # In a list item the fence ends with the item (the blank line is still the item's).
    assert (in_list.opening_line, in_list.closing_line) == (5, 8)
    assert in_list.text == "graph TD\n  A-->B\n"
    assert at_top.text.endswith("is too short to close it.")
    problem = extract_diagrams(SourceFile("doc.md", text))[0]
    assert "list item or quote" in problem.message
    assert at(text, problem.span.start) == Position(5, 3)


@pytest.mark.parametrize("closing", ["``", "``` x", "    ```", "~~~", "\t```"])
def test_lines_that_do_not_close(closing: str) -> None:
    source, problems = run(f"```mermaid\nA\n{closing}\n")
    assert problems == ["MS101"]
    assert source.diagrams[0].text == f"A\n{closing}"


def test_unclosed_empty_fence_at_the_very_end() -> None:
    source, problems = run("```mermaid")
    (diagram,) = source.diagrams
    assert problems == ["MS101"] and diagram.text == "" and diagram.closing_line == 1


# --------------------------------------------------------------------------------------------
# .mmd / .mermaid files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["a.mmd", "b.mermaid", "C.MMD", "dir/x.Mermaid"])
def test_mermaid_files_are_one_diagram(path: str) -> None:
    text = "graph TD\r\n  A-->B\r\n"
    source, problems = run(text, path)
    (diagram,) = source.diagrams
    assert problems == []
    assert diagram.text == "graph TD\n  A-->B"
    assert (diagram.opening_line, diagram.closing_line, diagram.closed) == (1, 2, True)
    assert diagram.fence_span.start == 0 and diagram.fence_span.end == len(text)
    assert diagram.lines[1].file_offset == text.index("  A")
    assert_maps_back(text, diagram)


def test_mermaid_file_edge_cases() -> None:
    (empty,) = diagrams("", "e.mmd")
    assert empty.text == "" and empty.lines == [] and empty.closing_line == 1
    (no_break,) = diagrams("graph TD\nA", "n.mmd")
    assert no_break.text == "graph TD\nA" and no_break.closing_line == 2
    (fence_like,) = diagrams("```mermaid\nA\n```\n", "f.mmd")  # taken as it is
    assert fence_like.text == "```mermaid\nA\n```"


# --------------------------------------------------------------------------------------------
# Abbreviations
# --------------------------------------------------------------------------------------------


def test_abbreviations_outside_code() -> None:
    text = (
        "*[WAF]: Web Application Firewall\n"
        "> *[CDN]:   Content Delivery Network  \n"
        "\n```\n*[NO]: inside a fence\n```\n"
        "\n    *[NO2]: indented code\n"
        "\n```mermaid\nA[WAF]\n```\n"
    )
    source, _ = run(text)
    assert [(a.term, a.expansion) for a in source.abbreviations] == [
        ("WAF", "Web Application Firewall"), ("CDN", "Content Delivery Network")]
    waf, cdn = source.abbreviations
    assert (waf.span.start, waf.span.end) == (0, len("*[WAF]: Web Application Firewall"))
    assert text[cdn.span.start : cdn.span.end] == "*[CDN]:   Content Delivery Network"


def test_abbreviations_in_front_matter_are_ignored() -> None:
    source, _ = run("---\nx: |\n  *[A]: no\n---\n*[B]: yes\n")
    assert [a.term for a in source.abbreviations] == ["B"]


def test_abbreviations_with_crlf_and_no_diagrams() -> None:
    text = "Text\r\n\r\n*[API]: Application Programming Interface\r\n"
    source, _ = run(text)
    (api,) = source.abbreviations
    assert text[api.span.start : api.span.end] == "*[API]: Application Programming Interface"


# --------------------------------------------------------------------------------------------
# The fast paths agree with plain markdown-it
# --------------------------------------------------------------------------------------------

ORACLE = MarkdownIt("commonmark").use(front_matter_plugin)


def our_mermaid_fences(text: str) -> list[tuple[int, int, int, str, str, str]]:
    return [(b.start, b.end, b.level, b.info, b.markup, b.content) for b in parse_blocks(text)
            if b.kind == "fence" and is_mermaid_info(b.info)]


def markdown_texts() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.md"))]
    if CORPUS.is_dir():
        found += [(str(p), p.read_bytes().decode("utf-8-sig"))
                  for p in sorted(CORPUS.rglob("*.md"))]
    return found


def test_fast_paths_agree_with_markdown_it_on_fixtures_and_corpus() -> None:
    """The chunked parse finds markdown-it's Mermaid fences; the block parser under it (line
    tables, rule dispatchers) gives markdown-it's very tokens."""
    for name, text in markdown_texts():
        expected = ORACLE.parse(text)
        assert our_mermaid_fences(text) == [
            (t.map[0], t.map[1], t.level, t.info, t.markup, t.content) for t in expected
            if t.type == "fence" and t.map and is_mermaid_info(t.info)], name
        src = extract._normalise(text)
        if not src:
            continue
        tokens, _ = extract._tokenize(src)
        assert [(t.type, t.map, t.level, t.info, t.content) for t in tokens] == [
            (t.type, t.map, t.level, t.info, t.content) for t in expected], name
        plain, mine = StateBlock(src, ORACLE, {}, []), extract._LineMarks(src, ORACLE, [])
        assert (mine.bMarks, mine.eMarks, mine.tShift, mine.sCount, mine.lineMax) == (
            plain.bMarks, plain.eMarks, plain.tShift, plain.sCount, plain.lineMax), name


def test_corpus_extracts_and_maps_back() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    count = 0
    for path in sorted(CORPUS.rglob("*.md")):
        source = read_source(path, str(path))
        assert isinstance(source, SourceFile)
        extract_diagrams(source)
        for diagram in source.diagrams:
            assert_maps_back(source.text, diagram)
        count += len(source.diagrams)
    assert count > 0
