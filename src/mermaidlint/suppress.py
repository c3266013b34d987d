"""Suppression comments, and the unused ones (MX100).

Inside a diagram (``%%`` comment lines, which Mermaid drops before parsing):

* ``%% mermaidlint-disable-next-line CODE[,CODE]``: the next line of the diagram that is neither
  blank nor a ``%%`` comment;
* ``%% mermaidlint-disable [CODE,...]`` ... ``%% mermaidlint-enable [CODE,...]``: the lines
  between them, or to the end of the diagram.

In Markdown (HTML comments, which renderers do not show):

* ``<!-- mermaidlint-disable [CODE,...] -->`` ... ``<!-- mermaidlint-enable [CODE,...] -->``: a
  range of the document, or to its end;
* ``<!-- mermaidlint-disable-next-diagram [CODE,...] -->``: the next diagram.

No code means every code; codes may be given as codes, names or prefixes. ``enable CODE`` ends the
ranges that disabled CODE; ``enable`` alone ends them all. A diagnostic is suppressed when it
*starts* inside a range.

The diagram's comments are found by a scan of its lines, the same test Mermaid's clean-up makes
(a line whose first non-blank characters are ``%%`` not followed by ``{``), so diagrams that do
not parse, and diagrams of other types, are covered alike.

Suppression in a diagram is applied first; a diagnostic it removes is no longer there for a
Markdown-level suppression to use. Each code a suppression names that suppressed nothing, or a
suppression without codes that suppressed nothing at all, is reported as MX100 (when MX100 is
itself reported).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from mermaidlint.diagnostics import Diagnostic, Severity
from mermaidlint.document import Diagram, SourceFile
from mermaidlint.positions import Span
from mermaidlint.select import Selection, UnknownSelector, resolve_codes

UNUSED_CODE, UNUSED_NAME = "MX100", "unused-suppression"
MARKER = "mermaidlint-"

_DIAGRAM_DIRECTIVE = re.compile(
    r"[ \t]*%%(?!\{)[ \t]*mermaidlint-(disable-next-line|disable|enable)(?![\w-])(.*)")
_HTML_DIRECTIVE = re.compile(
    r"<!--[ \t]*mermaidlint-(disable-next-diagram|disable|enable)(?![\w-])(.*?)-->", re.DOTALL)
_FENCE = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})", re.MULTILINE)


@dataclass(slots=True)
class Directive:
    kind: str  # "disable-next-line", "disable", "enable" or "disable-next-diagram"
    text: str  # the comment as written, for messages
    span: Span  # the comment in the file
    tokens: tuple[str, ...]  # the codes, names or prefixes as written; () means all
    codes: dict[str, frozenset[str]] = field(default_factory=dict)  # token -> codes
    unknown: tuple[str, ...] = ()
    ranges: list[tuple[int, int]] = field(default_factory=list)  # file offsets [start, end)
    used: set[str] = field(default_factory=set)  # tokens that suppressed something ("" = all)

    def covers(self, code: str) -> str | None:
        """The token under which this directive suppresses ``code``, or None."""
        if not self.tokens:
            return ""
        return next((t for t, codes in self.codes.items() if code in codes), None)


def _directive(kind: str, rest: str, text: str, span: Span) -> Directive:
    tokens = tuple(t for t in re.split(r"[\s,]+", rest.strip()) if t)
    known: dict[str, frozenset[str]] = {}
    unknown: list[str] = []
    for token in tokens:
        try:
            known[token] = resolve_codes([token])
        except UnknownSelector:
            unknown.append(token)
    return Directive(kind, text.strip(), span, tokens, known, tuple(unknown))


# ---- finding them -------------------------------------------------------------------------------


def diagram_directives(diagram: Diagram) -> list[Directive]:
    """The directives in a diagram's ``%%`` lines, with the file ranges they cover."""
    lines = diagram.text.split("\n")
    starts = [0, *accumulate(len(line) + 1 for line in lines)]  # of each line in the text
    found: list[tuple[int, Directive]] = []
    for k, line in enumerate(lines):
        m = _DIAGRAM_DIRECTIVE.match(line)
        if m is None:
            continue
        indent = len(line) - len(line.lstrip())  # the span starts at the `%%`
        start = diagram.file_offset(starts[k] + indent)
        span = Span(start, start + len(line.strip()))
        found.append((k, _directive(m[1], m[2], line, span)))
    end = diagram.fence_span.end
    for k, d in found:
        if d.kind == "disable-next-line":
            target = _next_code_line(lines, k)
            if target is not None:
                first = diagram.file_offset(starts[target])
                d.ranges.append((first, first + max(1, len(lines[target]))))
    _close_ranges([d for _, d in found], end)
    return [d for _, d in found]


def _next_code_line(lines: list[str], k: int) -> int | None:
    for j in range(k + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not (stripped.startswith("%%") and not stripped.startswith("%%{")):
            return j
    return None


def _close_ranges(directives: list[Directive], end: int) -> None:
    """Give each ``disable`` the range up to the ``enable`` that ends it (or ``end``)."""
    for n, d in enumerate(directives):
        if d.kind != "disable":
            continue
        stop = next((e.span.start for e in directives[n + 1:]
                     if e.kind == "enable" and _ends(e, d)), end)
        d.ranges.append((d.span.end, stop))


def _ends(enable: Directive, disable: Directive) -> bool:
    if not enable.tokens:
        return True
    if not disable.tokens:
        return False  # `enable X` does not end a `disable` of everything
    mine = frozenset().union(*enable.codes.values())
    return any(codes & mine for codes in disable.codes.values())


def document_directives(source: SourceFile) -> list[Directive]:
    """The ``<!-- mermaidlint-... -->`` directives of a Markdown file, outside code blocks."""
    text = source.text
    found: list[Directive] = []
    skip = _code_regions(text, source)
    for m in _HTML_DIRECTIVE.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        found.append(_directive(m[1], m[2], m[0], Span(m.start(), m.end())))
    for d in found:
        if d.kind == "disable-next-diagram":
            diagram = next((g for g in source.diagrams if g.fence_span.start >= d.span.end), None)
            if diagram is not None:
                d.ranges.append((diagram.fence_span.start, diagram.fence_span.end))
    _close_ranges(found, len(text))
    return found


def _code_regions(text: str, source: SourceFile) -> list[tuple[int, int]]:
    """Fenced code (a rough line scan: examples of directives in ```markdown blocks are text)."""
    regions = [(g.fence_span.start, g.fence_span.end) for g in source.diagrams]
    opened: tuple[int, str] | None = None
    for m in _FENCE.finditer(text):
        marker = m[1]
        if opened is None:
            opened = (m.start(), marker)
        elif marker[0] == opened[1][0] and len(marker) >= len(opened[1]):
            regions.append((opened[0], m.end()))
            opened = None
    if opened is not None:
        regions.append((opened[0], len(text)))
    return regions


# ---- applying them ------------------------------------------------------------------------------


def apply(directives: list[Directive], diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics no directive suppresses; marks what each directive used."""
    active = [d for d in directives if d.ranges]
    if not active:
        return diagnostics
    kept = []
    for diag in diagnostics:
        hit = False
        for d in active:
            if not any(a <= diag.span.start < b for a, b in d.ranges):
                continue
            token = d.covers(diag.code)
            if token is not None:
                d.used.add(token)
                hit = True
        if not hit:
            kept.append(diag)
    return kept


def unused(directives: list[Directive], selection: Selection) -> Iterator[Diagnostic]:
    """MX100 for every suppression (or code in one) that suppressed nothing."""
    if not selection.reports(UNUSED_CODE):
        return
    for d in directives:
        if d.kind == "enable":
            continue
        for token in d.unknown:
            yield _unused(d, f"`{d.text}`: unknown rule code, prefix or name `{token}`")
        if not d.tokens:
            if not d.used:
                yield _unused(d, f"`{d.text}` suppresses nothing")
            continue
        for token, codes in d.codes.items():
            if token in d.used:
                continue
            why = "" if codes & selection.enabled else " (it is not enabled)"
            yield _unused(d, f"`{d.text}`: `{token}` suppresses nothing{why}")


def _unused(d: Directive, message: str) -> Diagnostic:
    return Diagnostic(
        code=UNUSED_CODE, name=UNUSED_NAME, message=message, span=d.span,
        severity=Severity.WARNING,
        notes=("Remove the suppression (or the code), or ignore MX100 if it is meant for "
               "another configuration.",))


def in_diagram(diagram: Diagram, diagnostics: list[Diagnostic], selection: Selection
               ) -> list[Diagnostic]:
    """Apply a diagram's own suppressions; adds MX100 for those that suppressed nothing."""
    if MARKER not in diagram.text:
        return diagnostics
    directives = diagram_directives(diagram)
    if not directives:
        return diagnostics
    kept = apply(directives, diagnostics)
    return kept + list(unused(directives, selection))


def in_document(source: SourceFile, diagnostics: list[Diagnostic], selection: Selection
                ) -> list[Diagnostic]:
    """Apply the Markdown file's ``<!-- -->`` suppressions; adds MX100 for unused ones."""
    # (the marker first: hardly a document holds it, where many hold an HTML comment)
    if MARKER not in source.text or "<!--" not in source.text:
        return diagnostics
    directives = document_directives(source)
    if not directives:
        return diagnostics
    kept = apply(directives, diagnostics)
    return kept + list(unused(directives, selection))
