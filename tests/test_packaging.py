"""The package as users get it: a wheel in a fresh virtual environment, and the editable install.

The grammar and the rules live outside src/ in the repository (see pyproject.toml); these tests
make sure both kinds of installation still ship and import them.
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
FIXTURES = ROOT / "fixtures"
# What a build needs; copied so that building never writes into the working tree.
BUILD_INPUTS = ("pyproject.toml", "README.md", "src", "grammar", "rules")

RESOURCE_PROBE = (
    "import mermaidlint, mermaidlint.rules, mermaidlint.grammar; "
    "from importlib.resources import files; "
    "print(mermaidlint.__file__); "
    "print(files('mermaidlint.grammar').joinpath('flowchart.lark').read_text()[:10])"
)


def run(*argv: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel built from this tree; returns its bin/."""
    tmp = tmp_path_factory.mktemp("packaging")
    tree = tmp / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    for name in BUILD_INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tree / name, ignore=ignore)
        else:
            tree.mkdir(exist_ok=True)
            shutil.copy2(src, tree / name)

    wheels = tmp / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, tree,
                cwd=tmp)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("mermaidlint-*.whl")

    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    installed = run(bin_dir / "python", "-m", "pip", "install", "-q", wheel, cwd=tmp)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return bin_dir


def test_wheel_version(installed: Path, tmp_path: Path) -> None:
    proc = run(installed / "mermaidlint", "--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("mermaidlint ")
    # The version is written once, in the package; the wheel's metadata reads it from there.
    probe = run(installed / "python", "-c", "import importlib.metadata, mermaidlint; "
                "print(mermaidlint.__version__, importlib.metadata.version('mermaidlint'))",
                cwd=tmp_path)
    in_package, in_metadata = probe.stdout.split()
    assert proc.stdout.split() == ["mermaidlint", in_package]
    assert in_package == in_metadata


def test_wheel_ships_grammar_and_rules(installed: Path, tmp_path: Path) -> None:
    proc = run(installed / "python", "-c", RESOURCE_PROBE, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    module_file, grammar_head = proc.stdout.splitlines()
    assert "site-packages" in module_file  # the installed copy, not this working tree
    assert grammar_head.strip()


def test_wheel_checks_fixtures(installed: Path, tmp_path: Path) -> None:
    broken = run(installed / "mermaidlint", "check", FIXTURES / "broken.md", "--format", "json",
                 "--no-cache", cwd=tmp_path)
    assert broken.returncode == 1, broken.stderr
    report = json.loads(broken.stdout)
    assert report["diagnostics"]
    assert all(d["path"].endswith("broken.md") for d in report["diagnostics"])

    good = run(installed / "mermaidlint", "check", FIXTURES / "good.md", "--no-cache",
               cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.startswith("All checks passed")


def test_current_install_imports_grammar_and_rules(tmp_path: Path) -> None:
    """The environment running the tests (an editable install in development and CI)."""
    proc = run(sys.executable, "-c", RESOURCE_PROBE, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].strip()
