"""The pre-commit hooks (.pre-commit-hooks.yaml), run for real with ``pre-commit try-repo``.

pre-commit needs the hook repository as a git repository with the manifest committed, so the
tests copy this working tree (tracked and untracked files, not ignored ones) into a temporary
folder and commit it there: they work the same from a clean clone in CI and from a tree with
uncommitted changes. pre-commit then installs mermaidlint from that copy into a virtual
environment of its own (with pip, from PyPI), once for the module: the first test takes a
minute or so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 900

GOOD = """# Good

```mermaid
flowchart LR
    A["Cache (hot keys)"] --> B
```
"""
BROKEN = """# Broken

```mermaid
flowchart LR
    A[Cache (hot keys)] --> B
```
"""
BROKEN_MMD = "flowchart LR\n    A --> \n"


def _manifest() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")
    hooks: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hooks


def test_manifest() -> None:
    hooks = {hook["id"]: hook for hook in _manifest()}
    assert set(hooks) == {"mermaidlint", "mermaidlint-fix"}
    assert hooks["mermaidlint"]["entry"] == "mermaidlint check"
    assert hooks["mermaidlint-fix"]["entry"] == "mermaidlint check --fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["markdown", "mdx"]
        assert hook["name"]


def test_fix_flag_exists() -> None:
    """The mermaidlint-fix hook runs `check --fix`: the flag must be there."""
    from click.testing import CliRunner

    from mermaidlint.cli import cli

    assert "--fix" in CliRunner().invoke(cli, ["check", "--help"]).output


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=mermaidlint tests", "-c", "user.email=tests@example.invalid",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, check=True, timeout=120)
    return done.stdout


def _copy_of_this_repository(dest: Path) -> None:
    """The working tree as it is (tracked and untracked, not ignored), committed in ``dest``."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs git and this repository's git checkout")
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # not a file deleted from the working tree
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "mermaidlint as under test", cwd=dest)


@dataclass
class HookRepo:
    path: Path
    rev: str
    env: dict[str, str]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookRepo]:
    pytest.importorskip("pre_commit")
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "mermaidlint"
    repo.mkdir()
    _copy_of_this_repository(repo)
    rev = _git("rev-parse", "HEAD", cwd=repo).strip()
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "home"), "PRE_COMMIT_COLOR": "never",
           "MERMAIDLINT_CACHE_DIR": str(base / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for name in ("NO_COLOR", "FORCE_COLOR", "PRE_COMMIT", "VIRTUAL_ENV"):
        env.pop(name, None)
    yield HookRepo(repo, rev, env)


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", cwd=project)
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    _git("add", "-A", cwd=project)
    return project


def _pre_commit(hook_repo: HookRepo, project: Path, *args: str
                ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=project,
                          env=hook_repo.env, capture_output=True, text=True, timeout=TIMEOUT,
                          check=False)


def test_try_repo_fails_the_broken_file_and_passes_the_good_one(hook_repo: HookRepo,
                                                                 tmp_path: Path) -> None:
    project = _project(tmp_path, {"good.md": GOOD, "broken.md": BROKEN})
    both = _pre_commit(hook_repo, project, "try-repo", str(hook_repo.path), "mermaidlint",
                       "--files", "good.md", "broken.md")
    assert both.returncode == 1, both.stdout + both.stderr
    assert "broken.md:5:13: MS001 unexpected `(` inside an unquoted node label" in both.stdout
    assert "good.md:" not in both.stdout

    good = _pre_commit(hook_repo, project, "try-repo", str(hook_repo.path), "mermaidlint",
                       "--files", "good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


def test_try_repo_fix_hook_repairs_the_file(hook_repo: HookRepo, tmp_path: Path) -> None:
    project = _project(tmp_path, {"broken.md": BROKEN})
    done = _pre_commit(hook_repo, project, "try-repo", str(hook_repo.path), "mermaidlint-fix",
                       "--files", "broken.md")
    assert done.returncode == 1, done.stdout + done.stderr  # pre-commit: files were modified
    assert "files were modified by this hook" in done.stdout
    assert 'A["Cache (hot keys)"] --> B' in (project / "broken.md").read_text(encoding="utf-8")
    again = _pre_commit(hook_repo, project, "try-repo", str(hook_repo.path), "mermaidlint",
                        "--files", "broken.md")
    assert again.returncode == 0, again.stdout + again.stderr


def test_mmd_files_with_the_documented_override(hook_repo: HookRepo, tmp_path: Path) -> None:
    """The README's `files:` override makes the hook see .mmd files too (types_or alone does
    not: pre-commit knows no "mermaid" file type)."""
    config = (f"repos:\n"
              f"  - repo: {hook_repo.path}\n"
              f"    rev: {hook_repo.rev}\n"
              f"    hooks:\n"
              f"      - id: mermaidlint\n"
              f"        files: \\.(md|mdx|mmd)$\n"
              f"        types_or: [text]\n")
    project = _project(tmp_path, {"good.md": GOOD, "flow.mmd": BROKEN_MMD,
                                  ".pre-commit-config.yaml": config})
    done = _pre_commit(hook_repo, project, "run", "--all-files")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "flow.mmd:2:" in done.stdout
    # without the override, the .mmd file is not given to the hook
    (project / ".pre-commit-config.yaml").write_text(
        config.replace("        files: \\.(md|mdx|mmd)$\n        types_or: [text]\n", ""))
    _git("add", "-A", cwd=project)
    plain = _pre_commit(hook_repo, project, "run", "--all-files")
    assert plain.returncode == 0, plain.stdout + plain.stderr
