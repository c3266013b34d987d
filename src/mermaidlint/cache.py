"""A cache of check results, keyed by everything that can change them.

The key of a file is the SHA-256 of: mermaidlint's version, a fingerprint of the package's own
source and grammar files (so editing the code invalidates every entry), the settings, the display
path (it is part of every diagnostic) and the file's bytes. Each entry is one small JSON file,
``<cache dir>/results/<key>.json``, written atomically (a temporary file in the same folder, then
``os.replace``). An entry that cannot be read or does not hold what it should is a miss, never an
error; a cache folder that cannot be written only means nothing is stored.

Like ruff's, the folder holds a ``CACHEDIR.TAG`` (backup tools skip it) and a ``.gitignore`` of
``*`` (git ignores it). Removing the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from mermaidlint import __version__, files
from mermaidlint.engine import FileResult, ReportedDiagnostic, ReportedEdit, Settings

DEFAULT_DIR = ".mermaidlint_cache"
ENV_VAR = "MERMAIDLINT_CACHE_DIR"

# Bump when the layout of an entry changes (2: the diagnostics' fix edits).
FORMAT = 2

# The (first, last) 1-based lines of each diagram in a file, so that a report can tell which
# diagrams its diagnostics fall in without the file being read again.
Fences = tuple[tuple[int, int], ...]

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mermaidlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

# The packages whose files decide what a check finds. The grammar and the rules live outside
# src/ in the repository, so each is located through the import system rather than by path.
_PACKAGES = ("mermaidlint", "mermaidlint.grammar", "mermaidlint.rules")
_SOURCE_SUFFIXES = (".py", ".lark")


def source_roots() -> list[Path]:
    """The folders of mermaidlint's own packages, wherever this installation put them."""
    roots: list[Path] = []
    for name in _PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            roots.extend(Path(p) for p in spec.submodule_search_locations)
    return roots


def fingerprint(roots: list[Path]) -> str:
    """SHA-256 over the .py and .lark files under ``roots`` (their names and contents)."""
    digest = hashlib.sha256()
    seen: set[Path] = set()
    for root in roots:
        found = sorted(
            p for p in root.rglob("*")
            if p.suffix in _SOURCE_SUFFIXES and "__pycache__" not in p.parts and p.is_file()
        )
        for path in found:
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(b"\0")
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The fingerprint of this installation's own code, computed once per process."""
    return fingerprint(source_roots())


def cache_key(settings: Settings, display_path: str, data: bytes) -> str:
    digest = hashlib.sha256()
    for part in (f"{FORMAT}", __version__, code_fingerprint(), repr(settings), display_path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def dump_result(result: FileResult, fences: Fences) -> dict[str, Any]:
    return {
        "path": result.path,
        "diagrams": result.diagrams,
        "fences": [list(f) for f in fences],
        "diagnostics": [
            {
                "path": d.path, "line": d.line, "column": d.column, "end_line": d.end_line,
                "end_column": d.end_column, "code": d.code, "name": d.name,
                "severity": d.severity, "message": d.message, "fixable": d.fixable,
                "notes": list(d.notes),
                "fix_edits": [[e.line, e.column, e.end_line, e.end_column, e.replacement]
                              for e in d.fix_edits],
                "fix_description": d.fix_description,
            }
            for d in result.diagnostics
        ],
    }


def load_result(entry: Any) -> tuple[FileResult, Fences]:
    """The inverse of :func:`dump_result`; raises on anything malformed."""
    diagnostics = []
    for d in entry["diagnostics"]:
        diagnostics.append(ReportedDiagnostic(
            path=_typed(d["path"], str), line=_typed(d["line"], int),
            column=_typed(d["column"], int), end_line=_typed(d["end_line"], int),
            end_column=_typed(d["end_column"], int), code=_typed(d["code"], str),
            name=_typed(d["name"], str), severity=_typed(d["severity"], str),
            message=_typed(d["message"], str), fixable=_typed(d["fixable"], bool),
            notes=tuple(_typed(n, str) for n in d["notes"]),
            fix_edits=tuple(
                ReportedEdit(_typed(line, int), _typed(column, int), _typed(end_line, int),
                             _typed(end_column, int), _typed(replacement, str))
                for line, column, end_line, end_column, replacement in d["fix_edits"]),
            fix_description=_typed(d["fix_description"], str),
        ))
    result = FileResult(path=_typed(entry["path"], str), diagrams=_typed(entry["diagrams"], int),
                        diagnostics=diagnostics)
    fences = tuple((_typed(lo, int), _typed(hi, int)) for lo, hi in entry["fences"])
    return result, fences


def _typed(value: Any, kind: type[Any]) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


class Cache:
    """One folder of results. Every failure to read is a miss; every failure to write is silent."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._results = self.directory / "results"
        self._prepared: bool | None = None  # None: not tried yet

    def get(self, key: str) -> tuple[FileResult, Fences] | None:
        try:
            with open(self._results / f"{key}.json", encoding="utf-8") as f:
                entry = json.load(f)
            if entry.get("key") != key:
                return None
            return load_result(entry["result"])
        except Exception:  # missing, unreadable, truncated or tampered with: all the same miss
            return None

    def put(self, key: str, result: FileResult, fences: Fences) -> None:
        if not self._prepare():
            return
        data = json.dumps({"key": key, "result": dump_result(result, fences)},
                          separators=(",", ":")).encode("utf-8")
        files.store_quietly(os.path.join(str(self._results), f"{key}.json"), data)

    def _prepare(self) -> bool:
        """Create the folder with its CACHEDIR.TAG and .gitignore, once; False if it cannot be."""
        if self._prepared is None:
            try:
                self._results.mkdir(parents=True, exist_ok=True)
                for name, content in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
                    marker = self.directory / name
                    if not marker.exists():
                        marker.write_text(content, encoding="utf-8")
                self._prepared = True
            except OSError:
                self._prepared = False
        return self._prepared
