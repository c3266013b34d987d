"""Tests for files.py: discovering files to lint, and reading them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mermaidlint.document import SourceFile
from mermaidlint.extract import extract_diagrams
from mermaidlint.files import (
    MARKDOWN_SUFFIXES,
    MERMAID_SUFFIXES,
    FileProblem,
    discover,
    read_source,
    read_stdin,
    source_from_text,
)


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# x\n", encoding="utf-8")


def shown(paths: list[str], exclude: tuple[str, ...] = ()) -> list[str]:
    found, errors = discover(paths, exclude)
    assert errors == []
    return [display for _, display in found]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make(tmp_path, "docs/a.md", "docs/b.MD", "docs/c.markdown", "docs/d.mdx", "docs/e.mmd",
         "docs/f.Mermaid", "docs/g.txt", "docs/sub/h.md", "docs/.hidden/x.md",
         "docs/node_modules/x.md", "docs/.git/x.md", "docs/__pycache__/x.md", "docs/venv/x.md",
         "docs/.venv/x.md", "docs/env/x.md", "docs/.tox/x.md", "docs/.nox/x.md",
         "docs/site-packages/x.md", "docs/myenv/pyvenv.cfg", "docs/myenv/x.md", "top.md")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_suffixes() -> None:
    assert MARKDOWN_SUFFIXES == (".md", ".markdown", ".mdx")
    assert MERMAID_SUFFIXES == (".mmd", ".mermaid")


def test_walk_takes_markdown_and_mermaid_files_and_skips_tooling_folders(tree: Path) -> None:
    assert shown(["docs"]) == ["docs/a.md", "docs/b.MD", "docs/c.markdown", "docs/d.mdx",
                               "docs/e.mmd", "docs/f.Mermaid", "docs/sub/h.md"]


def test_display_paths(tree: Path) -> None:
    assert shown(["./docs/sub"]) == ["docs/sub/h.md"]
    assert shown(["docs/sub/"]) == ["docs/sub/h.md"]
    dot = shown(["."])
    assert dot[0] == "docs/a.md" and "top.md" in dot and not any(p.startswith("./") for p in dot)
    absolute = shown([str(tree / "docs" / "sub")])
    assert absolute == [f"{tree.as_posix()}/docs/sub/h.md"]
    found, _ = discover(["docs/sub"])
    assert found[0][0] == Path("docs/sub/h.md")


def test_sorted_and_without_duplicates(tree: Path) -> None:
    listing = shown(["top.md", "docs/sub", "docs", "docs/a.md"])
    assert listing == sorted(set(listing), key=lambda p: p.split("/"))
    assert listing.count("docs/a.md") == 1 and listing[-1] == "top.md"


def test_explicit_files_whatever_their_suffix(tree: Path) -> None:
    assert shown(["docs/g.txt", "docs/.hidden/x.md"]) == ["docs/.hidden/x.md", "docs/g.txt"]


def test_explicit_hidden_folder_is_walked(tree: Path) -> None:
    assert shown(["docs/.hidden"]) == ["docs/.hidden/x.md"]


def test_missing_paths_are_reported(tree: Path) -> None:
    found, errors = discover(["nope/x.md", "top.md", "gone"])
    assert [d for _, d in found] == ["top.md"]
    assert errors == ["nope/x.md: no such file or directory", "gone: no such file or directory"]


@pytest.mark.parametrize(("pattern", "left_out"), [
    ("sub/**", "docs/sub/h.md"),  # relative to the folder named on the command line
    ("docs/sub/**", "docs/sub/h.md"),  # or to the display path
    ("**/sub/**", "docs/sub/h.md"),
    ("sub", "docs/sub/h.md"),  # a bare name matches any component
    ("*.mdx", "docs/d.mdx"),
    ("[ab].md", "docs/a.md"),
    ("?.markdown", "docs/c.markdown"),
])
def test_exclude_patterns(tree: Path, pattern: str, left_out: str) -> None:
    everything = shown(["docs"])
    assert shown(["docs"], (pattern,)) == [p for p in everything if p != left_out]


def test_exclude_applies_to_explicit_files(tree: Path) -> None:
    assert shown(["docs/a.md", "top.md"], ("*.md",)) == []
    assert shown(["docs/a.md", "top.md"], ("docs/**",)) == ["top.md"]


def test_excluded_folder_is_not_descended(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    visited: list[str] = []
    scandir = os.scandir

    def recording(path: os.PathLike[str]) -> object:
        visited.append(Path(path).name)
        return scandir(path)

    monkeypatch.setattr(os, "scandir", recording)
    assert shown(["docs"], ("sub/**",)) == shown(["docs"], ("sub",))
    assert "sub" not in visited and "docs" in visited


def test_permission_errors_are_reported_and_the_walk_goes_on(
        tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scandir = os.scandir

    def refusing(path: os.PathLike[str]) -> object:
        if Path(path).name == "sub":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found, errors = discover(["docs"])
    assert errors == ["docs/sub: permission denied"]
    assert "docs/a.md" in [d for _, d in found]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlinked_folders_are_not_followed(tree: Path) -> None:
    os.symlink(tree / "docs", tree / "docs" / "sub" / "loop", target_is_directory=True)
    os.symlink(tree / "docs" / "a.md", tree / "docs" / "sub" / "linked.md")
    os.symlink(tree / "missing.md", tree / "docs" / "sub" / "broken.md")
    assert shown(["docs/sub"]) == ["docs/sub/h.md", "docs/sub/linked.md"]
    # A symlinked folder named on the command line is the user's choice: it is walked.
    assert shown(["docs/sub/loop/sub"])[0] == "docs/sub/loop/sub/h.md"


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def write(tmp_path: Path, data: bytes, name: str = "f.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_read_utf8_keeps_line_breaks(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "a\r\nb\rc\né\n".encode()), "f.md")
    assert isinstance(source, SourceFile)
    assert (source.path, source.text, source.has_bom) == ("f.md", "a\r\nb\rc\né\n", False)


def test_read_strips_a_bom(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, b"\xef\xbb\xbf```mermaid\nA\n```\n"), "f.md")
    assert isinstance(source, SourceFile)
    assert source.has_bom and source.text == "```mermaid\nA\n```\n"
    extract_diagrams(source)
    assert source.diagrams[0].lines[0].file_offset == 11


def test_binary_files(tmp_path: Path) -> None:
    problem = read_source(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00"), "img.md")
    assert isinstance(problem, FileProblem)
    assert problem.path == "img.md" and problem.line is None and "binary" in problem.message


def test_a_late_nul_is_text(tmp_path: Path) -> None:
    data = b"x" * 9000 + b"\x00\n"
    source = read_source(write(tmp_path, data), "f.md")
    assert isinstance(source, SourceFile) and source.text.endswith("\x00\n")


@pytest.mark.parametrize(("data", "line", "column", "byte"), [
    (b"ok\nline two\nabc\xffdef", 3, 4, 0xFF),
    (b"\xc3\xa9\xfe", 1, 2, 0xFE),  # columns count code points: "\xc3\xa9" is one
    (b"a\rb\r\n\xc3", 3, 1, 0xC3),  # CR and CRLF are line breaks; a cut-off sequence
    (b"\xef\xbb\xbfab\x80", 1, 3, 0x80),  # after a BOM, positions are in the text without it
])
def test_invalid_utf8(tmp_path: Path, data: bytes, line: int, column: int, byte: int) -> None:
    problem = read_source(write(tmp_path, data), "bad.md")
    assert problem == FileProblem(
        "bad.md", line,
        f"not valid UTF-8 (byte 0x{byte:02x} at line {line}, column {column}); "
        "mermaidlint reads UTF-8 only",
    )


def test_os_errors_become_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = read_source(tmp_path / "vanished.md", "vanished.md")
    assert gone == FileProblem("vanished.md", None, "no such file or directory")
    folder = read_source(tmp_path, "dir.md")
    assert isinstance(folder, FileProblem) and folder.line is None and folder.message

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert read_source(tmp_path / "x.md", "x.md") == FileProblem("x.md", None,
                                                                 "permission denied")


def test_read_stdin_follows_the_same_rules() -> None:
    source = read_stdin("-", b"\xef\xbb\xbf# T\r\n")
    assert isinstance(source, SourceFile) and source.has_bom and source.text == "# T\r\n"
    assert isinstance(read_stdin("-", b"\x00\x01"), FileProblem)
    problem = read_stdin("<stdin>", b"a\n\xff")
    assert isinstance(problem, FileProblem) and problem.line == 2


def test_source_from_text() -> None:
    assert source_from_text("a.md", "\ufeffx") == SourceFile("a.md", "x", has_bom=True)
    assert source_from_text("a.md", "x") == SourceFile("a.md", "x", has_bom=False)


def test_discovered_mermaid_files_extract_whole(tree: Path) -> None:
    (tree / "docs" / "e.mmd").write_bytes(b"graph TD\r\n  A-->B\r\n")
    for path, display in discover(["docs"])[0]:
        source = read_source(path, display)
        assert isinstance(source, SourceFile)
        extract_diagrams(source)
        if display == "docs/e.mmd":
            assert source.diagrams[0].text == "graph TD\n  A-->B"
