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
from collections.abc import Callable, Iterator
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


def new_tokens(outline: Outline, settled: Callable[[str], bool]
               ) -> Iterator[tuple[Label, Token]]:
    """The acronym-like tokens of a diagram's labels, in file order, with their labels; but not
    the tokens whose acronym ``settled`` says is settled already (seen before, or known).

    ``settled`` is asked first, for every match: most tokens are of an acronym seen before in
    the diagram or known at sight, and need nothing more (no label found for them, no check for
    what may hide them, no Token made); ``settled`` may change its answers as the caller takes
    tokens. One search through all the labels at once (the outline's joined text) finds them,
    where one search per label cost twice as much: no match crosses the NUL between two labels,
    and its lookarounds see a NUL as they see the start or the end of a label. A label that may
    hide a token (in a tag or a URL) is looked at for what hides them (:func:`_hidden`)."""
    joined, starts = outline.joined_labels()
    labels = outline.labels
    hidden: dict[int, _Hidden | None] = {}  # by label index, worked out when first needed
    for match in TOKEN.finditer(joined):
        acronym = match.group(1)
        if settled(acronym) or _is_roman(acronym):
            continue
        start = match.start()
        k = bisect_right(starts, start) - 1
        base = starts[k]
        if k not in hidden:
            hidden[k] = _hidden(labels[k].text)
        spans = hidden[k]
        if spans is not None and spans.covers(start - base):
            continue
        yield labels[k], Token(start - base, match.end() - base, acronym, match.group(0))


def _is_roman(acronym: str) -> bool:
    """A Roman numeral (II, XIV): a number, not an acronym. (Most tokens hold another letter,
    which the strip tells at once.)"""
    return not acronym.strip("IVX") and _ROMAN.fullmatch(acronym) is not None


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
    spans = _hidden(text)
    out = []
    for match in TOKEN.finditer(text):
        start = match.start()
        if spans is not None and spans.covers(start):
            continue
        acronym = match.group(1)
        if not _is_roman(acronym):
            out.append(Token(start, match.end(), acronym, match.group(0)))
    return tuple(out)


class _Hidden(NamedTuple):
    """Where the parts of a label a token may not lie in (_NOT_TEXT) start and end, in order."""

    starts: list[int]
    ends: list[int]

    def covers(self, offset: int) -> bool:
        k = bisect_right(self.starts, offset) - 1
        return k >= 0 and offset < self.ends[k]


def _hidden(text: str) -> _Hidden | None:
    """What of ``text`` hides tokens, or None where nothing can (:func:`_may_hide_tokens`)."""
    if not _may_hide_tokens(text):
        return None
    found = list(_NOT_TEXT.finditer(text))
    return _Hidden([m.start() for m in found], [m.end() for m in found]) if found else None
