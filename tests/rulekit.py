"""Run the MP/ML/MA rules over Markdown text through the engine, for their tests.

Findings come back as :class:`Finding` with 1-based line and column in the Markdown file (so
tests assert positions exactly), the text under the span, and the file as the finding's fix alone
would leave it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mermaidlint.check import check_diagram, parse_flowchart
from mermaidlint.config import Config
from mermaidlint.diagnostics import Diagnostic
from mermaidlint.document import SourceFile
from mermaidlint.engine import Settings
from mermaidlint.extract import extract_diagrams
from mermaidlint.positions import LineIndex
from mermaidlint.rule import Rule, RuleContext


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    line: int
    column: int
    text: str  # the file's text under the finding's span
    message: str
    fixed: str | None  # the file after applying this finding's fix alone, if it has one
    applicability: str | None = None  # "safe" / "unsafe" when there is a fix


def run(select: str, markdown: str, config: Config | None = None,
        path: str = "doc.md") -> list[Finding]:
    """The findings of the codes ``select`` names (``"MP"``, ``"ML001,ML004"``), sorted by
    position; other codes (syntax errors, other families) are left out."""
    codes = tuple(c.strip() for c in select.split(","))
    settings = Settings(select=codes, config_json=(config or Config()).model_dump_json())
    source = SourceFile(path, markdown)
    extract_diagrams(source)
    diagnostics: list[Diagnostic] = []
    for diagram in source.diagrams:
        diagnostics.extend(d for d in check_diagram(source, diagram, settings)
                           if d.code.startswith(codes))
    return _findings(markdown, diagnostics)


def run_direct(rule: type[Rule], markdown: str, config: Config, path: str = "doc.md"
               ) -> list[Finding]:
    """The findings of a rule that reads diagrams in `begin`/`end` only, without the engine,
    for a configuration the engine cannot carry (it re-reads the configuration from JSON, so a
    field the models do not declare yet is lost)."""
    source = SourceFile(path, markdown)
    extract_diagrams(source)
    diagnostics: list[Diagnostic] = []
    for diagram in source.diagrams:
        chart = parse_flowchart(source, diagram)
        if chart is None:
            continue
        ctx = RuleContext(rule(), source, diagram, chart, config)
        for hook in rule.defined_hooks():
            if hook in ("begin", "end"):
                getattr(ctx.rule, hook)(ctx)
        diagnostics.extend(ctx.diagnostics)
    return _findings(markdown, diagnostics)


def _findings(markdown: str, diagnostics: list[Diagnostic]) -> list[Finding]:
    index = LineIndex(markdown)
    out = []
    for d in diagnostics:
        start = index.position(d.span.start)
        out.append(Finding(d.code, start.line, start.column,
                           markdown[d.span.start:d.span.end], d.message, _apply(markdown, d),
                           d.fix.applicability.value if d.fix else None))
    return sorted(out, key=lambda f: (f.line, f.column, f.code))


def _apply(text: str, diagnostic: Diagnostic) -> str | None:
    if diagnostic.fix is None:
        return None
    for edit in sorted(diagnostic.fix.edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.replacement + text[edit.span.end:]
    return text


def fence(*lines: str) -> str:
    """A Markdown document holding one mermaid fence with ``lines`` (the fence opens on line 1,
    so diagram line n is file line n + 1)."""
    return "```mermaid\n" + "\n".join(lines) + "\n```\n"
