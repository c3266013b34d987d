"""LineIndex: the positions it counts (from the last one asked for) are those of its table (built
once the counting has covered the text twice)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mermaidlint.positions import LineIndex, Position

_TEXT = st.text(alphabet=st.sampled_from("ab\n\r\t é"), max_size=60)


def _expected(text: str, offset: int) -> Position:
    """The line and column of ``offset``, by walking the text (CRLF, CR and LF break lines)."""
    offset = max(0, min(offset, len(text)))
    line, start, k = 1, 0, 0
    while k < offset:
        if text[k] == "\r" and text.startswith("\r\n", k):
            if k + 1 >= offset:
                break
            k += 1
        if text[k] in "\r\n":
            line, start = line + 1, k + 1
        k += 1
    return Position(line, offset - start + 1)


@given(_TEXT, st.lists(st.integers(min_value=-2, max_value=70), max_size=40))
def test_every_position_is_the_walked_one_before_and_after_the_table(text: str,
                                                                    offsets: list[int]) -> None:
    index = LineIndex(text)
    for offset in offsets:
        assert index.position(offset) == _expected(text, offset)


@given(_TEXT)
def test_line_texts_join_back_into_the_text(text: str) -> None:
    index = LineIndex(text)
    lines = [index.line_text(n) for n in range(1, index.line_count + 1)]
    assert "".join(lines) == text.replace("\r\n", "").replace("\r", "").replace("\n", "")
    assert index.line_count == text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


@given(_TEXT, st.lists(st.integers(min_value=0, max_value=60), max_size=20), st.booleans())
def test_positions_counted_forwards_or_backwards_are_the_walked_ones(
        text: str, offsets: list[int], backwards: bool) -> None:
    # In one direction the counting covers the text at most once: the table is never built, so
    # this checks the counting itself.
    index = LineIndex(text.replace("\r", ""))
    for offset in sorted(offsets, reverse=backwards):
        assert index.position(offset) == _expected(text.replace("\r", ""), offset)


def test_resolved_findings_carry_their_positions_severity_and_fix() -> None:
    from mermaidlint.diagnostics import Diagnostic, Edit, Fix, Severity
    from mermaidlint.document import SourceFile
    from mermaidlint.engine import resolve
    from mermaidlint.positions import Span

    text = "ab\ncd WAF\nef\n"
    waf = text.index("WAF")
    fix = Fix((Edit(Span(waf + 3, waf + 3), " (x)"), Edit(Span(0, 1), "A")), description="d")
    found = resolve(SourceFile(path="f.md", text=text), [
        Diagnostic("MA001", "undefined-acronym", "m1", Span(waf, waf + 3), Severity.WARNING,
                   fix=fix),
        Diagnostic("MX9", "plugin", "m2", Span(0, 2), "note",  # type: ignore[arg-type]
                   notes=("n",)),
    ])
    first, second = found  # sorted by position
    assert (first.path, first.code, first.name, first.message) == ("f.md", "MX9", "plugin", "m2")
    assert (second.path, second.code, second.name, second.message, second.notes) == (
        "f.md", "MA001", "undefined-acronym", "m1", ())
    assert (second.line, second.column, second.end_line, second.end_column) == (2, 4, 2, 7)
    assert second.severity == "warning" and second.fixable and second.fix_description == "d"
    assert [(e.line, e.column, e.replacement) for e in second.fix_edits] == [
        (1, 1, "A"), (2, 7, " (x)")]
    assert (first.line, first.column, first.end_line, first.end_column, first.severity,
            first.notes) == (1, 1, 1, 3, "note", ("n",))
    assert not first.fixable and first.fix_edits == () and first.fix_description == ""
