"""The result cache: keys, round trips, atomic writes, and corrupt entries treated as misses."""

from __future__ import annotations

import json
import os
from pathlib import Path

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


def test_round_trip(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    assert c.get("k" * 64) is None
    c.put("k" * 64, _result(), ((3, 9), (12, 15)))
    got = c.get("k" * 64)
    assert got == (_result(), ((3, 9), (12, 15)))


def test_cache_dir_is_tagged_and_ignored_by_git(tmp_path: Path) -> None:
    c = Cache(tmp_path / "cache")
    c.put("a" * 64, _result(), ())
    tag = (tmp_path / "cache" / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (tmp_path / "cache" / ".gitignore").read_text().strip() == "*"


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    for n in range(5):
        c.put(f"{n}" * 64, _result(), ())
    names = sorted(p.name for p in (tmp_path / "results").iterdir())
    assert names == sorted(f"{str(n) * 64}.json" for n in range(5))


def test_a_write_replaces_an_entry_and_skips_a_crashed_runs_leftover(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    c.put("a" * 64, _result(), ((1, 2),))
    c.put("a" * 64, _result(), ((3, 4),))  # a second write of the same key replaces the first
    assert c.get("a" * 64) == (_result(), ((3, 4),))
    # A temporary file of the same name, left by a run that crashed mid-write: the entry is
    # not stored, the leftover is not touched, and nothing is raised.
    leftover = tmp_path / "results" / f".tmp-{os.getpid()}-{'b' * 64}.json"
    leftover.write_text("half an entry")
    c.put("b" * 64, _result(), ())
    assert c.get("b" * 64) is None
    assert leftover.read_text() == "half an entry"


@pytest.mark.parametrize("content", [
    b"",
    b"{",
    b"\xff\xfe not json",
    b"[]",
    b'{"key": "other", "result": {}}',
    b'{"key": "KEY", "result": {"path": "a.md"}}',
    b'{"key": "KEY", "result": {"path": "a.md", "diagrams": "2", "fences": [],'
    b' "diagnostics": []}}',
    b'{"key": "KEY", "result": {"path": "a.md", "diagrams": 1, "fences": [[1]],'
    b' "diagnostics": []}}',
])
def test_corrupt_entries_are_misses(tmp_path: Path, content: bytes) -> None:
    key = "e" * 64
    c = Cache(tmp_path)
    c.put(key, _result(), ())
    (tmp_path / "results" / f"{key}.json").write_bytes(content.replace(b"KEY", key.encode()))
    assert c.get(key) is None


def test_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    key = "f" * 64
    (tmp_path / "results" / f"{key}.json").mkdir(parents=True)  # a folder where a file should be
    assert Cache(tmp_path).get(key) is None


def test_unwritable_cache_dir_is_silent(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    c = Cache(blocker / "cache")
    c.put("a" * 64, _result(), ())  # must not raise
    assert c.get("a" * 64) is None


def test_entry_is_plain_json(tmp_path: Path) -> None:
    c = Cache(tmp_path)
    c.put("b" * 64, _result(), ((1, 2),))
    entry = json.loads((tmp_path / "results" / ("b" * 64 + ".json")).read_text())
    assert entry["key"] == "b" * 64
    assert entry["result"]["diagnostics"][0]["code"] == "MS001"
    assert not [n for n in os.listdir(tmp_path / "results") if n.startswith(".tmp-")]
