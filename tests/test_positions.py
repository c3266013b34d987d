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
