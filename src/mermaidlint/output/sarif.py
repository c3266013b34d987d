"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run, whose tool is mermaidlint with the rules that appear in its results (sorted by code;
each result's ``ruleIndex`` points into that list). Each result has one physical location: the
file's path relative to the repository root (the nearest folder above the current one holding
``.git``, else the current folder) with ``uriBaseId`` ``%SRCROOT%``, or an absolute ``file:`` URI
for a file outside it; the region's columns count Unicode code points (``columnKind``), and
``endColumn`` is one past the last character. A diagnostic with a fix carries it in ``fixes``.

The one invocation records whether the run succeeded (no internal error, every path given
found) and, as ``toolExecutionNotifications``, each file that could not be read or checked and
each path that does not exist.

The same report gives the same bytes: no time stamps, no absolute paths for files inside the
repository, keys in a fixed order. ``originalUriBaseIds`` is left out for the same reason: the
consumer (GitHub's upload) knows where the checkout is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mermaidlint import __version__

if TYPE_CHECKING:
    from mermaidlint.engine import ReportedDiagnostic
    from mermaidlint.registry import RuleInfo
    from mermaidlint.runner import Report, ToolProblem

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
SRCROOT = "%SRCROOT%"
TOOL_NAME = "mermaidlint"
# Where mermaidlint is described, when the installed package names no project URL.
DEFAULT_INFORMATION_URI = "https://pypi.org/project/mermaidlint/"

# mermaidlint's severities as SARIF levels.
LEVELS = {"error": "error", "warning": "warning", "info": "note"}

# The notifications a run can give (run.tool.driver.notifications), by id.
NOTIFICATIONS = {
    "unreadable-file": "A file could not be read (it is also reported as MX001); it was not "
                       "checked.",
    "internal-error": "A file could not be checked because of a bug in mermaidlint.",
    "path-not-found": "A path given on the command line does not exist or cannot be searched.",
}


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (the current folder) holding ``.git``; else
    ``start`` itself."""
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def root_relative(display_path: str, root: Path, cwd: Path | None = None) -> str | None:
    """``display_path`` (as given, relative to ``cwd``) relative to ``root``, with "/"; None
    when the file is outside ``root``."""
    absolute = Path(os.path.normpath((cwd or Path.cwd()) / display_path))
    for path, base in ((absolute, root), (absolute.resolve(), root.resolve())):
        try:
            return PurePath(path).relative_to(base).as_posix()
        except ValueError:
            continue
    return None


def artifact_location(display_path: str, root: Path, cwd: Path | None = None
                      ) -> dict[str, Any]:
    if display_path == "-":  # standard input without --stdin-filename: no file to point at
        return {"uri": "-"}
    relative = root_relative(display_path, root, cwd)
    if relative is None:
        return {"uri": Path(os.path.normpath((cwd or Path.cwd()) / display_path)).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def information_uri() -> str:
    """The project's URL from the installed package's metadata, else its PyPI page."""
    from importlib import metadata

    try:
        urls = metadata.metadata(TOOL_NAME).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    by_label: dict[str, str] = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        by_label[label.strip().lower()] = url.strip()
    for label in ("homepage", "documentation", "repository", "source"):
        if by_label.get(label):
            return by_label[label]
    return DEFAULT_INFORMATION_URI


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n", 1)[0].split())


def rule_descriptor(code: str, info: RuleInfo | None, sample: ReportedDiagnostic,
                    help_uri: str) -> dict[str, Any]:
    """The reportingDescriptor of one rule (from the registry; from a diagnostic if the code is
    not registered, which only a plugin removed since the run could cause)."""
    if info is None:
        summary, explanation, severity = sample.name, sample.message, sample.severity
    else:
        summary, explanation, severity = info.summary, info.explanation, info.severity.value
    name = info.name if info is not None else sample.name
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": _first_paragraph(explanation) or summary},
        "help": {
            "text": f"{code} {name}: {summary}.\n\n{explanation}",
            "markdown": f"**{code} `{name}`**: {summary}.\n\n{explanation}",
        },
        "helpUri": help_uri,
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line,
            "endColumn": end_column}


def _message(d: ReportedDiagnostic) -> str:
    return "\n\n".join([d.message, *d.notes])


def result(d: ReportedDiagnostic, rule_index: int, location: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVELS.get(d.severity, "warning"),
        "message": {"text": _message(d)},
        "locations": [{"physicalLocation": {
            "artifactLocation": location,
            "region": _region(d.line, d.column, d.end_line, d.end_column),
        }}],
    }
    if d.fix_edits:
        out["fixes"] = [{
            "description": {"text": d.fix_description or f"Fix {d.code} {d.name}"},
            "artifactChanges": [{
                "artifactLocation": location,
                "replacements": [
                    {"deletedRegion": _region(e.line, e.column, e.end_line, e.end_column),
                     "insertedContent": {"text": e.replacement}}
                    for e in d.fix_edits
                ],
            }],
        }]
    return out


def notification(problem: ToolProblem, root: Path, cwd: Path | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level": "error",
        "message": {"text": problem.message},
        "descriptor": {"id": problem.kind},
    }
    if problem.path is not None:
        physical: dict[str, Any] = {
            "artifactLocation": artifact_location(problem.path, root, cwd)}
        if problem.line is not None:
            physical["region"] = {"startLine": problem.line}
        out["locations"] = [{"physicalLocation": physical}]
    return out


def build(report: Report, root: Path | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log of ``report`` as plain JSON values."""
    from mermaidlint.registry import get_registry

    root = root or repository_root(cwd)
    registry = get_registry()
    uri = information_uri()

    codes = sorted({d.code for d in report.diagnostics})
    samples = {d.code: d for d in reversed(report.diagnostics)}  # the first of each code
    index = {code: k for k, code in enumerate(codes)}
    rules = [rule_descriptor(code, registry.by_code.get(code), samples[code], uri)
             for code in codes]
    locations: dict[str, dict[str, Any]] = {}
    results = []
    for d in report.diagnostics:
        location = locations.get(d.path)
        if location is None:
            location = locations[d.path] = artifact_location(d.path, root, cwd)
        results.append(result(d, index[d.code], location))

    successful = not any(p.kind in ("internal-error", "path-not-found")
                         for p in report.tool_problems) and not report.internal_errors
    invocation: dict[str, Any] = {"executionSuccessful": successful}
    if report.tool_problems:
        invocation["toolExecutionNotifications"] = [
            notification(p, root, cwd) for p in report.tool_problems]
    driver = {
        "name": TOOL_NAME,
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": uri,
        "rules": rules,
        "notifications": [
            {"id": kind, "shortDescription": {"text": text}}
            for kind, text in NOTIFICATIONS.items()
        ],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(report: Report) -> str:
    return json.dumps(build(report), indent=2, ensure_ascii=False) + "\n"
