"""Editors: ``mermaidlint check - --stdin-filename PATH`` checks unsaved text as the file PATH.

The findings carry PATH; the configuration is the one PATH's folder would get (nearest
configuration file above it), per-file-ignores match PATH, and the source shown by
``--format full`` is the text given, not what is on disk.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mermaidlint.cli import cli

BROKEN = b"# Notes\n\n```mermaid\nflowchart LR\n    A[Cache (hot)] --> B\n```\n"
GOOD = b"# Notes\n\n```mermaid\nflowchart LR\n    A --> B\n```\n"
# What editors parse: Vim's errorformat %f:%l:%c: %m, Emacs' compilation mode, problem matchers.
LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) (?P<msg>.+)$")


@pytest.fixture(autouse=True)
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose docs/ folder ignores MS001 in its own configuration file; drafts/ is
    exempted by a per-file-ignores glob of the top configuration."""
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "other").mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.mermaidlint.per-file-ignores]\n"drafts/*.md" = ["MS001"]\n')
    (root / "docs" / ".mermaidlint.toml").write_text('ignore = ["MS001"]\n')
    monkeypatch.chdir(root)
    monkeypatch.setenv("MERMAIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    return root


def invoke(*args: str, stdin: bytes) -> Result:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, ["check", *args], input=stdin, catch_exceptions=False)


def findings(result: Result) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(LINE.match, result.stdout.splitlines()) if m]


def test_findings_carry_the_stdin_filename() -> None:
    result = invoke("-", "--stdin-filename", "other/unsaved.md", stdin=BROKEN)
    assert result.exit_code == 1
    assert findings(result) == [{"path": "other/unsaved.md", "line": "5", "col": "13",
                                 "code": "MS001", "msg": findings(result)[0]["msg"]}]


def test_configuration_is_looked_up_from_the_stdin_filenames_folder() -> None:
    assert invoke("-", "--stdin-filename", "docs/unsaved.md", stdin=BROKEN).exit_code == 0
    assert invoke("-", "--stdin-filename", "other/unsaved.md", stdin=BROKEN).exit_code == 1


def test_configuration_of_the_file_not_of_the_current_folder(project: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.chdir(project / "other")
    assert invoke("-", "--stdin-filename", "../docs/a.md", stdin=BROKEN).exit_code == 0
    absolute = str(project / "docs" / "a.md")
    result = invoke("-", "--stdin-filename", absolute, stdin=BROKEN)
    assert result.exit_code == 0, result.stdout
    monkeypatch.chdir(project / "docs")
    result = invoke("-", "--stdin-filename", str(project / "other" / "a.md"), stdin=BROKEN)
    assert result.exit_code == 1
    assert findings(result)[0]["path"] == str(project / "other" / "a.md")


def test_a_new_file_in_a_new_folder() -> None:
    result = invoke("-", "--stdin-filename", "docs/not/yet/there.md", stdin=BROKEN)
    assert result.exit_code == 0  # docs/.mermaidlint.toml still governs it
    result = invoke("-", "--stdin-filename", "new/folder/there.md", stdin=BROKEN)
    assert findings(result)[0]["path"] == "new/folder/there.md"


def test_per_file_ignores_match_the_stdin_filename() -> None:
    assert invoke("-", "--stdin-filename", "drafts/x.md", stdin=BROKEN).exit_code == 0
    assert invoke("-", "--stdin-filename", "final/x.md", stdin=BROKEN).exit_code == 1


def test_the_unsaved_text_is_checked_and_shown_not_the_file_on_disk(project: Path) -> None:
    (project / "other" / "a.md").write_bytes(GOOD)
    result = invoke("-", "--stdin-filename", "other/a.md", "--format", "full", stdin=BROKEN)
    assert result.exit_code == 1
    assert "5 |     A[Cache (hot)] --> B" in result.stdout
    (project / "other" / "b.md").write_bytes(BROKEN)
    assert invoke("-", "--stdin-filename", "other/b.md", stdin=GOOD).exit_code == 0


def test_stdin_filename_alone_reads_standard_input() -> None:
    result = invoke("--stdin-filename", "other/a.md", stdin=BROKEN)
    assert findings(result)[0]["path"] == "other/a.md"


def test_the_suffix_gives_the_kind() -> None:
    result = invoke("-", "--stdin-filename", "other/flow.mmd", stdin=b"flowchart LR\n  A[x (y)]\n")
    assert [(f["line"], f["code"]) for f in findings(result)] == [("2", "MS001")]
    assert result.stdout.endswith("(1 file, 1 diagram checked).\n")


def test_editor_friendly_flags() -> None:
    """What the README's editor set-ups use: --exit-zero (a finding is not a failure of the
    command), --no-cache, the one-line format, and github/json for other integrations."""
    result = invoke("-", "--stdin-filename", "other/a.md", "--exit-zero", "--no-cache",
                    stdin=BROKEN)
    assert result.exit_code == 0
    assert len(findings(result)) == 1
    github = invoke("-", "--stdin-filename", "other/a.md", "--format", "github", stdin=BROKEN)
    assert github.stdout.startswith("::error file=other/a.md,line=5,col=13,")


def test_a_broken_configuration_for_the_stdin_file_exits_2(project: Path) -> None:
    (project / "other" / ".mermaidlint.toml").write_text('select = ["NOPE999"]\n')
    result = invoke("-", "--stdin-filename", "other/a.md", stdin=BROKEN)
    assert result.exit_code == 2
    assert "configuration error" in result.stderr
