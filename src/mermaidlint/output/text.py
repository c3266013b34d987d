"""The default output: one ``path:line:col: CODE message`` line per diagnostic, then a summary."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mermaidlint.runner import Report

# How each severity is counted in the summary (singular, plural), most severe first.
_SEVERITY_WORDS = {
    "error": ("error", "errors"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def summary(report: Report) -> str:
    checked = f"{plural(report.files, 'file')}, {plural(report.diagrams, 'diagram')} checked"
    if not report.diagnostics:
        return (f"All checks passed: {plural(report.diagrams, 'diagram')} "
                f"in {plural(report.files, 'file')}.")
    counts = Counter(d.severity for d in report.diagnostics)
    found = [plural(counts.pop(s), *words) for s, words in _SEVERITY_WORDS.items() if s in counts]
    found += [plural(n, s) for s, n in sorted(counts.items())]  # any other severity, as named
    where = []
    if report.flagged_diagrams:
        where.append(plural(report.flagged_diagrams, "diagram"))
    if report.flagged_elsewhere:
        where.append(plural(report.flagged_elsewhere, "file"))
    within = f" in {_join(where)}" if where else ""
    return f"Found {_join(found)}{within} ({checked})."


def render(report: Report) -> str:
    lines = [f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in report.diagnostics]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
