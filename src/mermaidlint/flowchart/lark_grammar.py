"""Lark's parser for the flowchart grammar: imported only to make the tables (see :mod:`.lalr`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lark import Lark, Token
from lark.lexer import Lexer


class PassThroughLexer(Lexer):
    """Lark needs a lexer class; tokens always come from :mod:`.lexer`, and the parser is only
    read for its tables."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any) -> Iterator[Token]:  # type: ignore[override]
        yield from data


def lark_parser(grammar: str) -> Lark:
    # cache=True: Lark keeps its analysis in a temporary file keyed by the grammar and its own
    # version, so that the grammar is analysed once per machine.
    return Lark(grammar, parser="lalr", lexer=PassThroughLexer, maybe_placeholders=False,
                cache=True)
