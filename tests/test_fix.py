"""--fix: repairs what can be repaired and touches nothing else."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mermaidlint.diagnostics import Edit
from mermaidlint.engine import Settings
from mermaidlint.files import source_from_text
from mermaidlint.fix import ChangedOnDisk, apply_edits, fix_source, write_atomic
from mermaidlint.flowchart.repair import first_error, repair
from mermaidlint.positions import Span

SHARED = Path(__file__).resolve().parents[2] / "shared"
MERMAIDLINT = [sys.executable, "-m", "mermaidlint"]


def test_quotes_a_label_with_parentheses() -> None:
    assert repair("graph TD\n  A[Cache (LRU)] --> B\n") == 'graph TD\n  A["Cache (LRU)"] --> B\n'


def test_inner_quotes_become_entities() -> None:
    fixed = repair('graph TD\n  E[Error: "token expired"]\n')
    assert fixed == 'graph TD\n  E["Error: #quot;token expired#quot;"]\n'


def test_edge_label_and_several_labels_on_one_line() -> None:
    fixed = repair("graph TD\n  A -->|p99 (fast)| B{x (y)}\n")
    assert fixed == 'graph TD\n  A -->|"p99 (fast)"| B{"x (y)"}\n'


def test_a_token_that_swallows_the_opener_is_repaired_too() -> None:
    # `L[Lambda@` is lexed as an edge id; quoting the label stops that.
    assert repair("graph TD\n  L[Lambda@Edge]\n") == 'graph TD\n  L["Lambda@Edge"]\n'


def test_misspelt_keyword_at_statement_start() -> None:
    fixed = repair("graph TD\n  classDf hot fill:#f00\n  A:::hot\n")
    assert fixed == "graph TD\n  classDef hot fill:#f00\n  A:::hot\n"
    assert repair("graph TD\n  case A hot\n  classDef hot fill:#f00\n") == (
        "graph TD\n  class A hot\n  classDef hot fill:#f00\n")


def test_closing_bracket_replaced_by_a_quote() -> None:
    fixed = repair('graph TD\n  subgraph R[Redis Cluster"\n    S1[Sentinel<br/>Active"\n  end\n')
    assert fixed == (
        'graph TD\n  subgraph R["Redis Cluster"]\n    S1["Sentinel<br/>Active"]\n  end\n')


def test_nothing_to_repair() -> None:
    assert repair("graph TD\n  A --> B\n") is None
    assert repair("graph TD\n  par Delivery\n") is None  # sequence syntax: nothing to guess


def test_apply_edits_splices_in_order() -> None:
    edits = [Edit(Span(4, 5), "X"), Edit(Span(0, 1), "")]
    assert apply_edits("abcdefg", edits) == "bcdXfg"


def markdown(body: str, newline: str = "\n", indent: str = "") -> str:
    lines = ["# Title", "", f"{indent}```mermaid", *[indent + line for line in body.split("\n")],
             f"{indent}```", "", "Text after."]
    return newline.join(lines) + newline


def test_only_the_diagnosed_spans_change_crlf_bom_and_list_indent_kept() -> None:
    text = "\ufeff" + markdown("graph TD\n  A[Cache (LRU)] --> B", "\r\n", "   ")
    source = source_from_text("a.md", text)
    result = fix_source(source)
    assert source.has_bom
    expected = text[1:].replace("A[Cache (LRU)]", 'A["Cache (LRU)"]')
    assert result.fixed == expected
    assert [a.code for a in result.applied] == ["MS001"]


def test_unsafe_fixes_only_when_asked() -> None:
    text = markdown("graph TD\n  A --- B")
    with_md002 = Settings(extend_select=("MD002",))
    safe = fix_source(source_from_text("a.md", text), with_md002, unsafe=False)
    unsafe = fix_source(source_from_text("a.md", text), with_md002, unsafe=True)
    assert "A --- B" in safe.fixed
    assert "A --> B" in unsafe.fixed and "MD002" in {a.code for a in unsafe.applied}


_LABEL_TEXT = st.text(alphabet="abc XYZ()[]{}\"|/@:,.-#", min_size=1, max_size=20).filter(
    lambda s: s.strip() != "")


@settings(max_examples=120, deadline=None)
@given(st.lists(_LABEL_TEXT, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n"]),
       st.sampled_from(["", "  ", "> "]))
def test_fix_is_idempotent_and_keeps_everything_outside_the_diagram(
        labels: list[str], newline: str, indent: str) -> None:
    body = "graph TD\n" + "\n".join(f"  N{k}[{label}] --> M{k}" for k, label in
                                     enumerate(labels))
    text = markdown(body, newline, indent)
    first = fix_source(source_from_text("a.md", text))
    second = fix_source(source_from_text("a.md", first.fixed))
    assert second.fixed == first.fixed  # idempotent
    # Everything before the opening fence and after the closing fence is byte for byte the same.
    head = text[: text.index("```mermaid")]
    tail = text[text.rindex("```"):]
    assert first.fixed.startswith(head) and first.fixed.endswith(tail)
    assert first.fixed.count(newline) == text.count(newline)


def test_write_atomic_keeps_mode_and_refuses_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    write_atomic(path, b"new", b"old")
    assert path.read_bytes() == b"new" and (path.stat().st_mode & 0o777) == 0o640
    with pytest.raises(ChangedOnDisk):
        write_atomic(path, b"newer", b"old")
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left behind


def test_cli_fix_diff_and_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(markdown("graph TD\n  A[Cache (x)] --> B").encode())
    before = path.read_bytes()
    diff = subprocess.run([*MERMAIDLINT, "check", "--diff", "--no-cache", str(path)],
                          capture_output=True, text=True)
    assert diff.returncode == 1 and '+  A["Cache (x)"] --> B' in diff.stdout
    assert path.read_bytes() == before  # --diff writes nothing
    fixed = subprocess.run([*MERMAIDLINT, "check", "--fix", "--no-cache", "--select", "MS",
                            str(path)], capture_output=True, text=True)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert b'A["Cache (x)"]' in path.read_bytes()
    again = subprocess.run([*MERMAIDLINT, "check", "--fix", "--no-cache", "--select", "MS",
                            str(path)], capture_output=True, text=True)
    assert again.returncode == 0 and "Fixed 0 findings" in again.stderr


def _oracle() -> Path:
    oracle = SHARED / "oracle" / "run"
    if not oracle.exists() or shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("the Mermaid oracle (../shared/oracle, Node.js and npm) is not available")
    return oracle


def test_fixed_corpus_sample_is_accepted_by_mermaid(tmp_path: Path) -> None:
    """Fix a sample of the corpus's refused flowcharts and ask the official parser."""
    labels = SHARED / "corpus" / "atlas.labels.jsonl"
    if not labels.exists():
        pytest.skip("../shared/corpus is not available")
    oracle = _oracle()
    rows = [json.loads(line) for line in labels.read_text().splitlines()]
    refused = [r for r in rows if not r["ok"] and (r["type"] or "").startswith("flowchart")]
    sample = refused[:: max(1, len(refused) // 25)][:25]
    cases = []
    for row in sample:
        lines = (SHARED / "corpus" / "atlas" / row["path"]).read_text().split("\n")
        text = "\n".join(lines[row["fence_line"]:row["end_line"] - 1])
        cases.append({"id": row["id"], "before": text, "text": repair(text) or text})
    stdin = "".join(json.dumps({"id": c["id"], "text": c["text"]}) + "\n" for c in cases)
    done = subprocess.run([str(oracle), "--jobs", "2"], input=stdin, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    verdicts = [json.loads(line) for line in done.stdout.splitlines()]
    accepted = sum(v["ok"] for v in verdicts)
    assert accepted >= 0.8 * len(cases), (accepted, len(cases))
    # Where our parser says the repair worked, Mermaid must agree.
    for case, verdict in zip(cases, verdicts, strict=True):
        if first_error(case["text"]) is None:
            assert verdict["ok"], case["id"]
