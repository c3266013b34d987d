"""``--format github``: one GitHub Actions workflow command per diagnostic, which GitHub shows as
an annotation on the file and line (in the job summary and in the pull request's diff)::

    ::error file=docs/a.md,line=7,col=13,endLine=7,endColumn=14,title=MS001::unexpected `(` ...

The command is ``error``, ``warning`` or ``notice`` after the severity. ``file`` is relative to
the repository root (as GitHub expects) when the file is inside it. ``endColumn`` is one past the
last character, as in every other format. Nothing else is printed: no summary line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mermaidlint.output.sarif import repository_root, root_relative

if TYPE_CHECKING:
    from pathlib import Path

    from mermaidlint.runner import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message: %, CR and LF are escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and also : and ,."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, root: Path | None = None) -> str:
    root = root or repository_root()
    paths: dict[str, str] = {}
    lines = []
    for d in report.diagnostics:
        path = paths.get(d.path)
        if path is None:
            path = paths[d.path] = root_relative(d.path, root) or d.path
        properties = {
            "file": path, "line": str(d.line), "col": str(d.column),
            "endLine": str(d.end_line), "endColumn": str(d.end_column), "title": d.code,
        }
        fields = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        message = "\n".join([d.message, *d.notes])
        lines.append(f"::{COMMANDS.get(d.severity, 'warning')} {fields}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
