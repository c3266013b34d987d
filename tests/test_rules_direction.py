"""The shared plane helper (rules/planes_common.py) and the MD family (edge direction)."""

from __future__ import annotations

from pathlib import Path

from mermaidlint.rules.direction.md004_against_plane_flow import AgainstPlaneFlow
from mermaidlint.rules.planes_common import (
    membership,
    node_planes,
    plane_of_classes,
    plane_of_subgraph,
    plane_of_text,
)

from mermaidlint import engine, files
from mermaidlint.check import check_diagram, parse_flowchart
from mermaidlint.config import Config
from mermaidlint.diagnostics import Applicability, Diagnostic
from mermaidlint.document import SourceFile
from mermaidlint.engine import Settings
from mermaidlint.extract import extract_diagrams
from mermaidlint.flowchart.ast import Flowchart
from mermaidlint.rule import RuleContext


def chart_of(text: str) -> Flowchart:
    return context_of(text).chart


def context_of(text: str, config: Config | None = None) -> RuleContext:
    """What a rule is given for the one diagram of a .mmd file ``text`` (as MD004's rule)."""
    source = SourceFile("diagram.mmd", text)
    extract_diagrams(source)
    chart = parse_flowchart(source, source.diagrams[0])
    assert chart is not None
    return RuleContext(AgainstPlaneFlow(), source, source.diagrams[0], chart, config or Config())


# ---- planes_common -------------------------------------------------------------------------


def test_plane_of_text_accepts_the_spellings_in_use() -> None:
    for text, plane in [
        ("Edge Plane", "edge"), ("EdgePlane", "edge"), ("ServicePlane1", "service"),
        ("State Plane - Orange #F59E0B", "state"), ("🎛️ Control Plane", "control"),
        ("edge_plane", "edge"), ("EDGEPLANE", "edge"), ("Service Layer", "service"),
        ("StateLayer", "state"),
    ]:
        assert plane_of_text(text) == plane, text


def test_plane_of_text_ignores_look_alikes() -> None:
    for text in ("Edge", "Data Layer", "KnowledgePlane", "Edge Cases", "Stateful Plane",
                 "Plane Edge", "Edges Plane", "Services"):
        assert plane_of_text(text) is None, text


def test_plane_of_classes_is_case_insensitive_and_last_wins() -> None:
    config = Config()
    assert plane_of_classes(["EDGESTYLE"], config) == "edge"
    assert plane_of_classes(["edgeStyle", "other", "stateStyle"], config) == "state"
    assert plane_of_classes(["costStyle"], config) is None


def test_plane_of_classes_follows_config() -> None:
    config = Config.model_validate({"planes": {"class-names": {"edge": ["cdn"]}}})
    assert plane_of_classes(["cdn"], config) == "edge"
    assert plane_of_classes(["edgeStyle"], config) is None


def test_plane_of_subgraph_prefers_the_title() -> None:
    chart = chart_of("flowchart TD\n  subgraph EdgePlane[State Plane]\n    A\n  end\n"
                     "  subgraph S2[Things]\n    B\n  end\n  subgraph ServicePlane\n  C\n  end\n")
    planes = [plane_of_subgraph(sub) for sub, _ in chart.subgraphs()]
    assert planes == ["state", None, "service"]


def test_node_planes() -> None:
    ctx = context_of("""flowchart TD
    X --> Y
    subgraph EdgePlane["Edge Plane"]
        subgraph CDN
            A[CDN] --> B
        end
        C:::stateStyle
    end
    subgraph Svc[Service Plane]
        B --> D
        Y
    end
    E --> F
    class F controlStyle
    class F edgeStyle
""")
    planes = node_planes(ctx)
    assert node_planes(ctx) is planes  # worked out once per diagram, for every rule
    assert planes["A"] == "edge"  # through the enclosing subgraph's parent
    assert planes["B"] == "edge"  # its first mention inside a subgraph wins
    assert planes["C"] == "state"  # classes before subgraphs
    assert planes["D"] == "service"
    assert planes["Y"] == "service"  # a top-level mention does not decide
    assert planes["X"] is None and planes["E"] is None
    assert planes["F"] == "edge"  # the last class statement wins
    assert planes["EdgePlane"] == "edge" and planes["CDN"] == "edge"


def test_membership_follows_mermaid() -> None:
    """The innermost, earliest-closed subgraph that mentions a node keeps it."""
    chart = chart_of("""flowchart TD
    subgraph Outer
        X --> Y
        subgraph Inner
            X
        end
    end
    subgraph Later
        Y
        Z
    end
""")
    owners = {node: [s.id.value for s in subs if s.id] for node, subs in membership(chart).items()}
    assert owners == {"X": ["Outer", "Inner"], "Y": ["Outer"], "Z": ["Later"], "Inner": ["Outer"]}


# ---- the MD rules --------------------------------------------------------------------------


def findings(markdown: str, code: str, config: Config | None = None) -> list[Diagnostic]:
    """What rule ``code`` alone reports on a Markdown text (Diagnostic objects, fixes and all)."""
    settings = Settings(select=(code,), config_json=(config or Config()).model_dump_json())
    source = files.source_from_text("doc.md", markdown)
    extract_diagrams(source)
    out: list[Diagnostic] = []
    for diagram in source.diagrams:
        out.extend(d for d in check_diagram(source, diagram, settings) if d.code == code)
    return out


def fence(body: str) -> str:
    return f"# Doc\n\n```mermaid\n{body.strip(chr(10))}\n```\n"


def fixed(markdown: str, diagnostic: Diagnostic) -> str:
    assert diagnostic.fix is not None
    out = markdown
    for edit in sorted(diagnostic.fix.edits, key=lambda e: e.span.start, reverse=True):
        out = out[:edit.span.start] + edit.replacement + out[edit.span.end:]
    return out


def text_of(markdown: str, diagnostic: Diagnostic) -> str:
    return markdown[diagnostic.span.start:diagnostic.span.end]


def parses(markdown: str) -> bool:
    source = files.source_from_text("doc.md", markdown)
    return not [d for d in engine.lint_source(source, Settings(select=("MS0",))).diagnostics]


def test_md001_missing_direction_and_safe_fix() -> None:
    doc = fence("graph\n    A --> B")
    [found] = findings(doc, "MD001")
    assert text_of(doc, found) == "graph"
    assert found.fix is not None and found.fix.applicability is Applicability.SAFE
    assert "graph TD\n" in fixed(doc, found) and parses(fixed(doc, found))
    assert not findings(fixed(doc, found), "MD001")


def test_md001_top_level_direction_is_not_a_direction() -> None:
    """Mermaid 11 ignores `direction` outside a subgraph; the fix writes it into the header."""
    doc = fence("flowchart\n    direction LR\n    A --> B")
    [found] = findings(doc, "MD001")
    assert "ignored" in found.message
    assert found.fix is not None and found.fix.applicability is Applicability.UNSAFE
    assert fixed(doc, found).count("flowchart LR\n") == 1


def test_md001_look_alikes() -> None:
    for body in ("graph TD\n A --> B", "flowchart LR\n A --> B", "graph BT\n A", "graph >\n A",
                 "flowchart-elk TB\n A --> B", "sequenceDiagram\n A->>B: hi"):
        assert not findings(fence(body), "MD001"), body


def test_md002_undirected_links_and_unsafe_fix() -> None:
    doc = fence("""flowchart LR
    A --- B
    C -.- D
    E === F
    G -- text --- H
    I ---|label| J
    K ---- L""")
    found = findings(doc, "MD002")
    assert [text_of(doc, d) for d in found] == [
        "---", "-.-", "===", "-- text ---", "---", "----"]
    expected = ["A --> B", "C -.-> D", "E ==> F", "G -- text --> H", "I -->|label| J",
                "K ---> L"]
    for diagnostic, want in zip(found, expected, strict=True):
        assert diagnostic.fix is not None
        assert diagnostic.fix.applicability is Applicability.UNSAFE
        after = fixed(doc, diagnostic)
        assert want in after and parses(after), want


def test_md002_look_alikes() -> None:
    doc = fence("""flowchart LR
    A --> B
    C -.-> D
    E ==> F
    G ~~~ H
    I <--> J
    K --o L
    M -- text --> N""")
    assert not findings(doc, "MD002")


def test_md002_is_opt_in() -> None:
    doc = fence("flowchart LR\n    A --- B")
    source = files.source_from_text("doc.md", doc)
    assert not [d for d in engine.lint_source(source).diagnostics if d.code == "MD002"]


def test_md003_request_answer_pair() -> None:
    doc = fence("""flowchart LR
    API <--> Cache
    X <-.-> Y
    P o--o Q
    Web --> API""")
    assert [text_of(doc, d) for d in findings(doc, "MD003")] == ["<-->", "<-.->", "o--o"]


def test_md003_peers_are_not_reported() -> None:
    """A ring, mesh or chain of two-headed links draws peers that really talk both ways."""
    doc = fence("""flowchart LR
    N1 <--> N2
    N2 <--> N3
    N3 <--> N1
    US <--> EU
    EU <--> ASIA
    A --> B
    C ~~~ D""")
    assert not findings(doc, "MD003")


PLANES_DOC = """flowchart LR
    subgraph EdgePlane[Edge Plane]
        LB[Load balancer]
    end
    subgraph ServicePlane[Service Plane]
        API
    end
    subgraph StatePlane[State Plane]
        DB[(Orders DB)]
        Q[Order events]:::queue
    end
    LB --> API
    API -->|query| DB
{answers}
"""


def test_md004_answer_drawn_solid() -> None:
    doc = fence(PLANES_DOC.format(answers="    DB -->|rows| API\n    API ==> LB"))
    found = findings(doc, "MD004")
    assert [text_of(doc, d) for d in found] == ["-->|rows|", "==>"]
    assert "`DB` (State plane) answers `API` (Service plane)" in found[0].message


def test_md004_classes_give_planes() -> None:
    doc = fence("""flowchart LR
    API:::serviceStyle -->|get| DB:::stateStyle
    DB --> API
    classDef serviceStyle fill:#10B981
    classDef stateStyle fill:#F59E0B""")
    assert len(findings(doc, "MD004")) == 1


def test_md004_look_alikes() -> None:
    answers = "\n".join([
        "    DB -.->|rows| API",  # dashed: an answer drawn right
        "    Q --> API",  # a queue feeding its consumer (no request the other way)
        "    DB --> LB2[Other]",  # no plane
        "    API <--> DB",  # two-headed: MD003's
    ])
    doc = fence(PLANES_DOC.format(answers=answers))
    assert not findings(doc, "MD004")
    # A stream the service writes to and reads from: messages, not answers.
    doc = fence(PLANES_DOC.format(answers="    API --> Q\n    Q --> API"))
    assert not findings(doc, "MD004")


def test_md005_ignored_direction() -> None:
    doc = fence("""flowchart TB
    Client --> API
    subgraph Backend
        direction LR
        API --> Worker --> DB
    end""")
    [found] = findings(doc, "MD005")
    assert text_of(doc, found) == "direction LR"
    assert "`API` (inside subgraph `Backend`) and `Client` (outside)" in found.message
    assert "top to bottom (TB)" in found.message


def test_md005_a_link_to_the_subgraph_from_inside_crosses_it() -> None:
    doc = fence("""flowchart TB
    subgraph Backend
        direction LR
        API --> Worker
    end
    Backend --> API""")
    assert len(findings(doc, "MD005")) == 1


def test_md005_look_alikes() -> None:
    bodies = [
        # Linked through the subgraph itself: honoured.
        "flowchart TB\n Client --> Backend\n subgraph Backend\n direction LR\n A --> B\n end",
        # Ignored, but it asks for the direction Mermaid draws anyway.
        "flowchart TB\n Client --> A\n subgraph Backend\n direction TB\n A --> B\n end",
        "graph TD\n Client --> A\n subgraph Backend\n direction TB\n A --> B\n end",
        # One node: nothing to arrange.
        "flowchart TB\n Client --> A\n subgraph Backend\n direction LR\n A\n end",
        # No direction at all.
        "flowchart TB\n Client --> A\n subgraph Backend\n A --> B\n end",
        # The ELK layout is not Mermaid's dagre.
        "flowchart-elk TB\n Client --> A\n subgraph Backend\n direction LR\n A --> B\n end",
    ]
    for body in bodies:
        assert not findings(fence(body), "MD005"), body


def test_md005_nested_subgraphs_use_the_extracted_parent_direction() -> None:
    """Inside a subgraph laid out on its own in LR, a crossed child is drawn LR too."""
    doc = fence("""flowchart TB
    subgraph Outer
        direction LR
        subgraph Inner
            direction LR
            A --> B
        end
        C --> A
    end""")
    assert not findings(doc, "MD005")  # Inner is ignored, but drawn LR as Outer is
    # Without a direction, a subgraph laid out on its own goes across its parent (LR in TB):
    # Inner, ignored, is drawn LR whatever it asks.
    doc = doc.replace("        direction LR\n        subgraph", "        subgraph")
    assert not findings(doc, "MD005")
    doc = doc.replace("direction LR", "direction TB")
    [found] = findings(doc, "MD005")
    assert text_of(doc, found) == "direction TB" and "left to right (LR)" in found.message


def test_example_file() -> None:
    """fixtures/rules/direction.md shows one finding of each MD rule."""
    path = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "direction.md"
    source = files.source_from_text("direction.md", path.read_text(encoding="utf-8"))
    result = engine.lint_source(source, Settings(select=("MD",)))
    assert [d.code for d in result.diagnostics] == ["MD001", "MD002", "MD003", "MD004", "MD005"]
