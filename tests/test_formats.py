"""Output formats: golden files for each format, and the details each one must get right.

The golden files in tests/golden/ are the whole output of ``mermaidlint check fixtures`` over a
copy of some example files (see ``GOLDEN_INPUTS``) and one file that is not UTF-8. When a change
of output is intended, regenerate them and review the diff:

    MERMAIDLINT_UPDATE_GOLDEN=1 pytest tests/test_formats.py
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mermaidlint.cli import cli
from mermaidlint.engine import ReportedDiagnostic
from mermaidlint.output import full, github, statistics
from mermaidlint.runner import Report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("MERMAIDLINT_UPDATE_GOLDEN") == "1"

# Copied from fixtures/ into the work folder under the same names.
GOLDEN_INPUTS = ("broken.md", "good.md", "diagram.mmd")
NOT_UTF8 = "fixtures/latin1.md"


@pytest.fixture(autouse=True)
def _work_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test runs in a folder of its own holding copies of the inputs as fixtures/ (outside
    any git repository, so that paths are relative to it) and caches nothing."""
    work = tmp_path / "work"
    for name in GOLDEN_INPUTS:
        target = work / "fixtures" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, target)
    (work / NOT_UTF8).write_bytes(b"# Caf\xe9\n\n```mermaid\nflowchart LR\n    A --> B\n```\n")
    monkeypatch.chdir(work)
    monkeypatch.setenv("MERMAIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return work


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, ["check", *args], input=stdin, catch_exceptions=False)


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), (f"{path} is missing: run MERMAIDLINT_UPDATE_GOLDEN=1 pytest "
                           "tests/test_formats.py to create it")
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True),
                                            actual.splitlines(keepends=True),
                                            f"golden/{name}", "actual"))
        pytest.fail(f"output differs from tests/golden/{name} (if intended, regenerate with "
                    f"MERMAIDLINT_UPDATE_GOLDEN=1 pytest tests/test_formats.py):\n{diff}")


GOLDEN_RUNS = [
    ("text.txt", ()),
    ("full.txt", ("--format", "full")),
    ("github.txt", ("--format", "github")),
    ("json.json", ("--format", "json")),
    ("sarif.sarif", ("--format", "sarif")),
    ("statistics.txt", ("--statistics",)),
    ("statistics.json", ("--statistics", "--format", "json")),
]


@pytest.mark.parametrize(("name", "args"), GOLDEN_RUNS, ids=[n for n, _ in GOLDEN_RUNS])
def test_golden(name: str, args: tuple[str, ...]) -> None:
    result = invoke("fixtures", "--no-cache", *args)
    assert result.exit_code == 1, result.stderr
    assert "fixtures/latin1.md:1: not valid UTF-8" in result.stderr
    check_golden(name, result.stdout)


def test_golden_files_are_all_used() -> None:
    if UPDATE:
        pytest.skip("regenerating")
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(n for n, _ in GOLDEN_RUNS)


# ---- --output-file, --exit-zero, --statistics ------------------------------------------------


@pytest.mark.parametrize("output_format", ["text", "full", "json", "github", "sarif"])
def test_output_file_holds_what_stdout_would(tmp_path: Path, output_format: str) -> None:
    printed = invoke("fixtures", "--no-cache", "--format", output_format).stdout
    target = tmp_path / "reports" / f"out.{output_format}"  # its folder is made
    result = invoke("fixtures", "--no-cache", "--format", output_format,
                    "--output-file", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert target.read_bytes().decode("utf-8") == printed
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


def test_output_file_replaces_an_old_report(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old and much longer than the new report " * 1000)
    target.chmod(0o640)
    assert invoke("fixtures/good.md", "--format", "json", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text())["diagnostics"] == []
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_file_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = invoke("fixtures/good.md", "--output-file", str(folder))
    assert result.exit_code == 2
    assert "--output-file" in result.stderr


def test_exit_zero() -> None:
    result = invoke("fixtures/broken.md", "--exit-zero")
    assert result.exit_code == 0
    assert "MS001" in result.stdout
    assert invoke("fixtures/good.md", "--exit-zero").exit_code == 0


def test_exit_zero_still_exits_2_on_errors() -> None:
    result = invoke("fixtures/broken.md", "no/such.md", "--exit-zero")
    assert result.exit_code == 2


def test_statistics_of_a_clean_run_is_empty() -> None:
    result = invoke("fixtures/good.md", "--statistics")
    assert (result.exit_code, result.stdout) == (0, "")


def test_statistics_is_refused_with_machine_formats() -> None:
    for output_format in ("sarif", "github"):
        result = invoke("fixtures", "--statistics", "--format", output_format)
        assert result.exit_code == 2
        assert "--statistics" in result.stderr


def _diagnostic(code: str, name: str = "n", fixable: bool = False, *, path: str = "a.md",
                line: int = 1, column: int = 1, end_line: int = 1, end_column: int = 2,
                severity: str = "error", message: str = "m", notes: tuple[str, ...] = ()
                ) -> ReportedDiagnostic:
    return ReportedDiagnostic(path=path, line=line, column=column, end_line=end_line,
                              end_column=end_column, code=code, name=name, severity=severity,
                              message=message, fixable=fixable, notes=notes)


def test_statistics_order_and_alignment() -> None:
    report = Report(files=1, diagnostics=[
        *[_diagnostic("MS001", "syntax-error", fixable=True)] * 12,
        _diagnostic("MD001", "missing-direction"),
        *[_diagnostic("MX100", "unused-suppression")] * 3,
        *[_diagnostic("ML001", "malformed-latency-figure")] * 3,
    ])
    assert statistics.render(report) == (
        "12  MS001  syntax-error\n"
        " 3  ML001  malformed-latency-figure\n"
        " 3  MX100  unused-suppression\n"
        " 1  MD001  missing-direction\n"
    )
    assert json.loads(statistics.render_json(report))[0] == {
        "code": "MS001", "name": "syntax-error", "count": 12, "fixable": 12}


# ---- github -----------------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert github.escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_line_and_severities(tmp_path: Path) -> None:
    report = Report(files=1, diagnostics=[
        _diagnostic("MS001", path="docs/a,b:c.md", line=3, column=5, end_line=4, end_column=2,
                    message="50% of `a`\nnext", notes=("try: this",)),
        _diagnostic("MD001", severity="warning"),
        _diagnostic("MX100", severity="info"),
    ])
    lines = github.render(report, root=Path.cwd()).splitlines()
    assert lines[0] == ("::error file=docs/a%2Cb%3Ac.md,line=3,col=5,endLine=4,endColumn=2,"
                        "title=MS001::50%25 of `a`%0Anext%0Atry: this")
    assert lines[1].startswith("::warning file=a.md,line=1,col=1,endLine=1,endColumn=2,")
    assert lines[2].startswith("::notice ")
    assert github.render(Report()) == ""


def test_github_paths_are_relative_to_the_repository_root(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text("```mermaid\nflowchart\n  A[(x] --> B\n```\n")
    monkeypatch.chdir(repo / "docs")
    result = invoke("a.md", "--no-cache", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=docs/a.md,line=3,")


# ---- full -------------------------------------------------------------------------------------


def test_full_carets_with_tabs_wide_characters_and_crlf() -> None:
    Path("t.md").write_bytes(
        "# T\r\n\r\n```mermaid\r\nflowchart LR\r\n\tA[日本 (x)] --> B\r\n```\r\n".encode())
    out = invoke("t.md", "--no-cache", "--format", "full").stdout
    lines = out.splitlines()
    source = next(k for k, line in enumerate(lines) if line.startswith("5 |"))
    assert lines[source] == "5 |     A[日本 (x)] --> B"  # the tab as four spaces, no CR
    caret = lines[source + 1]
    assert caret.endswith("^ MS001")
    # 日本 takes two cells each on screen: the caret stands under the "("
    assert caret.index("^") == len("5 |     A[日本 ") + 2
    assert "\r" not in out


def test_full_shows_notes_as_help_and_the_fix() -> None:
    out = invoke("fixtures/broken.md", "--no-cache", "--format", "full").stdout
    assert "  = help: Parentheses" in out
    assert "  = fix: " in out
    assert out.endswith("Found 3 errors in 3 diagrams (1 file, 3 diagrams checked).\n")


def test_full_multi_line_span_and_control_characters() -> None:
    text = "line one\n\x1b[31mtwo\nthree"
    Path("m.md").write_text(text)
    report = Report(files=1, diagnostics=[_diagnostic("MS001", path="m.md", line=1, column=6,
                                                      end_line=3, end_column=3)])
    out = full.render(report)
    assert "\x1b" not in out  # an escape sequence in a file is shown, not obeyed
    assert ("  |\n"
            "1 | line one\n"
            "  |      ^^^\n"
            "2 | \u241b[31mtwo\n"
            "  | ^^^^^^^^\n"
            "3 | three\n"
            "  | ^^ MS001\n"
            "  |\n") in out


def test_full_without_the_source_still_reports() -> None:
    report = Report(files=1, diagnostics=[_diagnostic("MX001", path="gone.md",
                                                      notes=("a note",))])
    assert full.render(report).startswith("gone.md:1:1: MX001 m\n  = help: a note\n")


def test_full_zero_width_span_at_the_end_of_a_line() -> None:
    Path("z.md").write_text("abc\n")
    report = Report(files=1, diagnostics=[_diagnostic("MS001", path="z.md", line=1, column=4,
                                                      end_line=1, end_column=4)])
    assert "1 | abc\n  |    ^ MS001\n" in full.render(report)


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_colour_only_when_asked_or_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = invoke("fixtures/broken.md", "--no-cache", "--format", "full").stdout
    assert not ANSI.search(plain)  # not a terminal
    coloured = invoke("fixtures/broken.md", "--no-cache", "--format", "full", "--color").stdout
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI.search(invoke("fixtures/broken.md", "--format", "full").stdout)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(invoke("fixtures/broken.md", "--format", "full").stdout)
    assert ANSI.search(invoke("fixtures/broken.md", "--format", "full", "--color").stdout)
    monkeypatch.delenv("NO_COLOR")
    assert not ANSI.search(invoke("fixtures/broken.md", "--format", "full",
                                  "--no-color").stdout)


def test_colour_on_a_terminal_respects_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from mermaidlint.cli import _Output

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    assert _Output("full").colored()
    assert not _Output("full", file=Path("x")).colored()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _Output("full").colored()
    assert _Output("full", color=True).colored()
