"""The parser's LALR(1) tables: made with Lark, kept on disk, loaded back without Lark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mermaidlint.flowchart import lalr

# Parses a diagram and says whether Lark was imported to do it, and what the parse gave.
_PROBE = """
import json, sys
from mermaidlint.flowchart.parser import parse_tokens
outcome = parse_tokens("flowchart TD\\n  A[Start] --> B{Ok?}\\n  B -->|yes| C\\n")
bad = parse_tokens("flowchart TD\\n  A[Start (x)] --> B\\n")
print(json.dumps({"lark": "lark" in sys.modules, "tree": outcome.tree is not None,
                  "problems": len(outcome.problems),
                  "bad": [p.found for p in bad.problems]}))
"""


def _probe(folder: str) -> dict[str, object]:
    env = dict(os.environ, **{lalr.ENV_VAR: folder})
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True,
                          text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def made() -> lalr.Tables:
    return lalr.build()


def test_stored_tables_load_back_as_made(tmp_path: Path, made: lalr.Tables) -> None:
    path = tmp_path / "deep" / "tables.marshal"
    lalr.store(path, "k" * 64, made)
    assert lalr.load(path, "k" * 64) == made
    assert [p.name for p in path.parent.iterdir()] == ["tables.marshal"]  # no leftover


def test_a_file_under_another_key_or_damaged_is_not_loaded(tmp_path: Path,
                                                           made: lalr.Tables) -> None:
    path = tmp_path / "tables.marshal"
    lalr.store(path, "a" * 64, made)
    assert lalr.load(path, "b" * 64) is None
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert lalr.load(path, "a" * 64) is None
    path.write_bytes(b"not marshal data at all")
    assert lalr.load(path, "a" * 64) is None
    assert lalr.load(tmp_path / "missing.marshal", "a" * 64) is None


def test_the_key_follows_the_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    before = lalr.cache_key()
    assert lalr.cache_key() == before
    monkeypatch.setattr(lalr, "grammar_text", lambda: "start: A\n")
    assert lalr.cache_key() != before


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.setenv(lalr.ENV_VAR, str(tmp_path))
    assert lalr.cache_folder() == tmp_path
    monkeypatch.setenv(lalr.ENV_VAR, "")
    assert lalr.cache_folder() is None
    assert lalr.cache_file("0" * 64) is None
    monkeypatch.delenv(lalr.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform != "win32":
        assert lalr.cache_folder() == tmp_path / "xdg" / lalr.FOLDER


def test_a_second_process_parses_without_importing_lark(tmp_path: Path) -> None:
    first = _probe(str(tmp_path))
    assert first["lark"] is True  # nothing stored yet: made with Lark, then stored
    stored = list(tmp_path.glob("lalr-*.marshal"))
    assert len(stored) == 1
    second = _probe(str(tmp_path))
    assert second["lark"] is False
    assert second == {**first, "lark": False}
    assert first["tree"] is True and first["problems"] == 0 and first["bad"] == ["PS"]


def test_a_damaged_file_is_made_again(tmp_path: Path) -> None:
    _probe(str(tmp_path))
    (stored,) = tmp_path.glob("lalr-*.marshal")
    stored.write_bytes(b"\x00garbage")
    again = _probe(str(tmp_path))
    assert again["lark"] is True and again["tree"] is True and again["bad"] == ["PS"]
    assert lalr.load(stored, lalr.cache_key()) is not None  # replaced by good tables


def test_an_unwritable_folder_only_means_nothing_is_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _probe(str(blocker / "cache"))
    assert result["tree"] is True and result["bad"] == ["PS"]
    assert blocker.read_text() == "not a folder"
