"""The data path, in one straight line.

    file -> SourceFile (files.read_source) -> diagrams with exact positions (extract)
         -> AST (mermaid.parse_diagram) -> rules -> diagnostics -> (fixes) -> formatters

`lint_source` is the one entry point the command line, the cache and the tests use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mermaidlint.diagnostics import Diagnostic, Severity
from mermaidlint.document import SourceFile
from mermaidlint.positions import LineIndex


@dataclass(frozen=True, slots=True)
class ReportedDiagnostic:
    """A diagnostic as reported: positions resolved to 1-based lines and columns in its file.

    ``end_column`` is exclusive (one past the last character), as in SARIF and LSP.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    fixable: bool = False
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class FileResult:
    path: str
    diagrams: int = 0
    diagnostics: list[ReportedDiagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Settings:
    """What changes the outcome of a check (and so belongs in a cache key)."""

    # Placeholder until configuration lands (rules issue); kept hashable for the cache.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def resolve(source: SourceFile, diagnostics: list[Diagnostic], index: LineIndex | None = None
            ) -> list[ReportedDiagnostic]:
    """Turn offset-based diagnostics into line/column ones, sorted by position."""
    index = index or LineIndex(source.text)
    out = []
    for d in diagnostics:
        start, end = index.position(d.span.start), index.position(d.span.end)
        out.append(ReportedDiagnostic(
            path=source.path, line=start.line, column=start.column,
            end_line=end.line, end_column=end.column, code=d.code, name=d.name,
            severity=d.severity.value if isinstance(d.severity, Severity) else str(d.severity),
            message=d.message, fixable=d.fix is not None, notes=d.notes,
        ))
    out.sort(key=lambda r: (r.line, r.column, r.code))
    return out


def lint_source(source: SourceFile, settings: Settings | None = None) -> FileResult:
    """Check every diagram in an already-read file."""
    from mermaidlint.check import check_diagram
    from mermaidlint.extract import extract_diagrams

    settings = settings or Settings()
    problems = extract_diagrams(source)  # fills source.diagrams; returns extraction diagnostics
    diagnostics = list(problems)
    for diagram in source.diagrams:
        diagnostics.extend(check_diagram(source, diagram, settings))
    return FileResult(path=source.path, diagrams=len(source.diagrams),
                      diagnostics=resolve(source, diagnostics))
