"""Acronyms in the text a reader sees.

An acronym is a token of capitals and digits, starting with a capital and holding at least two
(WAF, EC2, P2P, SOC2), optionally plural (SLAs). It is looked for in label text only (node
labels, edge labels, subgraph titles), never in ids, class names, colours or keywords, and not
inside what a reader does not read as words: HTML tags (``<br/>``), entity codes (``#quot;``),
URLs, ``#3B82F6`` colours. Roman numerals (II, XIV) are numbers, not acronyms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from mermaidlint.flowchart.ast import Label
    from mermaidlint.rule import Outline

# The lookahead names every character an alternative can start with (a tag, an entity or a
# colour, a URL): it changes no match, and spares trying each alternative at every other
# position (masking twice as fast).
_NOT_TEXT = re.compile(
    r"(?=[<#&hfw])(?:"
    r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>"
    r"|[#&]#?\w+;"
    r"|\b(?:https?|ftp)://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+"
    r"|#[0-9A-Fa-f]{3,8}\b"
    r")"
)
# Not part of a longer word, an identifier (MAX_CONNECTIONS), a path or file name (.NET,
# README.md), a colour or a mention. (The leading lookahead changes no match: it spares the
# lookbehind at positions where no capital starts.)
TOKEN = re.compile(r"(?=[A-Z])(?<![\w#&@$.\\])([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(s?)(?![\w]|\.\w)")
# Two capitals with capitals and digits between: what every acronym holds (never a NUL, as
# Outline.labels_matching needs).
QUICK = re.compile(r"[A-Z][A-Z0-9]*[A-Z]")
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
    Most labels have no two capitals in a row: one search over them all passes them over."""
    for label in outline.labels_matching(QUICK):
        found = tokens(label.text)
        if found:
            yield label, found


def _may_hide_text(text: str) -> bool:
    """Whether ``text`` has what every _NOT_TEXT alternative needs (a tag's `<`, an entity's or
    a colour's `#` or `&`, a URL's `://` or `www.`): most labels have none, and are not masked."""
    return "<" in text or "#" in text or "&" in text or "://" in text or "www." in text


def _nuls(match: re.Match[str]) -> str:
    return "\0" * (match.end() - match.start())


def tokens(text: str) -> tuple[Token, ...]:
    """The acronym-like tokens of one label's text, in order. Callers with many labels pass over
    those without two capitals first (``labels_with_tokens``). (Not cached: over the Atlas corpus
    one label text in sixteen comes again.)"""
    masked = _NOT_TEXT.sub(_nuls, text) if _may_hide_text(text) else text
    out = []
    for match in TOKEN.finditer(masked):
        acronym = match.group(1)
        if not acronym.strip("IVX") and _ROMAN.fullmatch(acronym):
            continue
        out.append(Token(match.start(), match.end(), acronym, match.group(0)))
    return tuple(out)
