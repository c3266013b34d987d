"""Check `mermaidlint check --fix` on a copy of a documentation tree with the official parser.

    python bench/fix_corpus.py [TREE] [--oracle ../shared/oracle/run] [--unsafe]

Copies TREE (default ../shared/corpus/atlas) to a temporary folder, runs --fix there, and for
every diagram whose text changed asks the official Mermaid parser (the oracle) about the text
before and after. Prints: flowcharts refused before and accepted after, diagrams accepted before
and refused after (must be 0), and whether a second --fix changes anything (must not).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mermaidlint.extract import extract_diagrams
from mermaidlint.files import discover, read_source

ROOT = Path(__file__).resolve().parents[1]


def diagrams(tree: Path) -> dict[tuple[str, int], str]:
    found, _ = discover([str(tree)])
    out = {}
    for path, _display in found:
        source = read_source(path, str(path.relative_to(tree)))
        if isinstance(source, Exception) or not hasattr(source, "text"):
            continue
        extract_diagrams(source)  # type: ignore[arg-type]
        for diagram in source.diagrams:  # type: ignore[union-attr]
            out[(str(path.relative_to(tree)), diagram.index)] = diagram.text
    return out


def fingerprint(tree: Path) -> dict[str, str]:
    return {str(p.relative_to(tree)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file()}


def oracle(run: Path, texts: list[str]) -> list[dict[str, object]]:
    stdin = "".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in enumerate(texts))
    done = subprocess.run([str(run), "--jobs", "2"], input=stdin, capture_output=True,
                          text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("tree", nargs="?", default=str(ROOT.parent / "shared/corpus/atlas"))
    parser.add_argument("--oracle", default=str(ROOT.parent / "shared/oracle/run"))
    parser.add_argument("--unsafe", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mermaidlint-fix-") as folder:
        work = Path(folder) / "tree"
        shutil.copytree(args.tree, work)
        before = diagrams(work)
        command = [sys.executable, "-m", "mermaidlint", "check", "--fix", "--no-cache",
                   str(work)]
        if args.unsafe:
            command.append("--unsafe-fixes")
        started = time.perf_counter()
        first = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = diagrams(work)
        changed = [key for key in before if after.get(key) != before[key]]
        summary = (first.stderr.strip().splitlines() or [""])[-1]
        print(f"diagrams: {len(before)}; changed by --fix: {len(changed)} "
              f"({seconds:.1f} s; exit {first.returncode}; {summary})")
        keys = list(before)
        verdict_before = dict(zip(keys, oracle(Path(args.oracle), [before[k] for k in keys]),
                                  strict=True))
        verdict_after = dict(zip(changed, oracle(Path(args.oracle), [after[k] for k in changed]),
                                 strict=True))
        refused_flowcharts = [k for k, v in verdict_before.items()
                              if not v["ok"] and str(v["type"] or "").startswith("flowchart")]
        repaired = [k for k in refused_flowcharts if k in verdict_after and verdict_after[k]["ok"]]
        broken = [k for k in changed if verdict_before[k]["ok"] and not verdict_after[k]["ok"]]
        snapshot = fingerprint(work)
        second = subprocess.run(command, capture_output=True, text=True)
        unchanged = fingerprint(work) == snapshot
        share = 100 * len(repaired) / max(1, len(refused_flowcharts))
        print(f"flowcharts Mermaid refused before: {len(refused_flowcharts)}; accepted after "
              f"--fix: {len(repaired)} ({share:.1f}%)")
        print(f"accepted before, refused after: {len(broken)} {broken[:5]}")
        print(f"second --fix changes nothing: {unchanged} (exit {second.returncode})")
        return 0 if not broken and unchanged else 1


if __name__ == "__main__":
    raise SystemExit(main())
