"""Where a document spells an acronym out, and whether the words really spell it.

Recognised (anywhere in the file: prose, tables, diagram labels):

* ``Web Application Firewall (WAF)``: the long form just before the acronym in parentheses;
* ``WAF (Web Application Firewall)``: the long form in parentheses just after it;
* ``WAF: Web Application Firewall``, ``WAF - Web ...``, ``| WAF | Web ... |``: a glossary line;
* ``AWS ALB<br/>Application Load Balancer``, ``Application Load Balancer<br/>AWS ALB``: a label
  line spelling out the acronym on the next or the one before.

The words must spell the acronym, loosely: its letters (digits ignored) are the initials of the
words in order, a word may give several letters in a row from its start ("HyperText"), small
words (of, and, to...) may be passed over, and where the acronym has a digit, which stands for
words (``Elastic Compute Cloud (EC2)``), one other word may be too. "We also deploy a firewall
(WAF)" does not define WAF.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "over",
    "per", "the", "to", "under", "via", "with",
})
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_DASHES = "\u2013\u2014"  # en and em dash
# Each check starts where the acronym was found (cheap: the acronym is looked for with
# str.find, only for the acronyms a diagram leaves undefined).
_BEFORE_STOP = re.compile(r"[\n()|:;.!?>]")
_PARENS_CLOSE = re.compile(r"\s*\)")
_LONG_AFTER = re.compile(r"\**\s*\(([^()\n]{3,120})\)")
_LINE_START = re.compile(r"[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+)?[ \t*_`]*")
_TABLE_CELL_START = re.compile(r"\|[ \t*_`]*$")
_GLOSSARY_REST = re.compile(
    r"[ \t*_`]*(?:[:=|]|\s[-" + _DASHES + r"])[ \t*_`]*([A-Za-z][^\n|()]{2,100})")
_NEXT_LABEL_LINE = re.compile(r"[ \t]*<br[ \t]*/?>[ \t]*([A-Za-z][^<\n|]{2,100})")
# What may come between a <br> and an acronym on the next label line (`<br/>AWS ALB`).
_GAP_AFTER_BR = re.compile(r"[ \t]*(?:[A-Za-z]+[ \t]+)?\n?")
_CLAUSE_END = re.compile(r"[,;:(" + _DASHES + r"]| - ")
# Besides a word character (isalnum() or `_`), what may not come right before a whole token.
_TOKEN_BEFORE_MARKS = "_#&@$."
# What every form above needs right after the acronym (blanks and emphasis passed over): an
# opening or closing parenthesis, a glossary separator (`-` and `=` not starting an arrow:
# `-->`, `-.->`, `==>`) or a `<br>`; only the label line that comes before
# (`...<br/>AWS ALB`) needs nothing after it. Most uses of an acronym have none of these, and
# are passed over without the checks of _defined_here (the arrows and tags excluded here
# spare them for 276 of the 2,019 uses that got to them over the Atlas corpus).
_MAYBE_DEFINED_AFTER = re.compile(
    r"[\s*_`]*(?:[():|" + _DASHES + r"]|-(?![-.>])|=(?![=>])|<(?=br))")


def letters_of(acronym: str) -> str:
    return "".join(c for c in acronym.lower() if c.isalpha())


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def spells(acronym: str, words: list[str], *, anchored: str) -> bool:
    """Whether ``words`` spell ``acronym``: ``anchored="end"`` for a long form written before
    the acronym (it must end at the last word), ``"start"`` for one written after it."""
    letters = letters_of(acronym)
    if not letters or not words:
        return False
    skips = 1 if any(c.isdigit() for c in acronym) else 0
    if anchored == "end":
        # The long form may start at any word of the window, but only at a word with the
        # acronym's first letter: from any other word, the words can only spell it by passing
        # over small words to a later start, which is tried on its own.
        window = words[-(len(letters) + 4):]
        first = letters[0]
        return any(_match(letters, tuple(window[i:]), True, skips)
                   for i, word in enumerate(window) if word[0] == first)
    return _match(letters, tuple(words[:len(letters) + 4]), False, skips)


@lru_cache(maxsize=8192)
def _match(letters: str, words: tuple[str, ...], to_the_end: bool, skips: int) -> bool:
    return _go(letters, words, 0, 0, skips, to_the_end)


def _go(letters: str, words: tuple[str, ...], li: int, wi: int, skips: int,
        to_the_end: bool) -> bool:
    if li == len(letters):
        return not to_the_end or all(w in _SMALL_WORDS for w in words[wi:])
    if wi == len(words):
        return False
    word = words[wi]
    if word in _SMALL_WORDS and _go(letters, words, li, wi + 1, skips, to_the_end):
        return True
    if li > 0 and skips and _go(letters, words, li, wi + 1, skips - 1, to_the_end):
        return True
    if word[0] != letters[li]:
        return False
    # The word gives letters[li], and maybe the next few, in order from its start.
    pos, k = 1, li + 1
    while True:
        if _go(letters, words, k, wi + 1, skips, to_the_end):
            return True
        if k == len(letters):
            return False
        pos = word.find(letters[k], pos) + 1
        if pos == 0:
            return False
        k += 1


def defines(text: str, acronym: str) -> bool:
    """Whether ``text`` spells ``acronym`` (singular) out in one of the recognised ways."""
    size, length = len(acronym), len(text)
    at = text.find(acronym)
    while at >= 0:
        end = at + size
        if end < length and text[end] == "s":
            end += 1
        # A whole token: not after a word character or one of `#&@$.`, nor before a word
        # character. Tested on the characters themselves, without a regular expression: this
        # runs for every use of every acronym looked up.
        before = text[at - 1] if at else " "
        whole = not (before.isalnum() or before in _TOKEN_BEFORE_MARKS) and not (
            end < length and (text[end].isalnum() or text[end] == "_"))
        if whole:
            if _MAYBE_DEFINED_AFTER.match(text, end) is not None:
                if _defined_here(text, acronym, at, end):
                    return True
            elif _defined_on_the_line_before(text, acronym, at):
                return True
        at = text.find(acronym, at + 1)
    return False


def _defined_here(text: str, acronym: str, start: int, end: int) -> bool:
    before = text[max(0, start - 130):start]
    # Web Application Firewall (WAF)
    if before.rstrip().endswith("(") and _PARENS_CLOSE.match(text, end):
        opening = text.rfind("(", 0, start)
        if spells(acronym, words_of(_words_before(text, opening)), anchored="end"):
            return True
    if _defined_on_the_line_before(text, acronym, start):
        return True
    # WAF (Web Application Firewall), AWS ALB<br/>Application Load Balancer
    for pattern in (_LONG_AFTER, _NEXT_LABEL_LINE):
        after = pattern.match(text, end)
        if after and _spelt_after(acronym, after.group(1)):
            return True
    # WAF: Web Application Firewall, | WAF | Web Application Firewall |
    line = text[text.rfind("\n", 0, start) + 1:start]
    if _LINE_START.fullmatch(line) or ("|" in before and _TABLE_CELL_START.search(before)):
        rest = _GLOSSARY_REST.match(text, end)
        if rest and _spelt_after(acronym, rest.group(1)):
            return True
    return False


def _defined_on_the_line_before(text: str, acronym: str, start: int) -> bool:
    """``Application Load Balancer<br/>AWS ALB``: the one form that needs nothing after the
    acronym, so the only one looked for where nothing that other forms need follows it."""
    # The `>` of such a <br> is the last one before the acronym (within 130 characters), and
    # only blanks, one word and a line break may come between. A `>` that ends an arrow
    # (`A --> WAF`) or another tag is told by the characters right before it, without a
    # regular-expression search of the window (770 of the 4,445 `>` over the Atlas corpus).
    window = max(0, start - 130)
    closing = text.rfind(">", window, start)
    if closing < 0:
        return False
    opening = _br_before(text, window, closing)
    if opening < 0 or not _GAP_AFTER_BR.fullmatch(text, closing + 1, start):
        return False
    return spells(acronym, words_of(_words_before(text, opening)), anchored="end")


def _br_before(text: str, window: int, closing: int) -> int:
    """Where the `<br>` tag (`<br`, blanks, maybe `/`) that ends with the `>` at ``closing``
    starts, if it starts at ``window`` or later; -1 if that `>` ends no such tag."""
    at = closing
    if at > window and text[at - 1] == "/":
        at -= 1
    while at > window and text[at - 1] in " \t":
        at -= 1
    at -= 3
    return at if at >= window and text.startswith("<br", at) else -1


def _words_before(text: str, end: int) -> str:
    """The text before ``end`` back to the start of its clause (at most 120 characters)."""
    start = max(0, end - 120)
    stops = list(_BEFORE_STOP.finditer(text, start, end))
    return text[stops[-1].end() if stops else start:end]


def _spelt_after(acronym: str, long_form: str) -> bool:
    clause = _CLAUSE_END.split(long_form, maxsplit=1)[0]
    return spells(acronym, words_of(clause), anchored="start")
