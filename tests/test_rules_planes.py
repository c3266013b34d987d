"""MP rules: plane colours (fixtures/rules/planes.md), and the colour comparison they rest on."""

from __future__ import annotations

from pathlib import Path

import pytest
from mermaidlint.rules.planes._colour import hex_of, parse_colour, same_colour
from mermaidlint.rules.planes.mp003_node_without_plane import NodeWithoutPlane

from mermaidlint.config import Config, PlanesConfig
from mermaidlint.registry import get_registry
from rulekit import fence, run

FIXTURE = Path(__file__).parent.parent / "fixtures" / "rules" / "planes.md"
CORPUS = Path(__file__).parent.parent.parent / "shared" / "corpus" / "atlas"


def positions(select: str, text: str, config: Config | None = None
              ) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.line, f.column, f.text) for f in run(select, text, config)]


# ---- colours --------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "#0066CC", "#0066cc", "#06C", "#06c", "#0066CCFF", "rgb(0,102,204)", "rgb(0 102 204)",
    "rgba(0, 102, 204, 1)", "rgb(0%, 40%, 80%)", "hsl(210, 100%, 40%)", " #0066cc !important",
])
def test_spellings_of_one_colour_compare_equal(written: str) -> None:
    assert same_colour(written, "#0066CC")


def test_named_colours_are_understood() -> None:
    assert parse_colour("orange") == (255, 165, 0, 255)
    assert same_colour("RebeccaPurple", "#663399")
    assert hex_of(parse_colour("white") or (0, 0, 0, 0)) == "#FFFFFF"


@pytest.mark.parametrize("written", ["#0066CD", "#0066CC80", "navy", "var(--edge)", "#06", ""])
def test_other_colours_and_non_colours_differ(written: str) -> None:
    assert not same_colour(written, "#0066CC")


# ---- the fixture ------------------------------------------------------------------------------


def test_fixture_findings_and_positions() -> None:
    assert positions("MP", FIXTURE.read_text()) == [
        ("MP002", 12, 33, "stateStyle"),  # Orders: State class inside the Service plane
        ("MP003", 18, 5, "Legend"),  # in no plane (MP003 is opt-in; selected here)
        ("MP001", 22, 32, "#E8F5E8"),  # not the seed Service colour; `#06c` is the Edge one
        ("MP002", 24, 11, "Audit"),  # `class Audit stateStyle`: points at Audit
        ("MP004", 40, 32, "#F59E0B"),  # serviceStyle in the State colour
        ("MP004", 44, 11, "Jobs"),  # highlight class `hot` in the State colour
    ]


def test_mp001_fix_writes_the_palette_colour() -> None:
    [finding] = run("MP001", FIXTURE.read_text())
    assert finding.applicability == "safe"
    assert finding.fixed is not None
    assert "    classDef serviceStyle fill:#00AA00\n" in finding.fixed


def test_mp004_fix_is_unsafe_and_only_for_plane_classes() -> None:
    class_finding, node_finding = run("MP004", FIXTURE.read_text())
    assert class_finding.applicability == "unsafe"
    assert class_finding.fixed is not None
    assert "    classDef serviceStyle fill:#10B981\n" in class_finding.fixed
    assert node_finding.fixed is None  # which colour `hot` should have is not for us to say


# ---- palettes -------------------------------------------------------------------------------


SEED_DIAGRAM = fence(
    "flowchart LR",
    "    A[Edge]:::edgeStyle --> B[Service]:::serviceStyle",
    "    classDef edgeStyle fill:#0066CC !important",
    "    classDef serviceStyle fill:#00AA00",
)


def test_a_consistent_seed_diagram_passes_under_the_default_palette() -> None:
    assert run("MP", SEED_DIAGRAM) == []


def test_naming_a_palette_migrates_the_diagram() -> None:
    config = Config(planes=PlanesConfig(palette="tailwind"))
    findings = run("MP001", SEED_DIAGRAM, config)
    assert [(f.line, f.column, f.text) for f in findings] == [
        (4, 29, "#0066CC"),  # `!important` stays where it is
        (5, 32, "#00AA00"),
    ]
    assert findings[0].fixed is not None
    assert "fill:#3B82F6 !important" in findings[0].fixed


def test_a_custom_palette_is_a_known_palette() -> None:
    config = Config(planes=PlanesConfig(palettes={"brand": {
        "edge": "#111111", "service": "#222222", "state": "#333333", "control": "#444444"}}))
    text = fence("flowchart LR",
                 "    A:::edgeStyle --> B:::serviceStyle",
                 "    classDef edgeStyle fill:#111",
                 "    classDef serviceStyle fill:#333")
    assert positions("MP", text, config) == [("MP004", 5, 32, "#333")]


def test_a_diagram_without_evidence_follows_its_document() -> None:
    text = (fence("flowchart LR", "    A:::edgeStyle", "    classDef edgeStyle fill:#3B82F6")
            + fence("flowchart LR", "    B:::stateStyle", "    classDef stateStyle fill:#FFF3E0"))
    [finding] = run("MP001", text)
    assert "`#F59E0B` (tailwind palette)" in finding.message


# ---- look-alikes ------------------------------------------------------------------------------


def test_look_alikes_do_not_trigger() -> None:
    text = fence(
        "flowchart LR",
        "    %% classDef edgeStyle fill:#FF0000 (a comment)",
        "    edgeStyleNode[edgeStyle fill:#FF0000]:::costStyle",
        "    subgraph EdgePlane[Edge Plane - #FF0000]",
        "        A:::edgeStyle",
        "    end",
        "    style EdgePlane fill:#EFF6FF,stroke:#3B82F6",
        "    classDef costStyle fill:#FF0000",
        "    classDef edgeStyle fill:#3B82F6",
    )
    assert run("MP", text) == []


def test_a_single_layer_subgraph_is_not_a_plane_diagram() -> None:
    text = fence("flowchart LR",
                 "    subgraph ServiceLayer[Service Layer]",
                 "        A",
                 "    end",
                 "    B --> A")
    assert run("MP003", text) == []


# ---- declarations -----------------------------------------------------------------------------


def test_the_family_is_registered_and_mp003_is_opt_in() -> None:
    registry = get_registry()
    for code in ("MP001", "MP002", "MP003", "MP004"):
        info = registry.lookup(code)
        assert info is not None and info.origin.startswith("mermaidlint.rules.planes")
    assert NodeWithoutPlane.enabled_by_default is False
    assert registry.lookup("MP001").fixable  # type: ignore[union-attr]


def test_corpus_palette_choice_keeps_mp001_quiet() -> None:
    """On the Atlas corpus (Tailwind colours) MP001 finds the off-scheme classes, not the
    palette migration: a handful, not thousands."""
    if not CORPUS.is_dir():
        pytest.skip("the shared Atlas corpus is not available (../shared/corpus/atlas)")
    files = sorted(CORPUS.glob("site/docs/systems/*/architecture.md"))
    assert len(files) > 10
    findings = [f for path in files for f in run("MP001", path.read_text(encoding="utf-8"))]
    assert findings == []


# ---- whether a diagram names a plane at all ----------------------------------------------------


@pytest.mark.parametrize(("body", "named"), [
    (["A --> B"], False),
    (["subgraph EdgePlane", "  A", "end", "A --> B"], True),
    (['subgraph S["Edge Plane"]', "  A", "end"], True),
    (["subgraph Edges", "  A", "end", "A --> B"], False),
    (["A:::EdgeStyle --> B"], True),
    (["A:::other --> B"], False),
    (["A --> B", "class B serviceStyle"], True),
    (["A --> B", "classDef stateStyle fill:#F59E0B"], True),
    (["A --> B", "classDef other fill:#F59E0B", "class A other"], False),
])
def test_a_diagram_names_a_plane_where_some_node_can_be_in_one(body: list[str], named: bool
                                                               ) -> None:
    from mermaidlint.rules.planes_common import names_a_plane, node_planes

    from mermaidlint.check import parse_flowchart
    from mermaidlint.document import SourceFile
    from mermaidlint.extract import extract_diagrams
    from mermaidlint.rule import RuleContext

    source = SourceFile("doc.md", fence("flowchart LR", *body))
    extract_diagrams(source)
    chart = parse_flowchart(source, source.diagrams[0])
    assert chart is not None
    ctx = RuleContext(NodeWithoutPlane(), source, source.diagrams[0], chart, Config())
    assert names_a_plane(ctx) is named
    if not named:  # then nothing can be in a plane, which the plane rules count on
        assert not any(node_planes(ctx).values())
