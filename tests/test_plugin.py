"""A third-party rule package, installed beside mermaidlint in a fresh virtual environment.

fixtures/plugin is a tiny plugin (its own pyproject.toml declares the `mermaidlint.rules` entry
point). Both it and mermaidlint are built as wheels from copies (so nothing is written into the
working tree) and installed into a new virtual environment without the system site-packages;
mermaidlint's own dependencies come from the package index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "fixtures" / "plugin"
BUILD_INPUTS = ("pyproject.toml", "README.md", "src", "grammar", "rules")


def run(*argv: str | Path, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def _copy(names: tuple[str, ...], source: Path, target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    target.mkdir(parents=True)
    for name in names:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=ignore)
        else:
            shutil.copy2(source / name, target / name)
    return target


@pytest.fixture(scope="module")
def env_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh virtual environment holding mermaidlint and the example plugin."""
    tmp = tmp_path_factory.mktemp("plugin")
    tree = _copy(BUILD_INPUTS, ROOT, tmp / "mermaidlint")
    plugin = _copy(("pyproject.toml", "mermaidlint_example_plugin"), PLUGIN, tmp / "plugin")
    wheels = tmp / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, tree,
                plugin, cwd=tmp)
    assert built.returncode == 0, built.stdout + built.stderr
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)  # no system site-packages: only what is installed here
    bin_dir = env_dir / "bin"
    installed = run(bin_dir / "python", "-m", "pip", "install", "-q", *sorted(wheels.iterdir()),
                    cwd=tmp)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return bin_dir


def test_plugin_rule_runs(env_bin: Path, tmp_path: Path) -> None:
    proc = run(env_bin / "mermaidlint", "check", PLUGIN / "example.md", "--format", "json",
               "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = [(d["line"], d["column"], d["code"], d["message"])
             for d in json.loads(proc.stdout)["diagnostics"] if d["code"] == "XT001"]
    assert found == [(5, 21, "XT001", "node `B` still has a TODO label")]


def test_plugin_rule_is_selectable(env_bin: Path, tmp_path: Path) -> None:
    proc = run(env_bin / "mermaidlint", "check", PLUGIN / "example.md", "--no-cache",
               "--ignore", "todo-label", "--select", "XT", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_plugin_rule_is_listed_and_explained(env_bin: Path, tmp_path: Path) -> None:
    proc = run(env_bin / "mermaidlint", "rules", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    listed = {r["code"]: r for r in json.loads(proc.stdout)}
    assert listed["XT001"] == {"code": "XT001", "name": "todo-label",
                               "summary": "A node label still says TODO", "severity": "warning",
                               "fixable": False, "enabled_by_default": True}
    assert "MD001" in listed  # the built-in rules are still there
    proc = run(env_bin / "mermaidlint", "rule", "todo-label", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "plugin mermaidlint-example-plugin==0.1.0" in proc.stdout
