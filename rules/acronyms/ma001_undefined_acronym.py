"""MA001: an acronym used in a diagram and defined nowhere the reader can find it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from mermaidlint.diagnostics import Applicability, Edit, Fix
from mermaidlint.positions import Span
from mermaidlint.rule import Rule, RuleContext

from ._builtin import (
    UBIQUITOUS,
    UBIQUITOUS_GROUPS,
    WORD_ENDING,
    WORDS,
)
from ._definitions import document_facts, glossary_terms
from ._tokens import new_tokens


@dataclass(slots=True)
class _Use:
    span: Span
    written: str
    exact: bool  # the span is exactly the token (a fix may replace it)


# Read as words whatever their spelling (see _builtin): looked up in one set.
_KNOWN = UBIQUITOUS | WORDS
_DIGITS = "0123456789"


@lru_cache(maxsize=4096)  # nine uses in ten are of an acronym seen before in the run
def _known_at_sight(acronym: str) -> bool:
    """Ubiquitous, or a word in capitals; `MASTER1`, `US10` and `HTML5` as their letters."""
    if acronym in _KNOWN or WORD_ENDING.fullmatch(acronym):
        return True
    letters = acronym.rstrip(_DIGITS)
    return (letters != acronym and len(letters) > 1
            and (letters in _KNOWN or WORD_ENDING.fullmatch(letters) is not None))


def _builtin_list() -> str:
    return "\n".join(f"  * {name}: {', '.join(words.split())}"
                     for name, words in UBIQUITOUS_GROUPS.items())


class UndefinedAcronym(Rule):
    code: ClassVar[str] = "MA001"
    name: ClassVar[str] = "undefined-acronym"
    summary: ClassVar[str] = "An acronym in a diagram is defined nowhere its reader can find it"
    fixable: ClassVar[bool] = True
    explanation: ClassVar[str] = f"""\
**What it does.** Finds acronyms (a token of capitals and digits with at least two capitals,
maybe plural: WAF, EC2, P2P, SLAs) in the text a reader sees (node labels, edge labels, subgraph
titles; never ids, class names, colours, tags such as `<br/>`, entity codes or URLs) that are
defined nowhere. Each is reported once per diagram, at its first use. An acronym is defined when
it is:

* spelt out anywhere in the same Markdown file, in the diagram or in the prose:
  `Web Application Firewall (WAF)`, `WAF (Web Application Firewall)`, or a glossary line such as
  `WAF: Web Application Firewall` or `| WAF | Web Application Firewall |`; the words must spell
  the acronym (loosely: initials in order, small words passed over);
* a Markdown abbreviation, `*[WAF]: Web Application Firewall`, in the file or in one of the
  `acronyms.glossary-files` (relative to the configuration file, else the current folder);
* in `acronyms.glossary` or `acronyms.allow`;
* one of the ubiquitous ones:

{_builtin_list()}

Capitals that are words, not acronyms, are left alone: Roman numerals (II, XIV); English words
in capitals for emphasis, as states, as consistency levels or as SQL and HTTP keywords (YES,
FAILED, HEALTHY, OPEN, QUORUM, SELECT, GET), from a built-in list and by their endings (-ED,
-ING, -TION...); words of four letters or more the document also writes in lower case (`NGINX`
next to `nginx.conf`); a number after a known word or acronym (MASTER1, US10, HTML5).

**Why.** Gate 4 of the Atlas quality gates: no unexplained acronyms. A junior engineer should
understand the diagram without a search engine.

**Fix (unsafe).** Where glossary entries do not count as definitions (the setting
`acronyms.require-in-document`, for projects whose diagrams must explain themselves: a diagram's
reader does not see the glossary; read when the configuration declares it), the first use is
spelt out from the glossary: `WAF` becomes `Web Application Firewall (WAF)`. Unsafe: it
lengthens the label.

Bad:
```mermaid
flowchart LR
    Users --> WAF --> API
    WAF[WAF]
```
Good:
```mermaid
flowchart LR
    Users --> WAF --> API
    WAF["Web Application Firewall (WAF)"]
```
"""

    # ---- collecting first uses -----------------------------------------------------------

    def _first_uses(self, ctx: RuleContext) -> dict[str, _Use]:
        uses: dict[str, _Use] = {}
        text = ctx.source.text

        def settled(acronym: str) -> bool:
            return acronym in uses or _known_at_sight(acronym)

        exact_labels: dict[int, bool] = {}  # by id(label): whether its span is its text
        # In file order: the first use comes first.
        for label, token in new_tokens(ctx.outline(), settled):
            exact = exact_labels.get(id(label))
            if exact is None:
                exact = exact_labels[id(label)] = (
                    text[label.span.start:label.span.end] == label.text)
            span = (Span(label.span.start + token.start, label.span.start + token.end)
                    if exact else label.span)
            uses[token.acronym] = _Use(span, token.written, exact)
        return uses

    # ---- deciding ---------------------------------------------------------------------------

    def end(self, ctx: RuleContext) -> None:
        uses = self._first_uses(ctx)
        if not uses:
            return
        facts = document_facts(ctx)
        allowed = set(ctx.config.acronyms.allow)
        glossary = glossary_terms(ctx.config, ctx.source)
        glossary_defines = not getattr(ctx.config.acronyms, "require_in_document", False)
        for acronym, use in sorted(uses.items(), key=lambda item: item[1].span.start):
            # Cheapest first: two look-ups, then the searches of the document, the one for the
            # word in lower case (four letters or more only) before the one for a definition:
            # on the Atlas corpus it settles 135 acronyms, which then need no definition search
            # (those searches read 52 MB instead of 55; the word searches 17 MB).
            if (acronym in allowed or (glossary_defines and acronym in glossary)
                    or facts.writes_as_word(acronym) or facts.defines(acronym)):
                continue
            self._report(ctx, acronym, use, glossary.get(acronym))

    def _report(self, ctx: RuleContext, acronym: str, use: _Use, expansion: str | None) -> None:
        fix = None
        if expansion is not None and use.exact:
            replacement = f"{expansion} ({use.written})"
            fix = Fix((Edit(use.span, replacement),), Applicability.UNSAFE,
                      f"Spell it out: `{replacement}`")
        ctx.report(
            use.span,
            f"`{acronym}` is not defined: spell it out at its first use, as "
            f"`{expansion or 'Long Form'} ({acronym})`, define it elsewhere in the document, or "
            "add it to `acronyms.glossary`",
            fix=fix,
        )
