"""The result cache: keys, round trips, atomic writes, and corrupt entries treated as misses."""

from __future__ import annotations

import json
import pickle
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from mermaidlint import cache as cache_mod
from mermaidlint.cache import Cache, cache_key, fingerprint, source_roots
from mermaidlint.engine import FileResult, ReportedDiagnostic, Settings


def _result(path: str = "docs/a.md") -> FileResult:
    return FileResult(path=path, diagrams=2, diagnostics=[
        ReportedDiagnostic(path=path, line=7, column=5, end_line=7, end_column=9, code="MS001",
                           name="parse-error", severity="error", message="Unexpected '('",
                           fixable=True, notes=("quote the label",)),
    ])


def test_key_depends_on_everything_that_changes_a_result() -> None:
    base = cache_key(Settings(), "a.md", b"x")
    assert base == cache_key(Settings(), "a.md", b"x")
    assert base != cache_key(Settings(), "a.md", b"y")
    assert base != cache_key(Settings(), "b.md", b"x")
    assert base != cache_key(Settings(select=("MS",)), "a.md", b"x")


def test_key_depends_on_version_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    base = cache_key(Settings(), "a.md", b"x")
    monkeypatch.setattr(cache_mod, "__version__", "999.0")
    assert cache_key(Settings(), "a.md", b"x") != base
    monkeypatch.undo()
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "edited")
    assert cache_key(Settings(), "a.md", b"x") != base


def test_fingerprint_covers_the_grammar_and_the_rules() -> None:
    roots = {p.resolve() for p in source_roots()}
    import mermaidlint.grammar
    import mermaidlint.rules

    import mermaidlint

    for package in (mermaidlint, mermaidlint.grammar, mermaidlint.rules):
        assert any(Path(p).resolve() in roots for p in package.__path__), package


def test_fingerprint_changes_when_a_source_or_grammar_file_changes(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "flowchart.lark").write_text("start: A\n")
    (tmp_path / "pkg" / "notes.txt").write_text("not code\n")
    before = fingerprint([tmp_path / "pkg"])
    (tmp_path / "pkg" / "notes.txt").write_text("still not code\n")
    assert fingerprint([tmp_path / "pkg"]) == before
    (tmp_path / "pkg" / "flowchart.lark").write_text("start: B\n")
    after_grammar = fingerprint([tmp_path / "pkg"])
    assert after_grammar != before
    (tmp_path / "pkg" / "mod.py").write_text("x = 2\n")
    assert fingerprint([tmp_path / "pkg"]) != after_grammar


def test_fingerprint_reads_each_file_once_and_skips_bytecode_folders(tmp_path: Path) -> None:
    # A wheel installs the grammar and the rules inside the package's folder: their roots lie
    # inside the package's root, and their files count once.
    sub = tmp_path / "pkg" / "rules"
    sub.mkdir(parents=True)
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    (sub / "rule.py").write_text("y = 2\n")
    alone = fingerprint([tmp_path / "pkg"])
    assert fingerprint([tmp_path / "pkg", sub]) == alone
    assert fingerprint([sub]) != alone
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "stray.py").write_text("z = 3\n")
    assert fingerprint([tmp_path / "pkg"]) == alone
    (sub / "rule.py").write_text("y = 3\n")
    assert fingerprint([tmp_path / "pkg"]) != alone


def test_round_trip(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    assert c.get("k" * 64) is None
    c.put("k" * 64, _result(), ((3, 9), (12, 15)))
    got = c.get("k" * 64)
    assert got == (_result(), ((3, 9), (12, 15)))


def test_results_stored_together_are_each_found(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    c.put_many([])
    assert c.is_empty()  # nothing to store: no database made
    entries = [(f"{n:064d}", _result(f"{n}.md"), ((n, n + 2),)) for n in range(3)]
    c.put_many(entries)
    assert len(c) == 3
    assert [c.get(key) for key, _, _ in entries] == [(r, f) for _, r, f in entries]


def test_results_stored_together_are_all_stored_or_none(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    c.put("a" * 64, _result(), ())
    # An entry that cannot be stored (a key SQLite cannot bind) fails the whole transaction,
    # silently: the entries before it in the batch are not stored either.
    bad_key: Any = object()
    c.put_many([("b" * 64, _result(), ()), (bad_key, _result(), ())])
    assert c.get("b" * 64) is None
    assert len(c) == 1
    c.put("c" * 64, _result(), ())  # and the connection is left usable
    assert len(c) == 2


def test_cache_dir_is_tagged_and_ignored_by_git(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    c.put("a" * 64, _result(), ())
    tag = (tmp_path / "cache" / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (tmp_path / "cache" / ".gitignore").read_text().strip() == "*"


def _entry(directory: Path, key: str) -> str | None:
    """An entry as stored, read with sqlite3 directly."""
    with closing(sqlite3.connect(directory / cache_mod.DATABASE)) as db:
        row = db.execute("SELECT entry FROM results WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _store(directory: Path, key: str, entry: str) -> None:
    with closing(sqlite3.connect(directory / cache_mod.DATABASE, isolation_level=None)) as db:
        db.execute("INSERT OR REPLACE INTO results (key, entry) VALUES (?, ?)", (key, entry))


def test_entries_are_rows_of_one_database(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    for n in range(5):
        c.put(f"{n}" * 64, _result(), ())
    assert len(c) == 5
    assert {p.name for p in tmp_path.iterdir()} <= {
        cache_mod.DATABASE, f"{cache_mod.DATABASE}-wal", f"{cache_mod.DATABASE}-shm",
        "CACHEDIR.TAG", ".gitignore"}
    assert len(Cache(tmp_path)) == 5  # another connection (another run) sees them


def test_a_write_replaces_an_entry(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    c.put("a" * 64, _result(), ((1, 2),))
    c.put("a" * 64, _result(), ((3, 4),))  # a second write of the same key replaces the first
    assert c.get("a" * 64) == (_result(), ((3, 4),))
    assert len(c) == 1


def test_a_lookup_in_an_empty_folder_creates_nothing(tmp_path: Path) -> None:
    assert Cache(tmp_path / "cache").get("a" * 64) is None
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("content", [
    "",
    "{",
    "\udcff not json",
    "[]",
    '{"path": "a.md"}',
    '{"path": "a.md", "diagrams": "2", "fences": [], "diagnostics": []}',
    '{"path": "a.md", "diagrams": 1, "fences": [[1]], "diagnostics": []}',
])
def test_corrupt_entries_are_misses(tmp_path: Path, content: str) -> None:
    key = "e" * 64
    c = Cache(tmp_path)
    c.put(key, _result(), ())
    _store(tmp_path, key, content.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    assert c.get(key) is None


def test_a_damaged_database_is_replaced(tmp_path: Path) -> None:
    (tmp_path / cache_mod.DATABASE).write_bytes(b"not a database at all" * 100)
    c = Cache(tmp_path)
    assert c.get("a" * 64) is None  # unreadable: a miss
    c.put("a" * 64, _result(), ((1, 2),))  # replaced on the first write
    assert c.get("a" * 64) == (_result(), ((1, 2),))
    assert Cache(tmp_path).get("a" * 64) == (_result(), ((1, 2),))


def test_a_folder_where_the_database_should_be_is_silent(tmp_path: Path) -> None:
    (tmp_path / cache_mod.DATABASE).mkdir()
    c = Cache(tmp_path)
    c.put("a" * 64, _result(), ())  # must not raise
    assert c.get("a" * 64) is None and len(c) == 0


def test_unwritable_cache_dir_is_silent(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    c = Cache(blocker / "cache")
    c.put("a" * 64, _result(), ())  # must not raise
    assert c.get("a" * 64) is None


def test_entry_is_plain_json(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    c.put("b" * 64, _result(), ((1, 2),))
    entry = json.loads(_entry(tmp_path, "b" * 64) or "")
    assert entry["diagnostics"][0]["code"] == "MS001" and entry["fences"] == [[1, 2]]


def test_a_cache_handed_to_another_process_opens_its_own_connection(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    c.put("a" * 64, _result(), ())
    copy = pickle.loads(pickle.dumps(c))  # as a worker process receives it
    assert copy.get("a" * 64) == (_result(), ())
    copy.put("b" * 64, _result(), ((5, 6),))
    assert c.get("b" * 64) == (_result(), ((5, 6),))


def _put_many(directory: str, first: int) -> None:
    c = Cache(directory)
    for n in range(first, first + 40):
        c.put(f"{n:064d}", _result(f"{n}.md"), ((n, n + 1),))


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    # The two workers of a run write their files' results into the same database.
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_put_many, [str(tmp_path)] * 2, [0, 40]))
    c = Cache(tmp_path)
    assert len(c) == 80
    assert all(c.get(f"{n:064d}") == (_result(f"{n}.md"), ((n, n + 1),)) for n in range(80))


def test_an_empty_cache_says_so_until_its_first_entry(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    assert c.is_empty()
    c.put("a" * 64, _result(), ())
    assert not c.is_empty() and not Cache(tmp_path / "cache").is_empty()
