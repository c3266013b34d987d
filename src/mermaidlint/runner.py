"""Checking many files: the cache first, then the misses, in worker processes when they are many.

Every input ends as one :class:`Outcome`, in the order the inputs were given, whatever the number
of workers: a result (fresh or cached), a file that could not be read, or an internal error caught
while checking that one file. :func:`build_report` turns the outcomes into what is reported.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from mermaidlint import files
from mermaidlint.cache import cache_key
from mermaidlint.engine import FileResult, ReportedDiagnostic, Settings
from mermaidlint.workers import WorkerDied, map_chunks

if TYPE_CHECKING:
    from mermaidlint.cache import Cache, Fences
    from mermaidlint.files import FileProblem

# Below this many files, starting worker processes costs more than it saves; above it, they run
# on up to MAX_WORKERS cores (cache hits included: the workers do the lookups).
PARALLEL_THRESHOLD = 16
# Files the parent looks up in the cache before it decides whether the run is warm (see run).
PROBE = 32
MAX_WORKERS = 8
# How work is cut into chunks for the workers (see _chunks): the largest files first, each chunk
# about 1/CHUNK_SHARE of a worker's share of the bytes still left, down to MIN_CHUNK_BYTES. A
# file's cost per byte varies a lot (a refused diagram costs more): the last chunks must be small
# so that no worker is left alone with a costly one at the end. Simulated with per-file costs
# measured on the Atlas corpus (bench/chunking.py), 16 equal chunks per worker, in file order,
# ended 0.2 to 1.7% after the ideal (both workers busy to the end); these, about 0.01%.
CHUNK_SHARE = 4
MIN_CHUNK_BYTES = 4096

T = TypeVar("T")
In = TypeVar("In")

UNREADABLE_CODE = "MX001"
UNREADABLE_NAME = "unreadable-file"


@dataclass(frozen=True, slots=True)
class Input:
    """One file to check: read from ``path``, or given as ``data`` (standard input)."""

    display_path: str
    path: Path | None = None
    data: bytes | None = None
    # The settings for this file (its configuration file's, with the command line's flags);
    # None: the settings given to :func:`run`.
    settings: Settings | None = None


@dataclass(slots=True)
class Outcome:
    display_path: str
    result: FileResult | None = None
    fences: Fences = ()
    problem: FileProblem | None = None
    internal_error: str | None = None
    cached: bool = False


# What a worker hands back for one file; kept to plain picklable values: the result, the
# diagrams' fences, the problem that kept the file from being read, the internal error caught
# while checking it, and whether the result came from the cache.
_Checked = tuple[FileResult | None, "Fences", "FileProblem | None", str | None, bool]


class _Item(NamedTuple):
    """What a worker is handed for one file."""

    display_path: str
    path: str | None  # where to read it, unless its bytes are given
    data: bytes | None  # its bytes: standard input, or a file the parent read for a lookup
    settings: Settings
    cache: Cache | None  # where to store its result (None: no cache)
    key: str | None = None  # its cache key, when the parent worked it out
    # Whether the worker looks it up in the cache first; not when the parent knows it is not
    # there: it looked it up and missed, or the cache was empty when the run began.
    look_up: bool = True


# A result to store: its key, the result and the diagrams' fences.
_Entry = tuple[str, FileResult, "Fences"]


def check_chunk(chunk: Sequence[_Item]) -> list[_Checked]:
    """The worker-process entry point: check a run of files, in order. Their results are stored
    together, in one transaction per cache: one per file cost about 25 ms of CPU time over the
    Atlas corpus, one per chunk under 10."""
    checked: list[_Checked] = []
    held: dict[int, tuple[Cache, list[_Entry]]] = {}
    for item in chunk:
        outcome, entry = _check(item)
        checked.append(outcome)
        if entry is not None and item.cache is not None:
            held.setdefault(id(item.cache), (item.cache, []))[1].append(entry)
    for cache, entries in held.values():
        cache.put_many(entries)
    return checked


def _check(item: _Item) -> tuple[_Checked, _Entry | None]:
    """Read one file (unless its bytes are given), look its result up in its cache (unless it
    is known not to be there), else check it: what to hand back, and the entry to store when it
    was checked and there is a cache. Anything that goes wrong inside is caught and described."""
    from mermaidlint import engine

    display_path, cache = item.display_path, item.cache
    try:
        data = item.data
        if data is None:
            assert item.path is not None
            read = files.read_bytes(Path(item.path), display_path)
            if isinstance(read, files.FileProblem):
                return (None, (), read, None, False), None
            data = read
        key = item.key
        if cache is not None and item.look_up:
            key, hit = _look_up(cache, item.settings, display_path, data)
            if hit is not None:
                return (hit[0], hit[1], None, None, True), None
        source = files.decode(display_path, data)
        if isinstance(source, files.FileProblem):
            return (None, (), source, None, False), None
        result = engine.lint_source(source, item.settings)
        fences = tuple((d.opening_line, d.closing_line) for d in source.diagrams)
        if cache is None:
            return (result, fences, None, None, False), None
        if key is None:
            key = cache_key(item.settings, display_path, data)
        return (result, fences, None, None, False), (key, result, fences)
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        if os.environ.get("MERMAIDLINT_DEBUG"):
            detail = "".join(traceback.format_exception(exc)).rstrip()
        return (None, (), None, detail, False), None


def _look_up(cache: Cache, settings: Settings, display_path: str, data: bytes
              ) -> tuple[str, tuple[FileResult, Fences] | None]:
    """A file's cache key, and its result and fences when the cache holds them."""
    key = cache_key(settings, display_path, data)
    return key, cache.get(key)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def run(inputs: Sequence[Input], settings: Settings, cache: Cache | None = None,
        workers: int | None = None) -> list[Outcome]:
    """Check every input; the outcomes come back in the order of ``inputs``.

    ``workers``: how many processes may check files (default: :func:`default_workers`); they are
    only started for more than :data:`PARALLEL_THRESHOLD` files to check.

    Who looks files up in the cache: the parent, for the first :data:`PROBE` files and then for
    as long as at least half of its lookups hit; the rest, unread, go to the workers, which read
    them, look them up and check the misses. A warm run is thus answered by the parent alone,
    with no worker started; a cold one starts its workers after reading a handful of files,
    rather than after reading and hashing every file (about 0.1 s of serial start on the Atlas
    corpus) and sending their bytes down a pipe. An empty cache (no database yet) is not probed
    at all: the workers start at once.
    """
    outcomes = [Outcome(item.display_path) for item in inputs]
    todo: list[int] = []
    items: list[_Item] = []
    lookups = hits = 0
    # An empty cache has nothing to find: no file is read and hashed here for a lookup.
    probing = cache is not None and not cache.is_empty()
    for n, item in enumerate(inputs):
        item_settings = item.settings or settings
        data = item.data
        missed = None
        if cache is not None and probing and (lookups < PROBE or 2 * hits >= lookups):
            if data is None and item.path is not None:
                read = files.read_bytes(item.path, item.display_path)
                if isinstance(read, files.FileProblem):
                    outcomes[n].problem = read
                    continue
                data = read
            if data is not None:
                lookups += 1
                key, hit = _look_up(cache, item_settings, item.display_path, data)
                if hit is not None:
                    hits += 1
                    outcomes[n].result, outcomes[n].fences = hit
                    outcomes[n].cached = True
                    continue
                missed = key
        todo.append(n)
        items.append(_Item(item.display_path, None if data is not None else str(item.path),
                           data, item_settings, cache, missed,
                           look_up=probing and missed is None))
    checked = _check_all(items, workers or default_workers())
    for n, (result, fences, problem, error, cached) in zip(todo, checked, strict=True):
        outcome = outcomes[n]
        outcome.result, outcome.fences = result, fences
        outcome.problem, outcome.internal_error, outcome.cached = problem, error, cached
    return outcomes


def _check_all(items: list[_Item], workers: int) -> list[_Checked]:
    return _in_workers(check_chunk, items, workers, lambda item: _size(item.data, item.path),
                       lambda item, why: (None, (), None, why, False))


def _in_workers(function: Callable[[list[In]], list[T]], items: list[In], workers: int,
                size_of: Callable[[In], int], lost: Callable[[In, str], T]) -> list[T]:
    """``function(items)``, in worker processes when there are many items (cut into chunks by
    ``size_of``: see _chunks); the results in the order of ``items``. When a worker dies outright
    (killed, out of memory), each item of the chunk it did not finish is reported as not done,
    with ``lost(item, why)``, rather than guessed at; the other chunks' results are kept."""
    if workers < 2 or len(items) <= PARALLEL_THRESHOLD:
        return function(items)
    positions = _chunks([size_of(item) for item in items], workers)
    chunks = [[items[n] for n in chunk] for chunk in positions]
    try:
        done = map_chunks(function, chunks, workers)
    except WorkerDied as died:
        why = f"worker process died: {died}"
        done = [result if result is not None else [lost(item, why) for item in chunk]
                for result, chunk in zip(died.done, chunks, strict=True)]
    in_order: list[T | None] = [None] * len(items)
    for chunk, results in zip(positions, done, strict=True):
        for n, result in zip(chunk, results, strict=True):
            in_order[n] = result
    return in_order  # type: ignore[return-value]  # (every position is in one chunk)


def _chunks(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """The positions of the items of each chunk, for ``workers`` workers taking the next chunk
    as they come free: the largest items first, chunks shrinking as the work left does
    (guided self-scheduling), so that the last chunks are the small ones."""
    order = sorted(range(len(sizes)), key=lambda n: -sizes[n])  # (stable: ties keep order)
    left = sum(sizes)
    chunks: list[list[int]] = []
    chunk: list[int] = []
    filled = 0
    target = max(MIN_CHUNK_BYTES, left // (CHUNK_SHARE * workers))
    for n in order:
        chunk.append(n)
        filled += sizes[n]
        if filled >= target:
            chunks.append(chunk)
            left -= filled
            chunk, filled = [], 0
            target = max(MIN_CHUNK_BYTES, left // (CHUNK_SHARE * workers))
    if chunk:
        chunks.append(chunk)
    return chunks


def _size(data: bytes | None, path: str | Path | None) -> int:
    """The size of a file to check: its bytes when given, else as the file system tells."""
    if data is not None:
        return len(data)
    try:
        return os.stat(path).st_size if path is not None else 0
    except OSError:
        return 0


@dataclass(frozen=True, slots=True)
class ToolProblem:
    """Something that kept mermaidlint from checking an input (SARIF's tool notifications)."""

    kind: str  # "unreadable-file", "internal-error" or "path-not-found"
    message: str
    path: str | None = None
    line: int | None = None


@dataclass(slots=True)
class Report:
    """What a run found, ready for a formatter."""

    files: int = 0
    diagrams: int = 0
    flagged_diagrams: int = 0  # diagrams with at least one diagnostic
    flagged_elsewhere: int = 0  # files with a diagnostic outside any diagram
    diagnostics: list[ReportedDiagnostic] = field(default_factory=list)
    # One line per file that could not be read or checked, for standard error.
    problems: list[str] = field(default_factory=list)
    internal_errors: int = 0
    # The same problems, and the paths that do not exist, for formats that record them.
    tool_problems: list[ToolProblem] = field(default_factory=list)
    # The inputs by display path, for formats that show the source (standard input's bytes).
    inputs: dict[str, Input] = field(default_factory=dict)


def build_report(outcomes: Sequence[Outcome], inputs: Sequence[Input] = (),
                 missing: Sequence[str] = ()) -> Report:
    """Gather the outcomes; a file that cannot be read becomes an MX001 diagnostic.

    ``inputs``: what was checked (kept for formats that show the source); ``missing``: the
    messages about paths given that do not exist.
    """
    report = Report(files=len(outcomes), inputs={i.display_path: i for i in inputs})
    report.tool_problems.extend(ToolProblem("path-not-found", m) for m in missing)
    for outcome in outcomes:
        if outcome.internal_error is not None:
            report.internal_errors += 1
            report.problems.append(
                f"internal error while checking {outcome.display_path}: {outcome.internal_error}")
            report.tool_problems.append(ToolProblem(
                "internal-error", f"internal error: {outcome.internal_error}",
                outcome.display_path))
            continue
        if outcome.problem is not None:
            p = outcome.problem
            where = p.path if p.line is None else f"{p.path}:{p.line}"
            report.problems.append(f"{where}: {p.message}")
            report.tool_problems.append(ToolProblem("unreadable-file", p.message, p.path, p.line))
            line = p.line or 1
            report.diagnostics.append(ReportedDiagnostic(
                path=p.path, line=line, column=1, end_line=line, end_column=1,
                code=UNREADABLE_CODE, name=UNREADABLE_NAME, severity="error", message=p.message))
            report.flagged_elsewhere += 1
            continue
        result = outcome.result
        if result is None:
            continue
        report.diagrams += result.diagrams
        report.diagnostics.extend(result.diagnostics)
        flagged: set[int] = set()
        elsewhere = False
        for d in result.diagnostics:
            k = next((k for k, (lo, hi) in enumerate(outcome.fences) if lo <= d.line <= hi), None)
            if k is None:
                elsewhere = True
            else:
                flagged.add(k)
        report.flagged_diagrams += len(flagged)
        report.flagged_elsewhere += elsewhere
    report.diagnostics.sort(key=lambda d: (d.path, d.line, d.column, d.code))
    return report


# ---- --fix ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FixMode:
    unsafe: bool = False  # --unsafe-fixes
    diff_only: bool = False  # --diff: say what would change, write nothing


@dataclass(slots=True)
class FixOutcome:
    """One file under --fix: what changed, and what is left to report afterwards."""

    outcome: Outcome
    diff: str = ""
    applied: list[str] = field(default_factory=list)  # "line:col CODE name (what)"
    dropped: list[str] = field(default_factory=list)
    not_written: str | None = None  # why the fixed text could not be written


def fix_one(item: Input, settings: Settings, mode: FixMode) -> FixOutcome:
    """Fix one file (or report what would change), then check what is left."""
    from mermaidlint import engine, fix
    from mermaidlint.positions import LineIndex

    outcome = Outcome(item.display_path)
    done = FixOutcome(outcome)
    try:
        original = item.data if item.data is not None else (
            item.path.read_bytes() if item.path is not None else b"")
        source = files.read_stdin(item.display_path, original)
        if isinstance(source, files.FileProblem):
            outcome.problem = source
            return done
        result = fix.fix_source(source, item.settings or settings, unsafe=mode.unsafe)
        index = LineIndex(result.original)
        done.applied = [
            f"{index.position(a.offset).line}:{index.position(a.offset).column} {a.code} "
            f"{a.name} ({a.description})" for a in result.applied]
        done.dropped = result.dropped
        final = result.fixed
        if result.changed:
            done.diff = fix.unified_diff(item.display_path, result)
            if mode.diff_only:
                final = result.original
            elif item.path is None:
                pass  # standard input: the fixed text is printed by the caller
            else:
                try:
                    fix.write_atomic(item.path, fix.encode(source, result.fixed), original)
                except fix.ChangedOnDisk:
                    done.not_written = "changed on disk since it was read; not overwritten"
                    final = result.original
                except OSError as exc:
                    done.not_written = f"could not be written: {exc}"
                    final = result.original
        checked = files.source_from_text(item.display_path, final)
        outcome.result = engine.lint_source(checked, item.settings or settings)
        outcome.fences = tuple((d.opening_line, d.closing_line) for d in checked.diagrams)
    except Exception as exc:
        outcome.internal_error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return done


def _fix_chunk(chunk: Sequence[tuple[Input, Settings, FixMode]]) -> list[FixOutcome]:
    return [fix_one(item, settings, mode) for item, settings, mode in chunk]


def run_fix(inputs: Sequence[Input], settings: Settings, mode: FixMode,
            workers: int | None = None) -> list[FixOutcome]:
    """--fix over every input, in order; in worker processes when there are many."""
    items = [(item, item.settings or settings, mode) for item in inputs]  # per-file config
    return _in_workers(_fix_chunk, items, workers or default_workers(),
                       lambda entry: _size(entry[0].data, entry[0].path),
                       lambda entry, why: FixOutcome(Outcome(entry[0].display_path,
                                                             internal_error=why)))
