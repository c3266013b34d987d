"""Formatters: each turns a :class:`~mermaidlint.runner.Report` into the text written to stdout."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mermaidlint.runner import Report

FORMATS = ("text", "json")


def render(report: Report, output_format: str) -> str:
    """The whole of standard output for ``report`` in ``output_format`` (one of FORMATS)."""
    if output_format == "json":
        from mermaidlint.output import json  # pydantic is imported only when JSON is asked for

        return json.render(report)
    if output_format == "text":
        from mermaidlint.output import text

        return text.render(report)
    raise ValueError(f"unknown output format: {output_format!r}")
