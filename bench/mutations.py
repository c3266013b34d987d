"""Does mermaidlint agree with Mermaid on diagrams it has never seen?

The atlas corpus is what the parser was built against; this script makes new diagrams from it by
random small edits (a character inserted, deleted or swapped, a line dropped or doubled, a
keyword dropped in: the slips people make), asks the official parser (``../shared/oracle/run``)
for its verdict on each, and compares mermaidlint's verdict with it:

    python bench/mutations.py [--seed 1] [--count 1500] [--unicode] [--corpus DIR] [--list]

``--unicode`` also inserts characters outside ASCII, of each kind the lexer tells apart: blanks
(no-break and wide spaces, the byte order mark), line separators, letters and other symbols.

A diagram counts as refused by mermaidlint when it gets a diagnostic in the MS0 range (what the
agreement tool counts too); the line check compares the first such diagnostic's line with the
oracle's ``input_line`` (its own best-effort mapping). The oracle's verdicts are kept in
``~/.cache/mermaidlint-bench/`` by seed and count, so a second run only runs mermaidlint.
A script to run by hand (the oracle takes a minute or two for 1,500 diagrams), not a test.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

from mermaidlint import document, engine
from mermaidlint.detect import FLOWCHART_TYPES, detect_type
from mermaidlint.extract import extract_diagrams
from mermaidlint.files import discover, read_source
from mermaidlint.preprocess import preprocess

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "atlas"
ORACLE = ROOT.parent / "shared" / "oracle" / "run"
LABELS = Path.home() / ".cache" / "mermaidlint-bench"

# What an edit may insert: the characters that open, close or join things in a flowchart, and
# the keywords whose place in a line matters.
SIGNIFICANT = [*"()[]{}<>|\"'-=.:;&@%#/\\ ,*+`~", "end", "subgraph ", "-->", "---", "==>", "-.-",
               "o", "x", "::: ", "style ", "\n"]
# With --unicode: JavaScript blanks, its line separators, letters, and symbols that are none.
UNICODE = ["\xa0", "\u2003", "\u3000", "\ufeff", "\u2028", "\u2029", "é", "中", "Ω", "━", "•",
           "😀", "²", "\u0301"]


def corpus_flowcharts(corpus: Path) -> list[str]:
    found, missing = discover([str(corpus)])
    if missing:
        sys.exit(f"mutations: {missing}")
    texts = []
    for path, display in found:
        source = read_source(path, display)
        if not isinstance(source, document.SourceFile):
            continue
        extract_diagrams(source)
        texts.extend(d.text for d in source.diagrams
                     if detect_type(preprocess(d.text).code) in FLOWCHART_TYPES)
    return texts


def mutate(text: str, rng: random.Random, significant: list[str] = SIGNIFICANT) -> str:
    """``text`` with one small random edit on one of its lines (never the header)."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text + "\n" + rng.choice(significant)
    k = rng.randrange(1, len(lines))
    line = lines[k]
    at = rng.randrange(0, len(line) + 1)
    edit = rng.randrange(6)
    if edit == 0:  # insert something significant
        line = line[:at] + rng.choice(significant) + line[at:]
    elif edit == 1 and line:  # delete a character
        at = min(at, len(line) - 1)
        line = line[:at] + line[at + 1:]
    elif edit == 2 and len(line) > 1:  # swap two neighbours
        at = min(at, len(line) - 2)
        line = line[:at] + line[at + 1] + line[at] + line[at + 2:]
    elif edit == 3:  # drop the line
        return "\n".join(lines[:k] + lines[k + 1:])
    elif edit == 4:  # double the line
        return "\n".join(lines[:k + 1] + lines[k:])
    else:  # replace a character with something significant
        line = line[:at] + rng.choice(significant) + line[at + 1:]
    lines[k] = line
    return "\n".join(lines)


def make_cases(texts: list[str], seed: int, count: int, unicode: bool = False) -> list[str]:
    rng = random.Random(seed)
    significant = SIGNIFICANT + UNICODE if unicode else SIGNIFICANT
    cases: list[str] = []
    seen: set[str] = set(texts)
    while len(cases) < count:
        case = mutate(rng.choice(texts), rng, significant)
        if rng.random() < 0.3:  # sometimes two edits
            case = mutate(case, rng, significant)
        if case not in seen:
            seen.add(case)
            cases.append(case)
    return cases


def oracle_verdicts(cases: list[str], seed: int, count: int, kind: str = ""
                    ) -> list[dict[str, object]]:
    """The official parser's verdict on each case, from the cache when the same set was labelled
    (``kind``: what else names the set, e.g. "-unicode")."""
    LABELS.mkdir(parents=True, exist_ok=True)
    stored = LABELS / f"mutations-{seed}-{count}{kind}.jsonl"
    if stored.exists():
        verdicts = _json_lines(stored.read_text(encoding="utf-8"))
        if [v.get("text") for v in verdicts] == cases:
            return verdicts
    feed = "".join(json.dumps({"id": n, "text": text}) + "\n" for n, text in enumerate(cases))
    proc = subprocess.run([str(ORACLE), "--jobs", "2"], input=feed, capture_output=True,
                          text=True, check=True)
    verdicts = _json_lines(proc.stdout)
    for verdict, text in zip(verdicts, cases, strict=True):
        verdict["text"] = text
    stored.write_text("".join(json.dumps(v) + "\n" for v in verdicts), encoding="utf-8")
    return verdicts


def _json_lines(text: str) -> list[dict[str, object]]:
    # Split at "\n" only: str.splitlines() also splits at U+2028 and U+2029, which JSON leaves
    # unescaped inside strings.
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def first_refusal_line(text: str, settings: engine.Settings) -> int | None:
    """The line of mermaidlint's first MS0 diagnostic on ``text`` as a .mmd file; None if none."""
    source = document.SourceFile(path="case.mmd", text=text)
    lines = [d.line for d in engine.lint_source(source, settings).diagnostics
             if d.code.startswith("MS0")]
    return min(lines) if lines else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--unicode", action="store_true",
                    help="also insert characters outside ASCII (blanks, letters, symbols)")
    ap.add_argument("--list", action="store_true", help="print every disagreement")
    args = ap.parse_args()
    cases = make_cases(corpus_flowcharts(args.corpus), args.seed, args.count, args.unicode)
    verdicts = oracle_verdicts(cases, args.seed, args.count, "-unicode" if args.unicode else "")
    settings = engine.Settings(select=("MS0",))
    compared = agree = refused = line_right = 0
    disagreements = []
    for verdict in verdicts:
        if str(verdict.get("errorKind", "")) in ("Timeout", "WorkerCrash", "BadInput"):
            continue
        text = str(verdict["text"])
        compared += 1
        line = first_refusal_line(text, settings)
        if (line is None) == bool(verdict["ok"]):
            agree += 1
            if line is not None:
                refused += 1
                line_right += line == verdict.get("input_line")
        else:
            disagreements.append((verdict, line))
    print(f"seed {args.seed}{' (--unicode)' if args.unicode else ''}: {compared} mutated "
          "flowcharts compared with the official parser")
    print(f"agree: {agree} ({100 * agree / max(1, compared):.2f}%); "
          f"disagree: {len(disagreements)}")
    print(f"both refuse: {refused}; first error on the oracle's line: {line_right} "
          f"({100 * line_right / max(1, refused):.1f}%)")
    if args.list:
        for verdict, line in disagreements:
            said = "accepts" if verdict["ok"] else f"refuses (line {verdict.get('input_line')})"
            ours = "nothing" if line is None else f"MS0 on line {line}"
            print(f"--- Mermaid {said}; mermaidlint: {ours}\n{verdict['text']}")


if __name__ == "__main__":
    main()
