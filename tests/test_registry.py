"""The registry: built-in rules and diagnostics, clashes, crash isolation, `rules` and `rule`."""

from __future__ import annotations

import importlib.machinery
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from mermaidlint import engine, files, registry, select
from mermaidlint.cli import cli
from mermaidlint.diagnostics import Severity
from mermaidlint.engine import Settings
from mermaidlint.flowchart.ast import Node, Subgraph
from mermaidlint.registry import (
    BUILTIN_DIAGNOSTICS,
    Registry,
    RegistryError,
    RuleInfo,
    build_registry,
    get_registry,
    rule_info,
)
from mermaidlint.rule import Rule, RuleContext

MINE = ("MD001", "MD002", "MD003", "MD004", "MD005", "MS102", "MS103", "MS104", "MS105", "MS107")


def test_builtin_rules_and_diagnostics_are_registered() -> None:
    reg = get_registry()
    for code in (*MINE, "MS001", "MS002", "MS003", "MS004", "MS005", "MS101", "MX001", "MX002",
                 "MX100"):
        assert code in reg.by_code, code
    assert reg.lookup("missing-direction") is reg.by_code["MD001"]
    assert reg.lookup("md001") is reg.by_code["MD001"]
    assert reg.by_code["MS001"].builtin_diagnostic and not reg.by_code["MD001"].builtin_diagnostic


def test_declarations_are_complete() -> None:
    for info in get_registry():
        assert re.fullmatch(r"[A-Z]+[0-9]+", info.code)
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", info.name)
        assert info.summary and not info.summary.endswith("."), info.code
        assert info.explanation.strip(), info.code
    for code in MINE:  # the families written here say what is wrong and what is right
        text = get_registry().by_code[code].explanation
        assert "Bad" in text and "Good" in text, code


def test_ms001_explains_the_common_causes() -> None:
    text = get_registry().by_code["MS001"].explanation
    for cause in ("Quote the label", "`end` as a node id", "without its `end`"):
        assert cause in text


class _Dup(Rule):
    code: ClassVar[str] = "MD001"
    name: ClassVar[str] = "another-name"
    summary: ClassVar[str] = "x"
    explanation: ClassVar[str] = "x"

    def begin(self, ctx: RuleContext) -> None:
        pass


def test_a_clash_is_a_clear_error() -> None:
    reg = Registry()
    reg.add(rule_info(_Dup, "first.module"))
    with pytest.raises(RegistryError, match=r"rule code `MD001` is declared twice: by "
                                            r"first\.module and by second"):
        reg.add(rule_info(_Dup, "second"))
    other = RuleInfo("ZZ001", "another-name", "x", "x", Severity.WARNING, origin="third")
    with pytest.raises(RegistryError, match="rule name `another-name` is declared twice"):
        reg.add(other)


def test_bad_declarations_are_refused() -> None:
    class NoHooks(Rule):
        code: ClassVar[str] = "ZZ001"
        name: ClassVar[str] = "no-hooks"
        summary: ClassVar[str] = "x"
        explanation: ClassVar[str] = "x"

    class BadCode(_Dup):
        code: ClassVar[str] = "md-1"

    class BadName(_Dup):
        name: ClassVar[str] = "Bad_Name"

    for cls, problem in ((NoHooks, "defines none of the hooks"), (BadCode, "capitals then"),
                         (BadName, "kebab-case")):
        with pytest.raises(RegistryError, match=problem):
            rule_info(cls, "here")


def test_building_twice_gives_the_same_table() -> None:
    assert [i.code for i in build_registry()] == [i.code for i in get_registry()]


# ---- a rule that crashes ---------------------------------------------------------------------


class _Crashes(Rule):
    code: ClassVar[str] = "ZZ900"
    name: ClassVar[str] = "crashes"
    summary: ClassVar[str] = "Raises on the second node"
    explanation: ClassVar[str] = "A test rule."

    def node(self, node: Node, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        if node.id.value == "B":
            raise RuntimeError("boom")
        ctx.report(node.id.span, f"saw {node.id.value}")


@pytest.fixture
def crashing_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    reg = build_registry(include_plugins=False)
    reg.add(rule_info(_Crashes, __name__))
    monkeypatch.setattr(registry, "_REGISTRY", reg)
    select.clear_caches()
    yield reg
    select.clear_caches()


def test_a_crashing_rule_is_reported_and_the_others_go_on(crashing_registry: Registry) -> None:
    markdown = "```mermaid\ngraph\n  A --> B --> C\n```\n\n```mermaid\ngraph\n  A --> C\n```\n"
    result = engine.lint_source(files.source_from_text("doc.md", markdown),
                                Settings(select=("ZZ900", "MD001")))
    found = [(d.line, d.code, d.message) for d in result.diagnostics]
    assert found == [
        (2, "MD001", found[0][2]),
        (2, "MX002", "rule ZZ900 (crashes) crashed in `node` on this diagram: RuntimeError: boom"),
        (3, "ZZ900", "saw A"),  # reported before the crash; not called again on this diagram
        (7, "MD001", found[3][2]),
        (8, "ZZ900", "saw A"),  # the next diagram is checked again
        (8, "ZZ900", "saw C"),
    ]


# ---- the commands ----------------------------------------------------------------------------


def test_rules_command_json() -> None:
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [r["code"] for r in listed] == sorted(r["code"] for r in listed)
    md001 = next(r for r in listed if r["code"] == "MD001")
    assert md001 == {"code": "MD001", "name": "missing-direction",
                     "summary": md001["summary"], "severity": "warning", "fixable": True,
                     "enabled_by_default": True}
    assert {r["code"] for r in listed} >= {i.code for i in BUILTIN_DIAGNOSTICS}


def test_rules_command_text() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(re.match(r"MD002 +undirected-link +warning +fix +opt-in +A link", x)
               for x in lines)
    assert any(line.startswith("MS001  syntax-error") for line in lines)


@pytest.mark.parametrize("token", ["MD001", "md001", "missing-direction"])
def test_rule_command(token: str) -> None:
    result = CliRunner().invoke(cli, ["rule", token])
    assert result.exit_code == 0
    assert result.output.startswith("MD001 missing-direction\n")
    assert "Fixable: yes" in result.output and "Bad:" in result.output


def test_rule_command_builtin_diagnostic() -> None:
    result = CliRunner().invoke(cli, ["rule", "MS001"])
    assert result.exit_code == 0
    assert "reported by mermaidlint itself" in result.output


def test_rule_command_unknown() -> None:
    result = CliRunner().invoke(cli, ["rule", "missing-directon"])
    assert result.exit_code == 2
    assert "unknown rule `missing-directon`; did you mean missing-direction?" in result.output


# ---- two rules in one walk -------------------------------------------------------------------


class _CountsNodes(Rule):
    """Counts nodes in its own state between its hooks, under a key the other uses too."""

    code: ClassVar[str] = "ZZ901"
    name: ClassVar[str] = "counts-nodes"
    summary: ClassVar[str] = "Counts nodes"
    explanation: ClassVar[str] = "A test rule."
    step: ClassVar[int] = 1

    def node(self, node: Node, parents: tuple[Subgraph, ...], ctx: RuleContext) -> None:
        ctx.state["count"] = int(str(ctx.state.get("count", 0))) + self.step

    def end(self, ctx: RuleContext) -> None:
        ctx.report(ctx.chart.header.span, f"{ctx.rule.code} counted {ctx.state['count']}")


class _CountsTwice(_CountsNodes):
    code: ClassVar[str] = "ZZ902"
    name: ClassVar[str] = "counts-twice"
    step: ClassVar[int] = 2


def test_rules_walked_together_keep_their_own_state_and_findings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    reg = build_registry(include_plugins=False)
    reg.add(rule_info(_CountsNodes, __name__))
    reg.add(rule_info(_CountsTwice, __name__))
    monkeypatch.setattr(registry, "_REGISTRY", reg)
    select.clear_caches()
    try:
        markdown = "```mermaid\ngraph\n  A --> B --> C\n```\n\n```mermaid\ngraph\n  A --> C\n```\n"
        result = engine.lint_source(files.source_from_text("doc.md", markdown),
                                    Settings(select=("ZZ9",)))
    finally:
        select.clear_caches()
    assert [(d.line, d.code, d.message) for d in result.diagnostics] == [
        (2, "ZZ901", "ZZ901 counted 3"), (2, "ZZ902", "ZZ902 counted 6"),
        (7, "ZZ901", "ZZ901 counted 2"), (7, "ZZ902", "ZZ902 counted 4"),  # new for each diagram
    ]


# ---- the look for plugins before importlib.metadata is asked -------------------------------


def _distribution(folder: Path, name: str, entry_points: str | None) -> None:
    info = folder / name
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: x\nVersion: 1\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)


def test_plugins_are_looked_for_in_the_entry_points_of_distributions(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _distribution(site, "other-1.0.dist-info", "[console_scripts]\nother = other:main\n")
    _distribution(site, "bare-2.0.dist-info", None)
    _distribution(site, "Old.EGG-INFO", "[pytest11]\nold = old.plugin\n")
    (site / "module.py").write_text("")
    missing = str(tmp_path / "missing")
    finders = [importlib.machinery.PathFinder]
    assert not registry.may_declare_plugins([str(site), missing], finders)
    _distribution(site, "rules-0.1.egg-info",
                  f"[{registry.ENTRY_POINT_GROUP}]\nrules = rules_pkg\n")
    assert registry.may_declare_plugins([missing, str(site)], finders)


def test_plugins_are_looked_for_wherever_the_look_cannot_tell(tmp_path: Path) -> None:
    zipped = tmp_path / "bundle.zip"
    zipped.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    egg = tmp_path / "thing-1.0.egg"
    egg.mkdir()
    path_finder = [importlib.machinery.PathFinder]
    assert registry.may_declare_plugins([str(zipped)], path_finder)
    assert registry.may_declare_plugins([str(egg)], path_finder)

    class OwnDistributions:
        def find_distributions(self, context: object = None) -> list[object]:
            return []

    assert registry.may_declare_plugins([], [*path_finder, OwnDistributions()])


def test_a_no_from_the_look_for_plugins_is_importlib_metadatas_answer_too() -> None:
    import importlib.metadata

    found = importlib.metadata.entry_points(group=registry.ENTRY_POINT_GROUP)
    if not registry.may_declare_plugins(sys.path, sys.meta_path):
        assert not found
    assert registry.may_declare_plugins(sys.path, sys.meta_path) or not found


def test_the_version_is_the_installed_distributions() -> None:
    import importlib.metadata

    from mermaidlint import __version__

    assert __version__ == importlib.metadata.version("mermaidlint")


def test_a_check_without_plugins_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    # Its import cost every cold run about 35 ms of serial start (see may_declare_plugins).
    # (The default, text output: JSON's models are pydantic's, which imports it itself.)
    (tmp_path / "doc.md").write_text("```mermaid\nflowchart LR\n  A --> B\n```\n")
    probe = ("import sys\nfrom mermaidlint.cli import main\n"
             "try:\n    main(['check', '--no-cache', 'doc.md'])\n"
             "except SystemExit:\n    pass\n"
             "print('importlib.metadata' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, check=True)
    assert "1 diagram in 1 file" in done.stdout  # the run did check it
    assert done.stdout.splitlines()[-1] == "False"
