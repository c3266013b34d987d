"""``--format json``: a contract other tools read, so its shape is declared here as models.

    {"version": str, "files": int, "diagrams": int,
     "diagnostics": [{"path", "line", "column", "end_line", "end_column", "code", "name",
                      "severity", "message", "fixable", "notes"}]}

Lines and columns are 1-based; ``end_column`` is exclusive. ``path`` is as found from the paths
given on the command line. Diagnostics are sorted by path, line and column. New keys may be added;
none of these will be removed or change meaning without a new ``schema_version``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from mermaidlint import __version__

if TYPE_CHECKING:
    from mermaidlint.runner import Report

SCHEMA = 1


class JsonDiagnostic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

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
    notes: list[str] = []


class JsonReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    schema_version: int = SCHEMA
    files: int
    diagrams: int
    diagnostics: list[JsonDiagnostic]


def build(report: Report) -> JsonReport:
    return JsonReport(
        version=__version__,
        files=report.files,
        diagrams=report.diagrams,
        diagnostics=[
            JsonDiagnostic(
                path=d.path, line=d.line, column=d.column, end_line=d.end_line,
                end_column=d.end_column, code=d.code, name=d.name, severity=d.severity,
                message=d.message, fixable=d.fixable, notes=list(d.notes),
            )
            for d in report.diagnostics
        ],
    )


def render(report: Report) -> str:
    return build(report).model_dump_json(indent=2) + "\n"
