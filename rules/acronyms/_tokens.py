"""Acronyms in the text a reader sees.

An acronym is a token of capitals and digits, starting with a capital and holding at least two
(WAF, EC2, P2P, SOC2), optionally plural (SLAs). It is looked for in label text only (node
labels, edge labels, subgraph titles), never in ids, class names, colours or keywords, and not
inside what a reader does not read as words: HTML tags (``<br/>``), entity codes (``#quot;``),
URLs, ``#3B82F6`` colours. Roman numerals (II, XIV) are numbers, not acronyms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from ..text_common import not_text

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Label
    from mermaidlint.rule import Outline

# Text a reader does not read as words: a tag, an entity, a URL, and here a colour too.
_NOT_TEXT = not_text(r"#[0-9A-Fa-f]{3,8}\b")
# Not part of a longer word, an identifier (MAX_CONNECTIONS), a path or file name (.NET,
# README.md), a colour or a mention. (The lookbehind comes after the first capital, as a look at
# the two characters ending with it, so that the pattern starts with a capital: then the search
# skips in C to the next capital instead of trying the pattern at every character. The lookahead
# right after it turns away, before the lookbehind, the capitals that start a word such as
# "Service": most of them; a sixth faster over the Atlas corpus's labels.)
TOKEN = re.compile(
    r"([A-Z](?=[A-Z0-9])(?<![\w#&@$.\\][A-Z])[A-Z0-9]*[A-Z][A-Z0-9]*)(s?)(?![\w]|\.\w)")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")


class Token(NamedTuple):
    """A named tuple rather than a frozen dataclass: some 20,000 are made on the Atlas corpus,
    and a frozen dataclass costs several times as much to make."""

    start: int  # in the label's text
    end: int
    acronym: str  # singular: "SLA" for "SLAs"
    written: str  # as written: "SLAs"


def labels_with_tokens(outline: Outline) -> Iterator[tuple[Label, tuple[Token, ...]]]:
    """The labels of a diagram that hold acronym-like tokens, with their tokens, in file order.

    Most labels hold no acronym: one search through all of them at once (the outline's joined
    text) finds those that do, where one search per label cost twice as much. A label that may
    hide a token (in a tag or a URL) is tokenised on its own (:func:`tokens`); in the others the
    search's matches are its tokens, as no match crosses the NUL between two labels."""
    joined, starts = outline.joined_labels()
    labels = outline.labels
    search = TOKEN.search
    current, base, label_end = -1, 0, -1  # the label of found_here: its index, start and end
    found_here: list[Token] = []
    match = search(joined)
    while match is not None:
        start = match.start()
        if start >= label_end:  # the first match in another label
            if found_here:
                yield labels[current], tuple(found_here)
                found_here = []
            current = bisect_right(starts, start) - 1
            base, text = starts[current], labels[current].text
            label_end = base + len(text)
            if _may_hide_tokens(text):
                masked = tokens(text)
                if masked:
                    yield labels[current], masked
                match = search(joined, label_end)
                continue
        acronym = match.group(1)
        if acronym.strip("IVX") or not _ROMAN.fullmatch(acronym):
            found_here.append(Token(start - base, match.end() - base, acronym, match.group(0)))
        match = search(joined, match.end())
    if found_here:
        yield labels[current], tuple(found_here)


# A tag holding a capital: the only kind of tag a token can lie inside.
_TAG_WITH_CAPITAL = re.compile(r"<[^<>]*[A-Z]")


def _may_hide_tokens(text: str) -> bool:
    """Whether a token of ``text`` may lie inside something _NOT_TEXT leaves out; when not, the
    search's tokens need no check. Only a tag (one holding a capital) or a URL can hold one:
    every character inside an entity or a colour is `#`, `&` or a word character, which a
    token's first capital may not follow. Most labels that have a `<br/>`, a `#quot;` or a
    colour hold neither."""
    return "://" in text or "www." in text or (
        "<" in text and _TAG_WITH_CAPITAL.search(text) is not None)


def tokens(text: str) -> tuple[Token, ...]:
    """The acronym-like tokens of one label's text, in order. (Not cached: over the Atlas corpus
    one label text in sixteen comes again.)

    Tokens inside a tag, an entity, a URL or a colour (_NOT_TEXT) are left out. That is the same
    as masking those out before the search, without a masked copy of the text: no token can
    start outside one of them and end inside it, or the other way round (each starts and ends
    with a character a token cannot hold, or needs a word boundary a token cannot give), and a
    token beside one sees, through its lookarounds, the same kind of character either way.
    (The property tests compare with masking.)"""
    hidden_starts: list[int] = []
    hidden_ends: list[int] = []
    if _may_hide_tokens(text):
        for hidden in _NOT_TEXT.finditer(text):
            hidden_starts.append(hidden.start())
            hidden_ends.append(hidden.end())
    out = []
    for match in TOKEN.finditer(text):
        start = match.start()
        if hidden_starts:
            k = bisect_right(hidden_starts, start) - 1
            if k >= 0 and start < hidden_ends[k]:
                continue
        acronym = match.group(1)
        if acronym.strip("IVX") or not _ROMAN.fullmatch(acronym):
            out.append(Token(start, match.end(), acronym, match.group(0)))
    return tuple(out)
