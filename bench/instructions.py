#!/usr/bin/env python3
"""What the rules cost next to parse + check, counted in instructions rather than seconds.

    .venv/bin/python bench/instructions.py [--corpus DIR] [--stride N]

Timings on a shared 2-core machine drift by a third between runs; valgrind's callgrind counts
the instructions a process executes, which come out the same whatever else the machine does.
Three processes each check the corpus's files (every ``--stride``-th one) once with all rules, to
warm up (imports, grammar, compiled patterns, every rule); two of them then check the files again:

* ``base``: nothing more (start-up, reading and the warm-up only);
* ``po``: again with Mermaid's own checks only (``--select MS0``), as the default command checks
  (no syntax repair search);
* ``all``: again with the default rules.

``po - base`` is parse + check, ``all - po`` is what the rules add. An instruction is not a
nanosecond (the rules chase pointers through the AST; the lexer spends its time in the regular
expression engine), so this is the rules' share of the work, next to ``bench.py``'s share of the
time. Under callgrind a run is about 50 times slower: the whole corpus takes some 15 minutes
(``--stride 8``: two).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "atlas"

# What each of the three processes runs (argv: mode, corpus, stride, this folder).
CHILD = r"""
import sys
from mermaidlint import document, engine, files
from mermaidlint.cli import tune_garbage_collector

mode, corpus, stride = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
from bench import check_settings as settings  # as bench.py's in-process runs check
found, _ = files.discover([corpus])
sources = [files.read_source(path, shown) for path, shown in found[::stride]]
sources = [s for s in sources if not isinstance(s, files.FileProblem)]

def fresh():
    return [document.SourceFile(path=s.path, text=s.text, has_bom=s.has_bom) for s in sources]

tune_garbage_collector()
for source in fresh():
    engine.lint_source(source, settings())
if mode != "base":
    chosen = settings(select=("MS0",)) if mode == "po" else settings()
    for source in fresh():
        engine.lint_source(source, chosen)
"""


def start(mode: str, corpus: Path, stride: int, out_dir: Path) -> subprocess.Popen[str]:
    argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_dir / mode}.out",
            sys.executable, "-c", CHILD, mode, str(corpus), str(stride), str(HERE)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def collected(mode: str, proc: subprocess.Popen[str]) -> int:
    """The instructions callgrind counted (its summary, on standard error)."""
    _, err = proc.communicate()
    match = re.search(r"Collected : (\d+)", err)
    if proc.returncode != 0 or match is None:
        sys.exit(f"bench: the {mode} run failed (exit {proc.returncode}):\n{err[-2000:]}")
    return int(match.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--stride", type=int, default=1, help="check every N-th file only")
    args = ap.parse_args()
    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        sys.exit(f"bench: no corpus at {corpus} (use --corpus)")
    n: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="mermaidlint-instructions-") as tmp:
        for batch in (("base", "po"), ("all",)):  # two at a time: this machine has two cores
            running = {mode: start(mode, corpus, args.stride, Path(tmp)) for mode in batch}
            n.update((mode, collected(mode, proc)) for mode, proc in running.items())
    parse, rules = n["po"] - n["base"], n["all"] - n["po"]
    print(f"files: every {args.stride} of {corpus}")
    print(f"parse + check: {parse / 1e9:.3f} G instructions")
    print(f"all rules:     {rules / 1e9:.3f} G instructions, {100 * rules / parse:.1f}% of "
          "parse + check")


if __name__ == "__main__":
    main()
