"""Formatters: each turns a :class:`~mermaidlint.runner.Report` into the text written to stdout.

* ``text`` (the default): one ``path:line:col: CODE message`` line per diagnostic, a summary;
* ``full``: the same with the source lines, carets under the span, and the notes;
* ``json``: the contract of :mod:`mermaidlint.output.json`;
* ``github``: GitHub Actions annotations;
* ``sarif``: SARIF 2.1.0, for GitHub code scanning.

``--statistics`` replaces the diagnostics by a count per rule (text, or JSON with ``json``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mermaidlint.runner import Report

FORMATS = ("text", "full", "json", "github", "sarif")
# The formats --statistics can be given with (the others are read by programs expecting them).
STATISTICS_FORMATS = ("text", "full", "json")
# The formats that show fixes (the edits, or whether there is one); --statistics counts them.
FORMATS_WITH_FIXES = ("full", "json", "sarif")


def render(report: Report, output_format: str, *, color: bool = False,
           statistics: bool = False) -> str:
    """The whole of standard output for ``report`` in ``output_format`` (one of FORMATS).

    ``color``: style ``full`` for a terminal; ``statistics``: counts per rule instead.
    """
    if output_format not in FORMATS:
        raise ValueError(f"unknown output format: {output_format!r}")
    if statistics:
        from mermaidlint.output import statistics as stats

        if output_format not in STATISTICS_FORMATS:
            raise ValueError(f"--statistics cannot be given with --format {output_format}")
        return stats.render_json(report) if output_format == "json" else stats.render(report)
    if output_format == "json":
        from mermaidlint.output import json  # pydantic is imported only when JSON is asked for

        return json.render(report)
    if output_format == "full":
        from mermaidlint.output import full

        return full.render(report, color=color)
    if output_format == "github":
        from mermaidlint.output import github

        return github.render(report)
    if output_format == "sarif":
        from mermaidlint.output import sarif

        return sarif.render(report)
    from mermaidlint.output import text

    return text.render(report)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` in one step: a temporary file beside it, then a rename,
    so that a reader never sees half a report. Missing parent folders are created."""
    import tempfile  # (here: only a report written to a file needs it, not every run's start)

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file readable by its owner only: keep the mode of the file replaced,
        # or give a new one the usual mode.
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
