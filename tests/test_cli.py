"""`mermaidlint check` end to end: exit codes, formats, stdin, bad input, cache, parallelism."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mermaidlint import __version__, engine, runner
from mermaidlint.cache import Cache
from mermaidlint.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>M[A-Z]+\d+) (?P<msg>.+)$")


EXAMPLES = ("good.md", "broken.md", "diagram.mmd")


@pytest.fixture(autouse=True)
def _work_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test runs in a folder holding a copy of the three example files as fixtures/ (so
    that files added to the repository's fixtures/ and its configuration change nothing here);
    the cache goes to tmp_path/cache."""
    work = tmp_path / "work"
    (work / "fixtures").mkdir(parents=True)
    for name in EXAMPLES:
        shutil.copy(FIXTURES / name, work / "fixtures" / name)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MERMAIDLINT_CACHE_DIR", str(tmp_path / "cache"))


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    try:
        cli_runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        cli_runner = CliRunner()
    return cli_runner.invoke(cli, ["check", *args], input=stdin, catch_exceptions=False)


def as_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"mermaidlint {__version__}"


def test_python_dash_m() -> None:
    proc = subprocess.run([sys.executable, "-m", "mermaidlint", "--version"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"mermaidlint {__version__}"


def test_usage_error_exits_2() -> None:
    result = invoke("--format", "yaml", "fixtures/good.md")
    assert result.exit_code == 2
    assert "yaml" in result.stderr


def test_good_file_passes() -> None:
    result = invoke("fixtures/good.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == "All checks passed: 2 diagrams in 1 file.\n"
    assert result.stderr == ""


def test_broken_file_reports_each_diagram() -> None:
    result = invoke("fixtures/broken.md")
    assert result.exit_code == 1, result.output
    *lines, summary = result.stdout.splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    assert {m["path"] for m in matches if m} == {"fixtures/broken.md"}
    # The first diagram's error sits on its broken line, `A[Cache (LRU)] --> B[Database]`.
    first = matches[0]
    assert first is not None and first["line"] == "7" and first["code"].startswith("MS0")
    assert summary.startswith("Found ")
    assert summary.endswith(" in 3 diagrams (1 file, 3 diagrams checked).")


def test_folder_json() -> None:
    result = invoke("fixtures", "--format", "json")
    assert result.exit_code == 1
    data = as_json(result)
    assert data["version"] == __version__
    assert data["files"] == 3
    assert data["diagrams"] == 6
    assert data["diagnostics"]
    assert {d["path"] for d in data["diagnostics"]} == {"fixtures/broken.md"}
    for d in data["diagnostics"]:
        assert {"path", "line", "column", "end_line", "end_column", "code", "name", "severity",
                "message"} <= d.keys()
    keys = [(d["path"], d["line"], d["column"]) for d in data["diagnostics"]]
    assert keys == sorted(keys)


def test_default_path_is_the_current_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("fixtures")
    result = invoke("--format", "json")
    assert as_json(result)["files"] == 3


def test_exclude() -> None:
    result = invoke("fixtures", "--exclude", "broken.md", "--format", "json")
    assert result.exit_code == 0, result.output
    assert as_json(result)["files"] == 2


def test_stdin_with_a_markdown_name() -> None:
    data = (FIXTURES / "broken.md").read_bytes()
    result = invoke("-", "--stdin-filename", "docs/from-stdin.md", stdin=data)
    assert result.exit_code == 1
    assert result.stdout.startswith("docs/from-stdin.md:7:")


def test_stdin_with_an_mmd_name_is_one_diagram() -> None:
    data = (FIXTURES / "diagram.mmd").read_bytes()
    result = invoke("-", "--stdin-filename", "flow.mmd", "--format", "json", stdin=data)
    assert result.exit_code == 0, result.output
    assert (as_json(result)["files"], as_json(result)["diagrams"]) == (1, 1)


def test_stdin_filename_alone_reads_stdin() -> None:
    result = invoke("--stdin-filename", "flow.mmd", stdin=b"flowchart LR\n  A[x (y)] --> B\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("flow.mmd:2:")


def test_stdin_without_a_name() -> None:
    result = invoke("-", stdin=(FIXTURES / "good.md").read_bytes())
    assert result.exit_code == 0
    assert "2 diagrams in 1 file" in result.stdout


def test_stdin_together_with_files() -> None:
    result = invoke("fixtures/good.md", "-", "--stdin-filename", "s.mmd", "--format", "json",
                    stdin=(FIXTURES / "diagram.mmd").read_bytes())
    assert result.exit_code == 0
    assert as_json(result)["files"] == 2


def test_missing_path_exits_2_and_the_others_are_still_checked() -> None:
    result = invoke("fixtures/good.md", "no/such/file.md", "fixtures/broken.md")
    assert result.exit_code == 2
    assert "no/such/file.md" in result.stderr
    assert result.stderr.startswith("mermaidlint: ")
    assert "fixtures/broken.md:7:" in result.stdout
    assert "(2 files, 5 diagrams checked)" in result.stdout


def test_unreadable_file_names_file_and_line_and_the_run_goes_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bad.md").write_bytes(b"# Title\n\nsome text \xff\xfe here\n")
    shutil.copy(FIXTURES / "good.md", docs / "good.md")
    result = invoke(str(docs), "--format", "json")
    assert result.exit_code == 1
    bad = f"{docs}/bad.md"
    assert result.stderr.startswith(f"mermaidlint: {bad}:3: "), result.stderr
    data = as_json(result)
    assert data["files"] == 2
    assert data["diagrams"] == 2
    [problem] = [d for d in data["diagnostics"] if d["path"] == bad]
    assert (problem["path"], problem["line"], problem["code"], problem["name"]) == (
        bad, 3, "MX001", "unreadable-file")


def test_internal_error_in_one_file_does_not_stop_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.lint_source

    def flaky(source: Any, settings: Any = None) -> engine.FileResult:
        if source.path.endswith("good.md"):
            raise RuntimeError("boom")
        return real(source, settings)

    monkeypatch.setattr(engine, "lint_source", flaky)
    result = invoke("fixtures/good.md", "fixtures/broken.md")
    assert result.exit_code == 2
    assert "mermaidlint: internal error while checking fixtures/good.md: RuntimeError: boom" \
        in result.stderr
    assert "fixtures/broken.md:7:" in result.stdout


def test_an_interrupted_run_says_so_and_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run", interrupted)
    result = invoke("fixtures/broken.md")
    assert result.exit_code == 130
    assert result.stderr == "mermaidlint: interrupted\n"
    assert result.stdout == ""  # no report: it would be a partial one


def test_cache_hit_does_not_check_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = invoke("fixtures", "--format", "json")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / "cache" / ".gitignore").read_text().strip() == "*"

    calls: list[str] = []
    real = engine.lint_source

    def counting(source: Any, settings: Any = None) -> engine.FileResult:
        calls.append(source.path)
        return real(source, settings)

    monkeypatch.setattr(engine, "lint_source", counting)
    second = invoke("fixtures", "--format", "json")
    assert calls == []
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)

    invoke("fixtures", "--format", "json", "--no-cache")
    assert len(calls) == 3


def _write_repairable(tmp_path: Path) -> Path:
    diagram = tmp_path / "cache-lru.mmd"
    diagram.write_text("flowchart TD\n  A[Cache (LRU)] --> B\n", encoding="utf-8")
    return diagram


def test_a_text_run_does_not_search_for_the_syntax_repair(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The repair is the costly part of checking a refused diagram; text output never shows
    it, so it is not searched for (JSON, full, SARIF, --statistics and --fix do show it)."""
    from mermaidlint import check

    diagram = _write_repairable(tmp_path)
    searched: list[str] = []
    real = check.repair

    def spying(text: str, errors: Any = None) -> str | None:
        searched.append(text)
        return real(text, errors)

    monkeypatch.setattr(check, "repair", spying)
    text = invoke(str(diagram), "--no-cache")
    assert (text.exit_code, searched) == (1, [])
    assert "MS001" in text.stdout
    for shows_fixes in (["--format", "json"], ["--format", "full"], ["--format", "sarif"],
                        ["--statistics"]):
        searched.clear()
        assert invoke(str(diagram), "--no-cache", *shows_fixes).exit_code == 1
        assert len(searched) == 1, shows_fixes


def test_a_cached_text_run_does_not_hide_fixes_from_json(tmp_path: Path) -> None:
    """Whether fixes were searched for is part of the cache key: a JSON run after a text run
    of the same file still reports the repair."""
    diagram = _write_repairable(tmp_path)
    assert invoke(str(diagram)).exit_code == 1
    [found] = as_json(invoke(str(diagram), "--format", "json"))["diagnostics"]
    assert (found["code"], found["fixable"]) == ("MS001", True)


def test_changed_file_misses_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_bytes((FIXTURES / "good.md").read_bytes())
    assert invoke(str(doc)).exit_code == 0
    doc.write_bytes((FIXTURES / "broken.md").read_bytes())
    assert invoke(str(doc)).exit_code == 1


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    first = invoke("fixtures", "--format", "json")
    database = tmp_path / "cache" / "results.sqlite3"
    with closing(sqlite3.connect(database, isolation_level=None)) as db:
        keys = [row[0] for row in db.execute("SELECT key FROM results")]
        assert len(keys) == 3
        for key, damage in zip(keys, ["", "{not json", "\x00\xff"], strict=True):
            db.execute("UPDATE results SET entry = ? WHERE key = ?", (damage, key))
    second = invoke("fixtures", "--format", "json")
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, "")
    # A database that is not one at all is replaced by the next run, which reports the same.
    for name in ("results.sqlite3", "results.sqlite3-wal", "results.sqlite3-shm"):
        if (tmp_path / "cache" / name).exists():
            (tmp_path / "cache" / name).write_bytes(b"garbage" * 1000)
    third = invoke("fixtures", "--format", "json")
    assert (third.exit_code, third.stdout, third.stderr) == (first.exit_code, first.stdout, "")
    assert len(Cache(tmp_path / "cache")) == 3


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    invoke("fixtures", "--no-cache")
    assert not (tmp_path / "cache").exists()


def test_cache_dir_option(tmp_path: Path) -> None:
    invoke("fixtures", "--cache-dir", str(tmp_path / "elsewhere"))
    assert len(Cache(tmp_path / "elsewhere")) == 3
    assert not (tmp_path / "cache").exists()


def _many_files(folder: Path, count: int) -> list[runner.Input]:
    folder.mkdir()
    sources = [FIXTURES / "good.md", FIXTURES / "broken.md", FIXTURES / "diagram.mmd"]
    inputs = []
    for n in range(count):
        src = sources[n % len(sources)]
        path = folder / f"f{n:03d}{src.suffix}"
        shutil.copy(src, path)
        inputs.append(runner.Input(str(path), path=path))
    return inputs


def test_parallel_run_matches_serial(tmp_path: Path) -> None:
    inputs = _many_files(tmp_path / "many", runner.PARALLEL_THRESHOLD * 3)
    serial = runner.run(inputs, engine.Settings(), workers=1)
    parallel = runner.run(inputs, engine.Settings(), workers=2)
    assert parallel == serial
    assert [o.display_path for o in parallel] == [i.display_path for i in inputs]
    assert sum(len(o.result.diagnostics) for o in parallel if o.result) > 0


def test_parallel_run_fills_the_cache_and_reads_it_back(tmp_path: Path) -> None:
    inputs = _many_files(tmp_path / "many", runner.PARALLEL_THRESHOLD * 2)
    cache = Cache(tmp_path / "c")
    cold = runner.run(inputs, engine.Settings(), cache, workers=2)
    warm = runner.run(inputs, engine.Settings(), cache, workers=2)
    assert all(o.cached for o in warm) and not any(o.cached for o in cold)
    assert [(o.result, o.fences) for o in warm] == [(o.result, o.fences) for o in cold]


def _handed_over(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """What each run hands to runner._check_all (the files the parent did not answer)."""
    calls: list[list[Any]] = []
    real = runner._check_all

    def spy(items: list[Any], workers: int) -> Any:
        calls.append(list(items))
        return real(items, workers)

    monkeypatch.setattr(runner, "_check_all", spy)
    return calls


def test_a_warm_run_is_answered_by_the_parent_and_a_cold_one_by_the_workers(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inputs = _many_files(tmp_path / "many", runner.PROBE + 20)
    cache = Cache(tmp_path / "c")
    calls = _handed_over(monkeypatch)
    cold = runner.run(inputs, engine.Settings(), cache, workers=2)
    # Cold, on an empty cache: nothing to look up, here or in the workers; every file goes
    # unread to the workers.
    handed = calls[-1]
    assert len(handed) == len(inputs)
    assert all(item.path is not None and item.data is None and item.key is None
               and not item.look_up for item in handed)
    assert len(cache) == len(inputs)  # each result stored (in one transaction per chunk)
    warm = runner.run(inputs, engine.Settings(), cache, workers=2)
    assert calls[-1] == []  # every file answered from the cache by the parent: no worker
    assert all(o.cached for o in warm)
    assert [(o.result, o.fences) for o in warm] == [(o.result, o.fences) for o in cold]


def test_a_cold_run_on_a_cache_in_use_probes_the_first_files(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inputs = _many_files(tmp_path / "many", runner.PROBE + 20)
    cache = Cache(tmp_path / "c")
    cache.put("0" * 64, engine.FileResult(path="elsewhere.md", diagrams=0, diagnostics=[]), ())
    calls = _handed_over(monkeypatch)
    runner.run(inputs, engine.Settings(), cache, workers=2)
    # The parent read and looked up the first PROBE files (all missed, so the workers do not
    # look them up again); the others go unread, for the workers to read and look up.
    handed = calls[-1]
    assert len(handed) == len(inputs)
    assert all(item.data is not None and item.key is not None and not item.look_up
               for item in handed[:runner.PROBE])
    assert all(item.path is not None and item.data is None and item.key is None
               and item.look_up for item in handed[runner.PROBE:])


def test_after_an_edit_the_parent_looks_up_all_but_checks_only_the_changed_file(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inputs = _many_files(tmp_path / "many", runner.PROBE + 20)
    cache = Cache(tmp_path / "c")
    runner.run(inputs, engine.Settings(), cache, workers=2)
    edited = inputs[-1].path
    assert edited is not None
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    calls = _handed_over(monkeypatch)
    outcomes = runner.run(inputs, engine.Settings(), cache, workers=2)
    assert [item[0] for item in calls[-1]] == [inputs[-1].display_path]
    assert [o.cached for o in outcomes] == [True] * (len(inputs) - 1) + [False]


def test_a_file_gone_before_its_cache_lookup_is_reported_and_the_run_goes_on(
        tmp_path: Path) -> None:
    inputs = _many_files(tmp_path / "many", 3)
    gone = tmp_path / "many" / "gone.md"
    inputs.insert(1, runner.Input(str(gone), path=gone))
    outcomes = runner.run(inputs, engine.Settings(), Cache(tmp_path / "c"), workers=1)
    problem = outcomes[1].problem
    assert problem is not None and problem.path == str(gone) and outcomes[1].result is None
    assert all(o.result is not None for k, o in enumerate(outcomes) if k != 1)


def test_parallel_cli_output_matches_serial(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    _many_files(tmp_path / "many", 30)
    monkeypatch.chdir(tmp_path)
    serial_threshold = invoke("many", "--no-cache", "--format", "json")
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 1000)
    serial = invoke("many", "--no-cache", "--format", "json")
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    parallel = invoke("many", "--no-cache", "--format", "json")
    assert serial.stdout == parallel.stdout == serial_threshold.stdout
    assert serial.exit_code == parallel.exit_code == 1


# The command's process ends without the interpreter's teardown (cli.exit_at_once): an atexit
# hook shows whether it ran.
_EXIT_PROBE = """
import atexit, sys
atexit.register(lambda: print("teardown ran", file=sys.stderr))
how = sys.argv.pop(1)  # (the rest is the command line, as the console script sees it)
if how == "profiled":
    sys.setprofile(lambda *args: None)
from mermaidlint.cli import main
main(sys.argv[1:] if how == "argv" else None)
"""


@pytest.mark.parametrize("how", ["console", "profiled", "argv"])
def test_the_command_ends_at_once_with_its_output_and_status(tmp_path: Path, how: str) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("```mermaid\nflowchart LR\n  A[WAF] --> B\n```\n")
    args = [str(doc), "--no-cache", "--format", "json"]
    done = subprocess.run([sys.executable, "-c", _EXIT_PROBE, how, "check", *args],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert [d["code"] for d in json.loads(done.stdout)["diagnostics"]] == ["MA001"]
    # Only the console entry skips the teardown; under a profiler, or called with arguments
    # from Python (SystemExit, as usual), the process ends the usual way.
    assert ("teardown ran" in done.stderr) == (how != "console")


def test_a_usage_error_still_ends_with_status_2_at_once() -> None:
    done = subprocess.run([sys.executable, "-m", "mermaidlint", "check", "--no-such-flag"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "No such option" in done.stderr
