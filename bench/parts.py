#!/usr/bin/env python3
"""The instructions one part of the check executes over the corpus, counted alone.

    .venv/bin/python bench/parts.py {build,rules,lint} [--corpus DIR]

* ``build``: the tree builder (``parse_flowchart_tree``) over every flowchart Mermaid accepts;
* ``rules``: the default rules (``run_rules``) over the ASTs of those flowcharts;
* ``lint``: ``engine.lint_source`` over every file (extraction, parsing, rules: the whole check
  of a file, as bench.py's in-process runs make it).

A child process prepares everything the part needs (imports, reading, extraction, parsing: the
trees or ASTs are made first, and the part is run once to warm up), then runs the part over the
corpus inside ``functools.reduce``; callgrind counts only while ``reduce`` runs
(``--toggle-collect=functools_reduce``), so none of the preparation is counted. The count is the
same whatever else the machine does, so two versions of the code compare to a fraction of a
percent (run this script with the other version's interpreter: it uses the ``mermaidlint`` that
``sys.executable`` imports). Under callgrind a part takes two to five minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from instructions import DEFAULT_CORPUS, collected  # (this folder is the script's own)

# What the child runs (argv: part, corpus).
CHILD = r"""
import sys
from functools import reduce
from mermaidlint import document, engine, files
from mermaidlint.check import parse_flowchart_tree
from mermaidlint.cli import tune_garbage_collector
from mermaidlint.detect import FLOWCHART_TYPES, detect_type
from mermaidlint.extract import extract_diagrams
from mermaidlint.flowchart.parser import parse_tokens
from mermaidlint.preprocess import prepare_for_parser, preprocess
from mermaidlint.select import selection_for

part, corpus = sys.argv[1], sys.argv[2]
settings = engine.Settings(syntax_repair=False)  # as the default command checks
found, _ = files.discover([corpus])
sources = [files.read_source(path, shown) for path, shown in found]
sources = [s for s in sources if not isinstance(s, files.FileProblem)]
tune_garbage_collector()

def fresh(source):
    return document.SourceFile(path=source.path, text=source.text, has_bom=source.has_bom)

def trees():
    for source in sources:
        source = fresh(source)
        extract_diagrams(source)
        for diagram in source.diagrams:
            pre = preprocess(diagram.text)
            if detect_type(pre.code) not in FLOWCHART_TYPES:
                continue
            prepare_for_parser(pre, flowchart=True)
            outcome = parse_tokens(pre.code)
            if outcome.tree is not None:
                yield source, diagram, pre, outcome.tree

if part == "lint":
    step = lambda _, source: engine.lint_source(fresh(source), settings) and None
    items = sources
elif part == "build":
    step = lambda _, item: parse_flowchart_tree(item[3], item[1], item[2]) and None
    items = list(trees())
else:
    charts = [(source, diagram, parse_flowchart_tree(tree, diagram, pre),
               selection_for(settings, source.path))
              for source, diagram, pre, tree in trees()]
    step = lambda _, item: engine.run_rules(item[0], item[1], item[2], settings,
                                            item[3]) and None
    items = charts
step(None, items[0])  # warm up: lazily made tables and patterns
reduce(step, items, None)
"""


def count(part: str, corpus: Path) -> int:
    """Instructions executed inside ``reduce`` by a child running ``part`` over ``corpus``."""
    command = ["valgrind", "--tool=callgrind", "--toggle-collect=functools_reduce",
               "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, part, str(corpus)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # (set iteration orders change the count)
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, env=env)
    return collected(part, child)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("part", choices=("build", "rules", "lint"))
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"parts: no corpus at {args.corpus} (use --corpus)")
    print(f"{args.part}: {count(args.part, args.corpus.resolve()) / 1e9:.3f} G instructions")


if __name__ == "__main__":
    main()
