"""A cache of check results, keyed by everything that can change them.

The key of a file is the BLAKE2b digest of: mermaidlint's version, a fingerprint of the package's
own source and grammar files (so editing the code invalidates every entry), the settings, the
display path (it is part of every diagnostic) and the file's bytes. The entries are rows of one
SQLite database, ``<cache dir>/results.sqlite3`` (the standard library's sqlite3), written in
transactions (a worker stores the results of a run of files in one), so that a reader never sees
half of an entry, and several processes (the workers of one run, or two runs at once) may read and
write it together. It replaced a JSON file per entry: on this project's machine creating those
files cost 0.2 to 0.4 s of CPU time in a cold run over the Atlas corpus (621 files), the database
0.04 s. An entry that cannot be read or does not hold what it should is a miss, never an error; a
cache folder that cannot be written only means nothing is stored; a database file that is damaged
is replaced.

Like ruff's, the folder holds a ``CACHEDIR.TAG`` (backup tools skip it) and a ``.gitignore`` of
``*`` (git ignores it). Removing the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from mermaidlint import __version__
from mermaidlint.engine import FileResult, ReportedDiagnostic, ReportedEdit, Settings

DEFAULT_DIR = ".mermaidlint_cache"
ENV_VAR = "MERMAIDLINT_CACHE_DIR"

# Bump when the layout of an entry changes (2: the diagnostics' fix edits; 3: one database).
FORMAT = 3
# The results, one row per file, in one SQLite database in the cache folder.
DATABASE = "results.sqlite3"

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
    """SHA-256 over the .py and .lark files under ``roots`` (their names and contents).

    Every worker process of a run works it out, so the folders are walked with ``os.walk``,
    ``__pycache__`` left out before it is entered, and a file reached through two roots (a
    wheel installs the grammar and the rules inside the package's folder) is known by its
    path as found: ``Path.rglob`` with a ``resolve()`` per file took about 9 ms of it."""
    digest = hashlib.sha256()
    seen: set[str] = set()
    for root in roots:
        top = os.path.abspath(root)
        for relative, path in sorted(_source_files(top)):
            if path in seen:
                continue
            seen.add(path)
            digest.update(relative.encode())
            digest.update(b"\0")
            with contextlib.suppress(OSError), open(path, "rb") as handle:
                digest.update(handle.read())
            digest.update(b"\0")
    return digest.hexdigest()


def _source_files(top: str) -> list[tuple[str, str]]:
    """(path relative to ``top`` with ``/``, absolute path) of each source file under it."""
    found = []
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in names:
            if name.endswith(_SOURCE_SUFFIXES):
                path = os.path.join(folder, name)
                found.append((os.path.relpath(path, top).replace(os.sep, "/"), path))
    return found


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The fingerprint of this installation's own code, computed once per process."""
    return fingerprint(source_roots())


def cache_key(settings: Settings, display_path: str, data: bytes) -> str:
    # BLAKE2b: as safe a digest as SHA-256 here, and faster over the bytes of every file (0.020
    # s against 0.034 over the Atlas corpus's 13 MB).
    digest = hashlib.blake2b(digest_size=32)
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
    """One folder of results. Every failure to read is a miss; every failure to write is silent.

    Picklable (worker processes get it with their files): each process opens its own connection
    to the database, on its first lookup or write.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.database = self.directory / DATABASE
        self._prepared: bool | None = None  # None: not tried yet
        self._connection: sqlite3.Connection | None = None
        self._owner = 0  # the process that opened the connection (a fork must open its own)

    def __getstate__(self) -> dict[str, Any]:
        return {"directory": self.directory}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["directory"])  # type: ignore[misc]

    def get(self, key: str) -> tuple[FileResult, Fences] | None:
        if self.is_empty():
            return None  # (not created for a lookup: a run that writes nothing leaves no trace)
        try:
            row = self._connect().execute(
                "SELECT entry FROM results WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            return load_result(json.loads(row[0]))
        except Exception:  # unreadable, locked too long, truncated or tampered with: a miss
            return None

    def put(self, key: str, result: FileResult, fences: Fences) -> None:
        self.put_many([(key, result, fences)])

    def put_many(self, entries: Sequence[tuple[str, FileResult, Fences]]) -> None:
        """Store several results at once, in one transaction: a reader never sees half of them,
        and a crash leaves the database as it was before them."""
        if not entries or not self._prepare():
            return
        rows = [(key, json.dumps(dump_result(result, fences), separators=(",", ":")))
                for key, result, fences in entries]
        with contextlib.suppress(sqlite3.Error, OSError):
            connection = self._connect()
            connection.execute("BEGIN")
            try:
                connection.executemany(
                    "INSERT OR REPLACE INTO results (key, entry) VALUES (?, ?)", rows)
                connection.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("ROLLBACK")
                raise

    def is_empty(self) -> bool:
        """Whether the cache holds nothing at all (no database yet): every lookup would miss."""
        return not self.database.is_file()

    def __len__(self) -> int:
        """How many entries the cache holds (0 when it cannot be read)."""
        if self.is_empty():
            return 0
        try:
            count: int = self._connect().execute("SELECT COUNT(*) FROM results").fetchone()[0]
        except (sqlite3.Error, OSError):
            return 0
        return count

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._owner != os.getpid():
            self._connection = _open(self.database)
            self._owner = os.getpid()
        return self._connection

    def _prepare(self) -> bool:
        """Create the folder with its CACHEDIR.TAG and .gitignore, once; False if it cannot be."""
        if self._prepared is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                for name, content in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
                    marker = self.directory / name
                    if not marker.exists():
                        marker.write_text(content, encoding="utf-8")
                self._connect()
                self._prepared = True
            except (OSError, sqlite3.Error):
                self._prepared = False
        return self._prepared


def _open(path: Path) -> sqlite3.Connection:
    """A connection to the results database, created if need be. A file that is not such a
    database (damaged, or something else under that name) is replaced: it is only a cache."""
    try:
        return _connect_to(path)
    except sqlite3.DatabaseError:
        for stale in (path, path.with_name(path.name + "-wal"),
                      path.with_name(path.name + "-shm")):
            with contextlib.suppress(OSError):
                stale.unlink()
        return _connect_to(path)


def _connect_to(path: Path) -> sqlite3.Connection:
    # Autocommit (each statement its own transaction); a writer waits up to 10 s for another.
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        # Write-ahead logging: readers and the writer do not block each other, and a commit
        # does not wait for the disk (a crash may lose the last entries, never corrupt others).
        with contextlib.suppress(sqlite3.OperationalError):  # (not on every file system)
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("CREATE TABLE IF NOT EXISTS results "
                           "(key TEXT PRIMARY KEY, entry TEXT NOT NULL) WITHOUT ROWID")
    except BaseException:
        connection.close()
        raise
    return connection
