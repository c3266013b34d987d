"""Configuration files: where they are found, what they may hold, and how a bad one is reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mermaidlint.cache import cache_key
from mermaidlint.cli import cli
from mermaidlint.config import (
    DEFAULT,
    Config,
    ConfigError,
    config_for,
    find_config_file,
    load_config,
)
from mermaidlint.engine import Settings

DOC = "# Doc\n\n```mermaid\ngraph\n    A <--> B\n```\n"  # MD001 and MD003


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", *args])


def codes(result: Result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)["diagnostics"]]


@pytest.fixture(autouse=True)
def _fresh_lookups() -> None:
    find_config_file.cache_clear()


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert config_for(tmp_path) is DEFAULT  # (nothing above pytest's temporary folders)


def test_kebab_case_keys(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path / ".mermaidlint.toml", """
select = ["MD"]
extend-select = ["MS105"]
per-file-ignores = {"docs/*.md" = ["MD001"]}
[planes]
palette = "tailwind"
class-names = {edge = ["cdn"]}
[latency]
critical-path = "thick+planes"
"""))
    config = loaded.config
    assert config.select == ["MD"] and config.extend_select == ["MS105"]
    assert config.per_file_ignores == {"docs/*.md": ["MD001"]}
    assert config.planes.palette == "tailwind" and config.planes.class_names == {"edge": ["cdn"]}
    assert config.latency.critical_path == "thick+planes"


def test_pyproject_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.mermaidlint]\n'
                                              'ignore = ["MD003"]\n')
    assert load_config(path).config.ignore == ["MD003"]


def test_nearest_file_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "mermaidlint.toml", 'ignore = ["MD001"]\n')
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.mermaidlint]
    write(tmp_path / "a" / "b" / ".mermaidlint.toml", 'ignore = ["MD003"]\n')
    write(tmp_path / "a" / "b" / "mermaidlint.toml", 'ignore = ["MS001"]\n')  # less preferred
    assert config_for(tmp_path / "a").path == tmp_path / "mermaidlint.toml"
    assert config_for(tmp_path / "a" / "b" / "c").path == tmp_path / "a" / "b" / ".mermaidlint.toml"
    override = write(tmp_path / "elsewhere.toml", "")
    assert config_for(tmp_path / "a" / "b", override).path == override.absolute()


def test_each_file_gets_its_nearest_configuration(tmp_path: Path) -> None:
    write(tmp_path / "top.md", DOC)
    write(tmp_path / "sub" / "inner.md", DOC)
    write(tmp_path / "sub" / ".mermaidlint.toml", 'ignore = ["MD001"]\n')
    result = check(str(tmp_path))
    found = {(Path(d["path"]).name, d["code"])
             for d in json.loads(result.stdout)["diagnostics"]}
    assert found == {("top.md", "MD001"), ("top.md", "MD003"), ("inner.md", "MD003")}


def test_config_option_overrides_the_search(tmp_path: Path) -> None:
    write(tmp_path / "doc.md", DOC)
    write(tmp_path / ".mermaidlint.toml", 'ignore = ["MD001"]\n')
    other = write(tmp_path / "other.toml", 'ignore = ["MD003"]\n')
    assert codes(check(str(tmp_path / "doc.md"))) == ["MD003"]
    assert codes(check(str(tmp_path / "doc.md"), "--config", str(other))) == ["MD001"]


def test_config_option_missing_file(tmp_path: Path) -> None:
    result = check(str(tmp_path), "--config", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert "nope.toml" in result.output


@pytest.mark.parametrize(("text", "key", "detail"), [
    ('selct = ["MD"]', "selct", "unknown key; allowed keys here: select, ignore, extend-select"),
    ("[planes]\ncolour = 1", "planes.colour", "allowed keys here: palette, palettes, class-names"),
    ('select = "MD"', "select", "must be a list"),
    ('[planes]\npalette = "neon"', "planes.palette",
     "unknown palette `neon`; allowed: seed, tailwind, auto"),
    ('[planes]\nclass-names = {edgy = ["x"]}', "planes.class-names",
     "unknown plane `edgy`; allowed: edge, service, state, control"),
    ('[latency]\ncritical-path = "thin"', "latency.critical-path",
     "unknown value `thin`; allowed: thick, thick+planes"),
    ('select = ["MZ"]', "select", "unknown rule code, prefix or name `MZ`"),
    ('per-file-ignores = {"*.md" = ["nope"]}', 'per-file-ignores."*.md"', "`nope`"),
])
def test_bad_values_name_the_file_and_the_key(tmp_path: Path, text: str, key: str,
                                              detail: str) -> None:
    path = write(tmp_path / ".mermaidlint.toml", text + "\n")
    write(tmp_path / "doc.md", DOC)
    result = check(str(tmp_path / "doc.md"))
    assert result.exit_code == 2
    assert f"{path}: `{key}`: " in result.output
    assert detail in result.output


def test_pyproject_errors_use_the_full_key(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.mermaidlint]\nignores = []\n")
    write(tmp_path / "doc.md", DOC)
    result = check(str(tmp_path / "doc.md"))
    assert result.exit_code == 2
    assert "`tool.mermaidlint.ignores`: unknown key" in result.output


def test_invalid_toml(tmp_path: Path) -> None:
    path = write(tmp_path / "mermaidlint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(path)


def test_settings_carry_the_configuration_into_the_cache_key() -> None:
    plain = Settings()
    configured = plain.with_config(
        DEFAULT.__class__(Config.model_validate({"ignore": ["MD001"]}), Path("x.toml")))
    assert cache_key(plain, "a.md", b"x") != cache_key(configured, "a.md", b"x")
    assert hash(configured) == hash(plain.with_config(
        DEFAULT.__class__(Config.model_validate({"ignore": ["MD001"]}), Path("x.toml"))))


def test_dump_round_trips_with_and_without_validation(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path / ".mermaidlint.toml", """
ignore = ["MD001"]
[planes]
palettes = {mine = {edge = "#111111"}}
palette = "mine"
[acronyms]
glossary = {WAF = "Web Application Firewall"}
require-in-document = true
"""))
    dump = loaded.config.model_dump_json()
    assert Config.from_dump(dump) == loaded.config
    assert Config.model_validate_json(dump) == loaded.config
    assert Config.from_dump(Config().model_dump_json()) == Config()


def test_defaults_travel_as_nothing_to_the_workers(tmp_path: Path) -> None:
    # A pyproject.toml without the table, or a file that repeats the defaults, configures
    # nothing: the workers get no configuration to rebuild.
    same = load_config(write(tmp_path / "mermaidlint.toml", '[planes]\npalette = "seed"\n'))
    assert Settings().with_config(same).config_json == ""
    other = load_config(write(tmp_path / "other.toml", 'ignore = ["MD001"]\n'))
    assert Settings().with_config(other).config_json == other.config.model_dump_json()


def test_a_run_without_a_configuration_file_does_not_import_pydantic(tmp_path: Path) -> None:
    # pydantic validates configuration files; importing it costs a third of the start-up, so a
    # run that reads none must not (and a run that reads one must, to validate it).
    write(tmp_path / "doc.md", DOC)
    probe = ("import sys\nfrom mermaidlint.cli import main\n"
             "try:\n    main(['check', '--no-cache', 'doc.md'])\nexcept SystemExit:\n    pass\n"
             "print('pydantic' in sys.modules)\n")
    plain = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                           text=True, check=True)
    assert plain.stdout.splitlines()[-1] == "False"
    write(tmp_path / ".mermaidlint.toml", 'ignore = ["MD003"]\n')
    configured = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path,
                                capture_output=True, text=True, check=True)
    assert configured.stdout.splitlines()[-1] == "True"
    assert "MD003" not in configured.stdout and "MD003" in plain.stdout
