"""Formatters and the report they are given: the text lines, the summary, the JSON contract."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from mermaidlint import __version__
from mermaidlint.engine import FileResult, ReportedDiagnostic
from mermaidlint.output import render
from mermaidlint.output.json import JsonReport
from mermaidlint.output.text import summary
from mermaidlint.runner import Outcome, Report, build_report


def diag(path: str, line: int, column: int = 1, code: str = "MS001",
         severity: str = "error", message: str = "broken") -> ReportedDiagnostic:
    return ReportedDiagnostic(path=path, line=line, column=column, end_line=line,
                              end_column=column + 3, code=code, name="parse-error",
                              severity=severity, message=message)


@dataclass
class Problem:  # the shape of files.FileProblem
    path: str
    line: int | None
    message: str


def outcomes() -> list[Outcome]:
    return [
        Outcome("b.md", FileResult("b.md", 3, [diag("b.md", 12, 4), diag("b.md", 3, 2)]),
                fences=((2, 6), (10, 14), (20, 24))),
        Outcome("a.md", FileResult("a.md", 1, [diag("a.md", 5, 9, "MS002", "warning")]),
                fences=((4, 8),)),
        Outcome("c.mmd", FileResult("c.mmd", 1, []), fences=((1, 3),)),
        Outcome("x.md", problem=Problem("x.md", 3, "not valid UTF-8 (byte 0xff at column 2)")),
    ]


def test_report_sorts_and_counts() -> None:
    report = build_report(outcomes())
    assert [(d.path, d.line, d.column) for d in report.diagnostics] == [
        ("a.md", 5, 9), ("b.md", 3, 2), ("b.md", 12, 4), ("x.md", 3, 1)]
    assert report.files == 4
    assert report.diagrams == 5
    assert report.flagged_diagrams == 3
    assert report.flagged_elsewhere == 1  # the unreadable file
    assert report.problems == ["x.md:3: not valid UTF-8 (byte 0xff at column 2)"]
    unreadable = report.diagnostics[-1]
    assert (unreadable.code, unreadable.name, unreadable.severity) == (
        "MX001", "unreadable-file", "error")


def test_unreadable_without_a_line_is_reported_at_line_one() -> None:
    report = build_report([Outcome("y.md", problem=Problem("y.md", None, "permission denied"))])
    assert report.problems == ["y.md: permission denied"]
    assert (report.diagnostics[0].line, report.diagnostics[0].column) == (1, 1)


def test_internal_errors_are_counted_not_reported_as_diagnostics() -> None:
    report = build_report([Outcome("z.md", internal_error="RecursionError: too deep")])
    assert report.internal_errors == 1
    assert report.diagnostics == []
    assert report.problems == ["internal error while checking z.md: RecursionError: too deep"]


def test_diagnostic_outside_any_diagram_counts_its_file() -> None:
    result = FileResult("a.md", 1, [diag("a.md", 1), diag("a.md", 30)])
    report = build_report([Outcome("a.md", result, fences=((5, 9),))])
    assert (report.flagged_diagrams, report.flagged_elsewhere) == (0, 1)
    assert summary(report) == "Found 2 errors in 1 file (1 file, 1 diagram checked)."


def test_text_lines() -> None:
    out = render(build_report(outcomes()), "text")
    assert out.splitlines() == [
        "a.md:5:9: MS002 broken",
        "b.md:3:2: MS001 broken",
        "b.md:12:4: MS001 broken",
        "x.md:3:1: MX001 not valid UTF-8 (byte 0xff at column 2)",
        "Found 3 errors and 1 warning in 3 diagrams and 1 file (4 files, 5 diagrams checked).",
    ]


@pytest.mark.parametrize(("report", "expected"), [
    (Report(files=12, diagrams=40), "All checks passed: 40 diagrams in 12 files."),
    (Report(files=1, diagrams=1), "All checks passed: 1 diagram in 1 file."),
    (Report(files=0, diagrams=0), "All checks passed: 0 diagrams in 0 files."),
    (Report(files=12, diagrams=40, flagged_diagrams=2,
            diagnostics=[diag("a", 1), diag("a", 2), diag("b", 1)]),
     "Found 3 errors in 2 diagrams (12 files, 40 diagrams checked)."),
    (Report(files=1, diagrams=1, flagged_diagrams=1, diagnostics=[diag("a", 1)]),
     "Found 1 error in 1 diagram (1 file, 1 diagram checked)."),
    (Report(files=2, diagrams=2, flagged_diagrams=1,
            diagnostics=[diag("a", 1, severity="info"), diag("a", 2, severity="warning"),
                         diag("a", 3, severity="warning")]),
     "Found 2 warnings and 1 note in 1 diagram (2 files, 2 diagrams checked)."),
    (Report(files=1, diagrams=0, diagnostics=[diag("a", 1)]),  # found nowhere in particular
     "Found 1 error (1 file, 0 diagrams checked)."),
])
def test_summary(report: Report, expected: str) -> None:
    assert summary(report) == expected


def test_json_contract() -> None:
    data: dict[str, Any] = json.loads(render(build_report(outcomes()), "json"))
    assert {"version", "files", "diagrams", "diagnostics"} <= data.keys()
    assert data["version"] == __version__
    assert (data["files"], data["diagrams"]) == (4, 5)
    first = data["diagnostics"][0]
    assert {"path", "line", "column", "end_line", "end_column", "code", "name", "severity",
            "message"} <= first.keys()
    assert first == {**first, "path": "a.md", "line": 5, "column": 9, "end_line": 5,
                     "end_column": 12, "code": "MS002", "severity": "warning"}
    keys = [(d["path"], d["line"], d["column"]) for d in data["diagnostics"]]
    assert keys == sorted(keys)
    JsonReport.model_validate(data)  # what is written reads back through the same models


def test_json_of_a_clean_run() -> None:
    data = json.loads(render(Report(files=3, diagrams=0), "json"))
    assert data["diagnostics"] == []
    assert data["files"] == 3


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="yaml"):
        render(Report(), "yaml")
