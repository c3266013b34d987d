"""The shared plane helper (rules/planes_common.py) and the MD family (edge direction)."""

from __future__ import annotations

from mermaidlint.rules.planes_common import (
    membership,
    node_planes,
    plane_of_classes,
    plane_of_subgraph,
    plane_of_text,
)

from mermaidlint.check import parse_flowchart
from mermaidlint.config import Config
from mermaidlint.document import SourceFile
from mermaidlint.extract import extract_diagrams
from mermaidlint.flowchart.ast import Flowchart


def chart_of(text: str) -> Flowchart:
    source = SourceFile("diagram.mmd", text)
    extract_diagrams(source)
    chart = parse_flowchart(source, source.diagrams[0])
    assert chart is not None
    return chart


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
    chart = chart_of("""flowchart TD
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
    planes = node_planes(chart, Config())
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
