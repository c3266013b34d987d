"""What a document defines, and what the configured glossary files define; each read once.

The per-document facts (abbreviations, spelt-out acronyms, the words of its prose) are kept with
the document (``RuleContext.document_shared``) for all its diagrams; glossary files are read
once per process and kept while their modification time stays the same.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mermaidlint.config import find_config_file

from ._expansions import defines

if TYPE_CHECKING:
    from mermaidlint.config import Config
    from mermaidlint.document import SourceFile
    from mermaidlint.rule import RuleContext

# `*[WAF]: Web Application Firewall`: a Markdown abbreviation (the extractor finds those of the
# document; glossary files are read with this).
_ABBREVIATION = re.compile(r"^[ \t]*\*\[([^\]\n]+)\]:[ \t]*(\S[^\n]*)$", re.MULTILINE)
# Endings by which a shouted word's lower-case form may differ: FAILED next to "fail".
_ENDINGS = ("ed", "d", "ing", "s", "es")


@dataclass(slots=True)
class DocumentFacts:
    """What one Markdown file says about its acronyms; each question answered once."""

    text: str
    abbreviations: frozenset[str]
    _defined: dict[str, bool] = field(default_factory=dict)
    _words: dict[str, bool] = field(default_factory=dict)

    def defines(self, acronym: str) -> bool:
        """Spelt out somewhere in the file, or a Markdown abbreviation of it."""
        known = self._defined.get(acronym)
        if known is None:
            known = self._defined[acronym] = (acronym in self.abbreviations
                                              or defines(self.text, acronym))
        return known

    def writes_as_word(self, acronym: str) -> bool:
        """Whether the file also writes the token as a word, in lower case or capitalised
        (`Healthy`, `failed` or `fail` for FAILED): then it is a word in capitals. Only for
        four letters or more: short words are often acronyms too."""
        if len(acronym) < 4:
            return False
        known = self._words.get(acronym)
        if known is None:
            known = self._words[acronym] = _word_in(self.text, acronym.lower())
        return known


def _word_in(text: str, lowered: str) -> bool:
    """Whether ``text`` writes ``lowered`` (or its stem) as a word in lower or title case.

    Such a word is the form itself or the form with a capital first letter: both are looked
    for as written, which spares lowering the whole document (an acronym is ASCII). The two
    spellings share all but their first letter, so one search for the rest finds both, and
    the letter before it is looked at: one pass over the document instead of two, about a
    third less time over the Atlas corpus (the search is what costs, not the matches)."""
    forms = {lowered, *(lowered[:-len(end)] for end in _ENDINGS
                        if lowered.endswith(end) and len(lowered) - len(end) >= 3)}
    for form in forms:
        first, rest = form[0], form[1:]
        capital = first.upper()
        at = text.find(rest, 1)
        while at >= 0:
            start = at - 1
            if ((text[start] == first or text[start] == capital)
                    and _is_word_at(text, start, at + len(rest))):
                return True
            at = text.find(rest, at + 1)
    return False


def _is_word_at(text: str, start: int, end: int) -> bool:
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_/.-"):
        return False
    if not text[start + 1:end].islower():
        return False  # in capitals: the token itself, or another shouted use
    ending = _WORD_END.match(text, end)
    return ending is not None


_WORD_END = re.compile(r"(?:ed|d|ing|s|es)?(?![\w/-])")


_FACTS_KEY = "MA.document-facts"


def document_facts(ctx: RuleContext) -> DocumentFacts:
    """The facts of the diagram's file, worked out by the first diagram that asks and kept
    with the file (``RuleContext.document_shared``) for its other diagrams."""
    shared = ctx.document_shared
    facts = shared.get(_FACTS_KEY)
    if not isinstance(facts, DocumentFacts):
        source = ctx.source
        facts = shared[_FACTS_KEY] = DocumentFacts(
            source.text, frozenset(a.term.strip() for a in source.abbreviations))
    return facts


# ---- glossary files ---------------------------------------------------------------------------

_glossaries: dict[Path, tuple[float, dict[str, str]]] = {}


def read_glossary(path: Path) -> dict[str, str]:
    """The ``*[TERM]: expansion`` lines of one file (empty when it cannot be read)."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _glossaries.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    terms = {m.group(1).strip(): m.group(2).strip() for m in _ABBREVIATION.finditer(text)}
    _glossaries[path] = (mtime, terms)
    return terms


def glossary_terms(config: Config, source: SourceFile) -> dict[str, str]:
    """``acronyms.glossary`` and the terms of ``acronyms.glossary-files``; a relative file is
    looked for next to the configuration file that governs the document, then in the current
    folder."""
    terms: dict[str, str] = {}
    if config.acronyms.glossary_files:
        bases = _bases(source)
        for name in config.acronyms.glossary_files:
            for base in bases:
                path = (base / name) if not os.path.isabs(name) else Path(name)
                if path.is_file():
                    terms.update(read_glossary(path.resolve()))
                    break
    terms.update(config.acronyms.glossary)
    return terms


def _bases(source: SourceFile) -> list[Path]:
    folder = Path(source.path).parent.absolute()
    found = find_config_file(folder)
    bases = [found.parent] if found is not None else []
    return [*bases, Path.cwd()]
