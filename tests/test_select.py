"""Selection: codes, prefixes and names; select / extend-select / ignore / per-file-ignores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mermaidlint import engine, files
from mermaidlint.cli import cli
from mermaidlint.config import Config
from mermaidlint.engine import Settings
from mermaidlint.registry import get_registry
from mermaidlint.select import (
    UnknownSelector,
    enabled_codes,
    match,
    matches_glob,
    selection_for,
    split_tokens,
)

# MS001 (syntax error) in the first diagram; MD001 and MD003 in the second.
DOC = """# Doc

```mermaid
flowchart LR
    A[Cache (LRU)] --> B
```

```mermaid
graph
    A <--> B
```
"""


def reported(settings: Settings, path: str = "docs/doc.md", text: str = DOC) -> list[str]:
    result = engine.lint_source(files.source_from_text(path, text), settings)
    return [d.code for d in result.diagnostics]


def configured(**keys: object) -> Settings:
    return Settings(config_json=Config.model_validate(keys).model_dump_json())


def test_match_codes_prefixes_names() -> None:
    reg = get_registry()
    assert match("MD001", reg) == (frozenset({"MD001"}), 1000)
    assert match("missing-direction", reg) == (frozenset({"MD001"}), 1000)
    assert match("md00", reg)[0] == frozenset(c for c in reg.by_code if c.startswith("MD00"))
    assert match("MD", reg)[1] == 2
    assert match("ALL", reg)[0] == frozenset(reg.by_code)
    for bad in ("MZ", "MD9", "no-such-rule", "M*", ""):
        with pytest.raises(UnknownSelector, match="unknown rule code, prefix or name"):
            match(bad, reg)


def test_split_tokens() -> None:
    assert split_tokens(["MD, MS1", "MP", ""]) == ("MD", "MS1", "MP")


def test_default_selection_is_the_rules_enabled_by_default() -> None:
    enabled = enabled_codes([], [], [])
    reg = get_registry()
    assert enabled == {i.code for i in reg if i.enabled_by_default}
    assert "MD002" not in enabled and "MD001" in enabled


def test_select_replaces_extend_adds_ignore_removes() -> None:
    assert enabled_codes(["MD"], [], []) >= {"MD001", "MD002"}  # opt-in rules too, by prefix
    assert "MS001" not in enabled_codes(["MD"], [], [])
    assert "MX002" in enabled_codes(["MD"], [], [])  # a crashed rule is never hidden by select
    assert enabled_codes([], ["MD002"], []) - enabled_codes([], [], []) == {"MD002"}
    assert "MD003" not in enabled_codes([], [], ["bidirectional-link"])
    assert "MX002" not in enabled_codes([], [], ["MX002"])


def test_the_more_specific_selector_wins() -> None:
    assert enabled_codes(["MD"], [], ["MD001"]) & {"MD001", "MD003"} == {"MD003"}
    assert enabled_codes([], ["MD003"], ["MD"]) & {"MD001", "MD003"} == {"MD003"}
    assert "MD003" not in enabled_codes(["MD003"], [], ["MD003"])  # a tie: ignore wins


def test_syntax_diagnostics_are_selectable_like_rules() -> None:
    assert reported(Settings()) == ["MS001", "MD001", "MD003"]
    assert reported(Settings(ignore=("MS001",))) == ["MD001", "MD003"]
    assert reported(Settings(select=("MS0",))) == ["MS001"]
    assert reported(Settings(select=("syntax-error", "MD003"))) == ["MS001", "MD003"]


def test_configuration_and_flags_combine() -> None:
    settings = configured(select=["MD"], ignore=["MD003"])
    assert reported(settings) == ["MD001"]
    assert reported(Settings(select=("MS",), config_json=settings.config_json)) == ["MS001"]
    assert reported(Settings(extend_select=("MS001",), config_json=settings.config_json)) == [
        "MS001", "MD001"]
    assert reported(Settings(ignore=("MD001",), config_json=settings.config_json)) == []


def test_per_file_ignores() -> None:
    settings = configured(per_file_ignores={"docs/*.md": ["MD"], "*.mmd": ["MS001"]})
    assert reported(settings, "docs/doc.md") == ["MS001"]
    assert reported(settings, "other/doc.md") == ["MS001", "MD001", "MD003"]
    mmd = "flowchart LR\n    A[x (y)]\n"
    assert reported(settings, "deep/er/d.mmd", mmd) == []
    assert selection_for(settings, "docs/a.md") is selection_for(settings, "./docs/b.md")


def test_matches_glob() -> None:
    assert matches_glob("docs/a/b.md", "docs/*.md")  # `*` crosses folders, as in ruff
    assert matches_glob("./docs/a.md", "docs/a.md")
    assert matches_glob("x/y/z.mmd", "*.mmd")
    assert matches_glob("x/y/z.mmd", "z.mmd")  # a bare name matches in any folder
    assert not matches_glob("docs/a.md", "other/*.md")


# ---- the command line --------------------------------------------------------------------------


def check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", *args])


def codes(result: Result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


@pytest.fixture
def doc(tmp_path: Path) -> str:
    path = tmp_path / "doc.md"
    path.write_text(DOC, encoding="utf-8")
    return str(path)


def test_flags(doc: str) -> None:
    assert codes(check(doc)) == ["MS001", "MD001", "MD003"]
    assert codes(check(doc, "--select", "MD")) == ["MD001", "MD003"]
    assert codes(check(doc, "--select", "MD001,syntax-error")) == ["MS001", "MD001"]
    assert codes(check(doc, "--select", "MD001", "--select", "MD003")) == ["MD001", "MD003"]
    assert codes(check(doc, "--ignore", "MS,MD001")) == ["MD003"]
    assert codes(check(doc, "--select", "MS0", "--extend-select", "MD003")) == ["MS001", "MD003"]


def test_ignoring_everything_passes(doc: str) -> None:
    result = CliRunner().invoke(cli, ["check", "--no-cache", doc, "--ignore", "MS,MD"])
    assert result.exit_code == 0
    assert result.output.startswith("All checks passed")


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_unknown_selector_exits_2(doc: str, flag: str) -> None:
    result = check(doc, flag, "MD001,MZ9")
    assert result.exit_code == 2
    assert f"{flag}: unknown rule code, prefix or name `MZ9`" in result.output
