"""Mermaid's clean-up before parsing, and the offset map back to the diagram text."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mermaidlint.detect import JS_BLANKS, detect_type
from mermaidlint.flowchart.lexer import S
from mermaidlint.preprocess import prepare_for_parser, preprocess


def test_comments_directives_and_front_matter_are_removed() -> None:
    text = "---\ntitle: T\n---\n%%{init: {'theme':'dark'}}%%\n%% note\nflowchart TD\nA-->B"
    pre = preprocess(text)
    assert pre.code == "flowchart TD\nA-->B"
    assert pre.front_matter == "title: T"
    assert text[pre.original_offset(0):].startswith("flowchart TD")
    assert len(pre.comments) == 1 and len(pre.directives) == 1


def test_entities_are_encoded_and_mapped_back() -> None:
    text = "flowchart TD\nA[say #quot;hi#quot;] --> B"
    pre = preprocess(text)
    prepare_for_parser(pre, flowchart=True)
    assert "#quot;" not in pre.code and pre.code.endswith("\n")
    b = pre.code.index("B")
    assert text[pre.original_offset(b)] == "B"


def test_style_semicolon_and_brace_blank_lines() -> None:
    text = "flowchart TD\nA{x}   \n\n\nB\nstyle A fill:#f00;"
    pre = preprocess(text)
    prepare_for_parser(pre, flowchart=True)
    assert "A{x}\nB" in pre.code and pre.code.endswith("fill:#f00\n")
    assert text[pre.original_offset(pre.code.index("B"))] == "B"


def test_detection_follows_mermaid() -> None:
    assert detect_type("flowchart LR") == "flowchart-v2"
    assert detect_type("graph TD") == "flowchart"
    assert detect_type("graphs") == "flowchart"  # Mermaid's detector is a prefix test
    assert detect_type("sequenceDiagram") == "sequence"
    assert detect_type("radar") is None
    assert detect_type("radar-beta") == "radar"
    assert detect_type("sequenceD diagram") is None


_PIECES = st.sampled_from([
    "flowchart TD", "\n", "\r\n", "%% c\n", "%%{init: {}}%%\n", "A{x}", "   ", "\n\n",
    "#quot;", "#35;", "style A fill:#f00;", "classDef c fill:#0f0;", '<b class="x">', "B",
    "---\n", "title: t\n", "é", "\t",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_composed_offset_map_equals_the_chain_of_steps(text: str) -> None:
    pre = preprocess(text)
    prepare_for_parser(pre, flowchart=True)
    steps = list(pre.maps)

    def chained(offset: int) -> int:
        for step in reversed(steps):
            offset = step(offset)
        return offset

    expected = [chained(o) for o in range(len(pre.code) + 1)]
    assert [pre.original_offset(o) for o in range(len(pre.code) + 1)] == expected
    assert all(0 <= o <= len(text) for o in expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_pulling_a_table_through_the_maps_equals_mapping_each_offset(text: str) -> None:
    pre = preprocess(text)
    prepare_for_parser(pre, flowchart=True)
    table = [1000 + 3 * o for o in range(len(text) + 1)]  # any table over the diagram text
    pulled = table
    for step in pre.maps:
        size = step._ends[-1] if step._ends else len(pulled) - 1
        result = step.pull(pulled, size)
        assert result is not None
        pulled = result
    assert pulled == [table[pre.original_offset(o)] for o in range(len(pre.code) + 1)]


def test_steps_that_change_nothing_add_no_map() -> None:
    # `<br/>` has no attribute to requote, `}` is already right before the line break, there is
    # no carriage return, comment or entity: the text is handed on as written.
    text = "flowchart TD\nA[a<br/>b] --> B{c}\nB --> C"
    pre = preprocess(text)
    assert pre.code == text and pre.maps == []
    prepare_for_parser(pre, flowchart=True)
    assert pre.code == text + "\n" and len(pre.maps) == 1


_BLANKS = st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x1c\x85\xa0\u2028\u3000")),
                  max_size=3)
_CORES = st.text(alphabet=st.sampled_from(list("errorERO-\u0130x \t")), max_size=7)


@given(st.tuples(_BLANKS, st.sampled_from(["error", "ERROR", "---", "--", ""]) | _CORES,
                 _BLANKS, _CORES))
@settings(max_examples=500)
def test_error_and_front_matter_tests_read_as_mermaid_writes_them(
        parts: tuple[str, str, str, str]) -> None:
    lead, core, trail, rest = parts
    code = lead + core + trail + (rest if len(rest) % 2 else "")
    # Mermaid: `text.toLowerCase().trim() === "error"`, then a `---` start after trimming;
    # detect_type asks both without lowering the whole text.
    expected = ("error" if code.lower().strip() == "error"
                else "---" if code.lower().lstrip().startswith("---") else None)
    found = detect_type(code)
    if expected is not None:
        assert found == expected
    else:
        assert found not in ("error", "---")


def test_offset_runs_share_the_process_ints_and_equal_their_ranges() -> None:
    from mermaidlint import preprocess as module

    for run in (range(0, 10), range(5000, 9000), range(3, 3), range(0, 70000)):
        shared = module._as_list(run)
        assert isinstance(shared, list) and shared == list(run)
    beyond = range(module._SHARED_LIMIT - 2, module._SHARED_LIMIT + 5)
    assert module._as_list(beyond) is beyond  # past the limit: left as it is
    stepped = range(0, 10, 2)
    assert module._as_list(stepped) is stepped
    assert len(module._shared) <= module._SHARED_LIMIT


# Mermaid's detectors as it writes them (`^\s*word`, JavaScript's \s), in its order: what
# detect_type's prefix tests must agree with.
_MERMAID_DETECTORS = [
    ("c4", r"C4Context|C4Container|C4Component|C4Dynamic|C4Deployment"),
    ("kanban", "kanban"), ("classDiagram", "classDiagram"), ("er", "erDiagram"),
    ("gantt", "gantt"), ("info", "info"), ("pie", "pie"),
    ("requirement", "requirement(?:Diagram)?"), ("sequence", "sequenceDiagram"),
    ("flowchart-elk", "flowchart-elk"), ("flowchart-v2", "flowchart"), ("flowchart", "graph"),
    ("mindmap", "mindmap"), ("timeline", "timeline"), ("gitGraph", "gitGraph"),
    ("stateDiagram", "stateDiagram"), ("journey", "journey"),
    ("quadrantChart", "quadrantChart"), ("sankey", "sankey(?:-beta)?"),
    ("packet", "packet(?:-beta)?"), ("xychart", "xychart(?:-beta)?"),
    ("block", "block(?:-beta)?"), ("radar", "radar-beta"),
    ("architecture", "architecture(?:-beta)?"), ("treemap", "treemap(?:-beta)?"),
    ("venn", "venn-beta"), ("ishikawa", "ishikawa(?:-beta)?"), ("zenuml", "zenuml"),
]


def _mermaid_type(code: str) -> str | None:
    for kind, word in _MERMAID_DETECTORS:
        # (the C4 detector's alternation is not grouped: `^\s*C4Context|C4Container|...`)
        pattern = (r"\A[" + S + "]*" + word) if kind == "c4" else (
            r"\A[" + S + "]*(?:" + word + ")")
        if re.search(pattern, code):
            return kind
    return None


_WORDS = [word.split("(")[0] for _, word in _MERMAID_DETECTORS] + [
    "C4Container", "C4Dynamic", "graphs", "flowchart-el", "radar", "venn", "Graph", "-beta"]


@given(st.lists(st.sampled_from(_WORDS) | st.text(alphabet=st.sampled_from(
    list(" \t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2005\u200a\u200b\u2028\u202f\ufeffxC4-")),
    max_size=3), max_size=4).map("".join))
@settings(max_examples=500)
@example("  \u3000C4Context")
@example("graph C4Dynamic")
def test_detection_is_mermaids_detectors(code: str) -> None:
    if detect_type(code) in ("error", "---"):
        return  # (answered before the detectors, as Mermaid does)
    assert detect_type(code) == _mermaid_type(code)


def test_the_blanks_skipped_are_javascripts() -> None:
    blank = re.compile(r"[" + S + r"]")
    assert {chr(c) for c in range(0x10000) if blank.match(chr(c))} == set(JS_BLANKS)
