"""The MS1xx family: Mermaid accepts the diagram but does not draw what the source says.

Each trap's behaviour was checked against Mermaid 11.17.2's parser and flowchart database (the
shared oracle's Mermaid): the comments say what Mermaid does with the bad example.
"""

from __future__ import annotations

from pathlib import Path

from mermaidlint import engine, files
from mermaidlint.engine import ReportedDiagnostic, Settings
from mermaidlint.registry import get_registry


def lint(body: str, code: str) -> list[ReportedDiagnostic]:
    """Rule ``code`` alone over one diagram in a Markdown file."""
    markdown = f"# Doc\n\n```mermaid\n{body.strip(chr(10))}\n```\n"
    source = files.source_from_text("doc.md", markdown)
    result = engine.lint_source(source, Settings(select=(code,)))
    return [d for d in result.diagnostics if d.code == code]


def positions(found: list[ReportedDiagnostic]) -> list[tuple[int, int, int]]:
    return [(d.line, d.column, d.end_column) for d in found]


# ---- MS102 undefined-node-reference -------------------------------------------------------------


def test_ms102_style_class_click_on_unknown_ids() -> None:
    found = lint("""flowchart LR
    Api --> Db
    style API fill:#f96
    class Cache important
    click Queue href "https://example.com"
    classDef important fill:#f00""", "MS102")
    assert [d.message.split(",")[0] for d in found] == [
        "`style` names `API`", "`class` names `Cache`", "`click` names `Queue`"]
    assert "draws a new, empty node" in found[0].message  # Mermaid adds vertex `API`
    assert "applies to nothing" in found[1].message  # Mermaid adds nothing for class/click
    assert positions(found) == [(6, 11, 14), (7, 11, 16), (8, 11, 16)]


def test_ms102_style_takes_one_id() -> None:
    """Mermaid reads `style C1,D1 fill:...` as one new node called `C1,D1`."""
    [found] = lint("flowchart LR\n    C1 --> D1\n    style C1,D1 fill:#f00", "MS102")
    assert "takes one node id" in found.message and "C1, D1" in found.message


def test_ms102_look_alikes() -> None:
    assert not lint("""flowchart LR
    style A fill:#f96
    A --> B
    subgraph Region
        C
    end
    style Region fill:#eee
    class A,B,Region important
    click B href "https://example.com"
    classDef important fill:#f00""", "MS102")  # defined later, subgraphs count


# ---- MS103 undefined-class ----------------------------------------------------------------------


def test_ms103_undefined_class() -> None:
    found = lint("""flowchart LR
    LB[Load balancer]:::edgStyle --> API
    class API,DB stateState
    classDef edgeStyle fill:#3B82F6
    classDef stateStyle fill:#F59E0B""", "MS103")
    assert [d.message for d in found] == [
        "class `edgStyle` is not defined by any `classDef` in this diagram: Mermaid draws "
        "the node unstyled (did you mean `edgeStyle`?)",
        "class `stateState` is not defined by any `classDef` in this diagram: Mermaid draws "
        "the node unstyled (did you mean `stateStyle`?)",
    ]
    assert positions(found) == [(5, 25, 33), (6, 18, 28)]


def test_ms103_look_alikes() -> None:
    assert not lint("""flowchart LR
    A:::fast --> B:::default
    class B slow
    classDef fast,slow fill:#0f0
    %% `default` is Mermaid's own class""", "MS103")


# ---- MS104 conflicting-labels -------------------------------------------------------------------


def test_ms104_two_labels() -> None:
    """Mermaid keeps one vertex per id; the last label wins (`A[one]` then `A[two]` shows two)."""
    [found] = lint("""flowchart LR
    A[API gateway] --> B[Orders]
    B --> A[API]""", "MS104")
    assert found.message == ("node `A` is labelled `API` here but `API gateway` on line 5: "
                             "Mermaid shows only the last label")
    assert positions([found]) == [(6, 13, 16)]


def test_ms104_look_alikes() -> None:
    assert not lint("""flowchart LR
    A[API] --> B
    A --> C
    A["API"]
    A(API)
    B[ Orders ]
    B[Orders]""", "MS104")  # same text in other quotes, shapes or spacing


# ---- MS105 unused-classdef ----------------------------------------------------------------------


def test_ms105_unused_classdef() -> None:
    found = lint("""flowchart LR
    A:::used --> B
    classDef used fill:#0f0
    classDef spare,other fill:#f00""", "MS105")
    assert [d.message.split(" is ")[0] for d in found] == ["class `spare`", "class `other`"]


def test_ms105_look_alikes() -> None:
    assert not lint("""flowchart LR
    A --> B
    subgraph S
        C
    end
    class B,S viaClass
    A:::viaShorthand
    classDef viaClass fill:#0f0
    classDef viaShorthand fill:#0f0
    classDef default fill:#eee""", "MS105")


def test_ms105_is_opt_in() -> None:
    info = get_registry().lookup("MS105")
    assert info is not None and not info.enabled_by_default
    markdown = "```mermaid\nflowchart LR\n    A\n    classDef spare fill:#f00\n```\n"
    result = engine.lint_source(files.source_from_text("doc.md", markdown))
    assert not [d for d in result.diagnostics if d.code == "MS105"]


# ---- MS107 circle-cross-edge-trap ---------------------------------------------------------------


def test_ms107_glued_heads() -> None:
    """Mermaid: `A---oB` is a circle edge A->B, `A--xray` a cross edge A->ray."""
    found = lint("""flowchart LR
    A---oB
    A--xray
    C==oD
    E-.-xF
    G-- text --oH
    oB --> Z""", "MS107")
    assert len(found) == 5
    assert found[0].message.startswith(
        "`---oB` is read as a circle-headed link to `B`, not as a link to `oB` (`oB` is a node "
        "elsewhere in this diagram)")
    assert "cross-headed link to `ray`, not as a link to `xray`" in found[1].message
    assert positions(found[:2]) == [(5, 6, 11), (6, 6, 12)]


def test_ms107_look_alikes() -> None:
    assert not lint("""flowchart LR
    A --o B
    A --x B
    A---o B
    A --- oB
    A-->oB
    A-->xB
    A --o|label|B
    A ~~~ oB""", "MS107")  # spaced heads, `>` heads, a label between


def test_example_file() -> None:
    """fixtures/rules/traps.md shows one finding of each MS1xx rule (MS105 opt-in)."""
    path = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "traps.md"
    source = files.source_from_text("traps.md", path.read_text(encoding="utf-8"))
    found = [d.code for d in engine.lint_source(source, Settings()).diagnostics]
    assert [c for c in found if c.startswith("MS")] == ["MS102", "MS103", "MS104", "MS107"]
    found = [d.code for d in engine.lint_source(source, Settings(select=("MS1",))).diagnostics]
    assert found == ["MS102", "MS103", "MS105", "MS104", "MS105", "MS107"]
