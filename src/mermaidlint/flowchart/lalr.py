"""Lark's LALR(1) tables for the flowchart grammar, flattened for the parser, and kept on disk.

Lark analyses ``grammar/flowchart.lark`` into LALR(1) tables; :mod:`.parser` drives them with a
loop of its own, which reads them as plain lists, dicts and tuples (:class:`Tables`). Importing
Lark, loading its analysis (from Lark's own cache) and flattening it cost about 0.1 s, which
every process that parses used to pay: each worker of a large run, and every run on a few files
(an editor on save, a pre-commit hook). The flattened tables are plain data, so they are kept in
a file of Python's ``marshal`` format in the user's cache folder, named by a digest of what they
are made from: the grammar, the source of this module and of :mod:`.lark_grammar`, Lark's
installed version and Python's. A process then loads them in under 10 ms, without importing
Lark.

The file is written atomically (a name of this process's own, then renamed into place). One that
is missing, unreadable, truncated or not what its name promises is made again; a cache folder
that cannot be written only means the tables are made in memory, as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from mermaidlint.files import store_quietly

# Bumped when the layout of the stored tuple changes.
FORMAT = 1
# The folder under the user's cache folder (see cache_folder).
FOLDER = "mermaidlint"
ENV_VAR = "MERMAIDLINT_TABLES_DIR"  # where to keep the tables instead; empty: nowhere

SPLICE, NORMAL, EXPAND1 = 0, 1, 2

# How a reduction changes the value stack (see parser._drive).
KEEP = 0  # `?rule: x` over one child that is never a list: the value stays
WRAP = 1  # `_rule: x` over one child: the value becomes a list (a list stays)
APPEND = 2  # `_rule: _rule x`: x joins the list below it, in place
BUILD = 3  # anything else: pop the children, push a tree (or a list, or the one child)
TREE1 = 4  # `rule: x`, x never a list: the value becomes a tree of it
TREE = 5  # `rule: x y ...`, none of them ever a list: the values become a tree of them
UNITS = 6  # a run of one-child reductions (KEEP, TREE1, WRAP) made in one step (parser._drive only)
UNIT_KINDS = (KEEP, TREE1, WRAP)

# A reduction: (how, length of the right-hand side, tree name, kind, goto by state).
Reduce = tuple[int, int, str, int, dict[int, int]]
# What a run of one-child reductions does, by the state below the value it reduces: the state
# it leaves on top, and how it wraps the value, in order: a tree name (TREE1), or "" (WRAP).
Units = tuple[int, int, str, int, dict[int, tuple[int, tuple[str, ...]]]]


@dataclass(frozen=True, slots=True)
class Tables:
    """Lark's LALR(1) tables for the grammar, flattened for a fast driver loop.

    ``actions[state][terminal]`` is the state to shift to (an int) or the reduction to make
    (a :data:`Reduce` tuple). ``drive`` is the same table for ``parser._drive``, with every
    one-child reduction replaced by the whole run of them it starts (:func:`_unit_runs`).
    """

    actions: list[dict[str, int | Reduce]]
    drive: list[dict[str, Any]]  # int | Reduce | Units: typed loosely for the driver loop
    start: int
    end: int


def flatten(table: Any) -> Tables:
    """Lark's ``IntParseTable`` as :class:`Tables`."""
    reductions: dict[Any, Reduce] = {}
    size = max(table.states) + 1
    actions: list[dict[str, int | Reduce]] = [{} for _ in range(size)]
    gotos: dict[str, dict[int, int]] = {}
    for state, row in table.states.items():
        for symbol, (action, arg) in row.items():
            if action.name == "Shift":
                if symbol.isupper() or symbol == "$END":
                    actions[state][symbol] = arg
                else:
                    gotos.setdefault(symbol, {})[state] = arg
    for state, row in table.states.items():
        for symbol, (action, arg) in row.items():
            if action.name == "Shift":
                continue
            if arg not in reductions:
                origin = arg.origin.name
                kind = (SPLICE if origin.startswith("_") else
                        EXPAND1 if arg.options.expand1 else NORMAL)
                length = len(arg.expansion)
                first = arg.expansion[0].name if length else ""
                spliced = [symbol.name.startswith("_") and not symbol.name.isupper()
                           for symbol in arg.expansion]
                how = (WRAP if length == 1 and kind == SPLICE else
                       KEEP if length == 1 and kind == EXPAND1 and not spliced[0] else
                       APPEND if length == 2 and kind == SPLICE and first == origin else
                       TREE1 if length == 1 and kind == NORMAL and not spliced[0] else
                       TREE if length > 1 and kind == NORMAL and not any(spliced) else
                       BUILD)
                reductions[arg] = (how, length, str(arg.alias or origin), kind,
                                   gotos.get(str(origin), {}))
            actions[state][symbol] = reductions[arg]
    return Tables(actions, _unit_runs(actions), table.start_states["start"],
                   table.end_states["start"])


def _unit_runs(actions: list[dict[str, int | Reduce]]) -> list[dict[str, Any]]:
    """``actions`` with each one-child reduction replaced by the run of one-child reductions
    it starts (after a node id, five of them: id, plain vertex, styled vertex, group, chain).

    A one-child reduction leaves the state below its value in place, so every step of the run
    is decided by the lookahead and that state alone: the run's end state and wrappings can be
    worked out for each state below in advance. A run stops before any other action (a shift,
    a longer reduction, an error), which the driver then takes as usual."""
    drive: list[dict[str, Any]] = [dict(row) for row in actions]
    for row, out in zip(actions, drive, strict=True):
        for terminal, action in row.items():
            if action.__class__ is int or action[0] not in UNIT_KINDS:  # type: ignore[index]
                continue
            reduce: Reduce = action  # type: ignore[assignment]
            runs = {below: _unit_run(actions, reduce, terminal, below) for below in reduce[4]}
            out[terminal] = (UNITS, 1, reduce[2], reduce[3], runs)
    return drive


def _unit_run(actions: list[dict[str, int | Reduce]], reduce: Reduce, terminal: str,
              below: int) -> tuple[int, tuple[str, ...]]:
    wraps: list[str] = []
    while True:
        how, _, name, _, goto = reduce
        state = goto[below]
        if how != KEEP:
            wraps.append(name if how == TREE1 else "")
        following = actions[state].get(terminal)
        if (following is None or following.__class__ is int
                or following[0] not in UNIT_KINDS  # type: ignore[index]
                or below not in following[4]):  # type: ignore[index]
            return state, tuple(wraps)
        reduce = following  # type: ignore[assignment]


# ---- making the tables with Lark --------------------------------------------------------------

def grammar_text() -> str:
    return files("mermaidlint.grammar").joinpath("flowchart.lark").read_text(encoding="utf-8")


def build() -> Tables:
    """The tables, made with Lark (no file of this module's read or written)."""
    from mermaidlint.flowchart.lark_grammar import lark_parser

    return flatten(lark_parser(grammar_text()).parser.parser._parse_table)  # IntParseTable


# ---- keeping them on disk ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def tables() -> Tables:
    """The tables: from the cache file when it holds them, else made and stored there."""
    key = cache_key()
    path = cache_file(key)
    if path is not None:
        stored = load(path, key)
        if stored is not None:
            return stored
    made = build()
    if path is not None:
        store(path, key, made)
    return made


def cache_key() -> str:
    """A digest of everything the tables are made from."""
    digest = hashlib.sha256()
    for part in (str(FORMAT), sys.version, str(marshal.version), grammar_text(),
                 Path(__file__).read_text(encoding="utf-8"),
                 Path(__file__).with_name("lark_grammar.py").read_text(encoding="utf-8"),
                 _lark_version_text()):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def _lark_version_text() -> str:
    """Lark's ``__init__.py``, which holds its version, read without importing Lark (importing
    it is most of what the cache saves); its path when it cannot be read."""
    spec = importlib.util.find_spec("lark")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "lark: not found"
    try:
        return Path(origin).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return f"lark: {origin}"


def cache_folder() -> Path | None:
    """Where the tables are kept: $MERMAIDLINT_TABLES_DIR (empty: nowhere), else the user's
    cache folder (%LOCALAPPDATA% on Windows, else $XDG_CACHE_HOME or ~/.cache), in
    ``mermaidlint``. Not a shared temporary folder: a file there could have been put by
    another user."""
    chosen = os.environ.get(ENV_VAR)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else (
        os.environ.get("XDG_CACHE_HOME"))
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder
            return None
    return Path(base) / FOLDER


def cache_file(key: str) -> Path | None:
    folder = cache_folder()
    return None if folder is None else folder / f"lalr-{key[:32]}.marshal"


def load(path: Path, key: str) -> Tables | None:
    """The tables stored at ``path`` under ``key``; None if it holds anything else."""
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(stored, tuple) and len(stored) == 6 and stored[0] == FORMAT
            and stored[1] == key):
        return None
    _, _, actions, drive, start, end = stored
    if not (isinstance(actions, list) and isinstance(drive, list) and len(actions) == len(drive)
            and all(isinstance(row, dict) for row in actions)
            and all(isinstance(row, dict) for row in drive)
            and isinstance(start, int) and isinstance(end, int)):
        return None
    return Tables(actions, drive, start, end)


def store(path: Path, key: str, made: Tables) -> None:
    """Write the tables to ``path`` atomically; give up silently if it cannot be written."""
    data = marshal.dumps((FORMAT, key, made.actions, made.drive, made.start, made.end))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    store_quietly(str(path), data)
